// exp(x); derivative y
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

}  // namespace
}  // namespace exprae
