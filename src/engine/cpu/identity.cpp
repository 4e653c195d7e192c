// identity's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/identity.h.
#include "cpu/unary_kernels.h"
#include "math/identity.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "identity", Device::cpu,
                        cpu::unary_kernels<Identity>());

}  // namespace exprae
