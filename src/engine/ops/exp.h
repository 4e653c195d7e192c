// The op exp (ops/exp.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// exp(x), any shape
Variable exp(const Variable& x);

}  // namespace exprae
