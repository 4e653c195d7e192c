// mul: a * b elementwise, same shape. da += dy * b; db += dy * a.
#include "cpu/map.h"
#include "ops/ops.h"

namespace exprae {

Variable mul(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_shape("mul", av, bv);
    check_same_dtype("mul", av, bv);
    Tensor y = Tensor::empty(av.rows(), av.cols(), av.dtype());
    dispatch(av.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::multiply<T>(av.size(), av.data<T>(), bv.data<T>(), y.data<T>(),
                         false);
    });
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            bool acc = false;
            if (a.requires_grad()) {
                Tensor& da = a.grad_target(&acc);
                cpu::multiply<T>(dy.size(), dy.data<T>(),
                                 b.value().data<T>(), da.data<T>(), acc);
            }
            if (b.requires_grad()) {
                Tensor& db = b.grad_target(&acc);
                cpu::multiply<T>(dy.size(), dy.data<T>(),
                                 a.value().data<T>(), db.data<T>(), acc);
            }
        });
    });
    return out;
}

}  // namespace exprae
