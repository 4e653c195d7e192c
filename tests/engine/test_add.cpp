// add: a + b of the same shape, or b (rows x 1) added to every column of a
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

Variable add_of(const std::vector<Variable>& v) { return add(v[0], v[1]); }

TEST(Add, ForwardSameShape) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor a = test::normal(5, 7, 1, 0, 1, dt);
        Tensor b = test::normal(5, 7, 2, 0, 1, dt);
        Variable y = add(Variable(a), Variable(b));
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) { return a.at(i, j) + b.at(i, j); },
            test::forward_tolerance(dt), dtype_name(dt));
    }
}

TEST(Add, ForwardColumnBroadcast) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor a = test::normal(5, 7, 3, 0, 1, dt);
        Tensor b = test::normal(5, 1, 4, 0, 1, dt);
        Variable y = add(Variable(a), Variable(b));
        ASSERT_TRUE(y.value().same_shape(a));
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) { return a.at(i, j) + b.at(i); },
            test::forward_tolerance(dt), dtype_name(dt));
    }
}

TEST(Add, ForwardDoesNotChangeInputs) {
    Tensor a = test::normal(3, 4, 5);
    Tensor a0 = a.clone();
    add(Variable(a), Variable(test::normal(3, 1, 6)));
    EXPECT_TRUE(test::same_bits(a, a0));
}

TEST(Add, GradcheckSameShape) {
    expect_gradcheck("add", add_of,
                     {test::normal(4, 5, 11), test::normal(4, 5, 12)},
                     {true, true});
}

TEST(Add, GradcheckColumnBroadcast) {
    expect_gradcheck("add (broadcast)", add_of,
                     {test::normal(4, 5, 13), test::normal(4, 1, 14)},
                     {true, true});
    expect_gradcheck("add (broadcast, b only)", add_of,
                     {test::normal(4, 5, 15), test::normal(4, 1, 16)},
                     {false, true});
}

TEST(Add, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        add_of, {test::normal(4, 5, 17), test::normal(4, 1, 18)},
        {true, true});
}

TEST(Add, ShapeErrorsThrow) {
    Variable a(Tensor::zeros(4, 5, DType::f64));
    EXPECT_THROW(add(a, Variable(Tensor::zeros(3, 1, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(add(a, Variable(Tensor::zeros(1, 5, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(add(a, Variable(Tensor::zeros(4, 2, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(add(a, Variable(Tensor::zeros(4, 5, DType::f32))),
                 std::invalid_argument);
}

TEST(Add, GradcheckOn3dTensors) {
    expect_gradcheck("add (3-D)", add_of,
                     {test::normal(Shape{3, 4, 5}, 51),
                      test::normal(Shape{3, 4, 5}, 52)},
                     {true, true});
    // A column per channel, added at every position of every sample.
    expect_gradcheck("add broadcast (3-D)", add_of,
                     {test::normal(Shape{3, 4, 5}, 53), test::normal(3, 1, 54)},
                     {true, true});
}

TEST(Add, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor a = test::normal(8, 12, 10), b = test::normal(8, 12, 11);
    test::expect_op_parity("add", add_of, {a, b}, {true, true},
                           test::kParityTolerance);
    test::expect_op_parity("add broadcast", add_of,
                           {a, test::normal(8, 1, 12)}, {true, true},
                           test::kParityTolerance);
    // Past one pass of an elementwise grid (8192 x 256) and 38 blocks of
    // rows for the row sums of b's gradient.
    test::expect_op_parity("add broadcast (large)", add_of,
                           {test::normal(1201, 1901, 41),
                            test::normal(1201, 1, 42)},
                           {true, true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
