// tanh's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/tanh.h.
#include "cuda/unary_kernels.cuh"
#include "math/tanh.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "tanh", Device::cuda,
                        cuda::unary_kernels<Tanh>());

}  // namespace exprae
