// softmax_cross_entropy: the weighted mean over labelled columns of
// logsumexp(z_j) - z_j[y_j], as PyTorch's cross_entropy(weight=) gives;
// labels < 0 or NaN are unlabelled; logits may be 3-D (a class per
// position).
#include <cmath>
#include <limits>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/softmax_cross_entropy.h"

namespace exprae {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The op on v[0], with labels and weights (float64 here) moved to the
// logits' dtype and device.
test::OpFn loss_with(const Tensor& labels, const Tensor& weights = Tensor()) {
    return [labels, weights](const std::vector<Variable>& v) {
        const Tensor& z = v[0].value();
        auto like = [&](const Tensor& t) {
            return t.defined() ? test::to_dtype(t, z.dtype()).to(z.device())
                               : Tensor();
        };
        return softmax_cross_entropy(v[0], like(labels), like(weights));
    };
}

// The loss by the definition, in double.
double reference(const Tensor& z, const Tensor& labels, const Tensor& w) {
    double total = 0.0, weights = 0.0;
    for (index_t j = 0; j < z.cols(); ++j) {
        double y = labels.at(j);
        if (std::isnan(y) || y < 0) continue;
        double sum = 0.0;
        for (index_t c = 0; c < z.rows(); ++c) sum += std::exp(z.at(c, j));
        double wj = w.defined() ? w.at(static_cast<index_t>(y)) : 1.0;
        total += wj * (std::log(sum) - z.at(static_cast<index_t>(y), j));
        weights += wj;
    }
    return weights > 0 ? total / weights : 0.0;
}

Tensor some_labels() {
    return test::from_values(1, 6, {2, 0, -1, 1, kNaN, 2});
}

TEST(SoftmaxCrossEntropy, ForwardMatchesTheDefinition) {
    Tensor z = test::normal(3, 6, 1, 0.0, 2.0);
    Tensor w = test::from_values(3, 1, {0.5, 2.0, 1.5});
    for (DType dt : {DType::f64, DType::f32}) {
        for (const Tensor& weights : {Tensor(), w}) {
            Variable y = loss_with(some_labels(), weights)(
                {Variable(test::to_dtype(z, dt))});
            EXPECT_EQ(y.value().shape_string(), "1 x 1");
            EXPECT_NEAR(y.value().at(0), reference(z, some_labels(), weights),
                        test::forward_tolerance(dt) * 10);
        }
    }
}

// torch.nn.functional.cross_entropy(tensor([[1., 2., 3.]]), tensor([2]))
// = 0.40760596444 (log(e + e^2 + e^3) - 3).
TEST(SoftmaxCrossEntropy, KnownValue) {
    Variable y = softmax_cross_entropy(
        Variable(test::from_values(3, 1, {1, 2, 3})),
        test::from_values(1, 1, {2}));
    EXPECT_NEAR(y.value().at(0), 0.40760596444, 1e-10);
}

TEST(SoftmaxCrossEntropy, LargeLogitsStayFinite) {
    Tensor z = test::from_values(2, 2, {1000, 0, -1000, 0});
    double loss = softmax_cross_entropy(Variable(z),
                                        test::from_values(1, 2, {1, 0}))
                      .value().at(0);
    // column 1: label 1, loss 1000; column 2: label 0, loss 1000
    EXPECT_NEAR(loss, 1000.0, 1e-9);
    Tensor z32 = test::to_dtype(test::from_values(2, 1, {88, -88}),
                                DType::f32);
    EXPECT_TRUE(std::isfinite(
        softmax_cross_entropy(Variable(z32),
                              Tensor::full(1, 1, 1.0, DType::f32))
            .value().at(0)));
}

TEST(SoftmaxCrossEntropy, Gradcheck) {
    Tensor z = test::normal(4, 6, 11, 0.0, 2.0);
    Tensor labels = test::from_values(1, 6, {3, 0, -1, 1, kNaN, 2});
    test::expect_gradcheck("softmax_cross_entropy", loss_with(labels), {z},
                           {true});
    Tensor w = test::from_values(4, 1, {0.5, 2.0, 1.5, 3.0});
    test::expect_gradcheck("softmax_cross_entropy (weighted)",
                           loss_with(labels, w), {z}, {true});
}

// A class per position of every sample: (classes, positions, samples)
// logits, (1, positions, samples) labels.
TEST(SoftmaxCrossEntropy, GradcheckOn3dLogits) {
    Tensor z = test::normal(Shape{3, 4, 2}, 12);
    Tensor labels = test::from_values(1, 8, {0, 1, 2, -1, 2, 2, 0, 1})
                        .reshape(Shape{1, 4, 2});
    test::expect_gradcheck("softmax_cross_entropy (3-D)", loss_with(labels),
                           {z}, {true});
}

TEST(SoftmaxCrossEntropy, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        loss_with(some_labels(), test::from_values(3, 1, {1.0, 2.0, 0.5})),
        {test::normal(3, 6, 13)}, {true});
}

TEST(SoftmaxCrossEntropy, NoLabelledColumnGivesZeroLossAndGradient) {
    Variable z(test::normal(3, 4, 14), true);
    Variable loss = softmax_cross_entropy(
        z, test::from_values(1, 4, {-1, kNaN, -1, -2}));
    EXPECT_EQ(loss.value().at(0), 0.0);
    Tape::current().backward(loss);
    for (index_t k = 0; k < z.grad().size(); ++k)
        EXPECT_EQ(z.grad().at(k), 0.0);
}

TEST(SoftmaxCrossEntropy, BadLabelsAndWeightsThrow) {
    Variable z(test::normal(3, 4, 15));
    EXPECT_THROW(softmax_cross_entropy(z, test::from_values(1, 3, {0, 1, 2})),
                 BadArgument);  // one label short
    EXPECT_THROW(softmax_cross_entropy(z,
                                       test::from_values(1, 4, {0, 1, 3, 2})),
                 BadInput);  // class 3 of 0..2
    EXPECT_THROW(softmax_cross_entropy(
                     z, test::from_values(1, 4, {0, 1.5, 1, 2})),
                 BadInput);
    Tensor labels = test::from_values(1, 4, {0, 1, 1, 2});
    EXPECT_THROW(softmax_cross_entropy(
                     z, labels, test::from_values(3, 1, {1, 0, 1})),
                 BadInput);
    EXPECT_THROW(softmax_cross_entropy(
                     z, labels, test::from_values(2, 1, {1, 1})),
                 BadArgument);
    EXPECT_THROW(softmax_cross_entropy(
                     z, test::to_dtype(labels, DType::f32)),
                 BadArgument);
}

TEST(SoftmaxCrossEntropy, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    // 70 classes take a warp's lanes round 3 times; 45 columns end in a
    // partial block of 8 warps.
    Tensor labels = Tensor::empty(1, 45, DType::f64);
    for (index_t j = 0; j < 45; ++j)
        labels.set(0, j, j % 9 == 4 ? -1.0 : static_cast<double>(j % 70));
    Tensor w = test::uniform(70, 1, 0.5, 2.0, 16);
    test::expect_op_parity("softmax_cross_entropy", loss_with(labels, w),
                           {test::normal(70, 45, 17, 0.0, 3.0)}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
