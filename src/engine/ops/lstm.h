// lstm: a whole sequence through a long short-term memory layer, forward
// and backward through time in one op (ops/lstm.cpp has the formulas).
#pragma once

#include "ops/recurrent.h"

namespace exprae {

// x: (C, L, n). backward == nullptr: unidirectional with H hidden units
// (H = w_hidden's columns); else bidirectional, the second direction
// reading positions L-1..0, its rows after the forward direction's.
// Returns the last hidden state ((H or 2H) x n; the backward direction's
// after position 0, as PyTorch's h_n) or, with opt.return_sequences, every
// position's ((H or 2H), L, n). Initial hidden and cell states are zero.
Variable lstm(const Variable& x, const RecurrentWeights& forward,
              const RecurrentWeights* backward, const RecurrentOptions& opt);

}  // namespace exprae
