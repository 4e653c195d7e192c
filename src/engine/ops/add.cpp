// add: a + b with a, b the same shape, or b (rows x 1) added to every
// column of a's matrix view. da += dy; db += dy (or rowsum(dy) when
// broadcast).
#include "ops/add.h"

#include "backend/backend.h"
#include "ops/unary.h"

namespace exprae {

Variable add(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_dtype("add", av, bv);
    bool broadcast = !av.same_shape(bv);
    if (broadcast && (bv.ndim() != 2 || bv.rows() != av.rows() ||
                      bv.cols() != 1)) {
        throw BadArgument(
            "add: b must match a or be a column of its rows, got a " +
            av.shape_string() + ", b " + bv.shape_string());
    }
    Backend& be = backend_for(av);
    Tensor y = av.clone();
    if (broadcast) {
        unary_kernels(Unary{}, y.device()).bias_forward(0.0, bv, y, y);
    } else {
        be.axpy(1.0, bv, y, true);
    }
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out, broadcast]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        Backend& be = backend_for(dy);
        bool acc = false;
        if (a.requires_grad()) {
            Tensor& da = a.grad_target(&acc);
            be.axpy(1.0, dy, da, acc);
        }
        if (!b.requires_grad()) return;
        Tensor& db = b.grad_target(&acc);
        if (broadcast) {
            be.row_sums(dy, db, acc);
        } else {
            be.axpy(1.0, dy, db, acc);
        }
    });
    return out;
}

}  // namespace exprae
