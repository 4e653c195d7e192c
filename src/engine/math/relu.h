// relu(x) = max(x, 0); derivative 1 for x > 0, else 0.
// Compiled for the CPU (cpu/relu.cpp) and the GPU (cuda/relu.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Relu {
    EXPRAE_HD explicit Relu(double = 0.0) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(0);
    }
    // A comparison turned into a number, not a branch: the CPU loop over
    // a tensor vectorises, and no branch is mispredicted per element.
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return static_cast<T>(x > T(0));
    }
};

}  // namespace exprae
