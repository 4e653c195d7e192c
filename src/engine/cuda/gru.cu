// gru's CUDA kernels (ops/gru.h): the step kernels of
// cuda/recurrent_kernels.cuh over the GRU cell of math/recurrent.h.
#include "backend/registry.h"
#include "cuda/recurrent_kernels.cuh"

namespace exprae {

EXPRAE_REGISTER_KERNELS(RecurrentKernels, "gru", Device::cuda,
                        &cuda::recurrent_forward_step<rnn::GruCell>,
                        &cuda::recurrent_backward_step<rnn::GruCell>);

}  // namespace exprae
