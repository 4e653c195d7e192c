// batch_norm over the minibatch, per feature (x: features x n).
// Training: batch mean/variance, running statistics updated with momentum
// (the running variance is unbiased, as in PyTorch). Inference: running
// statistics. Backward rule in cpu/batch_norm.h.
#include <cmath>
#include <string>

#include "cpu/batch_norm.h"
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

// Fills mean and inv_std (features x 1) from the batch or running values.
template <typename T>
void statistics(const Tensor& x, Tensor& rm, Tensor& rv, bool training,
                double momentum, double eps, Tensor& mean, Tensor& inv_std) {
    index_t f = x.rows(), n = x.cols();
    T* m = mean.data<T>();
    T* s = inv_std.data<T>();
    if (!training) {
        for (index_t r = 0; r < f; ++r) {
            m[r] = rm.data<T>()[r];
            s[r] = T(1.0 / std::sqrt(double(rv.data<T>()[r]) + eps));
        }
        return;
    }
    std::vector<double> bm, bv;
    cpu::row_moments<T>(f, n, x.data<T>(), bm, bv);
    double unbias = static_cast<double>(n) / static_cast<double>(n - 1);
    for (index_t r = 0; r < f; ++r) {
        m[r] = T(bm[r]);
        s[r] = T(1.0 / std::sqrt(bv[r] + eps));
        T* rmr = rm.data<T>() + r;
        T* rvr = rv.data<T>() + r;
        *rmr = T((1 - momentum) * *rmr + momentum * bm[r]);
        *rvr = T((1 - momentum) * *rvr + momentum * bv[r] * unbias);
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
    Tensor mean = Tensor::empty(f, 1, xv.dtype());
    Tensor inv_std = Tensor::empty(f, 1, xv.dtype());
    Tensor xhat = Tensor::empty(f, n, xv.dtype());
    Tensor y = Tensor::empty(f, n, xv.dtype());
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        statistics<T>(xv, running_mean, running_var, training, momentum, eps,
                      mean, inv_std);
        cpu::normalize_rows<T>(f, n, xv.data<T>(), mean.data<T>(),
                               inv_std.data<T>(), gamma.value().data<T>(),
                               beta.value().data<T>(), xhat.data<T>(),
                               y.data<T>());
    });
    bool needs = x.requires_grad() || gamma.requires_grad() ||
                 beta.requires_grad();
    Variable out(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return out;
    tape.record([x, gamma, beta, out, xhat, inv_std, training]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc_x = false, acc_g = false, acc_b = false;
        Tensor* dx = x.requires_grad() ? &x.grad_target(&acc_x) : nullptr;
        Tensor* dg = gamma.requires_grad() ? &gamma.grad_target(&acc_g)
                                           : nullptr;
        Tensor* db = beta.requires_grad() ? &beta.grad_target(&acc_b)
                                          : nullptr;
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::batch_norm_backward<T>(
                dy.rows(), dy.cols(), dy.data<T>(), xhat.data<T>(),
                inv_std.data<T>(), gamma.value().data<T>(), training,
                dx ? dx->data<T>() : nullptr, acc_x,
                dg ? dg->data<T>() : nullptr, acc_g,
                db ? db->data<T>() : nullptr, acc_b);
        });
    });
    return out;
}

}  // namespace exprae
