// What softmax_cross_entropy and sigmoid_cross_entropy share: both kernels
// write the loss and its gradient per unit dy in one pass (the softmax or
// sigmoid they need is at hand there), so the op records only
// dz += dy * grad; and both take per-class weights that must be positive.
#pragma once

#include <cmath>
#include <string>

#include "backend/backend.h"
#include "tape/tape.h"

namespace exprae {

// Throws BadInput unless every weight is a positive number (checked on the
// host; a GPU trusts what it is given).
inline void check_positive_weights(const char* op, const char* what,
                                   const Tensor& weights) {
    if (!weights.defined() || weights.device() != Device::cpu) return;
    for (index_t i = 0; i < weights.size(); ++i) {
        if (!(weights.at(i) > 0) || !std::isfinite(weights.at(i))) {
            throw BadInput(std::string(op) + ": " + what + " " +
                           std::to_string(i + 1) +
                           " must be a positive number");
        }
    }
}

// Runs forward(grad, out): out (1 x 1) the loss, grad (z's shape) its
// gradient per unit dy, wanted only when the tape records; then records
// dz += dy * grad.
template <typename Forward>
Variable loss_with_gradient(const Variable& logits, Forward&& forward) {
    const Tensor& z = logits.value();
    Tape& tape = Tape::current();
    bool record = tape.should_record(logits);
    Tensor grad = record ? Tensor::empty_like(z) : Tensor();
    Tensor y = Tensor::empty(1, 1, z.dtype(), z.device());
    forward(grad, y);
    Variable out(y, logits.requires_grad());
    if (!record) return out;
    tape.record([logits, out, grad]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc = false;
        Tensor& dz = logits.grad_target(&acc);
        backend_for(dz).scaled_axpy(dy, 1.0, grad, dz, acc);
    });
    return out;
}

}  // namespace exprae
