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
    // Elementwise: no shape constraint, so no shape error to raise.
    for (index_t r : {0, 1, 7}) {
        Variable y = op_of({Variable(Tensor::full(r, 3, 0.5, DType::f32))});
        EXPECT_EQ(y.value().rows(), r);
        EXPECT_EQ(y.value().cols(), 3);
    }
}

}  // namespace
}  // namespace exprae
