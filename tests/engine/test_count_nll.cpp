// poisson_nll, nb_nll, zinb_nll: the mean over all genes x n elements of the
// count negative log-likelihood (constants included) -> 1 x 1, with
// mu = exp(eta + log_sf[j]), theta = exp(log_theta) (genes x n or genes x 1),
// pi = sigmoid(pi_logit); x and log_sf get no gradient. nll_elements(): the
// same per element, without the tape, as a float64 matrix.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/likelihood.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

// ---- an independent reference ---------------------------------------------
// The textbook formulas, in long double (std::lgamma / std::log / std::pow
// of long double): no log-space rewriting, so they share nothing with the
// engine's kernels, and the extra precision keeps the cancellations of the
// extreme cases (theta = 1e4, pi_logit = +-20) well below 1e-9.
using Real = long double;

Real ref_poisson(double x, double lm) {
    Real mu = std::exp(static_cast<Real>(lm));
    return mu - x * std::log(mu) + std::lgamma(static_cast<Real>(x) + 1);
}

Real ref_nb(double x, double lm, double lt) {
    Real mu = std::exp(static_cast<Real>(lm));
    Real theta = std::exp(static_cast<Real>(lt));
    Real xl = x;
    return -(std::lgamma(xl + theta) - std::lgamma(theta) -
             std::lgamma(xl + 1) + theta * std::log(theta / (theta + mu)) +
             xl * std::log(mu / (theta + mu)));
}

Real ref_zinb(double x, double lm, double lt, double g) {
    Real gl = g;
    Real pi = 1 / (1 + std::exp(-gl));
    Real one_minus_pi = 1 / (1 + std::exp(gl));  // 1 - pi without cancelling
    if (x == 0) {
        Real mu = std::exp(static_cast<Real>(lm));
        Real theta = std::exp(static_cast<Real>(lt));
        return -std::log(pi + one_minus_pi *
                                  std::pow(theta / (theta + mu), theta));
    }
    return -std::log(one_minus_pi) + ref_nb(x, lm, lt);
}

// The inputs of one count problem, float64, features x samples.
struct Problem {
    Tensor eta, log_theta, pi_logit, log_sf, x;
};

double theta_at(const Tensor& lt, index_t i, index_t j) {
    return lt.cols() == 1 ? lt.at(i, 0) : lt.at(i, j);
}

double ref_element(Likelihood lk, const Problem& p, index_t i, index_t j) {
    double lm = p.eta.at(i, j) + p.log_sf.at(0, j);
    double x = p.x.at(i, j);
    switch (lk) {
    case Likelihood::poisson:
        return static_cast<double>(ref_poisson(x, lm));
    case Likelihood::nb:
        return static_cast<double>(ref_nb(x, lm, theta_at(p.log_theta, i, j)));
    case Likelihood::zinb:
        return static_cast<double>(ref_zinb(
            x, lm, theta_at(p.log_theta, i, j), p.pi_logit.at(i, j)));
    case Likelihood::gaussian:
        break;
    }
    double d = x - p.eta.at(i, j);
    return 0.5 * d * d;
}

double ref_mean(Likelihood lk, const Problem& p) {
    Real total = 0;
    for (index_t j = 0; j < p.eta.cols(); ++j)
        for (index_t i = 0; i < p.eta.rows(); ++i)
            total += ref_element(lk, p, i, j);
    return static_cast<double>(total / p.eta.size());
}

// |got - ref| / max(1, |ref|): relative for values above 1, absolute below,
// as everywhere in this suite.
double rel_err(double got, double ref) {
    return std::abs(got - ref) / std::max(1.0, std::abs(ref));
}

constexpr double kRefTol = 1e-9;    // float64 against the reference
constexpr double kF32Tol = 1e-5;    // float32 against float64

Variable loss_of(Likelihood lk, const Problem& p) {
    Variable eta(p.eta), lt(p.log_theta), pl(p.pi_logit);
    switch (lk) {
    case Likelihood::poisson: return poisson_nll(eta, p.log_sf, p.x);
    case Likelihood::nb: return nb_nll(eta, lt, p.log_sf, p.x);
    default: return zinb_nll(eta, lt, pl, p.log_sf, p.x);
    }
}

Problem to_dtype(const Problem& p, DType dt) {
    return {test::to_dtype(p.eta, dt), test::to_dtype(p.log_theta, dt),
            test::to_dtype(p.pi_logit, dt), test::to_dtype(p.log_sf, dt),
            test::to_dtype(p.x, dt)};
}

// ---- the problems -----------------------------------------------------------

