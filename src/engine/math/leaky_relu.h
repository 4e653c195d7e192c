// leaky_relu(x) = x for x > 0, slope * x otherwise.
// Compiled for the CPU (cpu/leaky_relu.cpp) and the GPU
// (cuda/leaky_relu.cu); the functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct LeakyRelu {
    double slope;
    EXPRAE_HD explicit LeakyRelu(double s) : slope(s) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(slope) * x;
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return x > T(0) ? T(1) : T(slope);
    }
};

}  // namespace exprae
