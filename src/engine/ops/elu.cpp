// elu(x) = x for x > 0, alpha (exp(x) - 1) otherwise (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable elu(const Variable& x, double alpha) {
    return unary_op(x, Unary{UnaryKind::elu, alpha});
}

}  // namespace exprae
