// log(x); derivative 1 / x. Inputs in [0.5, 3], away from the pole.
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return log(v[0]); }

TEST(Log, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return log(x); },
                               [](double x) { return std::log(x); },
                               test::uniform(5, 6, 0.01, 10.0, 1));
}

TEST(Log, Gradcheck) {
    test::expect_gradcheck("log", op_of, {test::uniform(5, 6, 0.5, 3.0, 11)},
                           {true});
}

TEST(Log, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, 0.5, 3.0, 11)},
                                  {true});
}

TEST(Log, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(Log, NonPositiveGivesInfOrNaNAsInR) {
    Variable y = log(Variable(test::from_values(2, 1, {0.0, -1.0})));
    EXPECT_TRUE(std::isinf(y.value().at(0)));
    EXPECT_LT(y.value().at(0), 0.0);
    EXPECT_TRUE(std::isnan(y.value().at(1)));
}

// (channels, positions, samples) and 4-D: elementwise ops take any shape.
TEST(Log, GradcheckOn3dAnd4dTensors) {
    Tensor x3 = test::uniform(Shape{3, 4, 5}, 0.5, 3.0, 21);
    test::expect_gradcheck("log (3-D)", op_of, {x3}, {true});
    test::expect_gradcheck("log (4-D)", op_of,
                           {x3.reshape(Shape{3, 2, 2, 5})}, {true});
}

TEST(Log, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor x = test::uniform(9, 14, 0.1, 5.0, 14);
    test::expect_op_parity("log", op_of, {x}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
