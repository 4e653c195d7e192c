// Bodies of the hot kernels, included by hot_generic.cpp, hot_avx2.cpp and
// hot_avx512.cpp. The includer defines EXPRAE_HOT_NS, the namespace the
// copy lands in. The AVX2 and AVX-512 units also rename Eigen's namespace
// so that their instances of Eigen's templates cannot be merged by the
// linker with the generic ones.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

#include "cpu/count_nll_columns.h"
#include "cpu/sparse_products.h"
#ifdef __AVX512F__
#include "cpu/gemm_avx512.h"
#endif
#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"
#include "optim/update_math.h"

namespace exprae {
namespace cpu {
namespace EXPRAE_HOT_NS {

// Makes this build's optimizer instances its own (optim/update_math.h).
struct HotBuild {};
template <typename T> using AdamK = AdamConstants<T, HotBuild>;
template <typename T> using SgdK = SgdConstants<T, HotBuild>;

template <typename T>
using MatMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>,
                          0, Eigen::OuterStride<>>;
template <typename T>
using ConstMatMap =
    Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>, 0,
               Eigen::OuterStride<>>;

template <typename T, typename OpA, typename OpB>
void gemm_product(const OpA& a, const OpB& b, T alpha, T beta, MatMap<T>& c) {
    if (beta == T(0)) {
        c.noalias() = alpha * a * b;
    } else {
        if (beta != T(1)) c *= beta;
        c.noalias() += alpha * a * b;
    }
}

// One single-threaded product: C (m x n) = alpha op(A) op(B) + beta C, by
// Eigen, or in float by our own kernel in the AVX-512 build where its
// blocks fit C (Eigen 3.3.9 has no AVX-512 GEMM that works:
// cpu/gemm_avx512.h).
template <typename T>
void gemm_serial(bool trans_a, bool trans_b, index_t m, index_t n, index_t k,
                 T alpha, const T* a, index_t lda, const T* b, index_t ldb,
                 T beta, T* c, index_t ldc) {
#ifdef __AVX512F__
    if constexpr (std::is_same<T, float>::value) {
        if (avx512_gemm::fits(m, n))
            return avx512_gemm::sgemm(trans_a, trans_b, m, n, k, alpha, a,
                                      lda, b, ldb, beta, c, ldc);
    }
#endif
    MatMap<T> C(c, m, n, Eigen::OuterStride<>(ldc));
    ConstMatMap<T> A(a, trans_a ? k : m, trans_a ? m : k,
                     Eigen::OuterStride<>(lda));
    ConstMatMap<T> B(b, trans_b ? n : k, trans_b ? k : n,
                     Eigen::OuterStride<>(ldb));
    if (!trans_a && !trans_b) gemm_product(A, B, alpha, beta, C);
    if (!trans_a && trans_b) gemm_product(A, B.transpose(), alpha, beta, C);
    if (trans_a && !trans_b) gemm_product(A.transpose(), B, alpha, beta, C);
    if (trans_a && trans_b)
        gemm_product(A.transpose(), B.transpose(), alpha, beta, C);
}

// Below this many flops a GEMM stays on one thread.
constexpr double kParallelGemmFlops = 4e6;

// A product whose inner dimension is long and whose result is small (a
// convolution's weight gradient: C is filters x taps, k positions x
// samples): each thread multiplies its share of k into a C of its own,
// and the shares are added in thread order, so the result is the same
// for a given thread count. Split by C's columns instead, every thread
// would pack the whole long left operand again.
template <typename T>
void gemm_split_k(bool trans_a, bool trans_b, index_t m, index_t n,
                  index_t k, T alpha, const T* a, index_t lda, const T* b,
                  index_t ldb, T beta, T* c, index_t ldc, int threads) {
    index_t chunk = (k + threads - 1) / threads;
    std::vector<T> part(static_cast<std::size_t>(m * n) * (threads - 1));
    parallel_for(threads, 0, [&](index_t t0, index_t t1) {
        for (index_t t = t0; t < t1; ++t) {
            index_t k0 = std::min(k, t * chunk);
            index_t kn = std::min(k, k0 + chunk) - k0;
            // columns k0.. of op(A), rows k0.. of op(B)
            const T* at = trans_a ? a + k0 : a + k0 * lda;
            const T* bt = trans_b ? b + k0 * ldb : b + k0;
            T* ct = t == 0 ? c : part.data() + m * n * (t - 1);
            index_t ld = t == 0 ? ldc : m;
            T bt_beta = t == 0 ? beta : T(0);
            if (kn == 0) {
                MatMap<T> C(ct, m, n, Eigen::OuterStride<>(ld));
                if (bt_beta == T(0)) C.setZero(); else C *= bt_beta;
                continue;
            }
            gemm_serial(trans_a, trans_b, m, n, kn, alpha, at, lda, bt, ldb,
                        bt_beta, ct, ld);
        }
    });
    for (int t = 1; t < threads; ++t) {
        const T* p = part.data() + m * n * (t - 1);
        for (index_t j = 0; j < n; ++j)
            for (index_t i = 0; i < m; ++i) c[i + ldc * j] += p[i + m * j];
    }
}

// Each thread computes its own block of C's columns with a single-threaded
// product. Measured against Eigen's own threading (bench/prototypes/
// gemm_split.cpp): as fast on a quiet machine, 1.4-2.8x faster when another
// process holds a core, since no thread spin-waits inside Eigen.
template <typename T>
void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k,
          T alpha, const T* a, index_t lda, const T* b, index_t ldb, T beta,
          T* c, index_t ldc) {
    Eigen::setNbThreads(1);
    double flops = 2.0 * static_cast<double>(m) * n * k;
    int threads = num_threads();
    if (threads > 1 && flops >= kParallelGemmFlops &&
        k >= 8 * std::max(m, n)) {
        return gemm_split_k(trans_a, trans_b, m, n, k, alpha, a, lda, b,
                            ldb, beta, c, ldc, threads);
    }
    index_t grain = flops >= kParallelGemmFlops ? 8 : n;
    parallel_for(n, grain, [&](index_t lo, index_t hi) {
        // Columns lo..hi of op(B): columns of B, or rows of B transposed.
        const T* b_block = trans_b ? b + lo : b + lo * ldb;
        gemm_serial(trans_a, trans_b, m, hi - lo, k, alpha, a, lda, b_block,
                    ldb, beta, c + lo * ldc, ldc);
    });
}

// Adam's per-element update on [lo, hi) (optim/update_math.h).
template <typename T>
AdamK<T> adam_constants(const AdamStep& s) {
    return AdamK<T>(s.lr, s.beta1, s.beta2, s.eps, s.weight_decay,
                            s.decoupled, s.bias1, s.bias2, s.grad_scale);
}

template <typename T>
void adam_scalar(const AdamK<T>& k, index_t lo, index_t hi, T* w,
                 const T* g, T* m, T* v) {
    for (index_t i = lo; i < hi; ++i) k.apply(w[i], g[i], m[i], v[i]);
}

// Eight floats at a time where AVX2/FMA is compiled in: the scalar loop
// does not vectorise because std::sqrt must be able to set errno.
inline index_t adam_vector(const AdamK<float>& k, index_t lo,
                           index_t hi, float* w, const float* g, float* m,
                           float* v) {
#if defined(__AVX2__) && defined(__FMA__)
    const __m256 b1 = _mm256_set1_ps(k.b1), b2 = _mm256_set1_ps(k.b2);
    const __m256 c1 = _mm256_set1_ps(k.c1), c2 = _mm256_set1_ps(k.c2);
    const __m256 eps = _mm256_set1_ps(k.eps), l2 = _mm256_set1_ps(k.l2);
    const __m256 scale = _mm256_set1_ps(k.scale);
    const __m256 step = _mm256_set1_ps(k.step);
    const __m256 isb2 = _mm256_set1_ps(k.inv_sqrt_bias2);
    const __m256 shrink = _mm256_set1_ps(k.shrink);
    for (; lo + 8 <= hi; lo += 8) {
        __m256 wi = _mm256_loadu_ps(w + lo);
        __m256 gi = _mm256_fmadd_ps(_mm256_loadu_ps(g + lo), scale,
                                    _mm256_mul_ps(l2, wi));
        __m256 mi = _mm256_fmadd_ps(b1, _mm256_loadu_ps(m + lo),
                                    _mm256_mul_ps(c1, gi));
        __m256 vi = _mm256_fmadd_ps(b2, _mm256_loadu_ps(v + lo),
                                    _mm256_mul_ps(c2, _mm256_mul_ps(gi, gi)));
        _mm256_storeu_ps(m + lo, mi);
        _mm256_storeu_ps(v + lo, vi);
        __m256 den = _mm256_fmadd_ps(_mm256_sqrt_ps(vi), isb2, eps);
        __m256 upd = _mm256_div_ps(_mm256_mul_ps(step, mi), den);
        _mm256_storeu_ps(w + lo, _mm256_fmsub_ps(shrink, wi, upd));
    }
#else
    (void)k, (void)hi, (void)w, (void)g, (void)m, (void)v;
#endif
    return lo;
}

inline index_t adam_vector(const AdamK<double>&, index_t lo, index_t,
                           double*, const double*, double*, double*) {
    return lo;
}

template <typename T>
void adam_update(const AdamStep& s, index_t n, T* w, const T* g, T* m, T* v) {
    const AdamK<T> k = adam_constants<T>(s);
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        lo = adam_vector(k, lo, hi, w, g, m, v);
        adam_scalar(k, lo, hi, w, g, m, v);
    });
}

