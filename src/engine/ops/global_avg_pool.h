// global_avg_pool: the mean of each channel over all positions (Keras'
// GlobalAveragePooling1D).
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: (C, L, n) -> (C, n) (2-D), y(c, s) = mean over l of x(c, l, s),
// summed in double. BadArgument for x not 3-D or with no positions. It is
// avg_pool1d with one window of all L positions, flattened: no kernels of
// its own.
Variable global_avg_pool(const Variable& x);

}  // namespace exprae
