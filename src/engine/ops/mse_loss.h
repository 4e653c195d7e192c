// The kernels of mse_loss (ops/mse_loss.cpp) on one device: cpu/mse_loss.cpp
// and cuda/mse_loss.cu register a set each.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// mean((pred - target)^2) over all elements, 1 x 1; target gets no gradient.
Variable mse_loss(const Variable& pred, const Variable& target);

struct MseLossKernels {
    // out (one element) = mean((p - t)^2), summed in double
    void (*forward)(const Tensor& p, const Tensor& t, const Tensor& out);
    // dp (+)= 2 (p - t) dy[0] / size
    void (*backward)(const Tensor& p, const Tensor& t, const Tensor& dy,
                     const Tensor& dp, bool acc);
};

}  // namespace exprae
