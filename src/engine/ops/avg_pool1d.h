// avg_pool1d and its kernels: cpu/avg_pool1d.cpp and cuda/avg_pool1d.cu
// register a set each.
#pragma once

#include "ops/pool1d.h"
#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: (C, L, n) -> (C, L_out, n), L_out = (L - size) / stride + 1
// (integer division; positions left over at the end are dropped, as
// PyTorch's AvgPool1d and Keras' "valid" do); size >= 1, stride >= 1;
// BadArgument when size > L. Output j of a channel is the mean of
// positions [j stride, j stride + size), summed in double.
Variable avg_pool1d(const Variable& x, index_t size, index_t stride);

struct AvgPool1dKernels {
    // y(c, j, s) = mean over k in [0, size) of x(c, j stride + k, s)
    void (*forward)(const Tensor& x, index_t size, index_t stride,
                    const Tensor& y);
    // dx(c, l, s) (+)= sum of dy(c, j, s) over the windows j that hold l,
    // / size (math/avg_pool1d.h); 0 where no window does.
    void (*backward)(const Tensor& dy, index_t size, index_t stride,
                     const Tensor& dx, bool acc);
};

}  // namespace exprae
