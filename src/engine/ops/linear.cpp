// linear: y (out x n) = w (out x in) * x (in x n) + b (out x 1)
//   dw += dy x^T    db += rowsum(dy)    dx += w^T dy
#include <string>

#include "cpu/hot_kernels.h"
#include "cpu/reduce.h"
#include "ops/ops.h"

namespace exprae {

namespace {
void check_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
    if (w.cols() != x.rows() || b.rows() != w.rows() || b.cols() != 1) {
        throw std::invalid_argument(
            "linear: expected w (out x in), x (in x n), b (out x 1), got w " +
            w.shape_string() + ", x " + x.shape_string() + ", b " +
            b.shape_string());
    }
    check_same_dtype("linear", x, w);
    check_same_dtype("linear", w, b);
}

template <typename T>
void linear_backward(const Variable& x, const Variable& w, const Variable& b,
                     const Tensor& dy) {
    const Tensor& xv = x.value();
    const Tensor& wv = w.value();
    index_t out = wv.rows(), in = wv.cols(), n = xv.cols();
    bool acc = false;
    if (w.requires_grad()) {
        Tensor& dw = w.grad_target(&acc);
        cpu::gemm<T>(false, true, out, in, n, T(1), dy.data<T>(), out,
                     xv.data<T>(), in, acc ? T(1) : T(0), dw.data<T>(), out);
    }
    if (b.requires_grad()) {
        Tensor& db = b.grad_target(&acc);
        cpu::row_sums<T>(out, n, dy.data<T>(), db.data<T>(), acc);
    }
    // The network's input needs no gradient: skipping it saves a third of
    // the first layer's backward work.
    if (x.requires_grad()) {
        Tensor& dx = x.grad_target(&acc);
        cpu::gemm<T>(true, false, in, n, out, T(1), wv.data<T>(), out,
                     dy.data<T>(), out, acc ? T(1) : T(0), dx.data<T>(), in);
    }
}
}  // namespace

Variable linear(const Variable& x, const Variable& w, const Variable& b) {
    const Tensor& xv = x.value();
    const Tensor& wv = w.value();
    check_linear(xv, wv, b.value());
    index_t out = wv.rows(), in = wv.cols(), n = xv.cols();
    Tensor y = Tensor::empty(out, n, xv.dtype());
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::gemm<T>(false, false, out, n, in, T(1), wv.data<T>(), out,
                     xv.data<T>(), in, T(0), y.data<T>(), out);
        cpu::add_to_columns<T>(out, n, b.value().data<T>(), y.data<T>());
    });
    bool needs = x.requires_grad() || w.requires_grad() || b.requires_grad();
    Variable result(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return result;
    tape.record([x, w, b, result]() {
        if (!result.grad().defined()) return;
        dispatch(result.grad().dtype(), [&](auto tag) {
            linear_backward<decltype(tag)>(x, w, b, result.grad());
        });
    });
    return result;
}

}  // namespace exprae
