// Seeded splits and shuffles for the training loop.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace exprae {

// A permutation of 0..n-1 drawn from (seed, stream) at `round`
// (Fisher-Yates over Philox numbers, so CPU and GPU runs agree).
std::vector<index_t> permutation(index_t n, std::uint64_t seed,
                                 std::uint64_t stream, std::uint64_t round);

// Start offsets of minibatches of about batch_size over n samples; the last
// batch absorbs a remainder of one sample, since batch statistics need two.
std::vector<index_t> batch_starts(index_t n, index_t batch_size);

}  // namespace exprae
