// Philox4x32-10 (Salmon et al. 2011). block() maps counter = (index lo,
// index hi, stream lo, stream hi) and key = (seed lo, seed hi).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <set>

#include "random/philox.h"

namespace exprae {
namespace {

std::uint64_t join(std::uint32_t lo, std::uint32_t hi) {
    return (std::uint64_t{hi} << 32) | lo;
}

// The Random123 known-answer vectors (kat_vectors, "philox4x32 10" lines):
// counter[4], key[2] -> output[4].
struct Kat {
    std::uint32_t ctr[4];
    std::uint32_t key[2];
    std::uint32_t out[4];
};

const Kat kKats[] = {
    {{0, 0, 0, 0}, {0, 0},
     {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
     {0xffffffff, 0xffffffff},
     {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
     {0xa4093822, 0x299f31d0},
     {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(Philox, Random123KnownAnswers) {
    for (const Kat& k : kKats) {
        Philox rng(join(k.key[0], k.key[1]), join(k.ctr[2], k.ctr[3]));
        std::uint32_t out[4];
        rng.block(join(k.ctr[0], k.ctr[1]), out);
        for (int i = 0; i < 4; ++i)
            EXPECT_EQ(out[i], k.out[i]) << std::hex << "word " << i
                                        << " of ctr " << k.ctr[0];
    }
}

TEST(Philox, BitsAddressesWordsOfBlocks) {
    Philox rng(0, 0);
    EXPECT_EQ(rng.bits(0), 0x6627e8d5u);
    EXPECT_EQ(rng.bits(3), 0x9b00dbd8u);
    std::uint32_t out[4];
    rng.block(5, out);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(rng.bits(20 + i), out[i]);
}

TEST(Philox, PureFunctionOfSeedStreamAndIndex) {
    Philox a(123, 4), b(123, 4), c(124, 4), d(123, 5);
    EXPECT_EQ(a.bits(77), b.bits(77));
    EXPECT_NE(a.bits(77), c.bits(77));
    EXPECT_NE(a.bits(77), d.bits(77));
    std::set<std::uint32_t> seen;
    for (std::uint64_t n = 0; n < 1000; ++n) seen.insert(a.bits(n));
    EXPECT_GT(seen.size(), 995u);
}

TEST(Philox, UniformIsUniform) {
    Philox rng(2024, 7);
    const int n = 200000, bins = 20;
    int count[bins] = {};
    double total = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; ++i) {
        double u = rng.uniform(i);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        // 24 bits: exact in float32
        ASSERT_EQ(double(float(u)), u);
        total += u;
        lo = std::min(lo, u);
        hi = std::max(hi, u);
        ++count[static_cast<int>(u * bins)];
    }
    EXPECT_NEAR(total / n, 0.5, 0.005);
    EXPECT_LT(lo, 1e-4);
    EXPECT_GT(hi, 1 - 1e-4);
    double chi2 = 0, expected = double(n) / bins;
    for (int b = 0; b < bins; ++b)
        chi2 += (count[b] - expected) * (count[b] - expected) / expected;
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001
    EXPECT_LT(chi2, 43.8);
}

TEST(Philox, NormalHasMeanZeroUnitVariance) {
    Philox rng(99, 1);
    const int n = 100000;
    double s1 = 0, s2 = 0, s4 = 0;
    int beyond2 = 0;
    for (int i = 0; i < n; ++i) {
        double z = rng.normal(i);
        ASSERT_TRUE(std::isfinite(z));
        s1 += z;
        s2 += z * z;
        s4 += z * z * z * z;
        beyond2 += std::abs(z) > 2;
    }
    double mean = s1 / n, var = s2 / n - mean * mean;
    EXPECT_NEAR(mean, 0.0, 0.015);
    EXPECT_NEAR(var, 1.0, 0.02);
    EXPECT_NEAR(s4 / n, 3.0, 0.1);                  // kurtosis of a normal
    EXPECT_NEAR(double(beyond2) / n, 0.0455, 0.004);  // P(|Z| > 2)
}

}  // namespace
}  // namespace exprae
