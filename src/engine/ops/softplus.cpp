// softplus(x) = log(1 + exp(x)); derivative sigmoid(x) (ops/elementwise.h)
#include "ops/unary.h"

namespace exprae {

Variable softplus(const Variable& x) {
    return unary_op(x, Unary{UnaryKind::softplus});
}

}  // namespace exprae