// Every combination of count {0, 1, 7, 1000}, theta {1e-3, 0.1, 1, 30, 1e4}
// (the rows: gene i = 5 * count + theta), mean {1e-3, 0.9, 7.5, 950, 2e5}
// and pi_logit {-20, -3, 0, 3, 20} (the columns: sample j = 5 * mean +
// logit), with a different size factor for every sample. With
// per_gene_theta, log_theta is genes x 1; otherwise genes x n, each sample
// nudged by a little so that the columns differ.
const std::vector<double> kCounts = {0, 1, 7, 1000};
const std::vector<double> kThetas = {1e-3, 0.1, 1, 30, 1e4};
const std::vector<double> kMeans = {1e-3, 0.9, 7.5, 950, 2e5};
const std::vector<double> kLogits = {-20, -3, 0, 3, 20};

Problem stability_grid(bool per_gene_theta) {
    const index_t genes = 20, n = 25;
    Problem p;
    p.eta = Tensor::empty(genes, n, DType::f64);
    p.log_theta = Tensor::empty(genes, per_gene_theta ? 1 : n, DType::f64);
    p.pi_logit = Tensor::empty(genes, n, DType::f64);
    p.log_sf = Tensor::empty(1, n, DType::f64);
    p.x = Tensor::empty(genes, n, DType::f64);
    for (index_t j = 0; j < n; ++j) {
        double log_sf = std::log(0.3 + 0.11 * static_cast<double>(j));
        p.log_sf.set(0, j, log_sf);
        for (index_t i = 0; i < genes; ++i) {
            p.x.set(i, j, kCounts[i / 5]);
            p.eta.set(i, j, std::log(kMeans[j / 5]) - log_sf);
            p.pi_logit.set(i, j, kLogits[j % 5]);
            double lt = std::log(kThetas[i % 5]);
            if (per_gene_theta)
                p.log_theta.set(i, 0, lt);
            else
                p.log_theta.set(i, j, lt + 0.01 * static_cast<double>(j % 3));
        }
    }
    return p;
}

// A moderate, random problem for gradient checks: means between ~0.1 and
// ~40, theta between ~0.2 and ~12, pi in ~(0.05, 0.95), counts around the
// mean with a third of them zero.
Problem random_problem(index_t genes, index_t n, std::uint64_t seed,
                       bool per_gene_theta, DType dt = DType::f64) {
    Problem p;
    p.eta = test::uniform(genes, n, -1.5, 3.0, seed, dt);
    p.log_sf = test::uniform(1, n, -0.7, 0.7, seed + 1, dt);
    p.log_theta =
        test::uniform(genes, per_gene_theta ? 1 : n, -1.5, 2.5, seed + 2, dt);
    p.pi_logit = test::uniform(genes, n, -3.0, 3.0, seed + 3, dt);
    Tensor u = test::uniform(genes, n, 0.0, 2.0, seed + 4);
    p.x = Tensor::empty(genes, n, dt);
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < genes; ++i) {
            index_t k = j * genes + i;
            double mu = std::exp(p.eta.at(i, j) + p.log_sf.at(0, j));
            p.x.set(i, j, k % 3 == 0 ? 0.0 : std::floor(mu * u.at(k) + 0.5));
        }
    }
    return p;
}

// Extremes with gradients that a central difference can still measure:
// counts {0, 1, 7, 1000} each with a mean near it and one far from it
// (rows), theta {1e-3, 1, 1e4} x pi_logit {-20, 0, 20} (columns). The NLLs
// stay below ~40, so the finite differences are not lost in rounding.
Problem extreme_gradcheck_problem(bool per_gene_theta) {
    const std::vector<double> counts = {0, 0, 1, 1, 7, 7, 1000, 1000};
    const std::vector<double> means = {1e-3, 7.5, 0.9, 20, 7.5, 0.9, 950,
                                       1100};
    const std::vector<double> thetas = {1e-3, 1, 1e4};
    const std::vector<double> logits = {-20, 0, 20};
    const index_t genes = 8, n = 9;
    Problem p;
    p.eta = Tensor::empty(genes, n, DType::f64);
    p.log_theta = Tensor::empty(genes, per_gene_theta ? 1 : n, DType::f64);
    p.pi_logit = Tensor::empty(genes, n, DType::f64);
    p.log_sf = Tensor::empty(1, n, DType::f64);
    p.x = Tensor::empty(genes, n, DType::f64);
    for (index_t j = 0; j < n; ++j) {
        double log_sf = 0.2 * static_cast<double>(j) - 0.8;
        p.log_sf.set(0, j, log_sf);
        for (index_t i = 0; i < genes; ++i) {
            p.x.set(i, j, counts[i]);
            p.eta.set(i, j, std::log(means[i]) - log_sf);
            p.pi_logit.set(i, j, logits[j % 3]);
            // per gene: theta cycles with the gene instead of the sample
            double lt = std::log(thetas[per_gene_theta ? i % 3 : j / 3]);
            if (per_gene_theta)
                p.log_theta.set(i, 0, lt);
            else
                p.log_theta.set(i, j, lt);
        }
    }
    return p;
}