template <typename T>
void sgd_update(const SgdStep& s, index_t n, T* w, const T* g, T* velocity) {
    const SgdK<T> k(s.lr, s.momentum, s.weight_decay, s.grad_scale);
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        for (index_t i = lo; i < hi; ++i) k.apply(w[i], g[i], velocity[i]);
    });
}

// log1p of a column of counts, standardised. Four or eight at a time where
// AVX2 or AVX-512 is compiled in (cpu/simd_math.h); zeros, which most
// counts are, need no call in the scalar loop.
template <typename T>
void log1p_standardize(index_t n, const double* x, double a,
                       const double* center, const double* inv_scale,
                       T* out) {
    index_t r = 0;
#if defined(__AVX2__) && defined(__FMA__)
    const simd::V va = simd::set(a), zero = simd::set(0.0);
    const simd::V max_value = simd::set(1e300);
    for (; r + simd::kLanes <= n; r += simd::kLanes) {
        simd::V u = simd::mul(simd::load(x + r), va);
        // x >= 0 and finite: the vector log1p; else the scalar loop below
        if (!simd::all(simd::both(simd::less_equal(zero, u),
                                  simd::less_equal(u, max_value))))
            break;
        simd::V y = simd::log1p(u);
        if (center) y = simd::sub(y, simd::load(center + r));
        if (inv_scale) y = simd::mul(y, simd::load(inv_scale + r));
        simd::store(out + r, y);
    }
#endif
    for (; r < n; ++r) {
        double y = x[r] == 0 ? 0.0 : std::log1p(x[r] * a);
        if (center) y -= center[r];
        if (inv_scale) y *= inv_scale[r];
        out[r] = T(y);
    }
}

