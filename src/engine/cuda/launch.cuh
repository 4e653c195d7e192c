// What the kernels of this folder share: the launch shape, the grid-stride
// loop and a deterministic block sum.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>

#include "cuda/check.h"
#include "tensor/tensor.h"

namespace exprae {
namespace cuda {

constexpr int kThreads = 256;

// Blocks for n elements; grid-stride loops cover what a capped grid leaves.
inline int blocks_for(index_t n) {
    index_t b = (n + kThreads - 1) / kThreads;
    return static_cast<int>(std::max<index_t>(1, std::min<index_t>(b, 8192)));
}

// for (i over [0, n)) spread over the whole grid
#define EXPRAE_GRID_STRIDE(i, n)                                          \
    for (index_t i = blockIdx.x * static_cast<index_t>(blockDim.x) +      \
                     threadIdx.x;                                         \
         i < (n); i += static_cast<index_t>(blockDim.x) * gridDim.x)

// Sum of v over a block of kThreads threads, always in the same order (so
// results repeat bit for bit); valid in thread 0.
__device__ inline double block_sum(double v) {
    __shared__ double warp_sums[kThreads / 32];
    __syncthreads();  // a previous call may still read warp_sums
    for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffffu, v, o);
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    if (lane == 0) warp_sums[warp] = v;
    __syncthreads();
    v = threadIdx.x < kThreads / 32 ? warp_sums[threadIdx.x] : 0.0;
    if (warp == 0) {
        for (int o = 16; o > 0; o /= 2)
            v += __shfl_down_sync(0xffffffffu, v, o);
    }
    return v;
}

// Sum of v over a warp, valid in every lane.
__device__ inline double warp_sum(double v) {
    for (int o = 16; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

}  // namespace cuda
}  // namespace exprae
