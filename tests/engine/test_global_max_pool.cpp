// global_max_pool: (channels, positions, samples) -> (channels, samples),
// each channel's maximum over all positions; the gradient goes to the
// first maximum.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/global_max_pool.h"

namespace exprae {
namespace {

// Every element distinct and 0.05 or more from every other (shuffled
// multiples of 0.05), so that no finite-difference step (1e-6) moves a
// maximum and float32 keeps them apart.
Tensor distinct(const Shape& shape, std::uint64_t seed) {
    Tensor t = Tensor::empty(shape, DType::f64);
    std::vector<double> v(static_cast<std::size_t>(t.size()));
    for (std::size_t k = 0; k < v.size(); ++k)
        v[k] = 0.05 * (static_cast<double>(k) - v.size() / 2.0);
    Philox rng(seed, test::kTestStream + 3);
    for (std::size_t k = v.size(); k > 1; --k)
        std::swap(v[k - 1], v[rng.bits(k) % k]);
    for (index_t k = 0; k < t.size(); ++k) t.set(k, 0, v[k]);
    return t;
}

Variable global_max_of(const std::vector<Variable>& v) {
    return global_max_pool(v[0]);
}

TEST(GlobalMaxPool, ForwardMatchesReference) {
    std::uint64_t seed = 1;
    for (const Shape& s : {Shape{3, 7, 2}, Shape{1, 1, 4}, Shape{5, 20, 3},
                           Shape{2, 9, 1}}) {
        Tensor x64 = test::normal(s, seed++);
        for (DType dt : {DType::f64, DType::f32}) {
            Tensor x = test::to_dtype(x64, dt);
            Variable y = global_max_pool(Variable(x));
            ASSERT_EQ(y.value().ndim(), 2);
            ASSERT_EQ(y.value().shape_string(),
                      Shape({s[0], s[2]}).str());
            test::expect_matches(
                y.value(),
                [&](index_t c, index_t n) {
                    double best = -std::numeric_limits<double>::infinity();
                    for (index_t l = 0; l < s[1]; ++l)
                        best = std::max(best, x.at(c, l + s[1] * n));
                    return best;
                },
                0.0, dtype_name(dt));
        }
    }
}

// Channel 0 of x (2, 5, 1): 2 7 7 1 7, maximum 7 first at position 1;
// channel 1: 0 -1 4 4 3, maximum 4 first at position 2.
TEST(GlobalMaxPool, GradientGoesToTheFirstMaximum) {
    Tensor x = test::from_values(2, 5, {2, 0, 7, -1, 7, 4, 1, 4, 7, 3})
                   .reshape(Shape{2, 5, 1});
    Variable xv(x, true);
    Variable y = global_max_pool(xv);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{7, 4}));
    Tape::current().backward(
        sum(mul(y, Variable(test::from_values(2, 1, {10, 100})))));
    EXPECT_EQ(test::to_vector(xv.grad()),
              (std::vector<double>{0, 0, 10, 0, 0, 100, 0, 0, 0, 0}));
}

TEST(GlobalMaxPool, NaNPropagates) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Tensor x = test::from_values(1, 3, {nan, 2, 1}).reshape(Shape{1, 3, 1});
    EXPECT_TRUE(std::isnan(global_max_pool(Variable(x)).value().at(0)));
}

TEST(GlobalMaxPool, Gradcheck) {
    test::expect_gradcheck("global_max_pool", global_max_of,
                           {distinct(Shape{4, 9, 3}, 11)}, {true});
    test::expect_gradcheck("global_max_pool one position", global_max_of,
                           {distinct(Shape{3, 1, 2}, 12)}, {true});
}

TEST(GlobalMaxPool, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(global_max_of,
                                  {distinct(Shape{6, 17, 4}, 21)}, {true});
}

TEST(GlobalMaxPool, BadShapesThrow) {
    EXPECT_THROW(global_max_pool(Variable(Tensor::zeros(3, 10, DType::f64))),
                 BadArgument);
    EXPECT_THROW(global_max_pool(
                     Variable(Tensor::zeros(Shape{3, 5, 2, 2}, DType::f64))),
                 BadArgument);
    EXPECT_THROW(global_max_pool(
                     Variable(Tensor::zeros(Shape{3, 0, 2}, DType::f64))),
                 BadArgument);  // no positions
    try {
        global_max_pool(Variable(Tensor::zeros(3, 10, DType::f64)));
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("global_max_pool"), std::string::npos) << m;
        EXPECT_NE(m.find("3 x 10"), std::string::npos) << m;
    }
}

// A block of threads per 256 (channel, sample) pairs, each over all
// positions; the gradient one thread per input element.
TEST(GlobalMaxPool, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    std::uint64_t seed = 41;
    for (const Shape& s : {Shape{16, 200, 5}, Shape{33, 1000, 9},
                           Shape{300, 1, 2}}) {
        test::expect_op_parity("global_max_pool", global_max_of,
                               {distinct(s, seed++)}, {true}, 1e-6);
    }
}

}  // namespace
}  // namespace exprae
