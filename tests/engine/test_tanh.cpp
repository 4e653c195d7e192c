// tanh(x); derivative 1 - y^2 from the output
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

}  // namespace
}  // namespace exprae
