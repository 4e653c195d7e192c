// The kernels that dominate a training step: GEMM and the fused optimizer
// updates. They are compiled up to three times, with the compiler's
// defaults, with -mavx2 -mfma (hot_avx2.cpp) and with AVX-512
// (hot_avx512.cpp), and picked at run time by a CPU-feature check, because
// R builds packages without -march and Eigen then only uses SSE2 (64 vs
// 179 GFLOP/s for sgemm on the project machine).
#pragma once

#include "math/count_nll.h"
#include "tensor/sparse_columns.h"
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

// Products with a sparse block s (k x n, its offset not included), for
// rows r0..r1 of the result, so that threads can split the rows:
//   z (m x n) = w (m x k) s               (sparse_product)
//   dw (m x k) = dz (m x n) s^T [+ dw]    (sparse_product_t; acc adds)
template <typename T>
void sparse_product(const T* w, index_t ldw, const SparseColumns& s,
                    index_t r0, index_t r1, T* z, index_t ldz);
template <typename T>
void sparse_product_t(const T* dz, index_t lddz, const SparseColumns& s,
                      index_t r0, index_t r1, bool acc, T* dw,
                      index_t lddw);

// out[r] = (log1p(x[r] * a) - center[r]) * inv_scale[r] for r < n: one
// column of counts as a count model's encoder reads it
// (train/data_source.cpp); null center and inv_scale stand for 0 and 1.
// x >= 0 is expected; other values get the scalar std::log1p.
template <typename T>
void log1p_standardize(index_t n, const double* x, double a,
                       const double* center, const double* inv_scale,
                       T* out);

// The count likelihoods' pass (ops/count_nll.h) over columns lo..hi:
// col_sum[j] = column j's sum of element NLLs; the requested outputs are
// written (cpu/count_nll_columns.h).
template <typename T>
void count_nll_columns(Likelihood lk, const nll::CountNllArgs<T>& a,
                       index_t lo, index_t hi, double* col_sum);

// The same for rows i0..i1 of column j, element by element with the scalar
// math of math/count_nll.h (in cpu/count_nll.cpp, built without -mavx2:
// the AVX2 kernel hands it what it does not cover).
template <typename T>
double count_nll_span(Likelihood lk, const nll::CountNllArgs<T>& a,
                      index_t j, index_t i0, index_t i1);

// True on AMD CPUs that run AVX-512 on 256-bit units (before Zen 5): there
// the dispatcher picks the AVX2 set unless EXPRAE_CPU_KERNELS=avx512.
bool amd_avx512_half_width();

// The CPU family from CPUID leaf 1's EAX (the extended family added to a
// base family of 0xF): 0x19 for Zen 3 and 4, 0x1A for Zen 5.
unsigned cpuid_family(unsigned eax);

// "avx512", "avx2+fma" or "generic": which compiled set the dispatcher
// chose.
const char* hot_kernel_set();

}  // namespace cpu
}  // namespace exprae
