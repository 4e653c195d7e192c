// mul: a * b elementwise, same shape. da += dy * b; db += dy * a.
#include "ops/mul.h"

#include "backend/backend.h"

namespace exprae {

Variable mul(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_shape("mul", av, bv);
    check_same_dtype("mul", av, bv);
    Tensor y = Tensor::empty(av.rows(), av.cols(), av.dtype(), av.device());
    backend_for(av).multiply(av, bv, y, false);
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        Backend& be = backend_for(dy);
        bool acc = false;
        if (a.requires_grad()) {
            Tensor& da = a.grad_target(&acc);
            be.multiply(dy, b.value(), da, acc);
        }
        if (b.requires_grad()) {
            Tensor& db = b.grad_target(&acc);
            be.multiply(dy, a.value(), db, acc);
        }
    });
    return out;
}

}  // namespace exprae
