// exp's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/exp.h.
#include "cuda/unary_kernels.cuh"
#include "math/exp.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "exp", Device::cuda,
                        cuda::unary_kernels<Exp>());

}  // namespace exprae
