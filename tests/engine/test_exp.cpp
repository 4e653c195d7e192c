// exp(x); derivative y
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return exp(v[0]); }

TEST(Exp, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return exp(x); },
                               [](double x) { return std::exp(x); },
                               test::uniform(5, 6, -5.0, 5.0, 1));
}

TEST(Exp, Gradcheck) {
    test::expect_gradcheck("exp", op_of, {test::uniform(5, 6, -2.0, 2.0, 11)},
                           {true});
}

TEST(Exp, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, -2.0, 2.0, 11)},
                                  {true});
}

TEST(Exp, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Exp, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::uniform(Shape{3, 4, 5}, -2.0, 2.0, 21);
    test::expect_gradcheck("exp (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("exp (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Exp, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("exp", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
