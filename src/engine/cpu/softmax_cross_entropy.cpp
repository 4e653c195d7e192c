// softmax_cross_entropy's CPU kernel (ops/softmax_cross_entropy.h): the
// weight total first, then the columns in parallel, sums in double.
#include <cmath>
#include <vector>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "math/softmax_cross_entropy.h"
#include "ops/softmax_cross_entropy.h"

namespace exprae {
namespace {

template <typename T>
double weight_of(const T* w, std::int64_t cls) {
    return w ? static_cast<double>(w[cls]) : 1.0;
}

// z, grad: k x n; labels: n; w: k or null
template <typename T>
double loss_and_gradient(index_t k, index_t n, const T* z, const T* labels,
                         const T* w, T* grad) {
    double total_w = 0.0;
    for (index_t j = 0; j < n; ++j) {
        std::int64_t y = xent::label_class(labels[j], k);
        if (y >= 0) total_w += weight_of(w, y);
    }
    std::vector<double> col_loss(n, 0.0);
    cpu::parallel_for(n, 16, [&](index_t lo, index_t hi) {
        for (index_t j = lo; j < hi; ++j) {
            const T* zj = z + j * k;
            T* gj = grad ? grad + j * k : nullptr;
            std::int64_t y = xent::label_class(labels[j], k);
            if (y < 0) {
                for (index_t c = 0; gj && c < k; ++c) gj[c] = T(0);
                continue;
            }
            double lse = xent::log_sum_exp(zj, k);
            double share = weight_of(w, y) / total_w;
            col_loss[j] = share * (lse - zj[y]);
            for (index_t c = 0; gj && c < k; ++c) {
                double p = std::exp(zj[c] - lse);
                gj[c] = static_cast<T>(share * (p - (c == y ? 1.0 : 0.0)));
            }
        }
    });
    double total = 0.0;
    for (double v : col_loss) total += v;
    return total;
}

void forward(const Tensor& logits, const Tensor& labels,
             const Tensor& weights, const Tensor& grad, const Tensor& out) {
    dispatch(logits.dtype(), [&](auto tag) {
        using T = decltype(tag);
        double loss = loss_and_gradient<T>(
            logits.rows(), logits.cols(), logits.data<T>(), labels.data<T>(),
            weights.defined() ? weights.data<T>() : nullptr,
            grad.defined() ? grad.data<T>() : nullptr);
        out.data<T>()[0] = static_cast<T>(loss);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(SoftmaxCrossEntropyKernels, "softmax_cross_entropy",
                        Device::cpu, &forward);

}  // namespace exprae
