// lstm's CPU kernels (ops/lstm.h): the step kernels of
// cpu/recurrent_kernels.h over the LSTM cell of math/recurrent.h.
#include "backend/registry.h"
#include "cpu/recurrent_kernels.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(RecurrentKernels, "lstm", Device::cpu,
                        &cpu::recurrent_forward_step<rnn::LstmCell>,
                        &cpu::recurrent_backward_step<rnn::LstmCell>);

}  // namespace exprae
