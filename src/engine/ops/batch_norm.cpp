// batch_norm over the minibatch, per feature (x: features x n).
// Training: batch mean/variance, running statistics updated with momentum
// (the running variance is unbiased, as in PyTorch). Inference: running
// statistics. Backward rule in cpu/batch_norm.h (and its CUDA twin).
#include <string>

#include "backend/backend.h"
#include "ops/ops.h"

namespace exprae {

namespace {
void check_batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                      const Tensor& rm, const Tensor& rv, bool training) {
    index_t f = x.rows();
    for (const Tensor* t : {&gamma, &beta, &rm, &rv}) {
        if (t->rows() != f || t->cols() != 1) {
            throw std::invalid_argument(
                "batch_norm: parameters must be " + std::to_string(f) +
                " x 1 for x " + x.shape_string() + ", got " +
                t->shape_string());
        }
        check_same_dtype("batch_norm", x, *t);
    }
    if (training && x.cols() < 2) {
        throw std::invalid_argument(
            "batch_norm: training needs at least 2 samples per minibatch");
    }
}
}  // namespace

Variable batch_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, bool training, double momentum,
                    double eps) {
    const Tensor& xv = x.value();
    check_batch_norm(xv, gamma.value(), beta.value(), running_mean,
                     running_var, training);
    index_t f = xv.rows(), n = xv.cols();
    Tensor inv_std = Tensor::empty(f, 1, xv.dtype(), xv.device());
    Tensor xhat = Tensor::empty(f, n, xv.dtype(), xv.device());
    Tensor y = Tensor::empty(f, n, xv.dtype(), xv.device());
    backend_for(xv).batch_norm_forward(xv, gamma.value(), beta.value(),
                                       running_mean, running_var, training,
                                       momentum, eps, inv_std, xhat, y);
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
        backend_for(dy).batch_norm_backward(dy, xhat, inv_std, gamma.value(),
                                            training, dx, acc_x, dg, acc_g,
                                            db, acc_b);
    });
    return out;
}

}  // namespace exprae
