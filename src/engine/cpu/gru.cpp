// gru's CPU kernels (ops/gru.h): the step kernels of
// cpu/recurrent_kernels.h over the GRU cell of math/recurrent.h.
#include "backend/registry.h"
#include "cpu/recurrent_kernels.h"

namespace exprae {

EXPRAE_REGISTER_KERNELS(RecurrentKernels, "gru", Device::cpu,
                        &cpu::recurrent_forward_step<rnn::GruCell>,
                        &cpu::recurrent_backward_step<rnn::GruCell>);

}  // namespace exprae
