// leaky_relu's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/leaky_relu.h.
#include "cpu/unary_kernels.h"
#include "math/leaky_relu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "leaky_relu", Device::cpu,
                        cpu::unary_kernels<LeakyRelu>());

}  // namespace exprae
