// avg_pool1d over positions (x: channels x positions x samples): the mean
// of each window of `size` positions, every `stride` positions; positions
// left over at the end are dropped.
#include <string>
#include <vector>

#include "cpu/parallel.h"
#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/avg_pool1d.h"

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

// One channel, one sample: (1, L, 1) from L values.
Tensor row(std::initializer_list<double> values) {
    index_t n = static_cast<index_t>(values.size());
    return test::from_values(1, n, values).reshape(Shape{1, n, 1});
}

// The mean of window j of channel c, sample s, by the definition.
double reference(const Tensor& x, const Case& k, index_t c, index_t j,
                 index_t s) {
    double total = 0.0;
    for (index_t p = j * k.stride; p < j * k.stride + k.size; ++p)
        total += x.at(c, p + k.length * s);
    return total / k.size;
}

test::OpFn pool(index_t size, index_t stride) {
    return [size, stride](const std::vector<Variable>& v) {
        return avg_pool1d(v[0], size, stride);
    };
}

TEST(AvgPool1d, ForwardMatchesReference) {
    std::uint64_t seed = 1;
    for (const Case& k : kCases) {
        Tensor x64 = test::normal(input_shape(k), seed++, 0.5, 2.0);
        for (DType dt : {DType::f64, DType::f32}) {
            Tensor x = test::to_dtype(x64, dt);
            Variable y = avg_pool1d(Variable(x), k.size, k.stride);
            ASSERT_EQ(y.value().shape_string(),
                      Shape({k.channels, k.out_length, k.samples}).str());
            ASSERT_EQ(y.value().dtype(), dt);
            test::expect_matches(
                y.value(),
                [&](index_t c, index_t col) {
                    return reference(x, k, c, col % k.out_length,
                                     col / k.out_length);
                },
                test::forward_tolerance(dt), dtype_name(dt));
        }
    }
}

// Windows of 3, stride 2, over 8 positions: [0 3) [2 5) [4 7); position 7
// is left over. dx(l) = the sum of dy over the windows holding l, / 3.
TEST(AvgPool1d, HandComputed) {
    Tensor x = row({3, 6, 9, 0, 3, 6, 0, 100});
    Variable xv(x, true);
    Variable y = avg_pool1d(xv, 3, 2);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{6, 4, 3}));
    Tape::current().backward(sum(mul(y, Variable(row({3, 6, 12})))));
    EXPECT_EQ(test::to_vector(xv.grad()),
              (std::vector<double>{1, 1, 3, 2, 6, 4, 4, 0}));
}

TEST(AvgPool1d, Gradcheck) {
    std::uint64_t seed = 11;
    for (const Case& k : kCases) {
        test::expect_gradcheck(
            "avg_pool1d size " + std::to_string(k.size) + " stride " +
                std::to_string(k.stride),
            pool(k.size, k.stride), {test::normal(input_shape(k), seed++)},
            {true});
    }
}

TEST(AvgPool1d, Float32BackwardMatchesFloat64) {
    for (const Case& k : {kCases[1], kCases[2], kCases[3]}) {
        test::expect_float32_backward(pool(k.size, k.stride),
                                      {test::normal(input_shape(k), 21)},
                                      {true});
    }
}

// Large enough for the CPU kernels to split the columns over threads:
// the same values, bit for bit, as on one thread.
TEST(AvgPool1d, ThreadsChangeNothing) {
    Tensor x = test::normal(Shape{64, 1500, 4}, 51);
    auto run = [&](int threads) {
        cpu::set_num_threads(threads);
        Variable xv(x, true);
        Variable y = avg_pool1d(xv, 5, 2);
        Tensor r = test::normal(y.value().shape(), 52);
        Tape::current().backward(sum(mul(y, Variable(r))));
        return std::vector<Tensor>{y.value(), xv.grad()};
    };
    std::vector<Tensor> one = run(1), two = run(2);
    cpu::set_num_threads(2);  // as test_main.cpp left it
    EXPECT_TRUE(test::same_bits(one[0], two[0]));
    EXPECT_TRUE(test::same_bits(one[1], two[1]));
}

TEST(AvgPool1d, BadShapesAndWindowsThrow) {
    Variable x(Tensor::zeros(Shape{3, 5, 2}, DType::f64));
    EXPECT_THROW(avg_pool1d(Variable(Tensor::zeros(3, 10, DType::f64)), 2, 2),
                 BadArgument);  // 2-D
    EXPECT_THROW(
        avg_pool1d(Variable(Tensor::zeros(Shape{3, 5, 2, 2}, DType::f64)),
                   2, 2),
        BadArgument);  // 4-D
    EXPECT_THROW(avg_pool1d(x, 0, 1), BadArgument);
    EXPECT_THROW(avg_pool1d(x, 2, 0), BadArgument);
    EXPECT_THROW(avg_pool1d(x, 6, 1), BadArgument);  // size > L
    EXPECT_NO_THROW(avg_pool1d(x, 5, 1));            // size = L
    try {
        avg_pool1d(x, 2, 0);
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("avg_pool1d"), std::string::npos) << m;
        EXPECT_NE(m.find("stride must be >= 1, got 0"), std::string::npos)
            << m;
    }
}

// Sums in double in the same order on both devices. Several blocks of
// threads; side by side, overlapping, with gaps and left over positions.
TEST(AvgPool1d, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    const std::vector<Case> cases = {
        {16, 101, 5, 4, 2, 49}, {33, 200, 3, 3, 3, 66},
        {7, 50, 4, 5, 7, 7},    {64, 300, 8, 9, 1, 292},
        {4, 1000, 2, 1000, 1000, 1},
    };
    std::uint64_t seed = 41;
    for (const Case& k : cases) {
        test::expect_op_parity("avg_pool1d", pool(k.size, k.stride),
                               {test::normal(input_shape(k), seed++)},
                               {true}, 1e-6);
    }
}

}  // namespace
}  // namespace exprae
