// sigmoid_cross_entropy's CUDA kernels (ops/sigmoid_cross_entropy.h): the
// count of observed targets by one deterministic reduction, then the loss
// by a second whose terms also write the gradient; in double, as the CPU
// twin (cpu/sigmoid_cross_entropy.cpp).
#include "backend/registry.h"
#include "cuda/reduce.cuh"
#include "cuda/tensor_data.h"
#include "math/sigmoid_cross_entropy.h"
#include "ops/sigmoid_cross_entropy.h"

namespace exprae {
namespace cuda {
namespace {

struct Observed {
    const float* t;
    __device__ double operator()(index_t i) const {
        return bce::observed(t[i]) ? 1.0 : 0.0;
    }
};

// Element i's weighted share of the loss; writes its gradient.
struct WeightedLoss {
    const float *z, *t, *w;
    float* grad;
    index_t k;
    const double* observed;
    __device__ double operator()(index_t i) const {
        if (!bce::observed(t[i])) {
            if (grad) grad[i] = 0.0f;
            return 0.0;
        }
        double share = (w ? static_cast<double>(w[i % k]) : 1.0) / *observed;
        bce::Element e = bce::element(z[i], t[i]);
        if (grad) grad[i] = static_cast<float>(share * e.grad);
        return share * e.loss;
    }
};

void forward(const Tensor& logits, const Tensor& targets,
             const Tensor& weights, const Tensor& grad, const Tensor& out) {
    index_t n = logits.size();
    cudaStream_t stream = compute_stream();
    Tensor observed = Tensor::empty(1, 1, DType::f64, Device::cuda);
    reduce_sum(n, Observed{f32(targets)}, 1.0, nullptr,
               observed.data<double>(), stream);
    reduce_sum(n, WeightedLoss{f32(logits), f32(targets), f32(weights),
                               f32(grad), logits.rows(),
                               observed.data<double>()},
               1.0, f32(out), nullptr, stream);
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(SigmoidCrossEntropyKernels, "sigmoid_cross_entropy",
                        Device::cuda, &cuda::forward);

}  // namespace exprae
