// scale: alpha * x
#include "gradcheck.h"

namespace exprae {
namespace {

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
    // An elementwise op has no shape constraint; every shape, even an
    // empty one, must come back unchanged.
    for (index_t r : {0, 1, 7}) {
        Variable y = scale(Variable(Tensor::zeros(r, 3, DType::f32)), 2.0);
        EXPECT_EQ(y.value().rows(), r);
        EXPECT_EQ(y.value().cols(), 3);
    }
}

}  // namespace
}  // namespace exprae
