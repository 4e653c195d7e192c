// The op linear (ops/linear.cpp).
#pragma once

#include "ops/unary.h"
#include "tape/tape.h"

namespace exprae {

// y (out x n) = f(w (out x in) * x (in x n) + b (out x 1)), f an
// activation fused into the layer (identity by default); x may be
// (in, positions, n), giving (out, positions, n).
Variable linear(const Variable& x, const Variable& w, const Variable& b,
                const Unary& activation = Unary{});

}  // namespace exprae
