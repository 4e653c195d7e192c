// elu(x) = x for x > 0, alpha * (exp(x) - 1) otherwise.
// Compiled for the CPU (cpu/elu.cpp) and the GPU (cuda/elu.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Elu {
    double alpha;
    EXPRAE_HD explicit Elu(double a) : alpha(a) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(alpha) * std::expm1(x);
    }
    // For x <= 0, d/dx = alpha * exp(x) = y + alpha.
    template <typename T> EXPRAE_HD T derivative(T x, T y) const {
        return x > T(0) ? T(1) : y + T(alpha);
    }
};

}  // namespace exprae
