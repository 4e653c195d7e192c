// relu's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/relu.h.
#include "cuda/unary_kernels.cuh"
#include "math/relu.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "relu", Device::cuda,
                        cuda::unary_kernels<Relu>());

}  // namespace exprae
