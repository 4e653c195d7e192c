// scale's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/scale.h.
#include "cuda/unary_kernels.cuh"
#include "math/scale.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "scale", Device::cuda,
                        cuda::unary_kernels<Scale>());

}  // namespace exprae
