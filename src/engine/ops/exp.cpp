// exp(x); derivative y (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable exp(const Variable& x) {
    return unary_op(x, Unary{UnaryKind::exp});
}

}  // namespace exprae
