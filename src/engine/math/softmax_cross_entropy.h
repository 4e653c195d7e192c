// The math of softmax_cross_entropy shared by the CPU
// (cpu/softmax_cross_entropy.cpp) and the GPU
// (cuda/softmax_cross_entropy.cu): which class a label names, and one
// column's log-sum-exp, written so that no exp overflows.
#pragma once

#include <cmath>
#include <cstdint>

#include "math/host_device.h"

namespace exprae {
namespace xent {

// The class of a label value: its index, or -1 for an unlabelled sample
// (a negative value or NaN) and for an index outside [0, classes), which
// the op refuses on the host before a kernel sees it.
EXPRAE_HD inline std::int64_t label_class(double v, std::int64_t classes) {
    return v >= 0 && v < static_cast<double>(classes)
               ? static_cast<std::int64_t>(v) : -1;
}

// log(sum_k exp(z[k])) = m + log(sum_k exp(z[k] - m)), m = max_k z[k]
template <typename T>
EXPRAE_HD double log_sum_exp(const T* z, std::int64_t k) {
    double m = z[0];
    for (std::int64_t c = 1; c < k; ++c) m = z[c] > m ? z[c] : m;
    double s = 0.0;
    for (std::int64_t c = 0; c < k; ++c) s += std::exp(z[c] - m);
    return m + std::log(s);
}

}  // namespace xent
}  // namespace exprae
