// scale's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/scale.h.
#include "cpu/unary_kernels.h"
#include "math/scale.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "scale", Device::cpu,
                        cpu::unary_kernels<Scale>());

}  // namespace exprae
