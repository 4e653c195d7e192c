// The op sum (ops/sum.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// The sum of all elements, 1 x 1
Variable sum(const Variable& x);

}  // namespace exprae
