// The shared body of sum and mean: factor * sum(x) -> 1 x 1, and
// dx += factor * dy everywhere.
#pragma once

#include <algorithm>

#include "cpu/reduce.h"
#include "ops/ops.h"

namespace exprae {

inline Variable reduce_all(const Variable& x, double factor) {
    const Tensor& xv = x.value();
    Tensor y = Tensor::empty(1, 1, xv.dtype());
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        y.data<T>()[0] = static_cast<T>(
            factor * cpu::sum_all<T>(xv.size(), xv.data<T>()));
    });
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, factor]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        dispatch(dx.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T g = static_cast<T>(factor) * out.grad().data<T>()[0];
            T* d = dx.data<T>();
            if (acc) {
                for (index_t i = 0; i < dx.size(); ++i) d[i] += g;
            } else {
                std::fill(d, d + dx.size(), g);
            }
        });
    });
    return out;
}

}  // namespace exprae
