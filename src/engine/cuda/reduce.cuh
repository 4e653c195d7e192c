// Sums over a flat range, for the kernels of any op: accumulated in double
// as the CPU does, and deterministic (a fixed grid, per-block sums in the
// context's scratch array, then one block). An op gives the term of
// element i as a functor:
//   struct Term { __device__ double operator()(index_t i) const; };
//   reduce_sum(n, Term{...}, factor, out_f32, out_f64, stream);
#pragma once

#include <algorithm>

#include "cuda/context.h"
#include "cuda/launch.cuh"

namespace exprae {
namespace cuda {

// scratch[block] = sum of term(i) over this block's share of [0, n)
template <typename Term>
__global__ void partial_sums_kernel(Term term, index_t n, double* scratch) {
    double total = 0.0;
    EXPRAE_GRID_STRIDE(i, n) total += term(i);
    total = block_sum(total);
    if (threadIdx.x == 0) scratch[blockIdx.x] = total;
}

// The second phase (cuda/reduce.cu): out = factor * sum(scratch[0..blocks))
// into out_f32 or out_f64, whichever is not null.
void finish_sum(int blocks, const double* scratch, double factor,
                float* out_f32, double* out_f64, cudaStream_t stream);

// out = factor * sum over i < n of term(i)
template <typename Term>
void reduce_sum(index_t n, Term term, double factor, float* out_f32,
                double* out_f64, cudaStream_t stream) {
    double* scratch = context().scratch;
    int blocks = std::min(kReduceBlocks, blocks_for(n));
    partial_sums_kernel<<<blocks, kThreads, 0, stream>>>(term, n, scratch);
    CUDA_CHECK_LAUNCH();
    finish_sum(blocks, scratch, factor, out_f32, out_f64, stream);
}

}  // namespace cuda
}  // namespace exprae