std::vector<Tensor> inputs_of(Likelihood lk, const Problem& p) {
    switch (lk) {
    case Likelihood::poisson: return {p.eta, p.log_sf, p.x};
    case Likelihood::nb: return {p.eta, p.log_theta, p.log_sf, p.x};
    default: return {p.eta, p.log_theta, p.pi_logit, p.log_sf, p.x};
    }
}

Variable poisson_of(const std::vector<Variable>& v) {
    return poisson_nll(v[0], v[1].value(), v[2].value());
}
Variable nb_of(const std::vector<Variable>& v) {
    return nb_nll(v[0], v[1], v[2].value(), v[3].value());
}
Variable zinb_of(const std::vector<Variable>& v) {
    return zinb_nll(v[0], v[1], v[2], v[3].value(), v[4].value());
}

const std::vector<Likelihood> kCountLikelihoods = {
    Likelihood::poisson, Likelihood::nb, Likelihood::zinb};

std::string name_of(Likelihood lk) { return likelihood_name(lk); }

// ---- values -----------------------------------------------------------------

// The reference itself against R's dpois / dnbinom(log = TRUE), so the
// formulas above are not wrong in the same way as the engine might be.
TEST(CountNll, ReferenceMatchesR) {
    struct Case { double x, mu, theta, r_log_density; };
    const std::vector<Case> nb = {
        {7, 3.2, 0.5, -3.5801761362479287},
        {0, 1.5, 2, -1.1192315758708453},
        {1000, 950, 1e4, -5.5998678465868617},
        {3, 20, 1e-3, -8.0149217260769241},
        {1, 0.001, 1e4, -6.908755378932215585},
        {0, 1000, 1e-3, -0.013815511557963773},
        {1000, 950, 1e-3, -13.822843758011231330}};
    for (const Case& c : nb) {
        EXPECT_LE(rel_err(static_cast<double>(ref_nb(
                              c.x, std::log(c.mu), std::log(c.theta))),
                          -c.r_log_density),
                  1e-12)
            << "nb x = " << c.x << ", mu = " << c.mu << ", theta = " << c.theta;
    }
    const std::vector<Case> pois = {{2, 1, 0, -1.6931471805599454},
                                    {1000, 950, 0, -5.666193893576830121},
                                    {0, 0.001, 0, -0.001},
                                    {7, 7.5, 0, -1.920840217269561112}};
    for (const Case& c : pois) {
        EXPECT_LE(rel_err(static_cast<double>(ref_poisson(c.x, std::log(c.mu))),
                          -c.r_log_density),
                  1e-12)
            << "poisson x = " << c.x << ", mu = " << c.mu;
    }
}

TEST(CountNll, HandComputedValues) {
    // one sample, mu = 1 (eta 0, log_sf 0), theta = 1, pi = 0.5
    Tensor eta = test::from_values(1, 1, {0.0});
    Tensor lt = test::from_values(1, 1, {0.0});
    Tensor pl = test::from_values(1, 1, {0.0});
    Tensor sf = test::from_values(1, 1, {0.0});
    Tensor x2 = test::from_values(1, 1, {2.0});
    Tensor x0 = test::from_values(1, 1, {0.0});
    // -log dpois(2, 1) = 1 + log 2
    EXPECT_NEAR(poisson_nll(Variable(eta), sf, x2).value().at(0),
                1.0 + std::log(2.0), 1e-14);
    // -log dnbinom(0, size 1, mu 1) = -log(1/2)
    EXPECT_NEAR(nb_nll(Variable(eta), Variable(lt), sf, x0).value().at(0),
                std::log(2.0), 1e-14);
    // -log(0.5 + 0.5 * 0.5)
    EXPECT_NEAR(zinb_nll(Variable(eta), Variable(lt), Variable(pl), sf, x0)
                    .value()
                    .at(0),
                -std::log(0.75), 1e-14);
    // x = 2: -log(0.5) - log dnbinom(2, 1, 1) = log 2 + 3 log 2
    EXPECT_NEAR(zinb_nll(Variable(eta), Variable(lt), Variable(pl), sf, x2)
                    .value()
                    .at(0),
                4.0 * std::log(2.0), 1e-14);
}

// The mean over the grid of extremes, in float64 against the reference and
// in float32 against float64 (on the same, float32-rounded, inputs).
void check_mean_on(const Problem& grid, const std::string& what) {
    for (Likelihood lk : kCountLikelihoods) {
        SCOPED_TRACE(name_of(lk) + " " + what);
        Variable y = loss_of(lk, grid);
        ASSERT_EQ(y.value().rows(), 1);
        ASSERT_EQ(y.value().cols(), 1);
        ASSERT_EQ(y.value().dtype(), DType::f64);
        double got = y.value().at(0);
        double ref = ref_mean(lk, grid);
        EXPECT_TRUE(std::isfinite(got)) << got;
        EXPECT_LE(rel_err(got, ref), kRefTol)
            << "got " << got << ", reference " << ref;

        Problem p32 = to_dtype(grid, DType::f32);
        Problem p64 = to_dtype(p32, DType::f64);
        Variable y32 = loss_of(lk, p32);
        ASSERT_EQ(y32.value().dtype(), DType::f32);
        double got32 = y32.value().at(0);
        double got64 = loss_of(lk, p64).value().at(0);
        EXPECT_TRUE(std::isfinite(got32)) << got32;
        EXPECT_LE(rel_err(got32, got64), kF32Tol)
            << "float32 " << got32 << ", float64 " << got64;
    }
}

