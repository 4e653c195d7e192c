// softplus's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/softplus.h.
#include "cuda/unary_kernels.cuh"
#include "math/softplus.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "softplus", Device::cuda,
                        cuda::unary_kernels<Softplus>());

}  // namespace exprae
