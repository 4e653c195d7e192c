// The autograd tape: reverse walk, += accumulation, no_grad, scalar losses.
#include "gradcheck.h"

namespace exprae {
namespace {

TEST(Tape, VariableUsedTwiceAccumulates) {
    Tensor x0 = test::normal(3, 4, 1);
    // d/dx sum(x * x) = 2x
    Variable x(x0, true);
    Tape::current().backward(sum(mul(x, x)));
    for (index_t k = 0; k < x0.size(); ++k)
        EXPECT_DOUBLE_EQ(x.grad().at(k), 2 * x0.at(k));
    // d/dx sum(x + x) = 2
    Variable y(x0, true);
    Tape::current().backward(sum(add(y, y)));
    for (index_t k = 0; k < x0.size(); ++k) EXPECT_EQ(y.grad().at(k), 2.0);
}

TEST(Tape, TwoBranchesAddUp) {
    // L = sum(exp(x)) + sum(3 x): dL/dx = exp(x) + 3
    Tensor x0 = test::normal(2, 5, 2);
    Variable x(x0, true);
    Variable loss = add(sum(exp(x)), sum(scale(x, 3.0)));
    Tape::current().backward(loss);
    for (index_t k = 0; k < x0.size(); ++k)
        EXPECT_NEAR(x.grad().at(k), std::exp(x0.at(k)) + 3.0, 1e-14);
}

TEST(Tape, IntermediateUsedTwice) {
    // h = tanh(x); L = sum(h * h) -> dL/dx = 2 h (1 - h^2)
    Tensor x0 = test::normal(3, 3, 3);
    Variable x(x0, true);
    Variable h = tanh(x);
    Tape::current().backward(sum(mul(h, h)));
    for (index_t k = 0; k < x0.size(); ++k) {
        double t = std::tanh(x0.at(k));
        EXPECT_NEAR(x.grad().at(k), 2 * t * (1 - t * t), 1e-14);
    }
}

TEST(Tape, LeafGradientsAccumulateAcrossBackwardCalls) {
    Variable x(test::normal(2, 2, 4), true);
    Tape::current().backward(sum(scale(x, 2.0)));
    Tape::current().backward(sum(scale(x, 5.0)));
    for (index_t k = 0; k < 4; ++k) EXPECT_EQ(x.grad().at(k), 7.0);
}

TEST(Tape, BackwardRunsOnceAndClears) {
    Variable x(test::normal(2, 2, 5), true);
    Variable loss = sum(exp(x));
    EXPECT_EQ(Tape::current().size(), 2u);
    Tape::current().backward(loss);
    EXPECT_EQ(Tape::current().size(), 0u);
    EXPECT_EQ(loss.grad().at(0), 1.0);
}

TEST(Tape, NoGradGuardRecordsNothing) {
    Tape& tape = Tape::current();
    ASSERT_EQ(tape.size(), 0u);
    Variable x(test::normal(3, 4, 6), true);
    Variable w(test::normal(2, 3, 7), true);
    Variable b(test::normal(2, 1, 8), true);
    {
        NoGradGuard no_grad;
        EXPECT_FALSE(tape.enabled());
        Variable y = sum(relu(linear(x, w, b)));
        y = mse_loss(exp(y), y);
        EXPECT_EQ(tape.size(), 0u);
        {
            NoGradGuard nested;
            EXPECT_FALSE(tape.enabled());
        }
        EXPECT_FALSE(tape.enabled());  // the inner guard restores "off"
    }
    EXPECT_TRUE(tape.enabled());
    sum(x);
    EXPECT_EQ(tape.size(), 1u);
    tape.clear();
}

TEST(Tape, InputsWithoutGradientRecordNothing) {
    Variable x(test::normal(3, 4, 9), false);
    Variable y = sum(exp(mul(x, x)));
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(Tape, BackwardOnNonScalarThrowsAndClears) {
    Variable x(test::normal(3, 4, 10), true);
    Variable y = exp(x);
    EXPECT_THROW(Tape::current().backward(y), std::invalid_argument);
    EXPECT_EQ(Tape::current().size(), 0u);
    EXPECT_FALSE(x.grad().defined());
}

TEST(Tape, GradientGoesIntoAnExistingBuffer) {
    // A model's parameters carry views into one gradient block; backward
    // must add into that very buffer.
    Tensor block = Tensor::zeros(8, 1, DType::f64);
    Variable x(test::normal(2, 2, 11), true);
    x.set_grad(block.view(2, 2, 2));
    Tape::current().backward(sum(scale(x, 4.0)));
    for (index_t k = 0; k < 8; ++k)
        EXPECT_EQ(block.at(k), k >= 2 && k < 6 ? 4.0 : 0.0) << k;
}

}  // namespace
}  // namespace exprae
