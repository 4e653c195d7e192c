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

// The order an epoch visits `samples` in. block == 0: a seeded shuffle.
// block > 0 (a source read from disk in blocks of `block` consecutive
// samples): the blocks in a seeded order, the samples of each block
// shuffled, so that each block is read once per epoch.
std::vector<index_t> epoch_order(const std::vector<index_t>& samples,
                                 index_t block, std::uint64_t seed,
                                 std::uint64_t epoch);

// Start offsets of minibatches of about batch_size over n samples; the last
// batch absorbs a remainder of one sample, since batch statistics need two.
std::vector<index_t> batch_starts(index_t n, index_t batch_size);

}  // namespace exprae
