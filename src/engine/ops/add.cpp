// add: a + b with a, b the same shape, or b (rows x 1) added to every
// column of a. da += dy; db += dy (or rowsum(dy) when broadcast).
#include "cpu/map.h"
#include "cpu/reduce.h"
#include "ops/ops.h"

namespace exprae {

Variable add(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_dtype("add", av, bv);
    bool broadcast = !av.same_shape(bv);
    if (broadcast && (bv.rows() != av.rows() || bv.cols() != 1)) {
        throw std::invalid_argument(
            "add: b must match a or be a column of its rows, got a " +
            av.shape_string() + ", b " + bv.shape_string());
    }
    Tensor y = av.clone();
    dispatch(av.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if (broadcast) {
            cpu::add_to_columns<T>(av.rows(), av.cols(), bv.data<T>(),
                                   y.data<T>());
        } else {
            cpu::axpy<T>(av.size(), T(1), bv.data<T>(), y.data<T>(), true);
        }
    });
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out, broadcast]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            bool acc = false;
            if (a.requires_grad()) {
                Tensor& da = a.grad_target(&acc);
                cpu::axpy<T>(dy.size(), T(1), dy.data<T>(), da.data<T>(), acc);
            }
            if (!b.requires_grad()) return;
            Tensor& db = b.grad_target(&acc);
            if (broadcast) {
                cpu::row_sums<T>(dy.rows(), dy.cols(), dy.data<T>(),
                                 db.data<T>(), acc);
            } else {
                cpu::axpy<T>(dy.size(), T(1), dy.data<T>(), db.data<T>(), acc);
            }
        });
    });
    return out;
}

}  // namespace exprae
