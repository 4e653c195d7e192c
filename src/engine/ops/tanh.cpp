// tanh(x); derivative 1 - y^2 from the output (math/tanh.h)
#include "ops/tanh.h"

#include "ops/unary.h"

namespace exprae {

Variable tanh(const Variable& x) {
    return unary_op(x, Unary{"tanh"});
}

// A dense layer's activation "tanh".
EXPRAE_REGISTER_ACTIVATION("tanh", "tanh");

}  // namespace exprae
