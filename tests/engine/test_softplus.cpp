// softplus(x) = log(1 + exp(x)); derivative sigmoid(x)
#include "gradcheck.h"

namespace exprae {
namespace {

Variable op_of(const std::vector<Variable>& v) { return softplus(v[0]); }

TEST(Softplus, ForwardMatchesReference) {
    test::expect_unary_forward([](const Variable& x) { return softplus(x); },
                               [](double x) { return std::log1p(std::exp(x)); },
                               test::uniform(5, 6, -8.0, 8.0, 1));
}

TEST(Softplus, Gradcheck) {
    test::expect_gradcheck("softplus", op_of,
                           {test::uniform(5, 6, -3.0, 3.0, 11)}, {true});
}

TEST(Softplus, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(op_of, {test::uniform(5, 6, -3.0, 3.0, 11)},
                                  {true});
}

TEST(Softplus, KeepsShapeIncludingEmpty) {
    test::expect_keeps_shape(
        [](const Variable& x) { return op_of({x}); });
}

TEST(Softplus, LargeInputsStayFinite) {
    Tensor x = test::from_values(3, 1, {-800.0, 0.0, 800.0});
    for (DType dt : {DType::f64, DType::f32}) {
        Variable y = softplus(Variable(test::to_dtype(x, dt)));
        EXPECT_EQ(y.value().at(0), 0.0);
        EXPECT_NEAR(y.value().at(1), std::log(2.0), 1e-7);
        EXPECT_EQ(y.value().at(2), 800.0);
    }
}

}  // namespace
}  // namespace exprae
