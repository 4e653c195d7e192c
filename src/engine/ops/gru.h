// gru: a whole sequence through a gated recurrent unit layer, forward and
// backward through time in one op (ops/gru.cpp has the formulas).
#pragma once

#include "ops/recurrent.h"

namespace exprae {

// x: (C, L, n). backward == nullptr: unidirectional with H hidden units
// (H = w_hidden's columns); else bidirectional, the second direction
// reading positions L-1..0, its rows after the forward direction's.
// Returns the last state ((H or 2H) x n; the backward direction's after
// position 0, as PyTorch's h_n) or, with opt.return_sequences, every
// position's ((H or 2H), L, n). Initial states are zero.
Variable gru(const Variable& x, const RecurrentWeights& forward,
             const RecurrentWeights* backward, const RecurrentOptions& opt);

}  // namespace exprae
