// The op log (ops/log.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// log(x), any shape
Variable log(const Variable& x);

}  // namespace exprae
