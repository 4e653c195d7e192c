// The element math of sigmoid_cross_entropy, shared by the CPU
// (cpu/sigmoid_cross_entropy.cpp) and the GPU
// (cuda/sigmoid_cross_entropy.cu). For a logit z and a target t in [0, 1]:
//   loss = -t log(sigmoid(z)) - (1 - t) log(1 - sigmoid(z))
//        = max(z, 0) - z t + log1p(exp(-|z|))      (no exp overflows)
//   d loss / dz = sigmoid(z) - t
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {
namespace bce {

struct Element {
    double loss, grad;
};

EXPRAE_HD inline Element element(double z, double t) {
    double e = std::exp(-std::fabs(z));  // in (0, 1]
    double sig = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    Element out;
    out.loss = (z > 0 ? z : 0.0) - z * t + std::log1p(e);
    out.grad = sig - t;
    return out;
}

// A missing target is NaN: it adds nothing to the loss or its count.
EXPRAE_HD inline bool observed(double t) { return t == t; }

}  // namespace bce
}  // namespace exprae
