// sigmoid's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/sigmoid.h.
#include "cuda/unary_kernels.cuh"
#include "math/sigmoid.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "sigmoid", Device::cuda,
                        cuda::unary_kernels<Sigmoid>());

}  // namespace exprae
