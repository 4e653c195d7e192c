// softmax_cross_entropy's CUDA kernels (ops/softmax_cross_entropy.h): the
// weight total by a deterministic reduction, then one warp per column for
// its log-sum-exp, loss and gradient, then the sum of the column losses;
// in double, as the CPU twin (cpu/softmax_cross_entropy.cpp).
#include "backend/registry.h"
#include "cuda/reduce.cuh"
#include "cuda/tensor_data.h"
#include "math/softmax_cross_entropy.h"
#include "ops/softmax_cross_entropy.h"

namespace exprae {
namespace cuda {
namespace {

constexpr int kWarps = kThreads / 32;

// The weight of column j's class, 0 when unlabelled.
struct LabelWeight {
    const float *labels, *w;
    index_t k;
    __device__ double operator()(index_t j) const {
        std::int64_t y = xent::label_class(labels[j], k);
        if (y < 0) return 0.0;
        return w ? static_cast<double>(w[y]) : 1.0;
    }
};

struct Value {
    const double* v;
    __device__ double operator()(index_t i) const { return v[i]; }
};

__device__ inline double warp_max(double v) {
    for (int o = 16; o > 0; o /= 2) v = fmax(v, __shfl_xor_sync(~0u, v, o));
    return v;
}

// z, grad: k x n; labels, col_loss: n; w: k or null; total_w: 1
__global__ void columns_kernel(index_t k, index_t n, const float* z,
                               const float* labels, const float* w,
                               const double* total_w, float* grad,
                               double* col_loss) {
    index_t j = blockIdx.x * static_cast<index_t>(kWarps) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (j >= n) return;
    const float* zj = z + j * k;
    float* gj = grad ? grad + j * k : nullptr;
    std::int64_t y = xent::label_class(labels[j], k);
    if (y < 0) {
        for (index_t c = lane; gj && c < k; c += 32) gj[c] = 0.0f;
        if (lane == 0) col_loss[j] = 0.0;
        return;
    }
    double m = -INFINITY;
    for (index_t c = lane; c < k; c += 32) m = fmax(m, double(zj[c]));
    m = warp_max(m);
    double s = 0.0;
    for (index_t c = lane; c < k; c += 32) s += exp(zj[c] - m);
    double lse = m + log(warp_sum(s));
    double share = (w ? static_cast<double>(w[y]) : 1.0) / *total_w;
    if (lane == 0) col_loss[j] = share * (lse - zj[y]);
    for (index_t c = lane; gj && c < k; c += 32) {
        double p = exp(zj[c] - lse);
        gj[c] = static_cast<float>(share * (p - (c == y ? 1.0 : 0.0)));
    }
}

void forward(const Tensor& logits, const Tensor& labels,
             const Tensor& weights, const Tensor& grad, const Tensor& out) {
    index_t k = logits.rows(), n = logits.cols();
    cudaStream_t stream = compute_stream();
    Tensor total_w = Tensor::empty(1, 1, DType::f64, Device::cuda);
    Tensor col_loss = Tensor::empty(n > 0 ? n : 1, 1, DType::f64,
                                    Device::cuda);
    reduce_sum(n, LabelWeight{f32(labels), f32(weights), k}, 1.0, nullptr,
               total_w.data<double>(), stream);
    if (n > 0) {
        int blocks = static_cast<int>((n + kWarps - 1) / kWarps);
        columns_kernel<<<blocks, kThreads, 0, stream>>>(
            k, n, f32(logits), f32(labels), f32(weights),
            total_w.data<double>(), f32(grad), col_loss.data<double>());
        CUDA_CHECK_LAUNCH();
    }
    reduce_sum(n, Value{col_loss.data<double>()}, 1.0, f32(out), nullptr,
               stream);
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(SoftmaxCrossEntropyKernels, "softmax_cross_entropy",
                        Device::cuda, &cuda::forward);

}  // namespace exprae
