// concat_rows: [a; b] with a (p x n) over b (q x n) -> (p + q) x n
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

Variable concat_of(const std::vector<Variable>& v) {
    return concat_rows(v[0], v[1]);
}

TEST(ConcatRows, ShapeAndValues) {
    for (DType dt : {DType::f64, DType::f32}) {
        const index_t p = 5, q = 3, n = 7;
        Tensor a = test::normal(p, n, 1, 0, 1, dt);
        Tensor b = test::normal(q, n, 2, 0, 1, dt);
        Variable y = concat_rows(Variable(a), Variable(b));
        ASSERT_EQ(y.value().rows(), p + q);
        ASSERT_EQ(y.value().cols(), n);
        ASSERT_EQ(y.value().dtype(), dt);
        // a copy: exact
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                return i < p ? a.at(i, j) : b.at(i - p, j);
            },
            0.0, dtype_name(dt));
    }
}

TEST(ConcatRows, HandComputedValue) {
    // column-major: a = [1 3; 2 4], b = [5 6]
    Tensor a = test::from_values(2, 2, {1, 2, 3, 4});
    Tensor b = test::from_values(1, 2, {5, 6});
    Variable y = concat_rows(Variable(a), Variable(b));
    ASSERT_EQ(y.value().rows(), 3);
    ASSERT_EQ(y.value().cols(), 2);
    EXPECT_EQ(test::to_vector(y.value()),
              (std::vector<double>{1, 2, 5, 3, 4, 6}));
    // and the other way round
    Variable z = concat_rows(Variable(b), Variable(a));
    EXPECT_EQ(test::to_vector(z.value()),
              (std::vector<double>{5, 1, 2, 6, 3, 4}));
}

TEST(ConcatRows, SingleRowsAndColumns) {
    Tensor a = test::from_values(1, 1, {1.5});
    Tensor b = test::from_values(3, 1, {2, 3, 4});
    EXPECT_EQ(test::to_vector(concat_rows(Variable(a), Variable(b)).value()),
              (std::vector<double>{1.5, 2, 3, 4}));
}

TEST(ConcatRows, ForwardDoesNotChangeInputs) {
    Tensor a = test::normal(3, 4, 5), b = test::normal(2, 4, 6);
    Tensor a0 = a.clone(), b0 = b.clone();
    Variable y = concat_rows(Variable(a), Variable(b));
    y.value().fill(0.0);  // the output does not alias the inputs either
    EXPECT_TRUE(test::same_bits(a, a0));
    EXPECT_TRUE(test::same_bits(b, b0));
}

TEST(ConcatRows, Gradcheck) {
    expect_gradcheck("concat_rows", concat_of,
                     {test::normal(4, 5, 11), test::normal(3, 5, 12)},
                     {true, true});
}

TEST(ConcatRows, GradcheckOneInputAtATime) {
    // the batch one-hot (b) needs no gradient in the models
    std::vector<Tensor> in = {test::normal(4, 6, 13), test::normal(2, 6, 14)};
    expect_gradcheck("concat_rows (a only)", concat_of, in, {true, false});
    expect_gradcheck("concat_rows (b only)", concat_of, in, {false, true});
    Variable a(in[0], true), b(in[1], false);
    Tape::current().backward(sum(concat_rows(a, b)));
    EXPECT_TRUE(a.grad().defined());
    EXPECT_FALSE(b.grad().defined());
}

TEST(ConcatRows, GradientSplitsTheRows) {
    Variable a(test::normal(2, 3, 15), true), b(test::normal(4, 3, 16), true);
    Tensor r = test::normal(6, 3, 17);
    Tape::current().backward(sum(mul(concat_rows(a, b), Variable(r))));
    test::expect_matches(
        a.grad(), [&](index_t i, index_t j) { return r.at(i, j); }, 0.0, "da");
    test::expect_matches(
        b.grad(), [&](index_t i, index_t j) { return r.at(i + 2, j); }, 0.0,
        "db");
}

TEST(ConcatRows, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        concat_of, {test::normal(3, 4, 18), test::normal(5, 4, 19)},
        {true, true});
}

TEST(ConcatRows, ShapeErrorsThrow) {
    Variable a(Tensor::zeros(4, 5, DType::f64));
    EXPECT_NO_THROW(concat_rows(a, Variable(Tensor::zeros(2, 5, DType::f64))));
    EXPECT_THROW(concat_rows(a, Variable(Tensor::zeros(2, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(concat_rows(a, Variable(Tensor::zeros(4, 6, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(concat_rows(a, Variable(Tensor::zeros(5, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(concat_rows(a, Variable(Tensor::zeros(2, 5, DType::f32))),
                 std::invalid_argument);
}

TEST(ConcatRows, AlongTheFirstDimensionOf3dTensors) {
    Variable y = concat_rows(Variable(test::normal(Shape{2, 3, 4}, 71)),
                             Variable(test::normal(Shape{5, 3, 4}, 72)));
    EXPECT_EQ(y.value().shape_string(), "7 x 3 x 4");
    expect_gradcheck("concat_rows (3-D)", concat_of,
                     {test::normal(Shape{2, 3, 4}, 71),
                      test::normal(Shape{5, 3, 4}, 72)},
                     {true, true});
    Variable a(Tensor::zeros(Shape{2, 3, 4}, DType::f64));
    Variable b(Tensor::zeros(Shape{2, 4, 3}, DType::f64));
    EXPECT_THROW(concat_rows(a, b), std::invalid_argument);
}

TEST(ConcatRows, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("concat_rows", concat_of,
                           {test::normal(6, 9, 33), test::normal(3, 9, 34)},
                           {true, true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
