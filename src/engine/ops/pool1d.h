// What the pooling ops over positions share (max_pool1d, avg_pool1d and,
// through them, global_max_pool and global_avg_pool): the checks of a
// (channels, positions, samples) input, the output length and the window
// geometry. Header only; the window math both devices use is
// math/pool1d.h.
#pragma once

#include <string>

#include "errors.h"
#include "math/pool1d.h"
#include "tensor/tensor.h"

namespace exprae {
namespace pool1d {

// BadArgument naming op unless x is (channels, positions, samples).
inline void check_sequence(const char* op, const Tensor& x) {
    if (x.ndim() != 3) {
        throw BadArgument(std::string(op) +
                          ": x must be channels x positions x samples "
                          "(3-D), got " + x.shape_string());
    }
}

// The L of x (C, L, n) that a global pool takes as its one window;
// BadArgument naming op unless x is 3-D with a position or more.
inline index_t global_length(const char* op, const Tensor& x) {
    check_sequence(op, x);
    if (x.dim(1) == 0) {
        throw BadArgument(std::string(op) + ": x has no positions (" +
                          x.shape_string() + ")");
    }
    return x.dim(1);
}

// (length - size) / stride + 1, or BadArgument naming op and the value.
inline index_t output_length(const char* op, index_t length, index_t size,
                             index_t stride) {
    std::string at = std::string(op) + ": ";
    if (size < 1) {
        throw BadArgument(at + "size must be >= 1, got " +
                          std::to_string(size));
    }
    if (stride < 1) {
        throw BadArgument(at + "stride must be >= 1, got " +
                          std::to_string(stride));
    }
    if (size > length) {
        throw BadArgument(at + "size " + std::to_string(size) +
                          " is larger than the " + std::to_string(length) +
                          " positions of x");
    }
    return (length - size) / stride + 1;
}

// x (C, L, n) checked -> (C, L_out, n)
inline Shape output_shape(const char* op, const Tensor& x, index_t size,
                          index_t stride) {
    check_sequence(op, x);
    return Shape{x.dim(0), output_length(op, x.dim(1), size, stride),
                 x.dim(2)};
}

// The geometry of pooling x (C, L, n) into y (C, L_out, n).
inline Geometry geometry(const Tensor& x, const Tensor& y, index_t size,
                         index_t stride) {
    return Geometry{x.dim(0), x.dim(1), y.dim(1), size, stride};
}

}  // namespace pool1d

// L_out = (L - size) / stride + 1 (integer division: positions left over
// at the end are dropped, as PyTorch's MaxPool1d and Keras' "valid" do);
// BadArgument unless size >= 1, stride >= 1 and size <= length.
inline index_t pool1d_output_length(index_t length, index_t size,
                                    index_t stride) {
    return pool1d::output_length("pool1d", length, size, stride);
}

}  // namespace exprae
