// elu(x) = x for x > 0, alpha * (exp(x) - 1) otherwise (math/elu.h)
#include "ops/elu.h"

#include "ops/unary.h"

namespace exprae {

Variable elu(const Variable& x, double alpha) {
    return unary_op(x, Unary{"elu", alpha});
}

// A dense layer's activation "elu".
EXPRAE_REGISTER_ACTIVATION("elu", "elu", 1.0);

}  // namespace exprae
