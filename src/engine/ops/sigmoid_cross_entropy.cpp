// sigmoid_cross_entropy (ops/sigmoid_cross_entropy.h): the mean binary
// cross-entropy over the observed elements, per-label weights optional.
//   dz += dy w_i (sigmoid(z) - t) / m
// The forward pass writes that gradient (per unit dy) beside the loss, as
// sigmoid(z) is at hand there; the backward rule scales it.
#include "ops/sigmoid_cross_entropy.h"

#include <cmath>
#include <string>

#include "backend/registry.h"
#include "ops/cross_entropy.h"

namespace exprae {

namespace {

// Targets and weights are the caller's data: on the host they are checked
// here, before any kernel reads them.
void check_targets(const Tensor& logits, const Tensor& targets,
                   const Tensor& weights) {
    const char* op = "sigmoid_cross_entropy";
    check_same_shape(op, logits, targets);
    check_same_dtype(op, logits, targets);
    if (weights.defined()) {
        check_column(op, "label_weights", weights, logits.rows());
        check_same_dtype(op, logits, weights);
    }
    if (targets.device() == Device::cpu) {
        for (index_t k = 0; k < targets.size(); ++k) {
            double t = targets.at(k);
            if (std::isnan(t)) continue;  // missing
            if (!(t >= 0 && t <= 1)) {
                throw BadInput(std::string(op) + ": target " +
                               std::to_string(t) + " (element " +
                               std::to_string(k + 1) + ") is not in [0, 1]");
            }
        }
    }
    check_positive_weights(op, "label weight", weights);
}

}  // namespace

Variable sigmoid_cross_entropy(const Variable& logits, const Tensor& targets,
                               const Tensor& label_weights) {
    const Tensor& z = logits.value();
    check_targets(z, targets, label_weights);
    const auto& k = kernels<SigmoidCrossEntropyKernels>(
        "sigmoid_cross_entropy", z.device());
    return loss_with_gradient(logits, [&](const Tensor& grad,
                                          const Tensor& out) {
        k.forward(z, targets, label_weights, grad, out);
    });
}

}  // namespace exprae
