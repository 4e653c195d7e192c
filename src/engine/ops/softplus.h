// The op softplus (ops/softplus.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// log(1 + exp(x)), any shape
Variable softplus(const Variable& x);

}  // namespace exprae
