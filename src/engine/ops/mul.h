// The op mul (ops/mul.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// a * b elementwise, same shape
Variable mul(const Variable& a, const Variable& b);

}  // namespace exprae
