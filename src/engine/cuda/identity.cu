// identity's CUDA kernels: the elementwise kernels of cuda/unary_kernels.cuh
// over math/identity.h.
#include "cuda/unary_kernels.cuh"
#include "math/identity.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(UnaryKernels, "identity", Device::cuda,
                        cuda::unary_kernels<Identity>());

}  // namespace exprae
