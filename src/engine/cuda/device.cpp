// Which GPU the CUDA backend uses, what this machine has, the context of
// the chosen device and its memory (the engine's caching allocator over
// cudaMalloc).
#include <cstdio>
#include <string>

#include "backend/backend.h"
#include "cuda/check.h"
#include "cuda/context.h"

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
    if (!info.available) throw DeviceError(info.reason);
    int count = static_cast<int>(info.devices.size());
    if (index < 0 || index >= count) {
        throw BadArgument(
            "CUDA device " + std::to_string(index) + " does not exist; " +
            "this machine has " + std::to_string(count) + " (0 to " +
            std::to_string(count - 1) + ")");
    }
    if (g_context_made && index != g_device) {
        // Tensors do not record their GPU: one per process keeps every
        // block with the device it was allocated on.
        throw DeviceError(
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

double cuda_free_memory() {
    cuda::context();  // the device is chosen and ready
    std::size_t free = 0, total = 0;
    CUDA_CHECK(cudaMemGetInfo(&free, &total));
    return static_cast<double>(free);
}

namespace cuda {

Context& context() {
    // Made once and never destroyed: at exit the CUDA runtime may already
    // be gone, and freeing into it would fail.
    static Context* ctx = [] {
        CudaInfo info = cuda_info();
        if (!info.available) throw DeviceError(info.reason);
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

namespace {
// cudaMalloc, with nullptr for out of memory (the allocator then empties
// its cache and tries again) and an exception for any other failure.
void* device_allocate(std::size_t bytes) {
    context();  // the device is chosen and ready
    void* ptr = nullptr;
    cudaError_t status = cudaMalloc(&ptr, bytes);
    if (status == cudaErrorMemoryAllocation) {
        cudaGetLastError();  // not sticky: clear it
        return nullptr;
    }
    CUDA_CHECK(status);
    return ptr;
}

void device_free(void* ptr) { cudaFree(ptr); }

// Kernels still queued may use cached blocks: wait for them first.
void device_synchronize() { cudaStreamSynchronize(context().compute); }

std::string device_out_of_memory(std::size_t bytes) {
    std::size_t free = 0, total = 0;
    cudaMemGetInfo(&free, &total);
    return "CUDA out of memory on device " + std::to_string(g_device) +
           ": asked for " + mib(static_cast<double>(bytes)) + ", " +
           mib(static_cast<double>(free)) + " free of " +
           mib(static_cast<double>(total));
}
}  // namespace

CachingAllocator& device_allocator() {
    // Never destroyed, like the context: at exit the CUDA runtime may
    // already be gone. Blocks come in multiples of 512 bytes, so nearby
    // sizes share a block.
    static CachingAllocator* allocator = new CachingAllocator(SystemMemory{
        device_allocate, device_free, device_synchronize,
        device_out_of_memory, 512});
    return *allocator;
}

}  // namespace cuda
}  // namespace exprae
