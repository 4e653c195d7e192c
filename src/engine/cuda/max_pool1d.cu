// max_pool1d's CUDA kernels (ops/max_pool1d.h): one thread per output
// element forward, one per dx element backward (a gather over the windows
// that hold it: no atomics, the same sum in the same order as the CPU twin
// cpu/max_pool1d.cpp, overlapping windows or not). Consecutive threads
// take consecutive channels, so reads and writes coalesce.
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "math/max_pool1d.h"
#include "ops/max_pool1d.h"

namespace exprae {
namespace cuda {
namespace {

// x: (C, L, n) -> y, argmax (argmax may be null): (C, L_out, n)
__global__ void max_pool1d_forward_kernel(pool1d::Geometry g, index_t total,
                                          const float* x, float* y,
                                          float* argmax) {
    EXPRAE_GRID_STRIDE(i, total) {
        index_t c = i % g.channels, col = i / g.channels;
        const float* w = x + c + pool1d::window_start(g, col % g.out_length,
                                                      col / g.out_length);
        index_t k = pool1d::first_max_offset(w, g.channels, g.size);
        y[i] = w[g.channels * k];
        if (argmax) argmax[i] = static_cast<float>(k);
    }
}

// dy, argmax: (C, L_out, n) -> dx: (C, L, n)
__global__ void max_pool1d_backward_kernel(pool1d::Geometry g, index_t total,
                                           const float* dy,
                                           const float* argmax, float* dx,
                                           bool acc) {
    EXPRAE_GRID_STRIDE(i, total) {
        index_t c = i % g.channels, col = i / g.channels;
        index_t l = col % g.length, s = col / g.length;
        index_t base = c + g.channels * g.out_length * s;  // (c, 0, s)
        double v = pool1d::max_grad_at(g, l, dy + base, argmax + base);
        dx[i] = static_cast<float>(acc ? dx[i] + v : v);
    }
}

void forward(const Tensor& x, index_t size, index_t stride, const Tensor& y,
             const Tensor& argmax) {
    index_t total = y.size();
    if (total == 0) return;
    max_pool1d_forward_kernel<<<blocks_for(total), kThreads, 0,
                                compute_stream()>>>(
        pool1d::geometry(x, y, size, stride), total, f32(x), f32(y),
        f32(argmax));
    CUDA_CHECK_LAUNCH();
}

void backward(const Tensor& dy, const Tensor& argmax, index_t size,
              index_t stride, const Tensor& dx, bool acc) {
    index_t total = dx.size();
    if (total == 0) return;
    max_pool1d_backward_kernel<<<blocks_for(total), kThreads, 0,
                                 compute_stream()>>>(
        pool1d::geometry(dx, dy, size, stride), total, f32(dy), f32(argmax),
        f32(dx), acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(MaxPool1dKernels, "max_pool1d", Device::cuda,
                        &cuda::forward, &cuda::backward);

}  // namespace exprae
