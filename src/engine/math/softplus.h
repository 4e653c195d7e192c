// softplus(x) = log(1 + exp(x)); derivative sigmoid(x).
// Compiled for the CPU (cpu/softplus.cpp) and the GPU (cuda/softplus.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"
#include "math/sigmoid.h"

namespace exprae {

struct Softplus {
    EXPRAE_HD explicit Softplus(double = 0.0) {}
    // max(x, 0) + log1p(exp(-|x|)) is exact and never overflows.
    template <typename T> EXPRAE_HD T forward(T x) const {
        return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return Sigmoid().forward(x);
    }
};

}  // namespace exprae
