// sigmoid(x) = 1 / (1 + exp(-x)); derivative y (1 - y) (math/sigmoid.h)
#include "ops/sigmoid.h"

#include "ops/unary.h"

namespace exprae {

Variable sigmoid(const Variable& x) {
    return unary_op(x, Unary{"sigmoid"});
}

// A dense layer's activation "sigmoid".
EXPRAE_REGISTER_ACTIVATION("sigmoid", "sigmoid");

}  // namespace exprae
