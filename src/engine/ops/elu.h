// The op elu (ops/elu.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// x for x > 0, alpha * (exp(x) - 1) otherwise; any shape
Variable elu(const Variable& x, double alpha = 1.0);

}  // namespace exprae
