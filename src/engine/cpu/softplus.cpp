// softplus's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/softplus.h.
#include "cpu/unary_kernels.h"
#include "math/softplus.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "softplus", Device::cpu,
                        cpu::unary_kernels<Softplus>());

}  // namespace exprae