TEST(CountNll, MeanMatchesReferenceOnExtremes) {
    check_mean_on(stability_grid(false), "log_theta genes x n");
}

TEST(CountNll, MeanMatchesReferenceOnExtremesPerGeneTheta) {
    check_mean_on(stability_grid(true), "log_theta genes x 1");
}

TEST(CountNll, MeanMatchesReferenceOnRandomProblem) {
    for (bool per_gene : {false, true}) {
        Problem p = random_problem(13, 11, 100, per_gene);
        check_mean_on(p, per_gene ? "random, genes x 1" : "random, genes x n");
    }
}

// nll_elements, element by element, on the same grid.
void check_elements_on(const Problem& grid, const std::string& what) {
    Problem p32 = to_dtype(grid, DType::f32);
    Problem p64 = to_dtype(p32, DType::f64);
    for (Likelihood lk : kCountLikelihoods) {
        SCOPED_TRACE(name_of(lk) + " " + what);
        Tensor e = nll_elements(lk, grid.eta, grid.log_theta, grid.pi_logit,
                                grid.log_sf, grid.x);
        ASSERT_EQ(e.dtype(), DType::f64);
        ASSERT_TRUE(e.same_shape(grid.eta));
        int failures = 0;
        for (index_t j = 0; j < e.cols(); ++j) {
            for (index_t i = 0; i < e.rows(); ++i) {
                double got = e.at(i, j), ref = ref_element(lk, grid, i, j);
                bool ok = std::isfinite(got) && rel_err(got, ref) <= kRefTol;
                if (!ok && failures++ < 8) {
                    ADD_FAILURE()
                        << "(" << i << ", " << j << ") x = " << grid.x.at(i, j)
                        << ", mu = "
                        << std::exp(grid.eta.at(i, j) + grid.log_sf.at(0, j))
                        << ", theta = "
                        << std::exp(theta_at(grid.log_theta, i, j))
                        << ", pi_logit = " << grid.pi_logit.at(i, j)
                        << ": got " << got << ", reference " << ref;
                }
            }
        }
        EXPECT_EQ(failures, 0);

        // float32 inputs: a float64 matrix again, agreeing with float64
        Tensor e32 = nll_elements(lk, p32.eta, p32.log_theta, p32.pi_logit,
                                  p32.log_sf, p32.x);
        Tensor e64 = nll_elements(lk, p64.eta, p64.log_theta, p64.pi_logit,
                                  p64.log_sf, p64.x);
        ASSERT_EQ(e32.dtype(), DType::f64);
        for (index_t k = 0; k < e32.size(); ++k)
            EXPECT_TRUE(std::isfinite(e32.at(k))) << "element " << k;
        test::expect_tensor_near(e32, e64, kF32Tol, "float32 nll_elements");

        // the op's value is the mean of the elements
        Real total = 0;
        for (index_t k = 0; k < e.size(); ++k) total += e.at(k);
        double mean = static_cast<double>(total / e.size());
        EXPECT_LE(rel_err(loss_of(lk, grid).value().at(0), mean), 1e-12);
    }
}

TEST(NllElements, MatchReferenceOnExtremes) {
    check_elements_on(stability_grid(false), "log_theta genes x n");
}

TEST(NllElements, MatchReferenceOnExtremesPerGeneTheta) {
    check_elements_on(stability_grid(true), "log_theta genes x 1");
}

TEST(NllElements, MatchReferenceOnRandomProblem) {
    check_elements_on(random_problem(9, 14, 200, false), "random");
}

TEST(NllElements, Gaussian) {
    // 0.5 (x - eta)^2; log_theta, pi_logit and log_sf undefined
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor eta = test::normal(6, 5, 1, 0, 1, dt);
        Tensor x = test::normal(6, 5, 2, 0, 1, dt);
        Tensor e = nll_elements(Likelihood::gaussian, eta, Tensor(), Tensor(),
                                Tensor(), x);
        ASSERT_EQ(e.dtype(), DType::f64);
        test::expect_matches(
            e,
            [&](index_t i, index_t j) {
                double d = x.at(i, j) - eta.at(i, j);
                return 0.5 * d * d;
            },
            1e-12, dtype_name(dt));
    }
}

