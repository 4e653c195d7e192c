// What the CPU-vs-CUDA tests share: the skip without a GPU, the normwise
// comparison and the comparison of an op's forward and backward on both
// devices (after ggml's test-backend-ops). Each op's file has its own
// parity test with a tolerance chosen for that op. Every comparison is
// float32 on both sides.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "ops/ops.h"
#include "tensor/tensor.h"
#include "test_util.h"

namespace exprae {
namespace test {

// The default parity tolerance: ||gpu - cpu|| / ||cpu|| <= 1e-5.
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
    ASSERT_EQ(gpu.shape_string(), cpu.shape_string()) << what;
    EXPECT_EQ(gpu.device(), Device::cuda) << what;
    double err = normwise_error(gpu, cpu);
    EXPECT_LE(err, tol) << what << ": relative error " << err;
}

using OpFn = std::function<Variable(const std::vector<Variable>&)>;

namespace detail {
struct OpResult {
    Tensor y;
    std::vector<Tensor> grads;
};

// r: the fixed weights of L = sum(y * r); made on the first run from y's
// shape. preset > 0 gives each input a gradient buffer holding it.
inline OpResult run_on(Device device, const OpFn& f,
                       const std::vector<Tensor>& in,
                       const std::vector<bool>& rg, Tensor& r,
                       double preset) {
    Tape::current().clear();
    std::vector<Variable> vars;
    for (std::size_t k = 0; k < in.size(); ++k) {
        vars.emplace_back(in[k].to(device), rg[k]);
        if (rg[k] && preset != 0.0) {
            vars.back().set_grad(
                Tensor::full(in[k].shape(), preset, DType::f32, device));
        }
    }
    Variable y = f(vars);
    OpResult out{y.value(), {}};
    if (!r.defined()) r = normal(y.value().shape(), 99, 0.0, 1.0, DType::f32);
    if (!y.requires_grad()) return out;
    Tape::current().backward(sum(mul(y, Variable(r.to(device)))));
    for (std::size_t k = 0; k < in.size(); ++k)
        out.grads.push_back(rg[k] ? vars[k].grad() : Tensor());
    return out;
}
}  // namespace detail

// Runs the op on both devices from the same inputs (float64 tensors from
// test_util.h, used in float32) and compares the output and the gradients
// of L = sum(y * R), R fixed and random. Each case runs twice, the second
// time into gradient buffers that already hold 0.5, so that the
// accumulating branch of every CUDA backward kernel is compared too.
inline void expect_op_parity(const std::string& name, const OpFn& f,
                             const std::vector<Tensor>& in64,
                             const std::vector<bool>& rg, double tol) {
    std::vector<Tensor> in;
    for (const Tensor& t : in64) in.push_back(to_dtype(t, DType::f32));
    Tensor r;
    for (double preset : {0.0, 0.5}) {
        detail::OpResult cpu = detail::run_on(Device::cpu, f, in, rg, r,
                                              preset);
        detail::OpResult gpu = detail::run_on(Device::cuda, f, in, rg, r,
                                              preset);
        std::string what = name + (preset != 0.0 ? " (accumulate)" : "");
        expect_parity(gpu.y, cpu.y, what + " forward", tol);
        ASSERT_EQ(gpu.grads.size(), cpu.grads.size());
        for (std::size_t k = 0; k < cpu.grads.size(); ++k) {
            if (!cpu.grads[k].defined()) continue;
            expect_parity(gpu.grads[k], cpu.grads[k],
                          what + " gradient of input " +
                              std::to_string(k + 1), tol);
        }
    }
}

}  // namespace test
}  // namespace exprae
