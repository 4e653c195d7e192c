// identity(x) = x: the activation "linear", and the bias add of a
// dense layer without one.
// Compiled for the CPU (cpu/identity.cpp) and the GPU (cuda/identity.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Identity {
    EXPRAE_HD explicit Identity(double = 0.0) {}
    template <typename T> EXPRAE_HD T forward(T x) const { return x; }
    template <typename T> EXPRAE_HD T derivative(T, T) const { return T(1); }
};

}  // namespace exprae
