// The launchers of the CUDA kernels (defined in the .cu files of this
// folder), called by the CUDA backend (cuda/backend.cpp). Plain C++: all
// pointers are device pointers to float32 data unless a name says
// otherwise; every launcher runs on `stream` and checks its launch.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "backend/backend.h"
#include "ops/count_nll_math.h"

namespace exprae {
namespace cuda {

// ---- elementwise.cu ------------------------------------------------------
void unary_forward(const Unary& f, index_t n, const float* x, float* y,
                   cudaStream_t stream);
void unary_backward(const Unary& f, index_t n, const float* x,
                    const float* y, const float* dy, float* dx, bool acc,
                    cudaStream_t stream);
// out (+)= alpha * s[0] * a; s null means 1
void axpy(index_t n, float alpha, const float* s, const float* a, float* out,
          bool acc, cudaStream_t stream);
void multiply(index_t n, const float* a, const float* b, float* out,
              bool acc, cudaStream_t stream);
// out (+)= value * s[0]; s null means 1
void fill(index_t n, float value, const float* s, float* out, bool acc,
          cudaStream_t stream);
void bias_activation(const Unary& f, index_t rows, index_t cols,
                     const float* b, float* z, float* y, cudaStream_t stream);
void copy_rows(index_t whole_rows, index_t part_rows, index_t cols,
               index_t offset, float* whole, float* part, bool to_part,
               bool acc, cudaStream_t stream);
void dropout_mask(std::uint64_t seed, std::uint64_t counter, double rate,
                  index_t n, float* mask, cudaStream_t stream);
void normal(std::uint64_t seed, std::uint64_t stream_id, std::uint64_t base,
            index_t n, float* out, cudaStream_t stream);
// dp (+)= factor * dy[0] * (p - t)
void squared_error_backward(index_t n, float factor, const float* dy,
                            const float* p, const float* t, float* dp,
                            bool acc, cudaStream_t stream);
// dlv (+)= factor * dy[0] * 0.5 * (exp(lv) - 1)
void kl_logvar_backward(index_t n, float factor, const float* dy,
                        const float* lv, float* dlv, bool acc,
                        cudaStream_t stream);

// ---- reduce.cu -----------------------------------------------------------
// out (rows x 1) (+)= sum over the columns of x (rows x cols), in double
void row_sums(index_t rows, index_t cols, const float* x, float* out,
              bool acc, cudaStream_t stream);
// What reduce_sum() adds up over i < n.
enum class SumOf { values, squared_error, kl, squares };
// out = factor * sum(term(a[i], b[i])) in double, deterministic (a fixed
// grid, partial sums in `scratch`, kReduceBlocks doubles, then one block);
// the result goes to out_f32 or out_f64, whichever is not null.
constexpr int kReduceBlocks = 256;
void reduce_sum(SumOf what, index_t n, const float* a, const float* b,
                double factor, float* out_f32, double* out_f64,
                double* scratch, cudaStream_t stream);
// The second phase alone: out = factor * sum(scratch[0..blocks)).
void finish_sum(int blocks, const double* scratch, double factor,
                float* out_f32, double* out_f64, cudaStream_t stream);

// ---- norm.cu -------------------------------------------------------------
void batch_norm_forward(index_t rows, index_t cols, const float* x,
                        const float* gamma, const float* beta, float* rm,
                        float* rv, bool training, double momentum, double eps,
                        float* inv_std, float* xhat, float* y,
                        cudaStream_t stream);
void batch_norm_backward(index_t rows, index_t cols, const float* dy,
                         const float* xhat, const float* inv_std,
                         const float* gamma, bool batch_stats, float* dx,
                         bool acc_dx, float* dgamma, bool acc_gamma,
                         float* dbeta, bool acc_beta, cudaStream_t stream);
void layer_norm_forward(index_t rows, index_t cols, const float* x,
                        const float* gamma, const float* beta, double eps,
                        float* xhat, float* inv_std, float* y,
                        cudaStream_t stream);
void layer_norm_backward_input(index_t rows, index_t cols, const float* dy,
                               const float* xhat, const float* inv_std,
                               const float* gamma, float* dx, bool acc,
                               cudaStream_t stream);

// ---- count_nll.cu --------------------------------------------------------
// out = mean element NLL (partial sums in scratch, kReduceBlocks doubles)
void count_nll(Likelihood lk, const nll::CountNllArgs<float>& p,
               float* out,
               double* scratch, cudaStream_t stream);

// ---- optimizer.cu --------------------------------------------------------
// One fused update of n weights; with sumsq (a device double, the
// gradient's squared norm) and s.clip_norm > 0 the gradient is first
// scaled down to that norm.
void optimizer_update(const UpdateStep& s, index_t n, float* w,
                      const float* g, float* m, float* v,
                      const double* sumsq, cudaStream_t stream);

}  // namespace cuda
}  // namespace exprae
