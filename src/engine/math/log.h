// log(x); derivative 1 / x. Non-positive x gives -Inf/NaN, as in R, and
// the trainer's finite-loss check catches it.
// Compiled for the CPU (cpu/log.cpp) and the GPU (cuda/log.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Log {
    EXPRAE_HD explicit Log(double = 0.0) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::log(x);
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return T(1) / x;
    }
};

}  // namespace exprae
