// tanh's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/tanh.h.
#include "cpu/unary_kernels.h"
#include "math/tanh.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "tanh", Device::cpu,
                        cpu::unary_kernels<Tanh>());

}  // namespace exprae
