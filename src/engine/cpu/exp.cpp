// exp's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/exp.h.
#include "cpu/unary_kernels.h"
#include "math/exp.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "exp", Device::cpu,
                        cpu::unary_kernels<Exp>());

}  // namespace exprae
