// The math of max_pool1d shared by its CPU (cpu/max_pool1d.cpp) and GPU
// (cuda/max_pool1d.cu) kernels. One channel of a window is size values
// `step` (= channels) apart; an output's gradient goes to its window's
// first maximum, recorded as the offset k in [0, size).
#pragma once

#include "math/pool1d.h"

namespace exprae {
namespace pool1d {

// v takes over the running maximum when larger, or when it is the first
// NaN (a NaN propagates, as in PyTorch); a tie keeps the first maximum.
// Bitwise, not short-circuit: no branch, so a CPU loop over channels
// vectorises.
template <typename T> EXPRAE_HD inline bool takes_over(T v, T best) {
    return (v > best) | ((v != v) & (best == best));
}

// The offset of the first maximum of w[0], w[step], ..., w[(size-1) step].
template <typename T>
EXPRAE_HD inline index_t first_max_offset(const T* w, index_t step,
                                          index_t size) {
    T best = w[0];
    index_t at = 0;
    for (index_t k = 1; k < size; ++k) {
        T v = w[k * step];
        if (takes_over(v, best)) {
            best = v;
            at = k;
        }
    }
    return at;
}

// dx(c, l, s) = the sum of dy(c, j, s) over the windows j that hold l and
// whose maximum sits at l. dy and argmax point at (c, 0, s) of their
// (C, L_out, n) tensors.
template <typename T>
EXPRAE_HD inline double max_grad_at(const Geometry& g, index_t l,
                                    const T* dy, const T* argmax) {
    double total = 0.0;
    index_t last = last_window(g, l);
    for (index_t j = first_window(g, l); j <= last; ++j) {
        index_t i = j * g.channels;
        if (j * g.stride + static_cast<index_t>(argmax[i]) == l)
            total += dy[i];
    }
    return total;
}

}  // namespace pool1d
}  // namespace exprae
