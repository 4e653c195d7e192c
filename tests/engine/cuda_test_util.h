// What the CPU-vs-CUDA tests share: the skip without a GPU and the
// normwise comparison. Every comparison is float32 on both sides.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "backend/backend.h"
#include "tensor/tensor.h"

namespace exprae {
namespace test {

// The parity tolerance of the issue: ||gpu - cpu|| / ||cpu|| <= 1e-5.
constexpr double kParityTolerance = 1e-5;

inline bool have_gpu() { return cuda_info().available; }

// EXPRAE_REQUIRE_GPU=1 (bench/gpu/run.sh sets it on the GPU machines):
// there a GPU that cannot be used fails the GPU tests instead of skipping
// them, so a broken driver or build cannot pass as "all skipped".
inline bool gpu_required() {
    const char* v = std::getenv("EXPRAE_REQUIRE_GPU");
    return v != nullptr && std::string(v) == "1";
}

#define EXPRAE_SKIP_WITHOUT_GPU()                                       \
    if (::exprae::test::have_gpu()) {                                   \
    } else if (::exprae::test::gpu_required())                          \
        FAIL() << "EXPRAE_REQUIRE_GPU=1 but no GPU: "                   \
               << ::exprae::cuda_info().reason;                          \
    else                                                                \
        GTEST_SKIP() << "no GPU: " << ::exprae::cuda_info().reason

// ||a - b|| / ||b|| over all elements (0 when both are 0); a NaN in
// either gives NaN, which fails every comparison.
inline double normwise_error(const Tensor& a, const Tensor& b) {
    Tensor x = a.host(), y = b.host();
    double diff = 0.0, ref = 0.0;
    for (index_t k = 0; k < y.size(); ++k) {
        double d = x.at(k) - y.at(k);
        diff += d * d;
        ref += y.at(k) * y.at(k);
    }
    if (ref == 0.0) return std::sqrt(diff);
    return std::sqrt(diff / ref);
}

inline void expect_parity(const Tensor& gpu, const Tensor& cpu,
                          const std::string& what,
                          double tol = kParityTolerance) {
    ASSERT_EQ(gpu.rows(), cpu.rows()) << what;
    ASSERT_EQ(gpu.cols(), cpu.cols()) << what;
    EXPECT_EQ(gpu.device(), Device::cuda) << what;
    double err = normwise_error(gpu, cpu);
    EXPECT_LE(err, tol) << what << ": relative error " << err;
}

}  // namespace test
}  // namespace exprae
