// global_max_pool: the maximum of each channel over all positions (Keras'
// GlobalMaxPooling1D), the usual head of a motif scanner.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: (C, L, n) -> (C, n) (2-D), y(c, s) = max over l of x(c, l, s); a NaN
// propagates. BadArgument for x not 3-D or with no positions. Backward:
// the gradient goes to the first maximum. It is max_pool1d with one
// window of all L positions, flattened: no kernels of its own (and, like
// max_pool1d, at most 2^24 positions in float32).
Variable global_max_pool(const Variable& x);

}  // namespace exprae
