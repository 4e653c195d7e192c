// layer_norm per sample over features (x: features x n, or any tensor
// whose first dimension is the feature), then gamma * xhat + beta with
// gamma, beta features x 1.
//   dgamma += rowsum(dy xhat)   dbeta += rowsum(dy)
//   g = dy gamma; dx = inv_std / F (F g - colsum(g) - xhat colsum(g xhat))
#include "ops/layer_norm.h"

#include <string>

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

namespace {
const LayerNormKernels& kernels_on(Device device) {
    return kernels<LayerNormKernels>("layer_norm", device);
}

void layer_norm_backward(const Variable& x, const Variable& gamma,
                         const Variable& beta, const Tensor& dy,
                         const Tensor& xhat, const Tensor& inv_std) {
    Backend& be = backend_for(dy);
    bool acc = false;
    if (x.requires_grad()) {
        Tensor& dx = x.grad_target(&acc);
        kernels_on(dy.device())
            .backward_input(dy, xhat, inv_std, gamma.value(), dx, acc);
    }
    if (gamma.requires_grad()) {
        Tensor prod = Tensor::empty_like(dy);
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
    for (const Tensor* t : {&gamma.value(), &beta.value()}) {
        check_column("layer_norm", "gamma and beta", *t, xv.rows());
        check_same_dtype("layer_norm", xv, *t);
    }
    Tensor xhat = Tensor::empty_like(xv);
    Tensor inv_std = Tensor::empty(1, xv.cols(), xv.dtype(), xv.device());
    Tensor y = Tensor::empty_like(xv);
    kernels_on(xv.device())
        .forward(xv, gamma.value(), beta.value(), eps, xhat, inv_std, y);
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
