// elu(x) = x for x > 0, alpha (exp(x) - 1) otherwise; inputs kept >= 0.1
// away from the kink at 0
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return elu(v[0], 0.7); }

TEST(Elu, ForwardMatchesReference) {
    test::expect_unary_forward(
        [](const Variable& x) { return elu(x, 0.7); },
        [](double x) { return x > 0 ? x : 0.7 * std::expm1(x); },
        test::away_from_zero(5, 6, 0.0, 3.0, 1));
}

TEST(Elu, Gradcheck) {
    test::expect_gradcheck("elu", op_of,
                           {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(Elu, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        op_of, {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(Elu, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(Elu, DefaultAlphaIsOne) {
    test::expect_unary_forward(
        [](const Variable& x) { return elu(x); },
        [](double x) { return x > 0 ? x : std::expm1(x); },
        test::away_from_zero(3, 4, 0.0, 3.0, 2));
    test::expect_gradcheck(
        "elu (alpha 1)",
        [](const std::vector<Variable>& v) { return elu(v[0]); },
        {test::away_from_zero(3, 4, 0.1, 2.0, 12)}, {true});
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Elu, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::away_from_zero(Shape{3, 4, 5}, 0.1, 2.0, 21);
    test::expect_gradcheck("elu (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("elu (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Elu, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("elu", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
