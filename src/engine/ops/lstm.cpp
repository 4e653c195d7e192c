// lstm (ops/lstm.h): PyTorch's LSTM over a whole sequence. Per direction
// and position, from h, c (zero at first) and the input column x, with
// a_q = W_iq x + b_iq + W_hq h + b_hq:
//   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
//   c' = f c + i g    h' = o tanh(c')
// Backward through time, from dh' (the carried gradient plus the output's)
// and dc' (carried):
//   dc~ = dc' + dh' o (1 - tanh(c')^2)
//   da_i = dc~ g i (1 - i)   da_f = dc~ c f (1 - f)
//   da_g = dc~ i (1 - g^2)   da_o = dh' tanh(c') o (1 - o)
//   dc = dc~ f               dh = W_hidden^T da
// (the input and hidden pre-activations share da), and the weight, bias
// and x gradients as GEMMs over all positions (ops/recurrent.cpp has the
// loop and the layouts).
#include "ops/lstm.h"

namespace exprae {

Variable lstm(const Variable& x, const RecurrentWeights& forward,
              const RecurrentWeights* backward, const RecurrentOptions& opt) {
    // saved per step: i, f, g, o; the cell states are kept apart
    static const RecurrentCell cell{"lstm", 4, 4, true};
    return recurrent(cell, x, forward, backward, opt);
}

}  // namespace exprae
