// Counter-based random numbers (Philox4x32-10, Salmon et al. 2011): the n-th
// number of a stream is a pure function of (seed, stream, n), so the CPU and
// a GPU kernel (cuda/dropout.cu, cuda/backend_kernels.cu) draw identical
// values from the same seed without sharing state, and each minibatch can
// address its own numbers without drawing the others.
#pragma once

#include <cmath>
#include <cstdint>

#include "math/host_device.h"

namespace exprae {

class Philox {
public:
    // `stream` separates independent uses of one seed (init, shuffle, dropout).
    EXPRAE_HD Philox(std::uint64_t seed, std::uint64_t stream)
        : key0_(static_cast<std::uint32_t>(seed)),
          key1_(static_cast<std::uint32_t>(seed >> 32)),
          stream_(stream) {}

    // The n-th 32-bit value of this stream.
    EXPRAE_HD std::uint32_t bits(std::uint64_t n) const {
        std::uint32_t out[4];
        block(n / 4, out);
        return out[n % 4];
    }

    // Uniform in [0, 1), 24 bits (exact in float32).
    EXPRAE_HD double uniform(std::uint64_t n) const {
        return (bits(n) >> 8) * (1.0 / 16777216.0);
    }

    // Standard normal by Box-Muller from two uniforms in (0, 1].
    EXPRAE_HD double normal(std::uint64_t n) const {
        std::uint32_t out[4];
        block(n, out);
        const double two_pi = 6.283185307179586;
        double u1 = ((out[0] >> 8) + 1.0) * (1.0 / 16777216.0);
        double u2 = (out[1] >> 8) * (1.0 / 16777216.0);
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(two_pi * u2);
    }

    // Four values for counter (block, stream).
    EXPRAE_HD void block(std::uint64_t index, std::uint32_t out[4]) const {
        std::uint32_t c0 = static_cast<std::uint32_t>(index);
        std::uint32_t c1 = static_cast<std::uint32_t>(index >> 32);
        std::uint32_t c2 = static_cast<std::uint32_t>(stream_);
        std::uint32_t c3 = static_cast<std::uint32_t>(stream_ >> 32);
        std::uint32_t k0 = key0_, k1 = key1_;
        for (int round = 0; round < 10; ++round) {
            std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c0;
            std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c2;
            std::uint32_t hi0 = static_cast<std::uint32_t>(p0 >> 32);
            std::uint32_t lo0 = static_cast<std::uint32_t>(p0);
            std::uint32_t hi1 = static_cast<std::uint32_t>(p1 >> 32);
            std::uint32_t lo1 = static_cast<std::uint32_t>(p1);
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

private:
    std::uint32_t key0_;
    std::uint32_t key1_;
    std::uint64_t stream_;
};

// Streams of one training run; each use of randomness has its own.
enum RandomStream : std::uint64_t {
    kStreamInit = 1,
    kStreamSplit = 2,
    kStreamShuffle = 3,
    kStreamDropout = 4,
    kStreamLatent = 5,   // reparameterised latent draws
    kStreamCorrupt = 6,  // denoising corruption of the input
    kStreamBlocks = 7,   // order of the blocks of a streamed source
};

}  // namespace exprae
