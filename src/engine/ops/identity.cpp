// identity(x) = x (math/identity.h): the activation "linear" of a dense
// layer, whose kernels add the layer's bias and nothing else.
#include "ops/unary.h"

namespace exprae {

EXPRAE_REGISTER_ACTIVATION("linear", "identity");

}  // namespace exprae
