// sigmoid_cross_entropy: the loss of a multi-label classifier, each label
// a yes/no question of its own (DeepSEA's many binding profiles per
// sequence). Declared here with its kernels, not in ops/ops.h: an op lives
// in files of its own name (src/engine/README.md).
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// logits: labels x n (or any shape whose first dimension is the label);
// targets: the same shape, each in [0, 1] (0/1, or a probability) or NaN
// for a missing one; label_weights: labels x 1 with every weight > 0, or
// undefined for all 1. Over the observed elements, m of them,
//   loss = sum w_i (max(z, 0) - z t + log1p(exp(-|z|))) / m   (0 if m = 0)
// the binary cross-entropy of sigmoid(z), written so that no exp
// overflows (math/sigmoid_cross_entropy.h). 1 x 1. Targets and weights get
// no gradient.
Variable sigmoid_cross_entropy(const Variable& logits, const Tensor& targets,
                               const Tensor& label_weights = Tensor());

// The op's kernels on one device (cpu/ and cuda/sigmoid_cross_entropy.*).
struct SigmoidCrossEntropyKernels {
    // out (one element) = the loss; grad (the logits' shape; undefined:
    // not wanted) = w_i (sigmoid(z) - t) / m, 0 where t is missing.
    // weights may be undefined (all 1).
    void (*forward)(const Tensor& logits, const Tensor& targets,
                    const Tensor& weights, const Tensor& grad,
                    const Tensor& out);
};

}  // namespace exprae
