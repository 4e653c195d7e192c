// The kernels that dominate a training step: GEMM and the fused optimizer
// updates. They are compiled twice, once with the compiler's defaults and
// once with -mavx2 -mfma (hot_avx2.cpp), and picked at run time by a
// CPU-feature check, because R builds packages without -march and Eigen
// then only uses SSE2 (64 vs 179 GFLOP/s for sgemm on the project machine).
#pragma once

#include "tensor/tensor.h"

namespace exprae {
namespace cpu {

// One fused update of the whole parameter block.
struct AdamStep {
    double lr;
    double beta1;
    double beta2;
    double eps;
    double weight_decay;
    bool decoupled;      // AdamW: decay the weights, not the gradient
    double bias1;        // 1 - beta1^t
    double bias2;        // 1 - beta2^t
    double grad_scale;   // < 1 when gradient clipping applies
};

struct SgdStep {
    double lr;
    double momentum;
    double weight_decay;
    double grad_scale;
};

// C = alpha * op(A) op(B) + beta * C, column-major, BLAS conventions:
// op(A) is m x k, op(B) is k x n, C is m x n.
template <typename T>
void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k,
          T alpha, const T* a, index_t lda, const T* b, index_t ldb, T beta,
          T* c, index_t ldc);

template <typename T>
void adam_update(const AdamStep& s, index_t n, T* w, const T* g, T* m, T* v);

template <typename T>
void sgd_update(const SgdStep& s, index_t n, T* w, const T* g, T* velocity);

// "avx2+fma" or "generic": which compiled set the dispatcher chose.
const char* hot_kernel_set();

}  // namespace cpu
}  // namespace exprae
