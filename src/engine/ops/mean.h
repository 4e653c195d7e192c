// The op mean (ops/mean.cpp).
#pragma once

#include "tape/tape.h"

namespace exprae {

// The mean of all elements, 1 x 1
Variable mean(const Variable& x);

}  // namespace exprae
