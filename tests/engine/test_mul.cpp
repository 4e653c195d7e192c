// mul: a * b elementwise, same shape
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable mul_of(const std::vector<Variable>& v) { return mul(v[0], v[1]); }

TEST(Mul, ForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor a = test::normal(6, 3, 1, 0, 1, dt);
        Tensor b = test::normal(6, 3, 2, 0, 1, dt);
        Variable y = mul(Variable(a), Variable(b));
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) { return a.at(i, j) * b.at(i, j); },
            test::forward_tolerance(dt), dtype_name(dt));
    }
}

TEST(Mul, Gradcheck) {
    test::expect_gradcheck("mul", mul_of,
                           {test::normal(5, 4, 11), test::normal(5, 4, 12)},
                           {true, true});
    test::expect_gradcheck("mul (a only)", mul_of,
                           {test::normal(5, 4, 13), test::normal(5, 4, 14)},
                           {true, false});
}

TEST(Mul, SameVariableTwiceGivesTwoX) {
    test::expect_gradcheck(
        "mul (x * x)",
        [](const std::vector<Variable>& v) { return mul(v[0], v[0]); },
        {test::normal(3, 4, 15)}, {true});
}

TEST(Mul, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        mul_of, {test::normal(5, 4, 16), test::normal(5, 4, 17)},
        {true, true});
}

TEST(Mul, ShapeErrorsThrow) {
    Variable a(Tensor::zeros(4, 5, DType::f64));
    EXPECT_THROW(mul(a, Variable(Tensor::zeros(4, 1, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(mul(a, Variable(Tensor::zeros(5, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(mul(a, Variable(Tensor::zeros(4, 5, DType::f32))),
                 std::invalid_argument);
}

TEST(Mul, GradcheckOn3dTensors) {
    test::expect_gradcheck("mul (3-D)", mul_of,
                           {test::normal(Shape{3, 4, 5}, 51),
                            test::normal(Shape{3, 4, 5}, 52)},
                           {true, true});
}

TEST(Mul, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("mul", mul_of,
                           {test::normal(8, 12, 10), test::normal(8, 12, 11)},
                           {true, true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
