// leaky_relu(x) = x for x > 0, slope * x otherwise (math/leaky_relu.h)
#include "ops/leaky_relu.h"

#include "ops/unary.h"

namespace exprae {

Variable leaky_relu(const Variable& x, double slope) {
    return unary_op(x, Unary{"leaky_relu", slope});
}

// A dense layer's activation "leaky_relu".
EXPRAE_REGISTER_ACTIVATION("leaky_relu", "leaky_relu", 0.01);

}  // namespace exprae
