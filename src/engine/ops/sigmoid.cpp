// sigmoid(x) = 1 / (1 + exp(-x)); derivative y (1 - y) (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable sigmoid(const Variable& x) {
    return unary_op(x, Unary{UnaryKind::sigmoid});
}

}  // namespace exprae
