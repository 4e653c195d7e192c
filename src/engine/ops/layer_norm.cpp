// layer_norm per sample over features (x: features x n), then
// gamma * xhat + beta with gamma, beta features x 1.
//   dgamma += rowsum(dy xhat)   dbeta += rowsum(dy)   dx: cpu/layer_norm.h
#include <string>

#include "backend/backend.h"
#include "ops/ops.h"

namespace exprae {

namespace {
void layer_norm_backward(const Variable& x, const Variable& gamma,
                         const Variable& beta, const Tensor& dy,
                         const Tensor& xhat, const Tensor& inv_std) {
    Backend& be = backend_for(dy);
    bool acc = false;
    if (x.requires_grad()) {
        Tensor& dx = x.grad_target(&acc);
        be.layer_norm_backward_input(dy, xhat, inv_std, gamma.value(), dx,
                                     acc);
    }
    if (gamma.requires_grad()) {
        Tensor prod = Tensor::empty(dy.rows(), dy.cols(), dy.dtype(),
                                    dy.device());
        be.multiply(dy, xhat, prod, false);
        Tensor& dg = gamma.grad_target(&acc);
        be.row_sums(prod, dg, acc);
    }
    if (beta.requires_grad()) {
        Tensor& db = beta.grad_target(&acc);
        be.row_sums(dy, db, acc);
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
    Tensor xhat = Tensor::empty(f, n, xv.dtype(), xv.device());
    Tensor inv_std = Tensor::empty(1, n, xv.dtype(), xv.device());
    Tensor y = Tensor::empty(f, n, xv.dtype(), xv.device());
    backend_for(xv).layer_norm_forward(xv, gamma.value(), beta.value(), eps,
                                       xhat, inv_std, y);
    bool needs = x.requires_grad() || gamma.requires_grad() ||
                 beta.requires_grad();
    Variable out(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return out;
    tape.record([x, gamma, beta, out, xhat, inv_std]() {
        if (!out.grad().defined()) return;
        layer_norm_backward(x, gamma, beta, out.grad(), xhat, inv_std);
    });
    return out;
}

}  // namespace exprae
