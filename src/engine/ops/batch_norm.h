// The kernels of batch_norm (ops/batch_norm.cpp) on one device:
// cpu/batch_norm.cpp and cuda/batch_norm.cu register a set each. x is the
// matrix view features x n (tensor/shape.h); statistics are per feature,
// over the columns, in double.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// Per-feature normalisation over the minibatch (x: features x n, or
// channels x positions x n). In training it uses batch statistics and
// updates running_mean/running_var (features x 1, no gradient); in
// inference it uses the running values.
Variable batch_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, bool training,
                    double momentum = 0.1, double eps = 1e-5);

struct BatchNormKernels {
    // Per-feature statistics over the batch (training: also updates the
    // running ones with momentum, the variance unbiased) or the running
    // ones; inv_std (features x 1) = 1 / sqrt(var + eps),
    // xhat = (x - mean) inv_std, y = gamma xhat + beta.
    void (*forward)(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                    const Tensor& running_mean, const Tensor& running_var,
                    bool training, double momentum, double eps,
                    const Tensor& inv_std, const Tensor& xhat,
                    const Tensor& y);
    // The rule of ops/batch_norm.cpp into dx, dgamma, dbeta; undefined
    // ones are skipped, acc_* add.
    void (*backward)(const Tensor& dy, const Tensor& xhat,
                     const Tensor& inv_std, const Tensor& gamma,
                     bool batch_stats, const Tensor& dx, bool acc_dx,
                     const Tensor& dgamma, bool acc_gamma,
                     const Tensor& dbeta, bool acc_beta);
};

}  // namespace exprae
