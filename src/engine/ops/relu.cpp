// relu(x) = max(x, 0); the math is Relu in ops/elementwise.h
#include "ops/unary.h"

namespace exprae {

Variable relu(const Variable& x) {
    return unary_op(x, Unary{UnaryKind::relu});
}

}  // namespace exprae
