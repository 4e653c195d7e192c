// sigmoid_cross_entropy's CPU kernel (ops/sigmoid_cross_entropy.h): the
// count of observed targets first, then the columns in parallel, sums in
// double.
#include <vector>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "math/sigmoid_cross_entropy.h"
#include "ops/sigmoid_cross_entropy.h"

namespace exprae {
namespace {

// z, t, grad: k x n; w: k or null
template <typename T>
double loss_and_gradient(index_t k, index_t n, const T* z, const T* t,
                         const T* w, T* grad) {
    double observed = 0.0;
    for (index_t i = 0; i < k * n; ++i) observed += bce::observed(t[i]);
    std::vector<double> col_loss(n, 0.0);
    cpu::parallel_for(n, 64, [&](index_t lo, index_t hi) {
        for (index_t j = lo; j < hi; ++j) {
            double total = 0.0;
            for (index_t r = 0; r < k; ++r) {
                index_t i = r + j * k;
                if (!bce::observed(t[i])) {
                    if (grad) grad[i] = T(0);
                    continue;
                }
                double share = (w ? static_cast<double>(w[r]) : 1.0) /
                               observed;
                bce::Element e = bce::element(z[i], t[i]);
                total += share * e.loss;
                if (grad) grad[i] = static_cast<T>(share * e.grad);
            }
            col_loss[j] = total;
        }
    });
    double total = 0.0;
    for (double v : col_loss) total += v;
    return total;
}

void forward(const Tensor& logits, const Tensor& targets,
             const Tensor& weights, const Tensor& grad, const Tensor& out) {
    dispatch(logits.dtype(), [&](auto tag) {
        using T = decltype(tag);
        double loss = loss_and_gradient<T>(
            logits.rows(), logits.cols(), logits.data<T>(),
            targets.data<T>(), weights.defined() ? weights.data<T>() : nullptr,
            grad.defined() ? grad.data<T>() : nullptr);
        out.data<T>()[0] = static_cast<T>(loss);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(SigmoidCrossEntropyKernels, "sigmoid_cross_entropy",
                        Device::cpu, &forward);

}  // namespace exprae
