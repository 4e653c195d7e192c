// softplus(x) = log(1 + exp(x)); derivative sigmoid(x)
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return softplus(v[0]); }

TEST(Softplus, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return softplus(x); },
                               [](double x) { return std::log1p(std::exp(x)); },
                               test::uniform(5, 6, -8.0, 8.0, 1));
}

TEST(Softplus, Gradcheck) {
    test::expect_gradcheck("softplus", op_of,
                           {test::uniform(5, 6, -3.0, 3.0, 11)}, {true});
}

TEST(Softplus, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, -3.0, 3.0, 11)},
                                  {true});
}

TEST(Softplus, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(Softplus, LargeInputsStayFinite) {
    Tensor x = test::from_values(3, 1, {-800.0, 0.0, 800.0});
    for (DType dt : {DType::f64, DType::f32}) {
        Variable y = softplus(Variable(test::to_dtype(x, dt)));
        EXPECT_EQ(y.value().at(0), 0.0);
        EXPECT_NEAR(y.value().at(1), std::log(2.0), 1e-7);
        EXPECT_EQ(y.value().at(2), 800.0);
    }
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Softplus, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::uniform(Shape{3, 4, 5}, -3.0, 3.0, 21);
    test::expect_gradcheck("softplus (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("softplus (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Softplus, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("softplus", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
