// softmax_cross_entropy (ops/softmax_cross_entropy.h): the weighted mean
// over labelled columns of -log softmax(z_j)[y_j], from a log-sum-exp that
// cannot overflow (math/softmax_cross_entropy.h).
//   dz_j += dy w_j (softmax(z_j) - onehot(y_j)) / W
// The forward pass writes that gradient (per unit dy) beside the loss, as
// the softmax it needs is at hand there; the backward rule scales it.
#include "ops/softmax_cross_entropy.h"

#include <cmath>
#include <string>

#include "backend/registry.h"
#include "ops/cross_entropy.h"

namespace exprae {

namespace {

// Labels and weights are the caller's data: on the host they are checked
// here, before any kernel reads them (a GPU trusts what it is given).
void check_labels(const Tensor& logits, const Tensor& labels,
                  const Tensor& weights) {
    index_t classes = logits.rows();
    const char* op = "softmax_cross_entropy";
    if (labels.size() != logits.cols()) {
        throw BadArgument(std::string(op) + ": labels need one value per "
                          "column of the logits " + logits.shape_string() +
                          ", got " + labels.shape_string());
    }
    check_same_dtype(op, logits, labels);
    if (weights.defined()) {
        check_column(op, "class_weights", weights, classes);
        check_same_dtype(op, logits, weights);
    }
    if (classes < 1) throw BadArgument(std::string(op) + ": no classes");
    if (labels.device() == Device::cpu) {
        for (index_t j = 0; j < labels.size(); ++j) {
            double v = labels.at(j);
            if (std::isnan(v) || v < 0) continue;  // unlabelled
            if (v != std::floor(v) || v >= static_cast<double>(classes)) {
                throw BadInput(std::string(op) + ": label " +
                               std::to_string(v) + " of column " +
                               std::to_string(j + 1) + " is not a class in "
                               "0.." + std::to_string(classes - 1));
            }
        }
    }
    check_positive_weights(op, "class weight", weights);
}

}  // namespace

Variable softmax_cross_entropy(const Variable& logits, const Tensor& labels,
                               const Tensor& class_weights) {
    const Tensor& z = logits.value();
    check_labels(z, labels, class_weights);
    const auto& k = kernels<SoftmaxCrossEntropyKernels>(
        "softmax_cross_entropy", z.device());
    return loss_with_gradient(logits, [&](const Tensor& grad,
                                          const Tensor& out) {
        k.forward(z, labels, class_weights, grad, out);
    });
}

}  // namespace exprae
