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
    // Elementwise: no shape constraint, so no shape error to raise.
    for (index_t r : {0, 1, 7}) {
        Variable y = op_of({Variable(Tensor::full(r, 3, 0.5, DType::f32))});
        EXPECT_EQ(y.value().rows(), r);
        EXPECT_EQ(y.value().cols(), 3);
    }
}

}  // namespace
}  // namespace exprae
