// batch_norm over the minibatch, per feature (x: features x n, or any
// tensor whose first dimension is the feature: channels x positions x n
// normalises each channel over positions and samples).
// Training uses the batch mean/variance and updates the running statistics
// with momentum (the running variance unbiased, as in PyTorch); inference
// uses the running statistics.
//   y = gamma xhat + beta, xhat = (x - mean) inv_std
//   dgamma += rowsum(dy xhat)    dbeta += rowsum(dy)
//   dx = gamma inv_std / n (n dy - rowsum(dy) - xhat rowsum(dy xhat))
//        with batch statistics; gamma inv_std dy with running ones
#include "ops/batch_norm.h"

#include <string>

#include "backend/registry.h"

namespace exprae {

namespace {
void check_batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                      const Tensor& rm, const Tensor& rv, bool training) {
    for (const Tensor* t : {&gamma, &beta, &rm, &rv}) {
        check_column("batch_norm", "parameters", *t, x.rows());
        check_same_dtype("batch_norm", x, *t);
    }
    if (training && x.cols() < 2) {
        throw BadArgument(
            "batch_norm: training needs at least 2 samples per minibatch");
    }
}

const BatchNormKernels& kernels_on(Device device) {
    return kernels<BatchNormKernels>("batch_norm", device);
}
}  // namespace

Variable batch_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, bool training, double momentum,
                    double eps) {
    const Tensor& xv = x.value();
    check_batch_norm(xv, gamma.value(), beta.value(), running_mean,
                     running_var, training);
    Tensor inv_std = Tensor::empty(xv.rows(), 1, xv.dtype(), xv.device());
    Tensor xhat = Tensor::empty_like(xv);
    Tensor y = Tensor::empty_like(xv);
    kernels_on(xv.device())
        .forward(xv, gamma.value(), beta.value(), running_mean, running_var,
                 training, momentum, eps, inv_std, xhat, y);
    bool needs = x.requires_grad() || gamma.requires_grad() ||
                 beta.requires_grad();
    Variable out(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return out;
    tape.record([x, gamma, beta, out, xhat, inv_std, training]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc_x = false, acc_g = false, acc_b = false;
        Tensor dx = x.requires_grad() ? x.grad_target(&acc_x) : Tensor();
        Tensor dg = gamma.requires_grad() ? gamma.grad_target(&acc_g)
                                          : Tensor();
        Tensor db = beta.requires_grad() ? beta.grad_target(&acc_b)
                                         : Tensor();
        kernels_on(dy.device())
            .backward(dy, xhat, inv_std, gamma.value(), training, dx, acc_x,
                      dg, acc_g, db, acc_b);
    });
    return out;
}

}  // namespace exprae
