// The op concat_rows (ops/concat_rows.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// [a; b]: a (p x n) over b (q x n) -> (p + q) x n; along the first
// dimension for tensors of more.
Variable concat_rows(const Variable& a, const Variable& b);

}  // namespace exprae
