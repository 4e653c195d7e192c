// layer_norm per sample over features (x: features x n), then
// gamma * xhat + beta with gamma, beta features x 1.
//   dgamma += rowsum(dy xhat)   dbeta += rowsum(dy)   dx: cpu/layer_norm.h
#include <string>

#include "cpu/layer_norm.h"
#include "cpu/map.h"
#include "cpu/reduce.h"
#include "ops/ops.h"

namespace exprae {

namespace {
template <typename T>
void layer_norm_backward(const Variable& x, const Variable& gamma,
                         const Variable& beta, const Tensor& dy,
                         const Tensor& xhat, const Tensor& inv_std) {
    index_t f = dy.rows(), n = dy.cols();
    bool acc = false;
    if (x.requires_grad()) {
        Tensor& dx = x.grad_target(&acc);
        cpu::layer_norm_backward_input<T>(f, n, dy.data<T>(), xhat.data<T>(),
                                          inv_std.data<T>(),
                                          gamma.value().data<T>(),
                                          dx.data<T>(), acc);
    }
    if (gamma.requires_grad()) {
        Tensor prod = Tensor::empty(f, n, dy.dtype());
        cpu::multiply<T>(dy.size(), dy.data<T>(), xhat.data<T>(),
                         prod.data<T>(), false);
        Tensor& dg = gamma.grad_target(&acc);
        cpu::row_sums<T>(f, n, prod.data<T>(), dg.data<T>(), acc);
    }
    if (beta.requires_grad()) {
        Tensor& db = beta.grad_target(&acc);
        cpu::row_sums<T>(f, n, dy.data<T>(), db.data<T>(), acc);
    }
}
}  // namespace

Variable layer_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, double eps) {
    const Tensor& xv = x.value();
    index_t f = xv.rows(), n = xv.cols();
    for (const Tensor* t : {&gamma.value(), &beta.value()}) {
        if (t->rows() != f || t->cols() != 1) {
            throw std::invalid_argument(
                "layer_norm: gamma and beta must be " + std::to_string(f) +
                " x 1 for x " + xv.shape_string() + ", got " +
                t->shape_string());
        }
        check_same_dtype("layer_norm", xv, *t);
    }
    Tensor xhat = Tensor::empty(f, n, xv.dtype());
    Tensor inv_std = Tensor::empty(1, n, xv.dtype());
    Tensor y = Tensor::empty(f, n, xv.dtype());
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::layer_norm_forward<T>(f, n, xv.data<T>(),
                                   gamma.value().data<T>(),
                                   beta.value().data<T>(), eps,
                                   xhat.data<T>(), inv_std.data<T>(),
                                   y.data<T>());
    });
    bool needs = x.requires_grad() || gamma.requires_grad() ||
                 beta.requires_grad();
    Variable out(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return out;
    tape.record([x, gamma, beta, out, xhat, inv_std]() {
        if (!out.grad().defined()) return;
        dispatch(out.grad().dtype(), [&](auto tag) {
            layer_norm_backward<decltype(tag)>(x, gamma, beta, out.grad(),
                                               xhat, inv_std);
        });
    });
    return out;
}

}  // namespace exprae
