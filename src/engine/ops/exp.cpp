// exp(x); derivative y (math/exp.h)
#include "ops/exp.h"

#include "ops/unary.h"

namespace exprae {

Variable exp(const Variable& x) {
    return unary_op(x, Unary{"exp"});
}

}  // namespace exprae
