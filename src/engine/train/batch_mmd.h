// The batch MMD penalty of a batch model: how far apart the batches lie
// in the latent space, as a kernel two-sample statistic that can be
// added to the loss (train/objective.cpp).
#pragma once

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// At most this many samples of a minibatch enter the penalty (all pairs
// among them): the pairs cost O(samples^2) and a shuffled minibatch's
// first ones are a random subset.
constexpr index_t kMaxMmdSamples = 128;

// latent: k x n; batch_labels: 1 x n, 0-based batches (any device).
// The squared maximum mean discrepancy (Gretton et al. 2012) of each batch
// present against the other samples, averaged over those batches, with a
// Gaussian kernel exp(-d^2 / h) whose h is the mean squared distance
// between the samples' latent values (held constant), so that shrinking
// the latent cannot lower it. 1 x 1; 0 when one batch only is present.
Variable batch_mmd(const Variable& latent, const Tensor& batch_labels,
                   index_t n_batches);

}  // namespace exprae
