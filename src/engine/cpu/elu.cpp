// elu's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/elu.h.
#include "cpu/unary_kernels.h"
#include "math/elu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "elu", Device::cpu,
                        cpu::unary_kernels<Elu>());

}  // namespace exprae
