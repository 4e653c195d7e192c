// grad_reverse: y = x forward, dx += -lambda dy backward; no kernels of
// its own (the backend's axpy), so it runs on every device.
#include <cmath>
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/grad_reverse.h"

namespace exprae {
namespace {

constexpr double kLambda = 0.7;

Variable reversed_of(const std::vector<Variable>& v) {
    return grad_reverse(v[0], kLambda);
}

// The op's backward rule is not the derivative of its forward pass, so
// finite differences check it through a chain whose reversals cancel:
// lambda, a nonlinearity, then 1 / lambda. Forward: tanh(x); backward:
// (-1 / lambda) tanh'(x) (-lambda) = tanh'(x), if and only if each
// reversal multiplies by -lambda.
Variable cancelled_of(const std::vector<Variable>& v) {
    return grad_reverse(tanh(grad_reverse(v[0], kLambda)), 1.0 / kLambda);
}

TEST(GradReverse, ForwardIsTheInputItself) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::to_dtype(test::normal(Shape{3, 4, 2}, 1), dt);
        Variable y = grad_reverse(Variable(x, true), 2.0);
        ASSERT_EQ(y.value().shape_string(), x.shape_string());
        ASSERT_EQ(y.value().dtype(), dt);
        EXPECT_EQ(y.value().raw(), x.raw());
        Tape::current().clear();
    }
}

// d/dx sum(grad_reverse(x) * r) = -lambda r, exactly.
TEST(GradReverse, BackwardIsMinusLambdaTimesTheGradient) {
    for (double lambda : {0.0, 0.7, 3.0}) {
        Tensor x = test::normal(5, 4, 11);
        Tensor r = test::normal(5, 4, 12);
        Variable xv(x, true);
        Tape::current().backward(sum(mul(grad_reverse(xv, lambda),
                                         Variable(r))));
        for (index_t k = 0; k < x.size(); ++k)
            EXPECT_DOUBLE_EQ(xv.grad().at(k), -lambda * r.at(k)) << k;
    }
}

TEST(GradReverse, GradcheckThroughCancellingReversals) {
    test::expect_gradcheck("grad_reverse", cancelled_of,
                           {test::normal(6, 5, 21)}, {true});
    test::expect_gradcheck("grad_reverse (3-D)", cancelled_of,
                           {test::normal(Shape{3, 4, 2}, 22)}, {true});
}

TEST(GradReverse, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(reversed_of, {test::normal(7, 9, 31)},
                                  {true});
}

// Gradients of two uses of x (reversed and direct) add up.
TEST(GradReverse, GradientAddsToOtherUses) {
    Tensor x = test::normal(3, 4, 35);
    Variable xv(x, true);
    Tape::current().backward(add(sum(grad_reverse(xv, 2.0)), sum(xv)));
    for (index_t k = 0; k < x.size(); ++k)
        EXPECT_DOUBLE_EQ(xv.grad().at(k), -1.0) << k;
}

TEST(GradReverse, InputWithoutGradientRecordsNothing) {
    Tape::current().clear();
    grad_reverse(Variable(test::normal(3, 4, 41), false), 1.0);
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(GradReverse, BadLambdaThrowsNamingIt) {
    Variable x(test::normal(3, 4, 51), true);
    for (double bad : {-1.0, std::nan(""), HUGE_VAL}) {
        try {
            grad_reverse(x, bad);
            ADD_FAILURE() << "no error for " << bad;
        } catch (const BadArgument& e) {
            std::string m = e.what();
            EXPECT_NE(m.find("lambda"), std::string::npos) << m;
        }
    }
}

// No kernels of its own: the backend's axpy reverses the gradient.
TEST(GradReverse, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("grad_reverse", reversed_of,
                           {test::normal(Shape{64, 300, 8}, 61)}, {true},
                           0.0);
}

}  // namespace
}  // namespace exprae
