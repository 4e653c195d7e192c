// sigmoid(x) = 1 / (1 + exp(-x)); derivative y (1 - y)
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return sigmoid(v[0]); }

TEST(Sigmoid, ForwardMatchesReference) {
    test::expect_unary_forward(
        [](const Variable& x) { return sigmoid(x); },
        [](double x) { return 1.0 / (1.0 + std::exp(-x)); },
        test::uniform(5, 6, -8.0, 8.0, 1));
}

TEST(Sigmoid, Gradcheck) {
    test::expect_gradcheck("sigmoid", op_of,
                           {test::uniform(5, 6, -3.0, 3.0, 11)}, {true});
}

TEST(Sigmoid, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, -3.0, 3.0, 11)},
                                  {true});
}

TEST(Sigmoid, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(Sigmoid, LargeInputsStayFinite) {
    Tensor x = test::from_values(4, 1, {-800.0, -50.0, 50.0, 800.0});
    for (DType dt : {DType::f64, DType::f32}) {
        Variable y = sigmoid(Variable(test::to_dtype(x, dt)));
        EXPECT_EQ(y.value().at(0), 0.0);
        EXPECT_NEAR(y.value().at(1), 0.0, 1e-20);
        EXPECT_NEAR(y.value().at(2), 1.0, 1e-15);
        EXPECT_EQ(y.value().at(3), 1.0);
    }
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Sigmoid, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::uniform(Shape{3, 4, 5}, -3.0, 3.0, 21);
    test::expect_gradcheck("sigmoid (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("sigmoid (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Sigmoid, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("sigmoid", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
