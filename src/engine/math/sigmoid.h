// sigmoid(x) = 1 / (1 + exp(-x)); derivative y (1 - y) from the output.
// Compiled for the CPU (cpu/sigmoid.cpp) and the GPU (cuda/sigmoid.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Sigmoid {
    EXPRAE_HD explicit Sigmoid(double = 0.0) {}
    // Both branches avoid exp of a large positive number.
    template <typename T> EXPRAE_HD T forward(T x) const {
        if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
        T e = std::exp(x);
        return e / (T(1) + e);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const {
        return y * (T(1) - y);
    }
};

}  // namespace exprae
