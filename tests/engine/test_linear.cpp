// linear: y (out x n) = w (out x in) x (in x n) + b (out x 1)
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

Variable linear_of(const std::vector<Variable>& v) {
    return linear(v[0], v[1], v[2]);
}

TEST(Linear, ForwardMatchesTripleLoop) {
    const index_t in = 5, out = 7, n = 9;
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::normal(in, n, 1, 0, 1, dt);
        Tensor w = test::normal(out, in, 2, 0, 1, dt);
        Tensor b = test::normal(out, 1, 3, 0, 1, dt);
        Variable y = linear(Variable(x), Variable(w), Variable(b));
        ASSERT_EQ(y.value().rows(), out);
        ASSERT_EQ(y.value().cols(), n);
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                double s = b.at(i);
                for (index_t k = 0; k < in; ++k) s += w.at(i, k) * x.at(k, j);
                return s;
            },
            test::forward_tolerance(dt) * 10, dtype_name(dt));
    }
}

TEST(Linear, GradcheckAllInputs) {
    expect_gradcheck("linear", linear_of,
                     {test::normal(4, 6, 11), test::normal(3, 4, 12),
                      test::normal(3, 1, 13)},
                     {true, true, true});
}

TEST(Linear, GradcheckWithoutInputGradient) {
    // The network's input needs no gradient; w and b must still be right
    // and x must get none.
    std::vector<Tensor> in = {test::normal(4, 6, 21), test::normal(3, 4, 22),
                              test::normal(3, 1, 23)};
    expect_gradcheck("linear (x constant)", linear_of, in,
                     {false, true, true});
    Variable x(in[0], false), w(in[1], true), b(in[2], true);
    Tape::current().backward(sum(linear(x, w, b)));
    EXPECT_FALSE(x.grad().defined());
}

TEST(Linear, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        linear_of,
        {test::normal(6, 5, 31), test::normal(4, 6, 32),
         test::normal(4, 1, 33)},
        {true, true, true});
}

TEST(Linear, ShapeErrorsThrow) {
    Variable x(Tensor::zeros(4, 6, DType::f64));
    Variable w(Tensor::zeros(3, 4, DType::f64));
    Variable b(Tensor::zeros(3, 1, DType::f64));
    Variable w_bad(Tensor::zeros(3, 5, DType::f64));
    Variable b_rows(Tensor::zeros(2, 1, DType::f64));
    Variable b_cols(Tensor::zeros(3, 2, DType::f64));
    EXPECT_THROW(linear(x, w_bad, b), std::invalid_argument);
    EXPECT_THROW(linear(x, w, b_rows), std::invalid_argument);
    EXPECT_THROW(linear(x, w, b_cols), std::invalid_argument);
    Variable w32(Tensor::zeros(3, 4, DType::f32));
    EXPECT_THROW(linear(x, w32, b), std::invalid_argument);
    EXPECT_NO_THROW(linear(x, w, b));
}

// The layer at every position of a (features, positions, samples) input.
TEST(Linear, GradcheckOn3dInput) {
    Variable x(test::normal(Shape{4, 3, 5}, 41));
    Variable w(test::normal(2, 4, 42)), b(test::normal(2, 1, 43));
    EXPECT_EQ(linear(x, w, b).value().shape_string(), "2 x 3 x 5");
    expect_gradcheck("linear (3-D input)", linear_of,
                     {test::normal(Shape{4, 3, 5}, 41), test::normal(2, 4, 42),
                      test::normal(2, 1, 43)},
                     {true, true, true});
}

TEST(Linear, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    const double tol = test::kParityTolerance;
    test::expect_op_parity("linear", linear_of,
                           {test::normal(13, 9, 1), test::normal(7, 13, 2),
                            test::normal(7, 1, 3)},
                           {true, true, true}, tol);
    // The reference network's widest layer: cuBLAS at a real size.
    test::expect_op_parity("linear 2000 -> 512", linear_of,
                           {test::uniform(2000, 256, 0, 1, 4),
                            test::normal(512, 2000, 5, 0, 0.03),
                            test::normal(512, 1, 6)},
                           {false, true, true}, tol);
    // Odd sizes: the bias gradient's row sums end in a partial block of
    // rows (70 = 2 x 32 + 6) and of column lanes (33 = 4 x 8 + 1).
    test::expect_op_parity("linear 45 -> 70", linear_of,
                           {test::normal(45, 33, 37), test::normal(70, 45, 38),
                            test::normal(70, 1, 39)},
                           {true, true, true}, tol);
}

TEST(Linear, CudaMatchesCpuWithEveryFusedActivation) {
    EXPRAE_SKIP_WITHOUT_GPU();
    std::vector<Tensor> in = {test::normal(11, 17, 7), test::normal(6, 11, 8),
                              test::normal(6, 1, 9)};
    for (const std::string& name : activation_names()) {
        Unary act = activation(name);
        test::expect_op_parity("linear + " + name,
                               [act](const std::vector<Variable>& v) {
            return linear(v[0], v[1], v[2], act);
        }, in, {true, true, true}, test::kParityTolerance);
    }
}

}  // namespace
}  // namespace exprae
