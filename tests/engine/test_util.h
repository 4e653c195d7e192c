// Small helpers shared by the engine tests: seeded tensors, conversions and
// comparisons against reference values. Randomness comes from the engine's
// own Philox on a stream no engine code uses, so every test is reproducible.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "random/philox.h"
#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {
namespace test {

constexpr std::uint64_t kTestStream = 0x7e57;

// A tensor of `shape`, uniform in [lo, hi); or rows x cols.
inline Tensor uniform(const Shape& shape, double lo, double hi,
                      std::uint64_t seed, DType dtype = DType::f64) {
    Philox rng(seed, kTestStream);
    Tensor t = Tensor::empty(shape, dtype);
    for (index_t k = 0; k < t.size(); ++k)
        t.set(k, 0, lo + (hi - lo) * rng.uniform(k));
    return t;
}
inline Tensor uniform(index_t rows, index_t cols, double lo, double hi,
                      std::uint64_t seed, DType dtype = DType::f64) {
    return uniform(Shape{rows, cols}, lo, hi, seed, dtype);
}

// A tensor of `shape`, normal(mean, sd); or rows x cols.
inline Tensor normal(const Shape& shape, std::uint64_t seed,
                     double mean = 0.0, double sd = 1.0,
                     DType dtype = DType::f64) {
    Philox rng(seed, kTestStream + 1);
    Tensor t = Tensor::empty(shape, dtype);
    for (index_t k = 0; k < t.size(); ++k)
        t.set(k, 0, mean + sd * rng.normal(k));
    return t;
}
inline Tensor normal(index_t rows, index_t cols, std::uint64_t seed,
                     double mean = 0.0, double sd = 1.0,
                     DType dtype = DType::f64) {
    return normal(Shape{rows, cols}, seed, mean, sd, dtype);
}

// Magnitudes uniform in [lo, hi) with random signs: keeps every element at
// least `lo` away from the kink of relu-like functions at 0.
inline Tensor away_from_zero(const Shape& shape, double lo, double hi,
                             std::uint64_t seed, DType dtype = DType::f64) {
    Philox rng(seed, kTestStream + 2);
    Tensor t = uniform(shape, lo, hi, seed, dtype);
    for (index_t k = 0; k < t.size(); ++k)
        if (rng.bits(k) & 1u) t.set(k, 0, -t.at(k));
    return t;
}
inline Tensor away_from_zero(index_t rows, index_t cols, double lo,
                             double hi, std::uint64_t seed,
                             DType dtype = DType::f64) {
    return away_from_zero(Shape{rows, cols}, lo, hi, seed, dtype);
}

// Column-major values, as R and the engine store them.
inline Tensor from_values(index_t rows, index_t cols,
                          std::initializer_list<double> values,
                          DType dtype = DType::f64) {
    Tensor t = Tensor::empty(rows, cols, dtype);
    index_t k = 0;
    for (double v : values) t.set(k++, 0, v);
    return t;
}

inline Tensor to_dtype(const Tensor& src, DType dtype) {
    Tensor t = Tensor::empty(src.shape(), dtype);
    for (index_t k = 0; k < src.size(); ++k) t.set(k, 0, src.at(k));
    return t;
}

inline std::vector<double> to_vector(const Tensor& t) {
    std::vector<double> v(t.size());
    for (index_t k = 0; k < t.size(); ++k) v[k] = t.at(k);
    return v;
}

// Relative tolerance of a forward pass against a double reference.
inline double forward_tolerance(DType dtype) {
    return dtype == DType::f64 ? 1e-12 : 2e-6;
}

// Every element of `got` equals ref(i, j) up to rtol * max(1, |ref|).
inline void expect_matches(const Tensor& got,
                           const std::function<double(index_t, index_t)>& ref,
                           double rtol, const std::string& what = "") {
    int failures = 0;
    for (index_t j = 0; j < got.cols(); ++j) {
        for (index_t i = 0; i < got.rows(); ++i) {
            double r = ref(i, j), g = got.at(i, j);
            double err = std::abs(g - r) / std::max(1.0, std::abs(r));
            if (!(err <= rtol) && failures++ < 5) {
                ADD_FAILURE() << what << " element (" << i << ", " << j
                              << "): got " << g << ", expected " << r;
            }
        }
    }
}

// `got` and `want` have the same shape and agree up to rtol.
inline void expect_tensor_near(const Tensor& got, const Tensor& want,
                               double rtol, const std::string& what = "") {
    ASSERT_EQ(got.shape_string(), want.shape_string()) << what;
    expect_matches(got, [&](index_t i, index_t j) { return want.at(i, j); },
                   rtol, what);
}

// Bit-for-bit equality of two tensors' values.
inline bool same_bits(const Tensor& a, const Tensor& b) {
    if (!a.same_shape(b) || a.dtype() != b.dtype()) return false;
    for (index_t k = 0; k < a.size(); ++k)
        if (a.at(k) != b.at(k)) return false;
    return true;
}

// Runs a unary op on a tensor in both precisions and checks its values
// against a double reference of the function.
inline void expect_unary_forward(
    const std::function<Variable(const Variable&)>& op,
    const std::function<double(double)>& ref, const Tensor& x64,
    double rtol32 = 2e-6) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = to_dtype(x64, dt);
        Variable y = op(Variable(x, false));
        ASSERT_EQ(y.value().dtype(), dt);
        ASSERT_EQ(y.value().shape_string(), x.shape_string());
        expect_matches(y.value(),
                       [&](index_t i, index_t j) { return ref(x.at(i, j)); },
                       dt == DType::f64 ? 1e-12 : rtol32, dtype_name(dt));
    }
}

// An elementwise op has no shape constraint: every shape, even an empty
// one or one of 3 and 4 dimensions, must come back unchanged.
inline void expect_keeps_shape(
    const std::function<Variable(const Variable&)>& op) {
    for (const Shape& s : {Shape{0, 3}, Shape{1, 3}, Shape{7, 3},
                           Shape{4, 5, 3}, Shape{2, 3, 4, 2}, Shape{6}}) {
        Variable y = op(Variable(Tensor::full(s, 0.5, DType::f32)));
        EXPECT_EQ(y.value().shape_string(), s.str());
    }
}

}  // namespace test
}  // namespace exprae
