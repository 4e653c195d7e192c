// The kernels of kl_normal (ops/kl_normal.cpp) on one device:
// cpu/kl_normal.cpp and cuda/kl_normal.cu register a set each.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// KL(N(mu, exp(logvar)) || N(0, 1)) summed over rows, averaged over the
// columns (samples), 1 x 1.
Variable kl_normal(const Variable& mu, const Variable& logvar);

struct KlNormalKernels {
    // out (one element) = 0.5 sum(exp(lv) + mu^2 - 1 - lv) / cols
    void (*forward)(const Tensor& mu, const Tensor& lv, const Tensor& out);
    // dlv (+)= dy[0] 0.5 (exp(lv) - 1) / cols
    void (*logvar_backward)(const Tensor& lv, const Tensor& dy,
                            const Tensor& dlv, bool acc);
};

}  // namespace exprae