TEST(NllElements, UnusedInputsMayBeUndefined) {
    Problem p = random_problem(5, 4, 300, false);
    Tensor pois = nll_elements(Likelihood::poisson, p.eta, Tensor(), Tensor(),
                               p.log_sf, p.x);
    Tensor pois_all = nll_elements(Likelihood::poisson, p.eta, p.log_theta,
                                   p.pi_logit, p.log_sf, p.x);
    EXPECT_TRUE(test::same_bits(pois, pois_all));
    Tensor nb = nll_elements(Likelihood::nb, p.eta, p.log_theta, Tensor(),
                             p.log_sf, p.x);
    Tensor nb_all = nll_elements(Likelihood::nb, p.eta, p.log_theta,
                                 p.pi_logit, p.log_sf, p.x);
    EXPECT_TRUE(test::same_bits(nb, nb_all));
}

TEST(CountNll, UndefinedLogSizeFactorIsZero) {
    // ops.h: log_sf undefined = 0 (likelihood.h: "log_sf may be too")
    Problem p = random_problem(5, 4, 310, false);
    Tensor zeros = Tensor::zeros(1, 4, DType::f64);
    for (Likelihood lk : kCountLikelihoods) {
        SCOPED_TRACE(name_of(lk));
        Tensor a = nll_elements(lk, p.eta, p.log_theta, p.pi_logit, Tensor(),
                                p.x);
        Tensor b = nll_elements(lk, p.eta, p.log_theta, p.pi_logit, zeros,
                                p.x);
        test::expect_tensor_near(a, b, 1e-15);
        Problem q = p;
        q.log_sf = Tensor();
        Problem z = p;
        z.log_sf = zeros;
        EXPECT_NEAR(loss_of(lk, q).value().at(0), loss_of(lk, z).value().at(0),
                    1e-14);
    }
}

TEST(CountNll, SizeFactorShiftsTheMean) {
    // log_sf[j] enters as eta + log_sf[j]: moving it into eta changes nothing
    Problem p = random_problem(6, 7, 400, false);
    Problem q = p;
    q.eta = p.eta.clone();
    for (index_t j = 0; j < 7; ++j)
        for (index_t i = 0; i < 6; ++i)
            q.eta.set(i, j, p.eta.at(i, j) + p.log_sf.at(0, j));
    q.log_sf = Tensor::zeros(1, 7, DType::f64);
    for (Likelihood lk : kCountLikelihoods) {
        EXPECT_NEAR(loss_of(lk, p).value().at(0), loss_of(lk, q).value().at(0),
                    1e-12)
            << name_of(lk);
    }
}

TEST(CountNll, PerGeneThetaEqualsRepeatedColumns) {
    Problem p = random_problem(7, 6, 500, true);
    Problem q = p;
    q.log_theta = Tensor::empty(7, 6, DType::f64);
    for (index_t j = 0; j < 6; ++j)
        for (index_t i = 0; i < 7; ++i)
            q.log_theta.set(i, j, p.log_theta.at(i, 0));
    for (Likelihood lk : {Likelihood::nb, Likelihood::zinb}) {
        SCOPED_TRACE(name_of(lk));
        EXPECT_NEAR(loss_of(lk, p).value().at(0), loss_of(lk, q).value().at(0),
                    1e-13);
        test::expect_tensor_near(
            nll_elements(lk, p.eta, p.log_theta, p.pi_logit, p.log_sf, p.x),
            nll_elements(lk, q.eta, q.log_theta, q.pi_logit, q.log_sf, q.x),
            1e-13);
    }
}

TEST(CountNll, StaysFiniteForHugeMeans) {
    // NB and ZINB with means far beyond float64's exp range must stay finite
    // (they are ~theta * log(mu) + x * ...); the reference in long double.
    const std::vector<double> lms = {50, 300, 710, 750};
    const std::vector<double> xs = {0, 7};
    Problem p;
    const index_t n = 4, genes = 2;
    p.eta = Tensor::empty(genes, n, DType::f64);
    p.log_theta = Tensor::full(genes, 1, 0.0, DType::f64);
    p.pi_logit = Tensor::full(genes, n, -2.0, DType::f64);
    p.log_sf = Tensor::zeros(1, n, DType::f64);
    p.x = Tensor::empty(genes, n, DType::f64);
    for (index_t j = 0; j < n; ++j)
        for (index_t i = 0; i < genes; ++i) {
            p.eta.set(i, j, lms[j]);
            p.x.set(i, j, xs[i]);
        }
    for (Likelihood lk : {Likelihood::nb, Likelihood::zinb}) {
        SCOPED_TRACE(name_of(lk));
        Tensor e = nll_elements(lk, p.eta, p.log_theta, p.pi_logit, p.log_sf,
                                p.x);
        test::expect_matches(
            e, [&](index_t i, index_t j) { return ref_element(lk, p, i, j); },
            kRefTol);
        for (index_t k = 0; k < e.size(); ++k)
            EXPECT_TRUE(std::isfinite(e.at(k))) << k;
        EXPECT_LE(rel_err(loss_of(lk, p).value().at(0), ref_mean(lk, p)),
                  kRefTol);
        // gradients finite too
        Variable eta(p.eta.clone(), true), lt(p.log_theta.clone(), true);
        Variable pl(p.pi_logit.clone(), true);
        Variable y = lk == Likelihood::nb
                         ? nb_nll(eta, lt, p.log_sf, p.x)
                         : zinb_nll(eta, lt, pl, p.log_sf, p.x);
        Tape::current().backward(y);
        for (const Variable* v : {&eta, &lt}) {
            ASSERT_TRUE(v->grad().defined());
            for (index_t k = 0; k < v->grad().size(); ++k)
                EXPECT_TRUE(std::isfinite(v->grad().at(k))) << k;
        }
    }
}

