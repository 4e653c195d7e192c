// alpha * x (math/scale.h)
#include "ops/scale.h"

#include "ops/unary.h"

namespace exprae {

Variable scale(const Variable& x, double alpha) {
    return unary_op(x, Unary{"scale", alpha});
}

}  // namespace exprae
