// The math of avg_pool1d shared by its CPU (cpu/avg_pool1d.cpp) and GPU
// (cuda/avg_pool1d.cu) kernels, in double. One channel of a window is
// size values `step` (= channels) apart.
#pragma once

#include "math/pool1d.h"

namespace exprae {
namespace pool1d {

// The mean of w[0], w[step], ..., w[(size-1) step].
template <typename T>
EXPRAE_HD inline double window_mean(const T* w, index_t step, index_t size) {
    double total = 0.0;
    for (index_t k = 0; k < size; ++k) total += w[k * step];
    return total / static_cast<double>(size);
}

// dx(c, l, s) = the sum of dy(c, j, s) over the windows j that hold l,
// divided by size. dy points at (c, 0, s) of the (C, L_out, n) gradient.
template <typename T>
EXPRAE_HD inline double mean_grad_at(const Geometry& g, index_t l,
                                     const T* dy) {
    double total = 0.0;
    index_t last = last_window(g, l);
    for (index_t j = first_window(g, l); j <= last; ++j)
        total += dy[j * g.channels];
    return total / static_cast<double>(g.size);
}

}  // namespace pool1d
}  // namespace exprae
