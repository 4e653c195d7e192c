// Which GPU the CUDA backend uses, what this machine has, the context of
// the chosen device and the caching device allocator.
#include <cstdio>
#include <string>

#include "backend/backend.h"
#include "cuda/check.h"
#include "cuda/context.h"
#include "cuda/kernels.h"

namespace exprae {

namespace {
int g_device = 0;
bool g_context_made = false;
bool g_tf32 = false;

std::string mib(double bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
    return buf;
}
}  // namespace

CudaInfo cuda_info() {
    CudaInfo info;
    info.built = true;
    cudaRuntimeGetVersion(&info.runtime_version);
    cudaError_t status = cudaDriverGetVersion(&info.driver_version);
    int count = 0;
    if (status == cudaSuccess) status = cudaGetDeviceCount(&count);
    if (status != cudaSuccess || count == 0) {
        cudaGetLastError();  // not sticky: clear it for later calls
        info.reason = std::string("no usable CUDA GPU: ") +
                      (status == cudaSuccess ? "no CUDA device found"
                                             : cudaGetErrorString(status));
        return info;
    }
    for (int d = 0; d < count; ++d) {
        cudaDeviceProp p;
        CUDA_CHECK(cudaGetDeviceProperties(&p, d));
        CudaDeviceInfo dev;
        dev.index = d;
        dev.name = p.name;
        dev.memory_bytes = static_cast<double>(p.totalGlobalMem);
        dev.major = p.major;
        dev.minor = p.minor;
        dev.multiprocessors = p.multiProcessorCount;
        info.devices.push_back(dev);
    }
    info.available = true;
    return info;
}

void select_cuda_device(int index) {
    CudaInfo info = cuda_info();
    if (!info.available) throw std::runtime_error(info.reason);
    int count = static_cast<int>(info.devices.size());
    if (index < 0 || index >= count) {
        throw std::invalid_argument(
            "CUDA device " + std::to_string(index) + " does not exist; " +
            "this machine has " + std::to_string(count) + " (0 to " +
            std::to_string(count - 1) + ")");
    }
    if (g_context_made && index != g_device) {
        // Tensors do not record their GPU: one per process keeps every
        // block with the device it was allocated on.
        throw std::runtime_error(
            "this process already uses CUDA device " +
            std::to_string(g_device) + "; start a new one to use device " +
            std::to_string(index));
    }
    g_device = index;
}

void set_cuda_tf32(bool on) {
    g_tf32 = on;
    if (!g_context_made) return;
    CUBLAS_CHECK(cublasSetMathMode(
        cuda::context().blas,
        on ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
}

namespace cuda {

Context& context() {
    // Made once and never destroyed: at exit the CUDA runtime may already
    // be gone, and freeing into it would fail.
    static Context* ctx = [] {
        CudaInfo info = cuda_info();
        if (!info.available) throw std::runtime_error(info.reason);
        auto* c = new Context();
        c->device = g_device;
        CUDA_CHECK(cudaSetDevice(c->device));
        CUDA_CHECK(cudaStreamCreateWithFlags(&c->compute,
                                             cudaStreamNonBlocking));
        CUDA_CHECK(cudaStreamCreateWithFlags(&c->copy,
                                             cudaStreamNonBlocking));
        CUBLAS_CHECK(cublasCreate(&c->blas));
        CUBLAS_CHECK(cublasSetStream(c->blas, c->compute));
        CUBLAS_CHECK(cublasSetMathMode(
            c->blas, g_tf32 ? CUBLAS_TF32_TENSOR_OP_MATH
                            : CUBLAS_DEFAULT_MATH));
        CUDA_CHECK(cudaMalloc(&c->scratch, kReduceBlocks * sizeof(double)));
        g_context_made = true;
        return c;
    }();
    return *ctx;
}

DeviceAllocator& DeviceAllocator::instance() {
    static DeviceAllocator* allocator = new DeviceAllocator();
    return *allocator;
}

namespace {
// Blocks come in multiples of 512 bytes, so nearby sizes share a block.
std::size_t round_up(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    return (bytes + 511) / 512 * 512;
}
}  // namespace

void* DeviceAllocator::allocate(std::size_t bytes) {
    context();  // the device is chosen and ready
    bytes = round_up(bytes);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = free_blocks_.find(bytes);
        if (it != free_blocks_.end()) {
            void* ptr = it->second;
            free_blocks_.erase(it);
            cached_bytes_ -= bytes;
            return ptr;
        }
    }
    void* ptr = nullptr;
    cudaError_t status = cudaMalloc(&ptr, bytes);
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        empty_cache();
        status = cudaMalloc(&ptr, bytes);
    }
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        std::size_t free = 0, total = 0;
        cudaMemGetInfo(&free, &total);
        throw DeviceOutOfMemory(
            "CUDA out of memory on device " + std::to_string(g_device) +
            ": asked for " + mib(static_cast<double>(bytes)) + ", " +
            mib(static_cast<double>(free)) + " free of " +
            mib(static_cast<double>(total)));
    }
    CUDA_CHECK(status);
    return ptr;
}

void DeviceAllocator::release(void* ptr, std::size_t bytes) {
    if (ptr == nullptr) return;
    std::lock_guard<std::mutex> lock(mutex_);
    free_blocks_.emplace(round_up(bytes), ptr);
    cached_bytes_ += round_up(bytes);
}

void DeviceAllocator::empty_cache() {
    std::lock_guard<std::mutex> lock(mutex_);
    // Kernels still queued may use cached blocks: wait for them first.
    cudaStreamSynchronize(context().compute);
    for (auto& block : free_blocks_) cudaFree(block.second);
    free_blocks_.clear();
    cached_bytes_ = 0;
}

}  // namespace cuda
}  // namespace exprae
