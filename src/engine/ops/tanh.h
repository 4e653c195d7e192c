// The op tanh (ops/tanh.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// tanh(x), any shape
Variable tanh(const Variable& x);

}  // namespace exprae
