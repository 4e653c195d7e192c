// leaky_relu(x) = x for x > 0, slope * x otherwise; inputs kept >= 0.1
// away from the kink at 0
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return leaky_relu(v[0], 0.2); }

TEST(LeakyRelu, ForwardMatchesReference) {
    test::expect_unary_forward(
        [](const Variable& x) { return leaky_relu(x, 0.2); },
        [](double x) { return x > 0 ? x : 0.2 * x; },
        test::away_from_zero(5, 6, 0.0, 3.0, 1));
}

TEST(LeakyRelu, Gradcheck) {
    test::expect_gradcheck("leaky_relu", op_of,
                           {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(LeakyRelu, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        op_of, {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(LeakyRelu, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(LeakyRelu, DefaultSlopeIsOneHundredth) {
    test::expect_unary_forward([](const Variable& x) { return leaky_relu(x); },
                               [](double x) { return x > 0 ? x : 0.01 * x; },
                               test::away_from_zero(3, 4, 0.0, 3.0, 2));
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(LeakyRelu, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::away_from_zero(Shape{3, 4, 5}, 0.1, 2.0, 21);
    test::expect_gradcheck("leaky_relu (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("leaky_relu (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(LeakyRelu, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("leaky_relu", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
