// softplus(x) = log(1 + exp(x)); derivative sigmoid(x) (math/softplus.h)
#include "ops/softplus.h"

#include "ops/unary.h"

namespace exprae {

Variable softplus(const Variable& x) {
    return unary_op(x, Unary{"softplus"});
}

// A dense layer's activation "softplus".
EXPRAE_REGISTER_ACTIVATION("softplus", "softplus");

}  // namespace exprae
