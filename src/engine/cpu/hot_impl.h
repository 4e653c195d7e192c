// Bodies of the hot kernels, included by hot_generic.cpp and hot_avx2.cpp.
// The includer defines EXPRAE_HOT_NS, the namespace the copy lands in.
// hot_avx2.cpp also renames Eigen's namespace so that its AVX2 instances of
// Eigen's templates cannot be merged by the linker with the generic ones.
#include <Eigen/Core>
#include <cmath>

#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"

namespace exprae {
namespace cpu {
namespace EXPRAE_HOT_NS {

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

template <typename T>
void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k,
          T alpha, const T* a, index_t lda, const T* b, index_t ldb, T beta,
          T* c, index_t ldc) {
    Eigen::setNbThreads(num_threads());
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

template <typename T>
void adam_update(const AdamStep& s, index_t n, T* w, const T* g, T* m, T* v) {
    const T lr = T(s.lr), b1 = T(s.beta1), b2 = T(s.beta2), eps = T(s.eps);
    const T wd = T(s.weight_decay), scale = T(s.grad_scale);
    const T step = lr / T(s.bias1);
    const T inv_sqrt_bias2 = T(1) / std::sqrt(T(s.bias2));
    const T shrink = s.decoupled ? T(1) - lr * wd : T(1);
    const T l2 = s.decoupled ? T(0) : wd;
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        for (index_t i = lo; i < hi; ++i) {
            T gi = g[i] * scale + l2 * w[i];
            T mi = b1 * m[i] + (T(1) - b1) * gi;
            T vi = b2 * v[i] + (T(1) - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = shrink * w[i] - step * mi / (std::sqrt(vi) *
                                                inv_sqrt_bias2 + eps);
        }
    });
}

template <typename T>
void sgd_update(const SgdStep& s, index_t n, T* w, const T* g, T* velocity) {
    const T lr = T(s.lr), mu = T(s.momentum), wd = T(s.weight_decay);
    const T scale = T(s.grad_scale);
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        for (index_t i = lo; i < hi; ++i) {
            T gi = g[i] * scale + wd * w[i];
            T vi = mu * velocity[i] + gi;
            velocity[i] = vi;
            w[i] -= lr * vi;
        }
    });
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

}  // namespace EXPRAE_HOT_NS
}  // namespace cpu
}  // namespace exprae
