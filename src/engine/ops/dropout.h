// The kernels of dropout (ops/dropout.cpp) on one device: cpu/dropout.cpp
// and cuda/dropout.cu register a set each.
#pragma once

#include <cstdint>

#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// Inverted dropout: keeps each element with probability 1 - rate and scales
// it by 1 / (1 - rate). Draws element i of call `counter` from the
// (seed, dropout) stream, so a GPU kernel can draw the same mask.
Variable dropout(const Variable& x, double rate, std::uint64_t seed,
                 std::uint64_t counter);

struct DropoutKernels {
    // mask[i] = 1 / (1 - rate) if uniform(counter * 2^32 + i) >= rate,
    // else 0, from the (seed, dropout) Philox stream: the same mask on
    // every device.
    void (*mask)(std::uint64_t seed, std::uint64_t counter, double rate,
                 const Tensor& mask);
};

}  // namespace exprae
