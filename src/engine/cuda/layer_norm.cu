// layer_norm's CUDA kernels (ops/layer_norm.h): statistics per sample
// (column) over its features, in double like the CPU twin
// (cpu/layer_norm.cpp).
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/layer_norm.h"

namespace exprae {
namespace cuda {
namespace {

// One warp per column (sample) of x (rows x cols); inv_std: cols.
constexpr int kWarps = kThreads / 32;

__global__ void layer_norm_forward_kernel(index_t rows, index_t cols,
                                          const float* x, const float* gamma,
                                          const float* beta, double eps,
                                          float* xhat, float* inv_std,
                                          float* y) {
    index_t c = blockIdx.x * static_cast<index_t>(kWarps) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (c >= cols) return;
    const float* xc = x + c * rows;
    double s = 0.0;
    for (index_t r = lane; r < rows; r += 32) s += xc[r];
    double mean = warp_sum(s) / static_cast<double>(rows);
    double q = 0.0;
    for (index_t r = lane; r < rows; r += 32) q += (xc[r] - mean) *
                                                   (xc[r] - mean);
    double sd_inv = 1.0 / sqrt(warp_sum(q) / static_cast<double>(rows) + eps);
    if (lane == 0) inv_std[c] = static_cast<float>(sd_inv);
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        float h = static_cast<float>((xc[r] - mean) * sd_inv);
        xhat[i] = h;
        y[i] = gamma[r] * h + beta[r];
    }
}

// g = dy gamma; dx = inv_std / F (F g - sum(g) - xhat sum(g xhat))
__global__ void layer_norm_backward_kernel(index_t rows, index_t cols,
                                           const float* dy, const float* xhat,
                                           const float* inv_std,
                                           const float* gamma, float* dx,
                                           bool acc) {
    index_t c = blockIdx.x * static_cast<index_t>(kWarps) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (c >= cols) return;
    double s1 = 0.0, s2 = 0.0;
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        double g = static_cast<double>(dy[i]) * gamma[r];
        s1 += g;
        s2 += g * xhat[i];
    }
    s1 = warp_sum(s1);
    s2 = warp_sum(s2);
    double f = static_cast<double>(rows);
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        double g = static_cast<double>(dy[i]) * gamma[r];
        double v = inv_std[c] / f * (f * g - s1 - xhat[i] * s2);
        dx[i] = static_cast<float>(acc ? dx[i] + v : v);
    }
}

int column_blocks(index_t cols) {
    return static_cast<int>((cols + kWarps - 1) / kWarps);
}

void forward(const Tensor& x, const Tensor& gamma, const Tensor& beta,
             double eps, const Tensor& xhat, const Tensor& inv_std,
             const Tensor& y) {
    index_t cols = x.cols();
    if (cols == 0) return;
    layer_norm_forward_kernel<<<column_blocks(cols), kThreads, 0,
                                compute_stream()>>>(
        x.rows(), cols, f32(x), f32(gamma), f32(beta), eps, f32(xhat),
        f32(inv_std), f32(y));
    CUDA_CHECK_LAUNCH();
}

void backward_input(const Tensor& dy, const Tensor& xhat,
                    const Tensor& inv_std, const Tensor& gamma,
                    const Tensor& dx, bool acc) {
    index_t cols = dy.cols();
    if (cols == 0) return;
    layer_norm_backward_kernel<<<column_blocks(cols), kThreads, 0,
                                 compute_stream()>>>(
        dy.rows(), cols, f32(dy), f32(xhat), f32(inv_std), f32(gamma),
        f32(dx), acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(LayerNormKernels, "layer_norm", Device::cuda,
                        &cuda::forward, &cuda::backward_input);

}  // namespace exprae
