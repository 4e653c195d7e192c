// mse_loss's CUDA kernels (ops/mse_loss.h): the sum in double, as on the
// CPU (cpu/mse_loss.cpp).
#include "backend/registry.h"
#include "cuda/reduce.cuh"
#include "cuda/tensor_data.h"
#include "ops/mse_loss.h"

namespace exprae {
namespace cuda {
namespace {

// (p[i] - t[i])^2
struct SquaredError {
    const float *p, *t;
    __device__ double operator()(index_t i) const {
        double d = static_cast<double>(p[i]) - static_cast<double>(t[i]);
        return d * d;
    }
};

// dp[i] (+)= factor dy[0] (p[i] - t[i])   (n)
__global__ void backward_kernel(index_t n, float factor, const float* dy,
                                const float* p, const float* t, float* dp,
                                bool acc) {
    float g = factor * dy[0];
    EXPRAE_GRID_STRIDE(i, n) {
        float v = g * (p[i] - t[i]);
        dp[i] = acc ? dp[i] + v : v;
    }
}

void forward(const Tensor& p, const Tensor& t, const Tensor& out) {
    reduce_sum(p.size(), SquaredError{f32(p), f32(t)},
               1.0 / static_cast<double>(p.size()), f32(out), nullptr,
               compute_stream());
}

void backward(const Tensor& p, const Tensor& t, const Tensor& dy,
              const Tensor& dp, bool acc) {
    index_t n = p.size();
    float factor = static_cast<float>(2.0 / static_cast<double>(n));
    backward_kernel<<<blocks_for(n), kThreads, 0, compute_stream()>>>(
        n, factor, f32(dy), f32(p), f32(t), f32(dp), acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(MseLossKernels, "mse_loss", Device::cuda,
                        &cuda::forward, &cuda::backward);

}  // namespace exprae