TEST(CountNll, ForwardDoesNotChangeInputs) {
    Problem p = random_problem(4, 5, 600, false);
    Problem p0 = {p.eta.clone(), p.log_theta.clone(), p.pi_logit.clone(),
                  p.log_sf.clone(), p.x.clone()};
    for (Likelihood lk : kCountLikelihoods) loss_of(lk, p);
    EXPECT_TRUE(test::same_bits(p.eta, p0.eta));
    EXPECT_TRUE(test::same_bits(p.log_theta, p0.log_theta));
    EXPECT_TRUE(test::same_bits(p.pi_logit, p0.pi_logit));
    EXPECT_TRUE(test::same_bits(p.log_sf, p0.log_sf));
    EXPECT_TRUE(test::same_bits(p.x, p0.x));
}

// ---- gradients --------------------------------------------------------------

TEST(PoissonNll, Gradcheck) {
    Problem p = random_problem(5, 6, 11, false);
    expect_gradcheck("poisson_nll", poisson_of,
                     inputs_of(Likelihood::poisson, p), {true, false, false});
}

TEST(PoissonNll, GradcheckExtremes) {
    Problem p = extreme_gradcheck_problem(false);
    expect_gradcheck("poisson_nll (extremes)", poisson_of,
                     inputs_of(Likelihood::poisson, p), {true, false, false});
}

TEST(NbNll, Gradcheck) {
    Problem p = random_problem(5, 6, 21, false);
    expect_gradcheck("nb_nll", nb_of, inputs_of(Likelihood::nb, p),
                     {true, true, false, false});
}

TEST(NbNll, GradcheckPerGeneTheta) {
    Problem p = random_problem(5, 6, 22, true);
    expect_gradcheck("nb_nll (theta genes x 1)", nb_of,
                     inputs_of(Likelihood::nb, p), {true, true, false, false});
}

TEST(NbNll, GradcheckOneInputAtATime) {
    Problem p = random_problem(4, 5, 23, false);
    expect_gradcheck("nb_nll (eta only)", nb_of, inputs_of(Likelihood::nb, p),
                     {true, false, false, false});
    expect_gradcheck("nb_nll (log_theta only)", nb_of,
                     inputs_of(Likelihood::nb, p), {false, true, false, false});
    Problem q = random_problem(4, 5, 24, true);
    expect_gradcheck("nb_nll (theta genes x 1 only)", nb_of,
                     inputs_of(Likelihood::nb, q), {false, true, false, false});
}

TEST(NbNll, GradcheckExtremes) {
    expect_gradcheck("nb_nll (extremes)", nb_of,
                     inputs_of(Likelihood::nb, extreme_gradcheck_problem(false)),
                     {true, true, false, false});
    expect_gradcheck("nb_nll (extremes, genes x 1)", nb_of,
                     inputs_of(Likelihood::nb, extreme_gradcheck_problem(true)),
                     {true, true, false, false});
}

TEST(ZinbNll, Gradcheck) {
    Problem p = random_problem(5, 6, 31, false);
    expect_gradcheck("zinb_nll", zinb_of, inputs_of(Likelihood::zinb, p),
                     {true, true, true, false, false});
}

TEST(ZinbNll, GradcheckPerGeneTheta) {
    Problem p = random_problem(5, 6, 32, true);
    expect_gradcheck("zinb_nll (theta genes x 1)", zinb_of,
                     inputs_of(Likelihood::zinb, p),
                     {true, true, true, false, false});
}

TEST(ZinbNll, GradcheckOneInputAtATime) {
    Problem p = random_problem(4, 5, 33, false);
    expect_gradcheck("zinb_nll (eta only)", zinb_of,
                     inputs_of(Likelihood::zinb, p),
                     {true, false, false, false, false});
    expect_gradcheck("zinb_nll (log_theta only)", zinb_of,
                     inputs_of(Likelihood::zinb, p),
                     {false, true, false, false, false});
    expect_gradcheck("zinb_nll (pi_logit only)", zinb_of,
                     inputs_of(Likelihood::zinb, p),
                     {false, false, true, false, false});
    Problem q = random_problem(4, 5, 34, true);
    expect_gradcheck("zinb_nll (theta genes x 1 only)", zinb_of,
                     inputs_of(Likelihood::zinb, q),
                     {false, true, false, false, false});
}

