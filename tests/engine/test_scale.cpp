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
    test::expect_keeps_shape(
        [](const Variable& x) { return scale(x, 2.0); });
}

}  // namespace
}  // namespace exprae
