// log's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/log.h.
#include "cuda/unary_kernels.cuh"
#include "math/log.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "log", Device::cuda,
                        cuda::unary_kernels<Log>());

}  // namespace exprae
