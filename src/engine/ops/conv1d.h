// The op conv1d (ops/conv1d.cpp): a 1-D convolution over the positions of
// a (channels, positions, samples) sequence, as im2col then linear(). Its
// im2col / col2im kernels: cpu/conv1d.cpp and cuda/conv1d.cu register a
// set each.
#pragma once

#include "ops/unary.h"
#include "tape/tape.h"

namespace exprae {

struct Conv1dOptions {
    index_t stride = 1;     // >= 1
    index_t dilation = 1;   // >= 1
    // false: "valid" (no padding); true: "same", TensorFlow's rule:
    // L_out = ceil(L / stride), total pad = max((L_out - 1) * stride +
    // dilation * (width - 1) + 1 - L, 0), left = total / 2, right = total -
    // left; padded positions are zeros.
    bool same = false;
};

// Output length for an input of `length` positions; BadArgument for a
// width, stride or dilation below 1, and when the dilated filter is longer
// than the (padded) input, the message naming both.
index_t conv1d_output_length(index_t length, index_t width,
                             const Conv1dOptions& opt);

// x (C_in, L, n); w C_out x (C_in * width), column c + C_in * k holding tap
// k of input channel c; b C_out x 1 -> y (C_out, L_out, n):
//   y(o, p, j) = f(b(o) + sum_{c,k} w(o, c + C_in k) x(c, p stride +
//                k dilation - pad_left, j)),
// x read as 0 outside [0, L), f an activation fused as linear() fuses it
// (ops/linear.h; identity by default). x must be 3-D.
Variable conv1d(const Variable& x, const Variable& w, const Variable& b,
                index_t width, const Conv1dOptions& opt,
                const Unary& activation = Unary());

// What conv1d(x, ., ., width, opt) multiplies its weights with, for a
// caller that reads which inputs a filter saw (R's filterMotifs()): the
// im2col columns (C_in * width, L_out, n) of x (C_in, L, n), row
// c + C_in * k of column (p, j) holding tap k of channel c at output
// position p (0 in the padding). No gradient; any device.
Tensor conv1d_windows(const Tensor& x, index_t width,
                      const Conv1dOptions& opt);

// Tap k of output position p reads input position
// p * stride + k * dilation - pad_left (zero outside [0, L)).
struct Conv1dGeometry {
    index_t width = 1, stride = 1, dilation = 1, pad_left = 0;
};

struct Conv1dKernels {
    // cols (C_in * width, L_out, n): row c + C_in * k of column (p, j) =
    // x (C_in, L, n) at (c, p * stride + k * dilation - pad_left, j), or 0
    // outside the input.
    void (*im2col)(const Conv1dGeometry& g, const Tensor& x,
                   const Tensor& cols);
    // dx (C_in, L, n) (+)= the adjoint of im2col applied to dcols: each
    // element of dx gets the sum of the entries of dcols that read it,
    // gathered (one writer per element: no atomics, the same sum in the
    // same order every run).
    void (*col2im)(const Conv1dGeometry& g, const Tensor& dcols,
                   const Tensor& dx, bool acc);
};

}  // namespace exprae
