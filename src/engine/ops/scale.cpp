// alpha * x (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable scale(const Variable& x, double alpha) {
    return unary_op(x, Unary{UnaryKind::scale, alpha});
}

}  // namespace exprae
