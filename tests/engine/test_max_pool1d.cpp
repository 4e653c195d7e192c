// max_pool1d over positions (x: channels x positions x samples): the
// maximum of each window of `size` positions, every `stride` positions;
// positions left over at the end are dropped; the gradient goes to each
// window's first maximum.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cpu/parallel.h"
#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/max_pool1d.h"

namespace exprae {
namespace {

struct Case {
    index_t channels, length, samples, size, stride, out_length;
};

// Windows side by side, overlapping (stride < size), with positions left
// over at the end, with gaps (stride > size), one window of everything,
// and windows of one position.
const std::vector<Case> kCases = {
    {1, 8, 2, 2, 2, 4},  {3, 10, 2, 3, 1, 8}, {4, 11, 3, 4, 3, 3},
    {2, 13, 2, 2, 4, 3}, {5, 7, 1, 7, 7, 1},  {3, 6, 2, 1, 1, 6},
    {2, 9, 2, 5, 2, 3},
};

Shape input_shape(const Case& k) {
    return Shape{k.channels, k.length, k.samples};
}

// Every element distinct and 0.05 or more from every other (shuffled
// multiples of 0.05), so that no finite-difference step (1e-6) moves a
// window's maximum and float32 keeps them apart.
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

// One channel, one sample: (1, L, 1) from L values.
Tensor row(std::initializer_list<double> values) {
    index_t n = static_cast<index_t>(values.size());
    return test::from_values(1, n, values).reshape(Shape{1, n, 1});
}

// The maximum of window j of channel c, sample s, by the definition.
double reference(const Tensor& x, const Case& k, index_t c, index_t j,
                 index_t s) {
    double best = -std::numeric_limits<double>::infinity();
    for (index_t p = j * k.stride; p < j * k.stride + k.size; ++p)
        best = std::max(best, x.at(c, p + k.length * s));
    return best;
}

test::OpFn pool(index_t size, index_t stride) {
    return [size, stride](const std::vector<Variable>& v) {
        return max_pool1d(v[0], size, stride);
    };
}

// The gradient of sum(y * dy) with respect to x.
Tensor gradient(const Tensor& x, index_t size, index_t stride,
                const Tensor& dy) {
    Variable xv(x, true);
    Variable y = max_pool1d(xv, size, stride);
    Tape::current().backward(sum(mul(y, Variable(dy))));
    return xv.grad();
}

TEST(MaxPool1d, OutputLengthDropsWhatIsLeftOver) {
    for (const Case& k : kCases) {
        EXPECT_EQ(pool1d_output_length(k.length, k.size, k.stride),
                  k.out_length)
            << k.length << " " << k.size << " " << k.stride;
    }
    EXPECT_EQ(pool1d_output_length(1000, 15, 15), 66);  // 10 left over
    EXPECT_THROW(pool1d_output_length(5, 6, 1), BadArgument);
    EXPECT_THROW(pool1d_output_length(5, 0, 1), BadArgument);
    EXPECT_THROW(pool1d_output_length(5, 2, 0), BadArgument);
}

TEST(MaxPool1d, ForwardMatchesReference) {
    std::uint64_t seed = 1;
    for (const Case& k : kCases) {
        Tensor x64 = test::normal(input_shape(k), seed++);
        for (DType dt : {DType::f64, DType::f32}) {
            Tensor x = test::to_dtype(x64, dt);
            Variable y = max_pool1d(Variable(x), k.size, k.stride);
            ASSERT_EQ(y.value().shape_string(),
                      Shape({k.channels, k.out_length, k.samples}).str());
            ASSERT_EQ(y.value().dtype(), dt);
            // A maximum is one of the inputs: exact in either precision.
            test::expect_matches(
                y.value(),
                [&](index_t c, index_t col) {
                    return reference(x, k, c, col % k.out_length,
                                     col / k.out_length);
                },
                0.0, dtype_name(dt));
        }
    }
}

// Windows [1 3] [3 2] [5 5]: ties go to the first maximum (positions 1
// and 4), and position 2's 3 gets window 1's gradient.
TEST(MaxPool1d, GradientGoesToTheFirstMaximum) {
    Tensor x = row({1, 3, 3, 2, 5, 5});
    Variable y = max_pool1d(Variable(x), 2, 2);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{3, 3, 5}));
    Tensor dx = gradient(x, 2, 2, row({1, 10, 100}));
    EXPECT_EQ(test::to_vector(dx),
              (std::vector<double>{0, 1, 10, 0, 100, 0}));
}

// Overlapping windows of 3, stride 1: [1 3 3] [3 3 2] [3 2 5] [2 5 5]
// have their maxima at positions 1, 1, 4, 4, whose gradients add up.
TEST(MaxPool1d, OverlappingWindowsAddTheirGradients) {
    Tensor x = row({1, 3, 3, 2, 5, 5});
    Variable y = max_pool1d(Variable(x), 3, 1);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{3, 3, 5, 5}));
    Tensor dx = gradient(x, 3, 1, row({1, 2, 4, 8}));
    EXPECT_EQ(test::to_vector(dx), (std::vector<double>{0, 3, 0, 0, 12, 0}));
}

