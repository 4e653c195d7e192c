// The shared body of elementwise ops: the op names its functor (a Unary,
// see ops/elementwise.h); this runs it on the input's backend and records
// the matching backward rule.
#pragma once

#include "backend/backend.h"
#include "ops/ops.h"

namespace exprae {

inline Variable unary_op(const Variable& x, const Unary& f) {
    const Tensor& xv = x.value();
    Tensor y = Tensor::empty(xv.rows(), xv.cols(), xv.dtype(), xv.device());
    backend_for(xv).unary_forward(f, xv, y);
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, f]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        backend_for(dx).unary_backward(f, x.value(), out.value(), out.grad(),
                                       dx, acc);
    });
    return out;
}

}  // namespace exprae
