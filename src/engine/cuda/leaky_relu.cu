// leaky_relu's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/leaky_relu.h.
#include "cuda/unary_kernels.cuh"
#include "math/leaky_relu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "leaky_relu", Device::cuda,
                        cuda::unary_kernels<LeakyRelu>());

}  // namespace exprae
