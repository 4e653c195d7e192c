// leaky_relu(x) = x for x > 0, slope * x otherwise; inputs kept >= 0.1
// away from the kink at 0
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

}  // namespace
}  // namespace exprae