TEST(ZinbNll, GradcheckExtremes) {
    expect_gradcheck(
        "zinb_nll (extremes)", zinb_of,
        inputs_of(Likelihood::zinb, extreme_gradcheck_problem(false)),
        {true, true, true, false, false});
    expect_gradcheck(
        "zinb_nll (extremes, genes x 1)", zinb_of,
        inputs_of(Likelihood::zinb, extreme_gradcheck_problem(true)),
        {true, true, true, false, false});
}

TEST(CountNll, CountsAndSizeFactorsGetNoGradient) {
    Problem p = random_problem(3, 4, 40, false);
    Variable eta(p.eta, true), lt(p.log_theta, true), pl(p.pi_logit, true);
    Tape::current().backward(zinb_nll(eta, lt, pl, p.log_sf, p.x));
    EXPECT_TRUE(eta.grad().defined());
    EXPECT_TRUE(lt.grad().defined());
    EXPECT_TRUE(pl.grad().defined());
    EXPECT_TRUE(eta.grad().same_shape(p.eta));
    EXPECT_TRUE(lt.grad().same_shape(p.log_theta));
    EXPECT_TRUE(pl.grad().same_shape(p.pi_logit));
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(CountNll, Float32BackwardMatchesFloat64) {
    Problem p = random_problem(5, 6, 50, false);
    test::expect_float32_backward(poisson_of,
                                  inputs_of(Likelihood::poisson, p),
                                  {true, false, false});
    test::expect_float32_backward(nb_of, inputs_of(Likelihood::nb, p),
                                  {true, true, false, false});
    test::expect_float32_backward(zinb_of, inputs_of(Likelihood::zinb, p),
                                  {true, true, true, false, false});
    Problem q = random_problem(5, 6, 51, true);
    test::expect_float32_backward(nb_of, inputs_of(Likelihood::nb, q),
                                  {true, true, false, false});
    test::expect_float32_backward(zinb_of, inputs_of(Likelihood::zinb, q),
                                  {true, true, true, false, false});
}

// ---- errors -----------------------------------------------------------------

TEST(CountNll, ShapeErrorsThrow) {
    const index_t g = 4, n = 5;
    auto z = [](index_t r, index_t c, DType dt = DType::f64) {
        return Tensor::zeros(r, c, dt);
    };
    Variable eta(z(g, n)), lt(z(g, n)), lt1(z(g, 1)), pl(z(g, n));
    Tensor sf = z(1, n), x = z(g, n);
    // the good shapes work
    EXPECT_NO_THROW(poisson_nll(eta, sf, x));
    EXPECT_NO_THROW(nb_nll(eta, lt, sf, x));
    EXPECT_NO_THROW(nb_nll(eta, lt1, sf, x));
    EXPECT_NO_THROW(zinb_nll(eta, lt1, pl, sf, x));
    // x
    for (const Tensor& bad_x : {z(g, n + 1), z(g + 1, n), z(n, g)}) {
        EXPECT_THROW(poisson_nll(eta, sf, bad_x), std::invalid_argument);
        EXPECT_THROW(nb_nll(eta, lt, sf, bad_x), std::invalid_argument);
        EXPECT_THROW(zinb_nll(eta, lt, pl, sf, bad_x), std::invalid_argument);
    }
    EXPECT_THROW(poisson_nll(eta, sf, z(g, n, DType::f32)),
                 std::invalid_argument);
    // log_sf must be 1 x n
    for (const Tensor& bad_sf : {z(n, 1), z(1, n - 1), z(1, n + 1), z(2, n)}) {
        EXPECT_THROW(poisson_nll(eta, bad_sf, x), std::invalid_argument);
        EXPECT_THROW(nb_nll(eta, lt, bad_sf, x), std::invalid_argument);
        EXPECT_THROW(zinb_nll(eta, lt, pl, bad_sf, x), std::invalid_argument);
    }
    // log_theta genes x n or genes x 1
    for (const Tensor& bad_lt :
         {z(g + 1, n), z(g - 1, 1), z(g, 2), z(1, n), z(g, n + 1), z(1, 1)}) {
        EXPECT_THROW(nb_nll(eta, Variable(bad_lt), sf, x),
                     std::invalid_argument)
            << bad_lt.shape_string();
        EXPECT_THROW(zinb_nll(eta, Variable(bad_lt), pl, sf, x),
                     std::invalid_argument)
            << bad_lt.shape_string();
    }
    EXPECT_THROW(nb_nll(eta, Variable(z(g, n, DType::f32)), sf, x),
                 std::invalid_argument);
    // pi_logit genes x n
    for (const Tensor& bad_pl : {z(g, 1), z(g, n + 1), z(g + 1, n), z(n, g)}) {
        EXPECT_THROW(zinb_nll(eta, lt, Variable(bad_pl), sf, x),
                     std::invalid_argument)
            << bad_pl.shape_string();
    }
    // an empty problem has no mean (as mse_loss)
    Variable empty(z(0, n));
    EXPECT_THROW(poisson_nll(empty, sf, z(0, n)), std::invalid_argument);
}

TEST(NllElements, ShapeErrorsThrow) {
    const index_t g = 4, n = 5;
    auto z = [](index_t r, index_t c) { return Tensor::zeros(r, c, DType::f64); };
    Tensor eta = z(g, n), lt = z(g, n), pl = z(g, n), sf = z(1, n), x = z(g, n);
    for (Likelihood lk : {Likelihood::gaussian, Likelihood::poisson,
                          Likelihood::nb, Likelihood::zinb}) {
        SCOPED_TRACE(name_of(lk));
        EXPECT_NO_THROW(nll_elements(lk, eta, lt, pl, sf, x));
        EXPECT_THROW(nll_elements(lk, eta, lt, pl, sf, z(g, n + 1)),
                     std::invalid_argument);
        EXPECT_THROW(nll_elements(lk, eta, lt, pl, sf, z(g + 1, n)),
                     std::invalid_argument);
    }
    for (Likelihood lk : kCountLikelihoods) {
        EXPECT_THROW(nll_elements(lk, eta, lt, pl, z(n, 1), x),
                     std::invalid_argument)
            << name_of(lk);
    }
    for (Likelihood lk : {Likelihood::nb, Likelihood::zinb}) {
        EXPECT_THROW(nll_elements(lk, eta, z(g, 2), pl, sf, x),
                     std::invalid_argument)
            << name_of(lk);
        EXPECT_THROW(nll_elements(lk, eta, z(g + 1, 1), pl, sf, x),
                     std::invalid_argument)
            << name_of(lk);
        // a dispersion the likelihood needs cannot be missing
        EXPECT_THROW(nll_elements(lk, eta, Tensor(), pl, sf, x),
                     std::invalid_argument)
            << name_of(lk);
    }
    EXPECT_THROW(nll_elements(Likelihood::zinb, eta, lt, z(g, 1), sf, x),
                 std::invalid_argument);
    EXPECT_THROW(nll_elements(Likelihood::zinb, eta, lt, Tensor(), sf, x),
                 std::invalid_argument);
}

TEST(Likelihood, Parse) {
    EXPECT_EQ(parse_likelihood("gaussian"), Likelihood::gaussian);
    EXPECT_EQ(parse_likelihood("poisson"), Likelihood::poisson);
    EXPECT_EQ(parse_likelihood("nb"), Likelihood::nb);
    EXPECT_EQ(parse_likelihood("zinb"), Likelihood::zinb);
    for (Likelihood lk : {Likelihood::gaussian, Likelihood::poisson,
                          Likelihood::nb, Likelihood::zinb})
        EXPECT_EQ(parse_likelihood(likelihood_name(lk)), lk);
    try {
        parse_likelihood("negbin");
        ADD_FAILURE() << "parse_likelihood(\"negbin\") did not throw";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("negbin"), std::string::npos)
            << e.what();
    }
}

