// tanh(x); derivative 1 - y^2 from the output (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable tanh(const Variable& x) {
    return unary_op(x, Unary{UnaryKind::tanh});
}

}  // namespace exprae
