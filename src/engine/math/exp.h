// exp(x); derivative y.
// Compiled for the CPU (cpu/exp.cpp) and the GPU (cuda/exp.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Exp {
    EXPRAE_HD explicit Exp(double = 0.0) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::exp(x);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const { return y; }
};

}  // namespace exprae
