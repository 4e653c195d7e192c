// The op relu (ops/relu.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// max(x, 0), any shape
Variable relu(const Variable& x);

}  // namespace exprae
