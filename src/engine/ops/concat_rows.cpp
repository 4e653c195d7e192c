// concat_rows: [a; b] with a (p x n) and b (q x n) -> (p + q) x n; with
// more dimensions, along the first: (p, ...) and (q, ...) -> (p + q, ...).
//   da += dy[0:p, ]; db += dy[p:p+q, ]
// Used to append a batch one-hot under an encoder's input or a latent.
#include "ops/concat_rows.h"

#include "backend/backend.h"

namespace exprae {

Variable concat_rows(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_dtype("concat_rows", av, bv);
    if (av.shape().with(0, 0) != bv.shape().with(0, 0)) {
        throw BadArgument(
            "concat_rows: a and b may differ in their first dimension "
            "only, got a " + av.shape_string() + ", b " + bv.shape_string());
    }
    Backend& be = backend_for(av);
    Tensor y = Tensor::empty(av.shape().with(0, av.rows() + bv.rows()),
                             av.dtype(), av.device());
    be.copy_rows(y, 0, av, false, false);
    be.copy_rows(y, av.rows(), bv, false, false);
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
            be.copy_rows(dy, 0, da, true, acc);
        }
        if (b.requires_grad()) {
            Tensor& db = b.grad_target(&acc);
            be.copy_rows(dy, a.value().rows(), db, true, acc);
        }
    });
    return out;
}

}  // namespace exprae
