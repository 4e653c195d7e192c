// log's CPU kernels: the elementwise loops of cpu/unary_kernels.h over
// math/log.h.
#include "cpu/unary_kernels.h"
#include "math/log.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "log", Device::cpu,
                        cpu::unary_kernels<Log>());

}  // namespace exprae
