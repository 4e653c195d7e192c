// The optimizer's CUDA kernel (optim/optimizer.h): one fused update over a
// model's whole parameter block (optim/update_math.h has the per-element
// math the CPU shares), with gradient clipping read on the device.
#include <cmath>

#include "backend/backend.h"
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "optim/optimizer.h"
#include "optim/update_math.h"

namespace exprae {
namespace cuda {

namespace {

// The factor that brings a gradient of squared norm *sumsq down to
// clip_norm (1 when it is already within, or without clipping).
__device__ inline float clip_factor(const double* sumsq, double clip_norm) {
    if (!sumsq || clip_norm <= 0) return 1.0f;
    double norm = sqrt(*sumsq);
    return norm > clip_norm ? static_cast<float>(clip_norm / norm) : 1.0f;
}

// w, g, m, v: n
__global__ void adam_kernel(AdamConstants<float> k, index_t n, float* w,
                            const float* g, float* m, float* v,
                            const double* sumsq, double clip_norm) {
    k.scale *= clip_factor(sumsq, clip_norm);
    EXPRAE_GRID_STRIDE(i, n) k.apply(w[i], g[i], m[i], v[i]);
}

// w, g, velocity: n
__global__ void sgd_kernel(SgdConstants<float> k, index_t n, float* w,
                           const float* g, float* velocity,
                           const double* sumsq, double clip_norm) {
    k.scale *= clip_factor(sumsq, clip_norm);
    EXPRAE_GRID_STRIDE(i, n) k.apply(w[i], g[i], velocity[i]);
}

void update(const UpdateStep& s, const Tensor& w, const Tensor& g,
            const Tensor& m, const Tensor& v) {
    index_t n = w.size();
    if (n == 0) return;
    Tensor sumsq;
    if (s.clip_norm > 0) {
        sumsq = Tensor::empty(1, 1, DType::f64, Device::cuda);
        backend_for(Device::cuda).sum_squares(g, sumsq);
    }
    const double* ss = sumsq.defined() ? sumsq.data<double>() : nullptr;
    cudaStream_t stream = compute_stream();
    if (s.sgd) {
        SgdConstants<float> k(s.lr, s.momentum, s.weight_decay,
                              s.grad_scale);
        sgd_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
            k, n, f32(w), f32(g), f32(m), ss, s.clip_norm);
    } else {
        AdamConstants<float> k(s.lr, s.beta1, s.beta2, s.eps, s.weight_decay,
                               s.decoupled, s.bias1, s.bias2, s.grad_scale);
        adam_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
            k, n, f32(w), f32(g), f32(m), f32(v), ss, s.clip_norm);
    }
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(OptimizerKernels, "optimizer", Device::cuda,
                        &cuda::update);

}  // namespace exprae
