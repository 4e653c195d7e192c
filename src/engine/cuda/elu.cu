// elu's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/elu.h.
#include "cuda/unary_kernels.cuh"
#include "math/elu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "elu", Device::cuda,
                        cuda::unary_kernels<Elu>());

}  // namespace exprae
