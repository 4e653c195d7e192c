// The op inner_products (ops/inner_products.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// a^T b: a (k x s), b (k x t) -> s x t, the inner product of every column
// of a with every column of b (a Gram matrix when a is b).
Variable inner_products(const Variable& a, const Variable& b);

}  // namespace exprae
