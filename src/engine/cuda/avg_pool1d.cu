// avg_pool1d's CUDA kernels (ops/avg_pool1d.h): one thread per output
// element forward, one per dx element backward (a gather over the windows
// that hold it: no atomics, the same sum in double in the same order as
// the CPU twin cpu/avg_pool1d.cpp). Consecutive threads take consecutive
// channels, so reads and writes coalesce.
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "math/avg_pool1d.h"
#include "ops/avg_pool1d.h"

namespace exprae {
namespace cuda {
namespace {

// x: (C, L, n) -> y: (C, L_out, n)
__global__ void avg_pool1d_forward_kernel(pool1d::Geometry g, index_t total,
                                          const float* x, float* y) {
    EXPRAE_GRID_STRIDE(i, total) {
        index_t c = i % g.channels, col = i / g.channels;
        const float* w = x + c + pool1d::window_start(g, col % g.out_length,
                                                      col / g.out_length);
        y[i] = static_cast<float>(pool1d::window_mean(w, g.channels, g.size));
    }
}

// dy: (C, L_out, n) -> dx: (C, L, n)
__global__ void avg_pool1d_backward_kernel(pool1d::Geometry g, index_t total,
                                           const float* dy, float* dx,
                                           bool acc) {
    EXPRAE_GRID_STRIDE(i, total) {
        index_t c = i % g.channels, col = i / g.channels;
        index_t l = col % g.length, s = col / g.length;
        double v = pool1d::mean_grad_at(
            g, l, dy + c + g.channels * g.out_length * s);
        dx[i] = static_cast<float>(acc ? dx[i] + v : v);
    }
}

void forward(const Tensor& x, index_t size, index_t stride,
             const Tensor& y) {
    index_t total = y.size();
    if (total == 0) return;
    avg_pool1d_forward_kernel<<<blocks_for(total), kThreads, 0,
                                compute_stream()>>>(
        pool1d::geometry(x, y, size, stride), total, f32(x), f32(y));
    CUDA_CHECK_LAUNCH();
}

void backward(const Tensor& dy, index_t size, index_t stride,
              const Tensor& dx, bool acc) {
    index_t total = dx.size();
    if (total == 0) return;
    avg_pool1d_backward_kernel<<<blocks_for(total), kThreads, 0,
                                 compute_stream()>>>(
        pool1d::geometry(dx, dy, size, stride), total, f32(dy), f32(dx),
        acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(AvgPool1dKernels, "avg_pool1d", Device::cuda,
                        &cuda::forward, &cuda::backward);

}  // namespace exprae
