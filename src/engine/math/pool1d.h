// The windows of 1-D pooling over positions, shared by max_pool1d and
// avg_pool1d on the CPU (cpu/<op>.cpp) and the GPU (cuda/<op>.cu), so that
// both devices visit the same windows in the same order. x is (C, L, n)
// and y is (C, L_out, n), column-major: x(c, l, s) = x[c + C (l + L s)].
// Output j pools positions [j stride, j stride + size).
#pragma once

#include "math/host_device.h"
#include "tensor/shape.h"

namespace exprae {
namespace pool1d {

struct Geometry {
    index_t channels, length, out_length, size, stride;
};

// The outputs whose windows hold position l are first_window ..
// last_window; none (first > last) for a position that no window reaches:
// one left over at the end, or one skipped when stride > size. A gradient
// is the gather over these windows, so each dx element has one owner and
// sums in a fixed order (deterministic on the GPU, overlapping or not).
EXPRAE_HD inline index_t first_window(const Geometry& g, index_t l) {
    return l < g.size ? 0 : (l - g.size) / g.stride + 1;
}
EXPRAE_HD inline index_t last_window(const Geometry& g, index_t l) {
    index_t j = l / g.stride;
    return j < g.out_length ? j : g.out_length - 1;
}

// Where the window of output j of sample s starts in x, at channel 0.
EXPRAE_HD inline index_t window_start(const Geometry& g, index_t j,
                                      index_t s) {
    return g.channels * (j * g.stride + g.length * s);
}

}  // namespace pool1d
}  // namespace exprae
