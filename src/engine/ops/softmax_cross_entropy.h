// softmax_cross_entropy: the loss of a classifier with one class per
// sample. Declared here with its kernels, not in ops/ops.h: an op lives in
// files of its own name (src/engine/README.md).
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// logits: classes x n (or classes x positions x n: one class per
// position); labels: one value per column of the logits' matrix view, the
// 0-based class as a number of the logits' dtype, negative or NaN for an
// unlabelled column (it adds nothing); class_weights: classes x 1 with
// every weight > 0, or undefined for all 1. With w_j the weight of column
// j's class and W their sum over the labelled columns,
//   loss = sum_j w_j (logsumexp(z_j) - z_j[y_j]) / W      (0 when W = 0)
// the weighted mean, as PyTorch's cross_entropy with weight= gives. 1 x 1.
// Labels and weights get no gradient.
Variable softmax_cross_entropy(const Variable& logits, const Tensor& labels,
                               const Tensor& class_weights = Tensor());

// The op's kernels on one device (cpu/ and cuda/softmax_cross_entropy.*).
struct SoftmaxCrossEntropyKernels {
    // out (one element) = the loss; grad (classes x n, the logits' shape;
    // undefined: not wanted) = w_j (softmax(z_j) - onehot(y_j)) / W, 0 in
    // unlabelled columns. weights may be undefined (all 1).
    void (*forward)(const Tensor& logits, const Tensor& labels,
                    const Tensor& weights, const Tensor& grad,
                    const Tensor& out);
};

}  // namespace exprae
