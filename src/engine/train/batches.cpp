#include "train/batches.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "random/philox.h"

namespace exprae {

std::vector<index_t> permutation(index_t n, std::uint64_t seed,
                                 std::uint64_t stream, std::uint64_t round) {
    std::vector<index_t> order(n);
    std::iota(order.begin(), order.end(), index_t{0});
    Philox rng(seed, stream);
    std::uint64_t base = round << 32;
    for (index_t i = n - 1; i > 0; --i) {
        // 64-bit product keeps the draw unbiased enough for shuffling.
        std::uint64_t r = rng.bits(base + static_cast<std::uint64_t>(i));
        index_t j = static_cast<index_t>((r * static_cast<std::uint64_t>(i + 1))
                                         >> 32);
        std::swap(order[i], order[j]);
    }
    return order;
}

std::vector<index_t> epoch_order(const std::vector<index_t>& samples,
                                 index_t block, std::uint64_t seed,
                                 std::uint64_t epoch) {
    index_t n = static_cast<index_t>(samples.size());
    std::vector<index_t> order = permutation(n, seed, kStreamShuffle, epoch);
    std::vector<index_t> out(n);
    for (index_t k = 0; k < n; ++k) out[k] = samples[order[k]];
    if (block <= 0 || n == 0) return out;
    // Group the shuffled samples by block, keeping their shuffled order
    // inside each block, and visit the blocks in a shuffled order.
    index_t n_blocks = *std::max_element(samples.begin(), samples.end()) /
                       block + 1;
    std::vector<index_t> rank =
        permutation(n_blocks, seed, kStreamBlocks, epoch);
    std::stable_sort(out.begin(), out.end(), [&](index_t a, index_t b) {
        return rank[a / block] < rank[b / block];
    });
    return out;
}

std::vector<index_t> batch_starts(index_t n, index_t batch_size) {
    std::vector<index_t> starts;
    for (index_t s = 0; s < n; s += batch_size) starts.push_back(s);
    if (starts.size() > 1 && n - starts.back() == 1) starts.pop_back();
    return starts;
}

}  // namespace exprae
