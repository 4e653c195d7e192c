// The state the CUDA backend keeps for the one GPU it uses in a process:
// a compute stream (every kernel, cuBLAS call and copy of a step runs on
// it, in order, so freed blocks can be reused at once), a copy stream for
// minibatch uploads (it writes only the staging buffers, and waits for the
// compute stream before it writes a new one: cuda/staging.cpp), the cuBLAS
// handle and scratch space for reductions. Device memory comes from the
// engine's one caching allocator (tensor/allocator.h), see device.cpp.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "tensor/allocator.h"

namespace exprae {
namespace cuda {

// Partial sums of one reduction: one double per block of its first pass.
constexpr int kReduceBlocks = 256;

struct Context {
    int device = 0;
    cudaStream_t compute = nullptr;
    cudaStream_t copy = nullptr;
    cublasHandle_t blas = nullptr;
    double* scratch = nullptr;  // kReduceBlocks doubles
};

// The context of the selected device, made on first use; throws
// DeviceError when no GPU can be used.
Context& context();

// The caching allocator of device memory.
CachingAllocator& device_allocator();

}  // namespace cuda
}  // namespace exprae
