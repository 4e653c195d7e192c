// log(x); derivative 1 / x (math/log.h). Non-positive x gives -Inf/NaN,
// as in R, and the trainer's finite-loss check catches it.
#include "ops/log.h"

#include "ops/unary.h"

namespace exprae {

Variable log(const Variable& x) {
    return unary_op(x, Unary{"log"});
}

}  // namespace exprae