// Windows of 2 every 3 positions: positions 2, 5 (gaps) and 6 (left
// over) are in no window and get a zero gradient.
TEST(MaxPool1d, PositionsInNoWindowGetZeroGradient) {
    Tensor x = row({4, 1, 9, 2, 3, 9, 9});
    Variable y = max_pool1d(Variable(x), 2, 3);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{4, 3}));
    Tensor dx = gradient(x, 2, 3, row({1, 2}));
    EXPECT_EQ(test::to_vector(dx),
              (std::vector<double>{1, 0, 0, 0, 2, 0, 0}));
}

// A NaN anywhere in a window is its maximum, first position or not.
TEST(MaxPool1d, NaNPropagates) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::to_dtype(row({1, nan, 3, 2, nan, 7}), dt);
        Variable y = max_pool1d(Variable(x), 2, 2);
        EXPECT_TRUE(std::isnan(y.value().at(0, 0)));
        EXPECT_EQ(y.value().at(0, 1), 3.0);
        EXPECT_TRUE(std::isnan(y.value().at(0, 2)));
    }
}

TEST(MaxPool1d, Gradcheck) {
    std::uint64_t seed = 11;
    for (const Case& k : kCases) {
        test::expect_gradcheck(
            "max_pool1d size " + std::to_string(k.size) + " stride " +
                std::to_string(k.stride),
            pool(k.size, k.stride), {distinct(input_shape(k), seed++)},
            {true});
    }
}

TEST(MaxPool1d, Float32BackwardMatchesFloat64) {
    for (const Case& k : {kCases[1], kCases[2], kCases[3]}) {
        test::expect_float32_backward(pool(k.size, k.stride),
                                      {distinct(input_shape(k), 21)},
                                      {true});
    }
}

// Without a gradient to compute, nothing is recorded (and no argmax kept).
TEST(MaxPool1d, InputWithoutGradientRecordsNothing) {
    Tape::current().clear();
    Tensor x = test::normal(Shape{3, 8, 2}, 31);
    max_pool1d(Variable(x, false), 2, 2);
    EXPECT_EQ(Tape::current().size(), 0u);
    {
        NoGradGuard no_grad;
        max_pool1d(Variable(x, true), 2, 2);
    }
    EXPECT_EQ(Tape::current().size(), 0u);
}

// Large enough for the CPU kernels to split the columns over threads:
// the same values, bit for bit, as on one thread.
TEST(MaxPool1d, ThreadsChangeNothing) {
    Tensor x = distinct(Shape{64, 1500, 4}, 51);
    auto run = [&](int threads) {
        cpu::set_num_threads(threads);
        Variable xv(x, true);
        Variable y = max_pool1d(xv, 5, 2);
        Tensor r = test::normal(y.value().shape(), 52);
        Tape::current().backward(sum(mul(y, Variable(r))));
        return std::vector<Tensor>{y.value(), xv.grad()};
    };
    std::vector<Tensor> one = run(1), two = run(2);
    cpu::set_num_threads(2);  // as test_main.cpp left it
    EXPECT_TRUE(test::same_bits(one[0], two[0]));
    EXPECT_TRUE(test::same_bits(one[1], two[1]));
}

TEST(MaxPool1d, BadShapesAndWindowsThrow) {
    Variable x(Tensor::zeros(Shape{3, 5, 2}, DType::f64));
    EXPECT_THROW(max_pool1d(Variable(Tensor::zeros(3, 10, DType::f64)), 2, 2),
                 BadArgument);  // 2-D
    EXPECT_THROW(
        max_pool1d(Variable(Tensor::zeros(Shape{3, 5, 2, 2}, DType::f64)),
                   2, 2),
        BadArgument);  // 4-D
    EXPECT_THROW(max_pool1d(x, 0, 1), BadArgument);
    EXPECT_THROW(max_pool1d(x, -1, 1), BadArgument);
    EXPECT_THROW(max_pool1d(x, 2, 0), BadArgument);
    EXPECT_THROW(max_pool1d(x, 6, 1), BadArgument);  // size > L
    EXPECT_NO_THROW(max_pool1d(x, 5, 1));            // size = L
    try {
        max_pool1d(x, 6, 1);
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("max_pool1d"), std::string::npos) << m;
        EXPECT_NE(m.find("size 6"), std::string::npos) << m;
        EXPECT_NE(m.find("5 positions"), std::string::npos) << m;
    }
}

// The same selection on both devices, and the same sums in double in the
// same order: equal up to float32 rounding. Several blocks of threads;
// side by side, overlapping, with gaps and left over positions.
TEST(MaxPool1d, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    const std::vector<Case> cases = {
        {16, 101, 5, 4, 2, 49}, {33, 200, 3, 3, 3, 66},
        {7, 50, 4, 5, 7, 7},    {64, 300, 8, 9, 1, 292},
        {4, 1000, 2, 1000, 1000, 1},
    };
    std::uint64_t seed = 41;
    for (const Case& k : cases) {
        Tensor x = distinct(input_shape(k), seed++);
        test::expect_op_parity("max_pool1d", pool(k.size, k.stride), {x},
                               {true}, 1e-6);
        NoGradGuard no_grad;  // the forward that keeps no argmax
        Tensor x32 = test::to_dtype(x, DType::f32);
        test::expect_parity(
            max_pool1d(Variable(x32.to(Device::cuda)), k.size, k.stride)
                .value(),
            max_pool1d(Variable(x32), k.size, k.stride).value(),
            "max_pool1d without gradient", 0.0);
    }
}

}  // namespace
}  // namespace exprae
