// sum over all elements -> 1 x 1
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

Variable sum_of(const std::vector<Variable>& v) { return sum(v[0]); }

TEST(Sum, ForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor x = test::normal(7, 5, 1, 0.5, 1, dt);
        Variable y = sum(Variable(x));
        ASSERT_EQ(y.value().rows(), 1);
        ASSERT_EQ(y.value().cols(), 1);
        double ref = 0.0;
        for (index_t k = 0; k < x.size(); ++k) ref += x.at(k);
        EXPECT_NEAR(y.value().at(0), ref,
                    test::forward_tolerance(dt) * std::abs(ref));
    }
}

TEST(Sum, AccumulatesFloat32InDouble) {
    // 2^24 + 1 ones: a float32 running sum would stop at 2^24.
    const index_t n = (1 << 24) + 2;
    Tensor x = Tensor::full(n, 1, 1.0, DType::f32);
    x.set(n - 1, 0, -1.0);
    EXPECT_EQ(sum(Variable(x)).value().at(0), double(n - 2));
}

TEST(Sum, Gradcheck) {
    test::expect_gradcheck("sum", sum_of, {test::normal(4, 6, 11)}, {true});
}

TEST(Sum, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(sum_of, {test::normal(4, 6, 12)}, {true});
}

TEST(Sum, AnyShapeIncludingEmpty) {
    // A reduction over all elements accepts every shape: no shape error.
    EXPECT_EQ(sum(Variable(Tensor::zeros(0, 4, DType::f64))).value().at(0),
              0.0);
    EXPECT_EQ(sum(Variable(Tensor::full(1, 1, 3.0, DType::f64))).value().at(0),
              3.0);
}

TEST(Sum, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("sum", sum_of, {test::normal(300, 70, 15)},
                           {true}, test::kParityTolerance);
    // More elements than one pass of a reduction's fixed grid (256 blocks
    // x 256 threads), ending in a partial block.
    test::expect_op_parity("sum (large)", sum_of,
                           {test::normal(1201, 1901, 41)}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
