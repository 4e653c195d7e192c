// tanh(x); derivative 1 - y^2 from the output
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return tanh(v[0]); }

TEST(Tanh, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return tanh(x); },
                               [](double x) { return std::tanh(x); },
                               test::uniform(5, 6, -4.0, 4.0, 1));
}

TEST(Tanh, Gradcheck) {
    test::expect_gradcheck("tanh", op_of, {test::uniform(5, 6, -2.0, 2.0, 11)},
                           {true});
}

TEST(Tanh, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, -2.0, 2.0, 11)},
                                  {true});
}

TEST(Tanh, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Tanh, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::uniform(Shape{3, 4, 5}, -2.0, 2.0, 21);
    test::expect_gradcheck("tanh (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("tanh (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Tanh, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    test::expect_op_parity("tanh", op_of, {x}, {true},
                           test::kParityTolerance);
}

// Past the launch limits of an elementwise grid (8192 x 256): the
// grid-stride loop goes round more than once, with a partial last block.
TEST(Tanh, CudaMatchesCpuPastOneGrid) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("tanh (large)", op_of,
                           {test::normal(1201, 1901, 41)}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
