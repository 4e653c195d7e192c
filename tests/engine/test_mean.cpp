// mean over all elements -> 1 x 1
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable mean_of(const std::vector<Variable>& v) { return mean(v[0]); }

TEST(Mean, ForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::normal(7, 5, 1, 0.5, 1, dt);
        Variable y = mean(Variable(x));
        ASSERT_EQ(y.value().size(), 1);
        double ref = 0.0;
        for (index_t k = 0; k < x.size(); ++k) ref += x.at(k);
        ref /= static_cast<double>(x.size());
        EXPECT_NEAR(y.value().at(0), ref,
                    test::forward_tolerance(dt) * std::max(1.0, std::abs(ref)));
    }
}

TEST(Mean, Gradcheck) {
    test::expect_gradcheck("mean", mean_of, {test::normal(4, 6, 11)}, {true});
}

TEST(Mean, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(mean_of, {test::normal(4, 6, 12)}, {true});
}

TEST(Mean, EmptyTensorThrows) {
    EXPECT_THROW(mean(Variable(Tensor::zeros(0, 4, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(mean(Variable(Tensor::zeros(3, 0, DType::f32))),
                 std::invalid_argument);
}

TEST(Mean, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("mean", mean_of, {test::normal(300, 70, 15)},
                           {true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
