// sum over all elements -> 1 x 1; dx += dy (broadcast)
#include "ops/sum.h"

#include "ops/reduce_all.h"

namespace exprae {

Variable sum(const Variable& x) { return reduce_all(x, 1.0); }

}  // namespace exprae
