#include "train/batches.h"

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

std::vector<index_t> batch_starts(index_t n, index_t batch_size) {
    std::vector<index_t> starts;
    for (index_t s = 0; s < n; s += batch_size) starts.push_back(s);
    if (starts.size() > 1 && n - starts.back() == 1) starts.pop_back();
    return starts;
}

}  // namespace exprae
