// scale(x) = alpha * x; derivative alpha.
// Compiled for the CPU (cpu/scale.cpp) and the GPU (cuda/scale.cu); the
// functor's contract is in cpu/unary_kernels.h.
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

struct Scale {
    double alpha;
    EXPRAE_HD explicit Scale(double a) : alpha(a) {}
    template <typename T> EXPRAE_HD T forward(T x) const {
        return T(alpha) * x;
    }
    template <typename T> EXPRAE_HD T derivative(T, T) const {
        return T(alpha);
    }
};

}  // namespace exprae
