// The op scale (ops/scale.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// alpha * x, any shape
Variable scale(const Variable& x, double alpha);

}  // namespace exprae
