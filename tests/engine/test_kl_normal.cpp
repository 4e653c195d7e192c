// kl_normal: KL(N(mu, exp(logvar)) || N(0, 1)) summed over the rows (latent
// dimensions) and averaged over the columns (samples) -> 1 x 1:
//   0.5 * sum(exp(lv) + mu^2 - 1 - lv) / n
#include <cmath>

#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

Variable kl_of(const std::vector<Variable>& v) {
    return kl_normal(v[0], v[1]);
}

double kl_ref(const Tensor& mu, const Tensor& lv) {
    long double total = 0;
    for (index_t k = 0; k < mu.size(); ++k) {
        long double m = mu.at(k), v = lv.at(k);
        total += std::exp(v) + m * m - 1 - v;
    }
    return static_cast<double>(0.5L * total / mu.cols());
}

TEST(KlNormal, ForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor mu = test::normal(4, 9, 1, 0, 1.5, dt);
        Tensor lv = test::uniform(4, 9, -4.0, 2.0, 2, dt);
        Variable y = kl_normal(Variable(mu), Variable(lv));
        ASSERT_EQ(y.value().rows(), 1);
        ASSERT_EQ(y.value().cols(), 1);
        ASSERT_EQ(y.value().dtype(), dt);
        double ref = kl_ref(mu, lv);  // from the (rounded) inputs of dtype dt
        EXPECT_NEAR(y.value().at(0), ref,
                    (dt == DType::f64 ? 1e-12 : 1e-6) * std::max(1.0, ref))
            << dtype_name(dt);
    }
}

TEST(KlNormal, Float32MatchesFloat64) {
    Tensor mu = test::to_dtype(test::normal(6, 7, 3, 0, 2.0), DType::f32);
    Tensor lv = test::to_dtype(test::uniform(6, 7, -6.0, 3.0, 4), DType::f32);
    double y32 = kl_normal(Variable(mu), Variable(lv)).value().at(0);
    double y64 = kl_normal(Variable(test::to_dtype(mu, DType::f64)),
                           Variable(test::to_dtype(lv, DType::f64)))
                     .value()
                     .at(0);
    EXPECT_LE(std::abs(y32 - y64) / std::max(1.0, std::abs(y64)), 1e-5)
        << "float32 " << y32 << ", float64 " << y64;
}

TEST(KlNormal, HandComputedValues) {
    // the prior itself: 0
    EXPECT_DOUBLE_EQ(kl_normal(Variable(Tensor::zeros(3, 4, DType::f64)),
                               Variable(Tensor::zeros(3, 4, DType::f64)))
                         .value()
                         .at(0),
                     0.0);
    // 2 latent rows x 2 samples, column-major:
    //   sample 1: mu (1, 2), lv (0, log 2): (1 + 1 - 1 - 0) + (2 + 4 - 1 -
    //   log 2) = 6 - log 2;  sample 2: mu (0, -1), lv (0, 0): 0 + 1 = 1
    //   0.5 * (7 - log 2) / 2 samples
    Tensor mu = test::from_values(2, 2, {1.0, 2.0, 0.0, -1.0});
    Tensor lv = test::from_values(2, 2, {0.0, std::log(2.0), 0.0, 0.0});
    EXPECT_NEAR(kl_normal(Variable(mu), Variable(lv)).value().at(0),
                0.25 * (7.0 - std::log(2.0)), 1e-15);
    // rows are summed, columns averaged: only the number of columns divides
    Tensor mu_t = test::from_values(2, 2, {1.0, 0.0, 2.0, -1.0});
    Tensor lv_t = test::from_values(2, 2, {0.0, 0.0, std::log(2.0), 0.0});
    EXPECT_NEAR(kl_normal(Variable(mu_t), Variable(lv_t)).value().at(0),
                0.25 * (7.0 - std::log(2.0)), 1e-15);
    Tensor mu_col = test::from_values(4, 1, {1.0, 2.0, 0.0, -1.0});
    Tensor lv_col = test::from_values(4, 1, {0.0, std::log(2.0), 0.0, 0.0});
    EXPECT_NEAR(kl_normal(Variable(mu_col), Variable(lv_col)).value().at(0),
                0.5 * (7.0 - std::log(2.0)), 1e-15);
    Tensor mu_row = test::from_values(1, 4, {1.0, 2.0, 0.0, -1.0});
    Tensor lv_row = test::from_values(1, 4, {0.0, std::log(2.0), 0.0, 0.0});
    EXPECT_NEAR(kl_normal(Variable(mu_row), Variable(lv_row)).value().at(0),
                0.125 * (7.0 - std::log(2.0)), 1e-15);
}

TEST(KlNormal, NonNegative) {
    for (std::uint64_t seed : {10, 11, 12}) {
        Tensor mu = test::normal(5, 6, seed, 0, 0.1);
        Tensor lv = test::normal(5, 6, seed + 100, 0, 0.1);
        EXPECT_GE(kl_normal(Variable(mu), Variable(lv)).value().at(0), 0.0);
    }
}

TEST(KlNormal, Gradcheck) {
    expect_gradcheck("kl_normal", kl_of,
                     {test::normal(4, 6, 21), test::uniform(4, 6, -3, 2, 22)},
                     {true, true});
}

TEST(KlNormal, GradcheckOneInputAtATime) {
    std::vector<Tensor> in = {test::normal(3, 5, 23),
                              test::uniform(3, 5, -3, 2, 24)};
    expect_gradcheck("kl_normal (mu only)", kl_of, in, {true, false});
    expect_gradcheck("kl_normal (logvar only)", kl_of, in, {false, true});
}

TEST(KlNormal, GradientIsTheFormula) {
    // dKL/dmu = mu / n, dKL/dlv = 0.5 (exp(lv) - 1) / n
    const index_t n = 5;
    Variable mu(test::normal(3, n, 25), true);
    Variable lv(test::uniform(3, n, -2, 2, 26), true);
    Tape::current().backward(kl_normal(mu, lv));
    test::expect_matches(
        mu.grad(), [&](index_t i, index_t j) { return mu.value().at(i, j) / n; },
        1e-14, "dmu");
    test::expect_matches(
        lv.grad(),
        [&](index_t i, index_t j) {
            return 0.5 * (std::exp(lv.value().at(i, j)) - 1.0) / n;
        },
        1e-14, "dlogvar");
}

TEST(KlNormal, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        kl_of, {test::normal(4, 5, 27), test::uniform(4, 5, -3, 2, 28)},
        {true, true});
}

TEST(KlNormal, ShapeErrorsThrow) {
    Variable mu(Tensor::zeros(4, 5, DType::f64));
    EXPECT_NO_THROW(kl_normal(mu, Variable(Tensor::zeros(4, 5, DType::f64))));
    EXPECT_THROW(kl_normal(mu, Variable(Tensor::zeros(5, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(kl_normal(mu, Variable(Tensor::zeros(4, 1, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(kl_normal(mu, Variable(Tensor::zeros(3, 5, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(kl_normal(mu, Variable(Tensor::zeros(4, 5, DType::f32))),
                 std::invalid_argument);
}

TEST(KlNormal, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("kl_normal", kl_of,
                           {test::normal(5, 40, 31),
                            test::normal(5, 40, 32, 0.0, 0.5)},
                           {true, true}, test::kParityTolerance);
    test::expect_op_parity("kl_normal (large)", kl_of,
                           {test::normal(1201, 1901, 41),
                            test::normal(1201, 1901, 44, 0.0, 0.5)},
                           {true, true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
