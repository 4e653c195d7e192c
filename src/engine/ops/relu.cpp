// relu(x) = max(x, 0) (math/relu.h)
#include "ops/relu.h"

#include "ops/unary.h"

namespace exprae {

Variable relu(const Variable& x) {
    return unary_op(x, Unary{"relu"});
}

// A dense layer's activation "relu".
EXPRAE_REGISTER_ACTIVATION("relu", "relu");

}  // namespace exprae
