// relu's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/relu.h.
#include "cpu/unary_kernels.h"
#include "math/relu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "relu", Device::cpu,
                        cpu::unary_kernels<Relu>());

}  // namespace exprae
