// tanh(x); derivative 1 - y^2 from the output.
// Compiled for the CPU (cpu/tanh.cpp) and the GPU (cuda/tanh.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Tanh {
    EXPRAE_HD explicit Tanh(double = 0.0) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::tanh(x);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const {
        return T(1) - y * y;
    }
};

}  // namespace exprae
