// max_pool1d and its kernels: cpu/max_pool1d.cpp and cuda/max_pool1d.cu
// register a set each. Declared here, not in ops/ops.h: an op lives in
// files of its own name (src/engine/README.md).
#pragma once

#include "ops/pool1d.h"
#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: (C, L, n) -> (C, L_out, n), L_out = (L - size) / stride + 1
// (integer division; positions left over at the end are dropped, as
// PyTorch's MaxPool1d and Keras' "valid" do); size >= 1, stride >= 1;
// BadArgument when size > L. Output j of a channel is the maximum of
// positions [j stride, j stride + size); a NaN in a window propagates.
// Backward: the gradient goes to the (first) maximum of each window.
// In float32 a window holds at most 2^24 positions (the argmax is kept as
// a float32 offset into it).
Variable max_pool1d(const Variable& x, index_t size, index_t stride);

struct MaxPool1dKernels {
    // y(c, j, s) = max over k in [0, size) of x(c, j stride + k, s);
    // argmax (y's shape and dtype; undefined: not wanted) = the first such
    // k that is a maximum.
    void (*forward)(const Tensor& x, index_t size, index_t stride,
                    const Tensor& y, const Tensor& argmax);
    // dx(c, l, s) (+)= sum of dy(c, j, s) over the windows j whose
    // maximum sits at l (math/max_pool1d.h), 0 where none does.
    void (*backward)(const Tensor& dy, const Tensor& argmax, index_t size,
                     index_t stride, const Tensor& dx, bool acc);
};

}  // namespace exprae