// Instantiations for both precisions.
template void gemm<float>(bool, bool, index_t, index_t, index_t, float,
                          const float*, index_t, const float*, index_t, float,
                          float*, index_t);
template void gemm<double>(bool, bool, index_t, index_t, index_t, double,
                           const double*, index_t, const double*, index_t,
                           double, double*, index_t);
template void adam_update<float>(const AdamStep&, index_t, float*,
                                 const float*, float*, float*);
template void adam_update<double>(const AdamStep&, index_t, double*,
                                  const double*, double*, double*);
template void sgd_update<float>(const SgdStep&, index_t, float*, const float*,
                                float*);
template void sgd_update<double>(const SgdStep&, index_t, double*,
                                 const double*, double*);

template void sparse_product<float>(const float*, index_t,
                                   const SparseColumns&, index_t, index_t,
                                   float*, index_t);
template void sparse_product<double>(const double*, index_t,
                                    const SparseColumns&, index_t, index_t,
                                    double*, index_t);
template void sparse_product_t<float>(const float*, index_t,
                                     const SparseColumns&, index_t, index_t,
                                     bool, float*, index_t);
template void sparse_product_t<double>(const double*, index_t,
                                      const SparseColumns&, index_t,
                                      index_t, bool, double*, index_t);
template void log1p_standardize<float>(index_t, const double*, double,
                                      const double*, const double*, float*);
template void log1p_standardize<double>(index_t, const double*, double,
                                       const double*, const double*,
                                       double*);
template void count_nll_columns<float>(Likelihood,
                                      const nll::CountNllArgs<float>&,
                                      index_t, index_t, double*);
template void count_nll_columns<double>(Likelihood,
                                       const nll::CountNllArgs<double>&,
                                       index_t, index_t, double*);

}  // namespace EXPRAE_HOT_NS
}  // namespace cpu
}  // namespace exprae
