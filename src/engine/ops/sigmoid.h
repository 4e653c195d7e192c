// The op sigmoid (ops/sigmoid.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// 1 / (1 + exp(-x)), any shape
Variable sigmoid(const Variable& x);

}  // namespace exprae
