// kl_normal's CUDA kernels (ops/kl_normal.h): the sum in double, as on the
// CPU (cpu/kl_normal.cpp).
#include "backend/registry.h"
#include "cuda/reduce.cuh"
#include "cuda/tensor_data.h"
#include "ops/kl_normal.h"

namespace exprae {
namespace cuda {
namespace {

// exp(lv[i]) + mu[i]^2 - 1 - lv[i]
struct KlTerm {
    const float *mu, *lv;
    __device__ double operator()(index_t i) const {
        double u = mu[i], v = lv[i];
        return exp(v) + u * u - 1.0 - v;
    }
};

// dlv[i] (+)= factor dy[0] 0.5 (exp(lv[i]) - 1)   (n)
__global__ void logvar_backward_kernel(index_t n, float factor,
                                       const float* dy, const float* lv,
                                       float* dlv, bool acc) {
    float g = factor * dy[0];
    EXPRAE_GRID_STRIDE(i, n) {
        float v = g * 0.5f * (expf(lv[i]) - 1.0f);
        dlv[i] = acc ? dlv[i] + v : v;
    }
}

void forward(const Tensor& mu, const Tensor& lv, const Tensor& out) {
    reduce_sum(mu.size(), KlTerm{f32(mu), f32(lv)},
               0.5 / static_cast<double>(mu.cols()), f32(out), nullptr,
               compute_stream());
}

void logvar_backward(const Tensor& lv, const Tensor& dy, const Tensor& dlv,
                     bool acc) {
    index_t n = lv.size();
    if (n == 0) return;
    float factor = static_cast<float>(1.0 / static_cast<double>(lv.cols()));
    logvar_backward_kernel<<<blocks_for(n), kThreads, 0,
                             compute_stream()>>>(n, factor, f32(dy), f32(lv),
                                                 f32(dlv), acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(KlNormalKernels, "kl_normal", Device::cuda,
                        &cuda::forward, &cuda::logvar_backward);

}  // namespace exprae
