// The state the CUDA backend keeps for the one GPU it uses in a process:
// a compute stream (every kernel, cuBLAS call and copy of a step runs on
// it, in order, so freed blocks can be reused at once), a copy stream for
// minibatch uploads (it writes only the staging buffers, and waits for the
// compute stream before it writes a new one: cuda/staging.cpp), the cuBLAS
// handle, scratch space for reductions and a caching allocator.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <map>
#include <mutex>

namespace exprae {
namespace cuda {

struct Context {
    int device = 0;
    cudaStream_t compute = nullptr;
    cudaStream_t copy = nullptr;
    cublasHandle_t blas = nullptr;
    double* scratch = nullptr;  // kReduceBlocks doubles (cuda/kernels.h)
};

// The context of the selected device, made on first use; throws when no
// GPU can be used.
Context& context();

// Device memory through a cache of freed blocks: a training step asks for
// the same sizes every minibatch. Out of memory: the cache is emptied and
// the allocation tried once more, then DeviceOutOfMemory says how much was
// asked for and how much is free.
class DeviceAllocator {
public:
    static DeviceAllocator& instance();
    void* allocate(std::size_t bytes);
    // Never throws (called from destructors).
    void release(void* ptr, std::size_t bytes);
    void empty_cache();
    std::size_t cached_bytes() const { return cached_bytes_; }

private:
    std::multimap<std::size_t, void*> free_blocks_;
    std::size_t cached_bytes_ = 0;
    std::mutex mutex_;
};

}  // namespace cuda
}  // namespace exprae
