// Finite-difference gradient checks in float64 (after flashlight's
// AutogradTestUtils.h and ggml's test-backend-ops.cpp).
//
// For an op y = f(x_1, ..., x_k) the checked scalar is
//     L = sum(f(x) * R)
// with R a fixed random normal tensor of y's shape, so every output element
// counts with a distinct weight. The analytic gradient of each input that
// requires grad comes from the tape (L built from the engine's own mul and
// sum); the numeric one from central differences
//     dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / (2 h),  h = 1e-6,
// with L evaluated in plain double outside the tape. The error of element i
// is
//     |analytic - numeric| / max(1, |analytic|, |numeric|)
// i.e. relative for gradients larger than 1, absolute below; the check
// passes when its maximum over all inputs and elements is <= 1e-6.
//
// A second backward pass starts from gradient buffers that already hold 0.5
// and must end at 0.5 + the first pass's gradient: every backward rule has
// an "accumulate" branch (gradients add with +=), and this exercises it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "ops/ops.h"
#include "test_util.h"

namespace exprae {
namespace test {

using OpFn = std::function<Variable(const std::vector<Variable>&)>;

constexpr double kGradcheckTolerance = 1e-6;

struct GradcheckReport {
    double max_rel_error = 0.0;         // analytic vs numeric
    double max_accumulate_error = 0.0;  // second pass vs first + 0.5
    std::string worst;                  // where max_rel_error occurred
};

namespace detail {

inline double projected(const Tensor& y, const Tensor& r) {
    double total = 0.0;
    for (index_t k = 0; k < y.size(); ++k) total += y.at(k) * r.at(k);
    return total;
}

// Analytic gradients of L for each input (undefined tensors where the input
// needs none); `preset` > 0 gives each input a gradient buffer holding it.
inline std::vector<Tensor> analytic(const OpFn& f,
                                    const std::vector<Tensor>& inputs,
                                    const std::vector<bool>& requires_grad,
                                    std::uint64_t seed, Tensor& r,
                                    double preset) {
    Tape::current().clear();
    std::vector<Variable> vars;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        vars.emplace_back(inputs[i].clone(), requires_grad[i]);
        if (requires_grad[i] && preset != 0.0) {
            const Tensor& v = inputs[i];
            vars.back().set_grad(Tensor::full(v.shape(), preset, v.dtype()));
        }
    }
    Variable y = f(vars);
    if (!r.defined()) r = normal(y.value().shape(), seed);
    Variable loss = sum(mul(y, Variable(r, false)));
    Tape::current().backward(loss);
    std::vector<Tensor> grads;
    for (const Variable& v : vars)
        grads.push_back(v.grad().defined() ? v.grad().clone() : Tensor());
    return grads;
}

}  // namespace detail

// Checks every input with requires_grad[i]; inputs must be float64.
inline GradcheckReport gradcheck(const OpFn& f,
                                 const std::vector<Tensor>& inputs,
                                 const std::vector<bool>& requires_grad,
                                 std::uint64_t seed = 2024,
                                 double h = 1e-6) {
    GradcheckReport rep;
    Tensor r;
    std::vector<Tensor> grads =
        detail::analytic(f, inputs, requires_grad, seed, r, 0.0);
    std::vector<Tensor> accumulated =
        detail::analytic(f, inputs, requires_grad, seed, r, 0.5);

    // Numeric: perturb one element of one (cloned) input at a time.
    std::vector<Tensor> work;
    for (const Tensor& t : inputs) work.push_back(t.clone());
    auto loss_at = [&]() {
        NoGradGuard no_grad;
        std::vector<Variable> vars;
        for (const Tensor& t : work) vars.emplace_back(t, false);
        return detail::projected(f(vars).value(), r);
    };
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!requires_grad[i]) continue;
        if (!grads[i].defined()) {
            rep.max_rel_error = std::numeric_limits<double>::infinity();
            rep.worst = "input " + std::to_string(i) + " got no gradient";
            return rep;
        }
        for (index_t k = 0; k < work[i].size(); ++k) {
            double x0 = work[i].at(k);
            work[i].set(k, 0, x0 + h);
            double up = loss_at();
            work[i].set(k, 0, x0 - h);
            double down = loss_at();
            work[i].set(k, 0, x0);
            double num = (up - down) / (2 * h);
            double ana = grads[i].at(k);
            double err = std::abs(ana - num) /
                         std::max({1.0, std::abs(ana), std::abs(num)});
            if (!(err <= rep.max_rel_error)) {
                rep.max_rel_error = err;
                std::ostringstream s;
                s << "input " << i << " element " << k << ": analytic "
                  << ana << ", numeric " << num;
                rep.worst = s.str();
            }
            double acc = accumulated[i].at(k) - 0.5;
            double acc_err = std::abs(acc - ana) / std::max(1.0, std::abs(ana));
            rep.max_accumulate_error =
                std::max(rep.max_accumulate_error, acc_err);
        }
    }
    return rep;
}

// Runs gradcheck and expects both errors within tolerance; prints the
// maximum relative error so that the suite's log records it per op.
inline void expect_gradcheck(const std::string& op, const OpFn& f,
                             const std::vector<Tensor>& inputs,
                             const std::vector<bool>& requires_grad,
                             double tol = kGradcheckTolerance) {
    GradcheckReport rep = gradcheck(f, inputs, requires_grad);
    std::printf("[gradcheck] %-28s max rel error %.3e\n", op.c_str(),
                rep.max_rel_error);
    ::testing::Test::RecordProperty("max_rel_error_" + op,
                                    std::to_string(rep.max_rel_error));
    EXPECT_LE(rep.max_rel_error, tol) << op << ": " << rep.worst;
    EXPECT_LE(rep.max_accumulate_error, 1e-12)
        << op << ": accumulating into an existing gradient";
    EXPECT_EQ(Tape::current().size(), 0u) << op << ": tape left non-empty";
}

// The float32 backward rules (the ones training uses) agree with float64.
inline void expect_float32_backward(const OpFn& f,
                                    const std::vector<Tensor>& inputs,
                                    const std::vector<bool>& requires_grad,
                                    double rtol = 1e-4) {
    Tensor r64, r32;
    std::vector<Tensor> g64 =
        detail::analytic(f, inputs, requires_grad, 7, r64, 0.0);
    std::vector<Tensor> in32;
    for (const Tensor& t : inputs) in32.push_back(to_dtype(t, DType::f32));
    r32 = to_dtype(r64, DType::f32);
    std::vector<Tensor> g32 =
        detail::analytic(f, in32, requires_grad, 7, r32, 0.0);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!requires_grad[i]) continue;
        ASSERT_TRUE(g32[i].defined()) << "input " << i;
        EXPECT_EQ(g32[i].dtype(), DType::f32);
        expect_tensor_near(g32[i], g64[i], rtol,
                           "float32 gradient of input " + std::to_string(i));
    }
}

}  // namespace test
}  // namespace exprae
