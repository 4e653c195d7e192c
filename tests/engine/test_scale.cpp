// scale: alpha * x
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return scale(v[0], -1.7); }

TEST(Scale, ForwardMatchesReference) {
    for (double alpha : {2.5, -0.75, 0.0}) {
        test::expect_unary_forward(
            [alpha](const Variable& x) { return scale(x, alpha); },
            [alpha](double x) { return alpha * x; }, test::normal(4, 6, 1));
    }
}

TEST(Scale, Gradcheck) {
    for (double alpha : {2.5, -0.75}) {
        test::expect_gradcheck(
            "scale",
            [alpha](const std::vector<Variable>& v) {
                return scale(v[0], alpha);
            },
            {test::normal(4, 6, 11)}, {true});
    }
}

TEST(Scale, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        [](const std::vector<Variable>& v) { return scale(v[0], -3.0); },
        {test::normal(4, 6, 12)}, {true});
}

TEST(Scale, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return scale(x, 2.0); });
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Scale, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::normal(Shape{3, 4, 5}, 21);
    test::expect_gradcheck("scale (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("scale (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Scale, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::normal(8, 12, 10);
    test::expect_op_parity("scale", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
