// flatten: a sequence's channels and positions as one column per sample,
// for a dense layer after the convolutions and pools.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: (C, L, n) -> (C*L, n), a reshape sharing x's storage (no copy, no
// kernels): row c + C l of the result is channel c at position l.
// Backward adds the gradient, reshaped back, into x's.
Variable flatten(const Variable& x);

}  // namespace exprae
