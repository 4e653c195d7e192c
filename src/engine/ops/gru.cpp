// gru (ops/gru.h): PyTorch's GRU over a whole sequence. Per direction and
// position, from h (zero at first) and the input column x:
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
//   z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r (W_hn h + b_hn))
//   h' = (1 - z) n + z h
// Backward through time, from dh' (the carried gradient plus the output's):
//   dn~ = dh' (1 - z)(1 - n^2)   dz~ = dh' (h - n) z (1 - z)
//   dr~ = dn~ (W_hn h + b_hn) r (1 - r)
//   d(input pre-activations) = (dr~, dz~, dn~)
//   d(hidden pre-activations) = (dr~, dz~, r dn~)
//   dh = dh' z + W_hidden^T d(hidden pre-activations)
// and the weight, bias and x gradients as GEMMs over all positions
// (ops/recurrent.cpp has the loop and the layouts).
#include "ops/gru.h"

namespace exprae {

Variable gru(const Variable& x, const RecurrentWeights& forward,
             const RecurrentWeights* backward, const RecurrentOptions& opt) {
    // saved per step: r, z, n and W_hn h + b_hn (dr needs it)
    static const RecurrentCell cell{"gru", 3, 4, false};
    return recurrent(cell, x, forward, backward, opt);
}

}  // namespace exprae
