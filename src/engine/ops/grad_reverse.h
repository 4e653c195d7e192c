// grad_reverse: the gradient reversal layer of domain-adversarial training
// (Ganin and Lempitsky 2015). A classifier placed after it learns to tell
// the batches apart, while what lies before it (the encoder) is pushed to
// make them alike.
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// x: any shape -> y = x (sharing x's storage: no copy, no kernels).
// Backward: dx += -lambda * dy. lambda >= 0 and finite.
Variable grad_reverse(const Variable& x, double lambda);

}  // namespace exprae
