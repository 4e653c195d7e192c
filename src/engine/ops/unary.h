// The shared body of elementwise ops: the op supplies a functor (forward and
// derivative, see cpu/map.h); this records the matching backward rule.
#pragma once

#include "cpu/map.h"
#include "ops/ops.h"

namespace exprae {

template <typename F>
Variable unary_op(const Variable& x, F f) {
    const Tensor& xv = x.value();
    Tensor y = Tensor::empty(xv.rows(), xv.cols(), xv.dtype());
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::map_forward(f, xv.size(), xv.data<T>(), y.data<T>());
    });
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, f]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        const Tensor& xv = x.value();
        dispatch(xv.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::map_backward(f, xv.size(), xv.data<T>(),
                              out.value().data<T>(), out.grad().data<T>(),
                              dx.data<T>(), acc);
        });
    });
    return out;
}

}  // namespace exprae
