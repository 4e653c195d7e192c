// mse_loss: mean((pred - target)^2) -> 1 x 1; the target gets no gradient
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable mse_of(const std::vector<Variable>& v) {
    return mse_loss(v[0], v[1]);
}

TEST(MseLoss, ForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor p = test::normal(6, 5, 1, 0, 1, dt);
        Tensor t = test::normal(6, 5, 2, 0, 1, dt);
        Variable y = mse_loss(Variable(p), Variable(t));
        ASSERT_EQ(y.value().size(), 1);
        double ref = 0.0;
        for (index_t k = 0; k < p.size(); ++k)
            ref += (p.at(k) - t.at(k)) * (p.at(k) - t.at(k));
        ref /= static_cast<double>(p.size());
        EXPECT_NEAR(y.value().at(0), ref, test::forward_tolerance(dt) * ref);
    }
}

TEST(MseLoss, HandComputedValue) {
    Tensor p = test::from_values(2, 2, {1.0, 2.0, 3.0, 4.0});
    Tensor t = test::from_values(2, 2, {0.0, 2.0, 5.0, 1.0});
    // (1 + 0 + 4 + 9) / 4
    EXPECT_DOUBLE_EQ(mse_loss(Variable(p), Variable(t)).value().at(0), 3.5);
}

TEST(MseLoss, Gradcheck) {
    test::expect_gradcheck("mse_loss", mse_of,
                           {test::normal(5, 4, 11), test::normal(5, 4, 12)},
                           {true, false});
}

TEST(MseLoss, TargetGetsNoGradient) {
    Variable p(test::normal(3, 4, 13), true);
    Variable t(test::normal(3, 4, 14), true);
    Tape::current().backward(mse_loss(p, t));
    EXPECT_TRUE(p.grad().defined());
    EXPECT_FALSE(t.grad().defined());
}

TEST(MseLoss, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        mse_of, {test::normal(5, 4, 15), test::normal(5, 4, 16)},
        {true, false});
}

TEST(MseLoss, ShapeErrorsThrow) {
    Variable p(Tensor::zeros(4, 5, DType::f64));
    EXPECT_THROW(mse_loss(p, Variable(Tensor::zeros(5, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(mse_loss(p, Variable(Tensor::zeros(4, 1, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(mse_loss(p, Variable(Tensor::zeros(4, 5, DType::f32))),
                 std::invalid_argument);
    Variable empty(Tensor::zeros(0, 5, DType::f64));
    EXPECT_THROW(mse_loss(empty, empty), std::invalid_argument);
}

TEST(MseLoss, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("mse_loss", mse_of,
                           {test::normal(300, 70, 15),
                            test::normal(300, 70, 16)},
                           {true, false}, test::kParityTolerance);
    test::expect_op_parity("mse_loss (large)", mse_of,
                           {test::normal(1201, 1901, 41),
                            test::normal(1201, 1901, 43)},
                           {true, false}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
