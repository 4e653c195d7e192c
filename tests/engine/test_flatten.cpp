// flatten: (channels, positions, samples) -> (channels * positions,
// samples), a reshape sharing storage; the gradient is reshaped back.
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/flatten.h"

namespace exprae {
namespace {

Variable flatten_of(const std::vector<Variable>& v) { return flatten(v[0]); }

// Row c + C l of the result is channel c at position l.
TEST(Flatten, RowsAreChannelsAtEachPosition) {
    const index_t C = 3, L = 4, n = 2;
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::to_dtype(test::normal(Shape{C, L, n}, 1), dt);
        Variable y = flatten(Variable(x));
        ASSERT_EQ(y.value().shape_string(), "12 x 2");
        ASSERT_EQ(y.value().dtype(), dt);
        test::expect_matches(
            y.value(),
            [&](index_t r, index_t s) {
                return x.at(r % C, r / C + L * s);  // x(c, l, s)
            },
            0.0, dtype_name(dt));
    }
}

TEST(Flatten, SharesStorageWithItsInput) {
    Tensor x = test::normal(Shape{3, 4, 2}, 2);
    Variable y = flatten(Variable(x));
    EXPECT_EQ(y.value().data<double>(), x.data<double>());
}

TEST(Flatten, Gradcheck) {
    test::expect_gradcheck("flatten", flatten_of,
                           {test::normal(Shape{3, 5, 4}, 11)}, {true});
    test::expect_gradcheck("flatten one position", flatten_of,
                           {test::normal(Shape{4, 1, 2}, 12)}, {true});
}

TEST(Flatten, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(flatten_of,
                                  {test::normal(Shape{6, 7, 3}, 21)}, {true});
}

// Gradients of two uses of x (through flatten and directly) add up.
TEST(Flatten, GradientAddsToOtherUses) {
    Tensor x = test::normal(Shape{2, 3, 2}, 31);
    Variable xv(x, true);
    Tensor r = test::normal(6, 2, 32);
    Tape::current().backward(add(sum(mul(flatten(xv), Variable(r))),
                                 sum(xv)));
    for (index_t k = 0; k < x.size(); ++k)
        EXPECT_DOUBLE_EQ(xv.grad().at(k), r.at(k) + 1.0) << k;
}

TEST(Flatten, InputWithoutGradientRecordsNothing) {
    Tape::current().clear();
    flatten(Variable(test::normal(Shape{3, 4, 2}, 41), false));
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(Flatten, OnlySequencesFlatten) {
    EXPECT_THROW(flatten(Variable(Tensor::zeros(3, 10, DType::f64))),
                 BadArgument);
    EXPECT_THROW(
        flatten(Variable(Tensor::zeros(Shape{3, 5, 2, 2}, DType::f64))),
        BadArgument);
    try {
        flatten(Variable(Tensor::zeros(3, 10, DType::f64)));
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("flatten"), std::string::npos) << m;
        EXPECT_NE(m.find("3 x 10"), std::string::npos) << m;
    }
}

// No kernels of its own: the backend's axpy adds the gradient on the GPU.
TEST(Flatten, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("flatten", flatten_of,
                           {test::normal(Shape{64, 300, 8}, 51)}, {true},
                           0.0);
}

}  // namespace
}  // namespace exprae
