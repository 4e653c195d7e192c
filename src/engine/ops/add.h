// The op add (ops/add.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// a + b, same shape; or b (rows x 1) added to every column of a's matrix
// view
Variable add(const Variable& a, const Variable& b);

}  // namespace exprae
