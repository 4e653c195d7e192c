// leaky_relu(x) = x for x > 0, slope * x otherwise (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable leaky_relu(const Variable& x, double slope) {
    return unary_op(x, Unary{UnaryKind::leaky_relu, slope});
}

}  // namespace exprae
