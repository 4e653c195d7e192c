// relu(x) = max(x, 0); inputs kept >= 0.1 away from the kink at 0
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return relu(v[0]); }

TEST(Relu, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return relu(x); },
                               [](double x) { return x > 0 ? x : 0.0; },
                               test::away_from_zero(5, 6, 0.0, 3.0, 1));
}

TEST(Relu, Gradcheck) {
    test::expect_gradcheck("relu", op_of,
                           {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(Relu, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        op_of, {test::away_from_zero(5, 6, 0.1, 2.0, 11)}, {true});
}

TEST(Relu, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

}  // namespace
}  // namespace exprae
