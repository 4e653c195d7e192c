// sigmoid's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/sigmoid.h.
#include "cpu/unary_kernels.h"
#include "math/sigmoid.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "sigmoid", Device::cpu,
                        cpu::unary_kernels<Sigmoid>());

}  // namespace exprae
