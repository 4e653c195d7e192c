// The kernels of layer_norm (ops/layer_norm.cpp) on one device:
// cpu/layer_norm.cpp and cuda/layer_norm.cu register a set each. x is the
// matrix view features x n; statistics are per column, in double.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// Per-sample normalisation over features (x: features x n, or channels x
// positions x n), then gamma * xhat + beta with gamma, beta features x 1.
Variable layer_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, double eps = 1e-5);

struct LayerNormKernels {
    // For each column: inv_std (1 x cols) = 1 / sqrt(var + eps),
    // xhat = (x - mean) inv_std, y = gamma xhat + beta.
    void (*forward)(const Tensor& x, const Tensor& gamma, const Tensor& beta,
                    double eps, const Tensor& xhat, const Tensor& inv_std,
                    const Tensor& y);
    // dx (+)= the rule of ops/layer_norm.cpp
    void (*backward_input)(const Tensor& dy, const Tensor& xhat,
                           const Tensor& inv_std, const Tensor& gamma,
                           const Tensor& dx, bool acc);
};

}  // namespace exprae
