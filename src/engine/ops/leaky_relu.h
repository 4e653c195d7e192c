// The op leaky_relu (ops/leaky_relu.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// x for x > 0, slope * x otherwise; any shape
Variable leaky_relu(const Variable& x, double slope = 0.01);

}  // namespace exprae