// g genes x n samples of counts, a third of them 0.
void expect_count_parity(index_t g, index_t n) {
    Tensor counts = test::to_dtype(test::uniform(g, n, 0, 40, 26), DType::f32);
    for (index_t k = 0; k < counts.size(); ++k)
        counts.set(k, 0, k % 3 == 0 ? 0.0 : std::floor(counts.at(k)));
    Tensor sf = test::to_dtype(test::normal(1, n, 27, 0, 0.3), DType::f32);
    auto on = [](const Tensor& t, const Variable& like) {
        return t.to(like.value().device());
    };
    const double tol = test::kParityTolerance;
    Tensor eta = test::normal(g, n, 28, 1.0, 1.0);
    test::expect_op_parity("poisson_nll",
                           [&](const std::vector<Variable>& v) {
        return poisson_nll(v[0], on(sf, v[0]), on(counts, v[0]));
    }, {eta}, {true}, tol);
    for (index_t theta_cols : {index_t{1}, n}) {
        Tensor lt = test::normal(g, theta_cols, 29, 0.5, 1.0);
        test::expect_op_parity("nb_nll", [&](const std::vector<Variable>& v) {
            return nb_nll(v[0], v[1], on(sf, v[0]), on(counts, v[0]));
        }, {eta, lt}, {true, true}, tol);
        test::expect_op_parity("zinb_nll",
                               [&](const std::vector<Variable>& v) {
            return zinb_nll(v[0], v[1], v[2], on(sf, v[0]),
                            on(counts, v[0]));
        }, {eta, lt, test::normal(g, n, 30)}, {true, true, true}, tol);
    }
}

// 345 elements (2 blocks); 90,300, more than one pass of the NLL kernel's
// 256 x 256 grid.
TEST(CountNll, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    expect_count_parity(23, 15);
    expect_count_parity(300, 301);
}

}  // namespace
}  // namespace exprae
