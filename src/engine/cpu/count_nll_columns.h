// The count likelihoods' pass over columns lo..hi of a genes x n block
// (ops/count_nll.h), one of the hot kernels (included by
// hot_kernels_impl.h, so compiled once per instruction set). The generic
// build runs the element math of math/count_nll.h element by element. The
// AVX2 build runs the same formulas on four elements at a time, the
// AVX-512 build on eight, in double (cpu/simd_math.h): the scalar code
// spends 35-70 ns an element in exp, log and the Gamma terms, as much as
// the network's GEMMs. Groups that leave its range (a huge mean or
// dispersion, a count that is not an integer below 1024, a ZINB zero whose
// probability is below 1e-300, a NaN) and the last rows of a column go to
// the scalar code, element by element, through count_nll_span() in a
// generic unit.
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include "cpu/hot_kernels.h"
#include "cpu/simd_math.h"

namespace exprae {
namespace cpu {
namespace EXPRAE_HOT_NS {

#if defined(__AVX2__) && defined(__FMA__)
namespace nll_vec {

using namespace simd;

// The fast range: |lm| <= 700 (exp stays normal), dispersion e^-20..e^20
// (beyond, Gamma differences cancel: the scalar code takes its own path).
constexpr double kMaxLogMean = 700, kMaxLogTheta = 20;

// theta and, when known, its Gamma terms: once per gene, or (one
// dispersion per element) only for a group whose counts need them.
struct Theta {
    V theta, lgamma, digamma;
    bool has_gamma = false;
};

inline Theta theta_terms(V lt, bool with_gamma) {
    Theta t;
    V clamped = max(set(-kMaxLogTheta), min(lt, set(kMaxLogTheta)));
    t.theta = exp(clamped);
    if (with_gamma) log_gamma_digamma(t.theta, t.lgamma, t.digamma);
    t.has_gamma = with_gamma;
    return t;
}

// What every likelihood of one group needs, and what it returns.
struct Group {
    V x, lm, lt, g;
    M nonzero;  // x > 0
    Theta th;
};

struct Out {
    V nll, d_lm, d_lt, d_g;
};

// Counts that are integers in [0, 1024), where log(x!) is a table look-up.
inline M table_counts(V x) {
    M whole = equal(x, truncate(x));
    M in_table = both(less_equal(set(0.0), x),
                      less(x, set(nll::kLogFactorialTable)));
    return both(whole, in_table);
}

inline V log_factorial(V x) {
    return look_up(nll::log_factorial_table(), x);
}

inline Out poisson(const Group& q) {
    Out o;
    V mu = exp(q.lm);
    o.nll = add(fnma(q.x, q.lm, mu), log_factorial(q.x));
    o.d_lm = sub(mu, q.x);
    return o;
}

// math/count_nll.h's NbTerms on the fast range.
struct NbTerms {
    V log_tm, w_theta, w_mu, inv_tm;
    NbTerms(V lm, V theta) {
        V mu = exp(lm), tm = add(theta, mu);
        log_tm = log(tm);
        inv_tm = div(set(1.0), tm);
        w_theta = mul(theta, inv_tm);
        w_mu = mul(mu, inv_tm);
    }
};

// log Gamma(x + theta) - log Gamma(theta) and the digamma difference for
// a group whose counts are all at most kSmallCount: the log of the product
// theta (theta + 1) ... (theta + x - 1) and the sum of the reciprocals (one
// fraction), as math/count_nll.h's gamma_differences does for small counts:
// a few multiplications instead of two Stirling series (most counts in
// single-cell data are this small).
constexpr double kSmallCount = 16;

inline void small_gamma_differences(V x, V theta, V& lg, V& dg) {
    const V one = set(1.0);
    V product = one, num = set(0.0), den = one, k = set(0.0);
    for (;;) {
        M active = less(k, x);
        if (!any(active)) break;
        V t = add(theta, k);
        num = select(active, fma(num, t, den), num);
        den = select(active, mul(den, t), den);
        product = select(active, mul(product, t), product);
        k = add(k, one);
    }
    lg = log(product);
    dg = div(num, den);
}

// math/count_nll.h's nb_element. Where x = 0 the Gamma differences and
// log(x!) are zero, as there; a group of zeros skips them.
inline Out nb(const Group& q, const NbTerms& t) {
    V lg = set(0.0), dg = set(0.0), lf = set(0.0);
    if (any(q.nonzero)) {
        if (all(less_equal(q.x, set(kSmallCount)))) {
            small_gamma_differences(q.x, q.th.theta, lg, dg);
        } else {
            V lgz, dgz, lgt = q.th.lgamma, dgt = q.th.digamma;
            log_gamma_digamma(add(q.x, q.th.theta), lgz, dgz);
            if (!q.th.has_gamma) log_gamma_digamma(q.th.theta, lgt, dgt);
            lg = keep(q.nonzero, sub(lgz, lgt));
            dg = keep(q.nonzero, sub(dgz, dgt));
        }
        lf = log_factorial(q.x);
    }
    V theta = q.th.theta;
    V lt_ltm = sub(q.lt, t.log_tm);
    Out o;
    V ll = add(sub(lg, lf), fma(theta, lt_ltm, mul(q.x, sub(q.lm, t.log_tm))));
    o.nll = sub(set(0.0), ll);
    o.d_lm = fms(theta, t.w_mu, mul(q.x, t.w_theta));
    V inner = add(add(dg, lt_ltm), fnma(q.x, t.inv_tm, t.w_mu));
    o.d_lt = mul(sub(set(0.0), theta), inner);
    return o;
}

// math/count_nll.h's zinb_element. False (nothing written) when a zero's
// NB(0) (1 - pi) is too small for the fast form: the scalar code then
// works in log space.
inline bool zinb(const Group& q, Out& o) {
    NbTerms t(q.lm, q.th.theta);
    V e_neg = exp(sub(set(0.0), abs(q.g)));
    V log_1mpi = sub(set(0.0), add(max(q.g, set(0.0)), log1p(e_neg)));
    V inv_1pe = div(set(1.0), add(set(1.0), e_neg));
    V pi = select(less_equal(set(0.0), q.g), inv_1pe, mul(e_neg, inv_1pe));
    // x > 0: the NB element, times (1 - pi)
    Out pos = nb(q, t);
    // x = 0: pi + (1 - pi) NB(0)
    V theta = q.th.theta, lt_ltm = sub(q.lt, t.log_tm);
    V b = fma(theta, lt_ltm, log_1mpi);    // log((1 - pi) NB(0))
    if (any(both(negate(q.nonzero), less(b, set(-690.0))))) return false;
    V eb = exp(max(b, set(-700.0)));
    V mix = add(pi, eb), inv_mix = div(set(1.0), mix);
    V w_a = mul(pi, inv_mix), w_b = mul(eb, inv_mix);
    V w_b_theta = mul(w_b, theta);
    o.nll = select(q.nonzero, add(pos.nll, sub(set(0.0), log_1mpi)),
                   sub(set(0.0), log(mix)));
    V d_g0 = fms(w_b, pi, mul(w_a, sub(set(1.0), pi)));
    o.d_g = select(q.nonzero, pi, d_g0);
    o.d_lm = select(q.nonzero, pos.d_lm, mul(w_b_theta, t.w_mu));
    V d_lt0 = mul(sub(set(0.0), w_b_theta), add(lt_ltm, t.w_mu));
    o.d_lt = select(q.nonzero, pos.d_lt, d_lt0);
    return true;
}

// Per-gene theta terms for a pass with one dispersion per gene; padded to
// a multiple of the lanes.
struct GeneThetas {
    std::vector<double> theta, lgamma, digamma;
    template <typename T>
    GeneThetas(const T* lt, index_t rows) {
        index_t padded = (rows + kLanes - 1) / kLanes * kLanes;
        std::vector<double> lt_pad(padded, 0.0);
        for (index_t i = 0; i < rows; ++i) lt_pad[i] = lt[i];
        theta.resize(padded);
        lgamma.resize(padded);
        digamma.resize(padded);
        for (index_t i = 0; i < padded; i += kLanes) {
            Theta t = theta_terms(load(lt_pad.data() + i), true);
            store(theta.data() + i, t.theta);
            store(lgamma.data() + i, t.lgamma);
            store(digamma.data() + i, t.digamma);
        }
    }
};

// Column j's sum of element NLLs, outputs written.
template <typename T>
double column(Likelihood lk, const nll::CountNllArgs<T>& a,
              const GeneThetas* genes, index_t j) {
    const std::int64_t base = j * a.rows;
    const V off = set(a.log_sf ? static_cast<double>(a.log_sf[j]) : 0.0);
    const bool uses_theta = lk != Likelihood::poisson;
    V acc = set(0.0);
    double rest = 0.0;
    index_t i = 0;
    for (; i + kLanes <= a.rows; i += kLanes) {
        const std::int64_t k = base + i;
        Group q;
        q.x = load(a.x + k);
        q.lm = add(load(a.eta + k), off);
        M ok = both(table_counts(q.x),
                    less_equal(abs(q.lm), set(kMaxLogMean)));
        if (uses_theta) {
            q.lt = load(a.log_theta + (a.theta_per_gene ? i : k));
            ok = both(ok, less_equal(abs(q.lt), set(kMaxLogTheta)));
        }
        if (lk == Likelihood::zinb) {
            q.g = load(a.pi_logit + k);
            ok = both(ok, less_equal(abs(q.g), set(kMaxLogMean)));
        }
        Out o;
        bool done = all(ok);
        if (done) {
            q.nonzero = not_equal(q.x, set(0.0));
            if (uses_theta && genes) {
                q.th = {load(genes->theta.data() + i),
                        load(genes->lgamma.data() + i),
                        load(genes->digamma.data() + i), true};
            } else if (uses_theta) {
                q.th = theta_terms(q.lt, false);
            }
            if (lk == Likelihood::poisson) o = poisson(q);
            else if (lk == Likelihood::nb) o = nb(q, NbTerms(q.lm, q.th.theta));
            else done = zinb(q, o);
        }
        if (!done) {
            rest += count_nll_span(lk, a, j, i, i + kLanes);
            continue;
        }
        acc = add(acc, o.nll);
        if (a.elements) store(a.elements + k, o.nll);
        if (a.d_eta) store(a.d_eta + k, o.d_lm);
        if (a.d_log_theta) store(a.d_log_theta + k, o.d_lt);
        if (a.d_pi_logit) store(a.d_pi_logit + k, o.d_g);
    }
    if (i < a.rows) rest += count_nll_span(lk, a, j, i, a.rows);
    return sum(acc) + rest;
}

}  // namespace nll_vec
#endif

template <typename T>
void count_nll_columns(Likelihood lk, const nll::CountNllArgs<T>& a,
                       index_t lo, index_t hi, double* col_sum) {
#if defined(__AVX2__) && defined(__FMA__)
    if (lk != Likelihood::gaussian) {
        std::optional<nll_vec::GeneThetas> genes;
        if (lk != Likelihood::poisson && a.theta_per_gene)
            genes.emplace(a.log_theta, a.rows);
        for (index_t j = lo; j < hi; ++j) {
            col_sum[j] = nll_vec::column(lk, a, genes ? &*genes : nullptr,
                                         j);
        }
        return;
    }
#endif
    for (index_t j = lo; j < hi; ++j)
        col_sum[j] = count_nll_span(lk, a, j, 0, a.rows);
}

}  // namespace EXPRAE_HOT_NS
}  // namespace cpu
}  // namespace exprae
