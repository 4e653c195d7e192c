// flatten: (C, L, n) -> (C L, n), the same elements in the same order
// (channel fastest, then position), so y is x's storage reshaped;
// dx += dy reshaped to (C, L, n).
#include "ops/flatten.h"

#include "backend/backend.h"

namespace exprae {

Variable flatten(const Variable& x) {
    const Tensor& xv = x.value();
    if (xv.ndim() != 3) {
        throw BadArgument("flatten: x must be channels x positions x "
                          "samples (3-D), got " + xv.shape_string());
    }
    Variable out(xv.reshape(Shape{xv.dim(0) * xv.dim(1), xv.dim(2)}),
                 x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        backend_for(dx).axpy(1.0, out.grad().reshape(dx.shape()), dx, acc);
    });
    return out;
}

}  // namespace exprae
