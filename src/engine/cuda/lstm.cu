// lstm's CUDA kernels (ops/lstm.h): the step kernels of
// cuda/recurrent_kernels.cuh over the LSTM cell of math/recurrent.h.
#include "backend/registry.h"
#include "cuda/recurrent_kernels.cuh"

namespace exprae {

EXPRAE_REGISTER_KERNELS(RecurrentKernels, "lstm", Device::cuda,
                        &cuda::recurrent_forward_step<rnn::LstmCell>,
                        &cuda::recurrent_backward_step<rnn::LstmCell>);

}  // namespace exprae
