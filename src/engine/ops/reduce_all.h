// The shared body of sum and mean: factor * sum(x) -> 1 x 1, and
// dx += factor * dy everywhere.
#pragma once

#include "backend/backend.h"
#include "tape/tape.h"

namespace exprae {

inline Variable reduce_all(const Variable& x, double factor) {
    const Tensor& xv = x.value();
    Tensor y = Tensor::empty(1, 1, xv.dtype(), xv.device());
    backend_for(xv).sum_all(xv, factor, y);
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, factor]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        backend_for(dx).broadcast_scalar(out.grad(), factor, dx, acc);
    });
    return out;
}

}  // namespace exprae
