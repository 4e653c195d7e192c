// sigmoid_cross_entropy: the mean binary cross-entropy of sigmoid(z) over
// the observed targets (NaN = missing), with per-label weights, as
// PyTorch's binary_cross_entropy_with_logits gives for complete targets.
#include <cmath>
#include <limits>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/sigmoid_cross_entropy.h"

namespace exprae {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// The op on v[0], with targets and weights (float64 here) moved to the
// logits' dtype and device.
test::OpFn loss_with(const Tensor& targets,
                     const Tensor& weights = Tensor()) {
    return [targets, weights](const std::vector<Variable>& v) {
        const Tensor& z = v[0].value();
        auto like = [&](const Tensor& t) {
            return t.defined() ? test::to_dtype(t, z.dtype()).to(z.device())
                               : Tensor();
        };
        return sigmoid_cross_entropy(v[0], like(targets), like(weights));
    };
}

// The loss by its definition, -t log(p) - (1 - t) log(1 - p), in double.
double reference(const Tensor& z, const Tensor& t, const Tensor& w) {
    double total = 0.0, m = 0.0;
    for (index_t j = 0; j < z.cols(); ++j) {
        for (index_t i = 0; i < z.rows(); ++i) {
            double ti = t.at(i, j);
            if (std::isnan(ti)) continue;
            double p = 1.0 / (1.0 + std::exp(-z.at(i, j)));
            double wi = w.defined() ? w.at(i) : 1.0;
            total += wi * (-ti * std::log(p) - (1 - ti) * std::log(1 - p));
            m += 1;
        }
    }
    return m > 0 ? total / m : 0.0;
}

Tensor some_targets() {
    return test::from_values(3, 3, {1, 0, kNaN, 0, 0.25, 1, 1, 1, 0});
}

TEST(SigmoidCrossEntropy, ForwardMatchesTheDefinition) {
    Tensor z = test::normal(3, 3, 1, 0.0, 2.0);
    Tensor w = test::from_values(3, 1, {0.5, 2.0, 1.5});
    for (DType dt : {DType::f64, DType::f32}) {
        for (const Tensor& weights : {Tensor(), w}) {
            Variable y = loss_with(some_targets(), weights)(
                {Variable(test::to_dtype(z, dt))});
            EXPECT_EQ(y.value().shape_string(), "1 x 1");
            EXPECT_NEAR(y.value().at(0),
                        reference(z, some_targets(), weights),
                        test::forward_tolerance(dt) * 10);
        }
    }
}

// torch.nn.functional.binary_cross_entropy_with_logits(
//     tensor([0.5, -1.0]), tensor([1.0, 0.0])) = 0.39366933585
TEST(SigmoidCrossEntropy, KnownValue) {
    Variable y = sigmoid_cross_entropy(
        Variable(test::from_values(2, 1, {0.5, -1.0})),
        test::from_values(2, 1, {1.0, 0.0}));
    EXPECT_NEAR(y.value().at(0), 0.39366933585, 1e-10);
}

TEST(SigmoidCrossEntropy, LargeLogitsStayFinite) {
    Tensor z = test::from_values(2, 1, {1000, -1000});
    EXPECT_NEAR(sigmoid_cross_entropy(Variable(z),
                                      test::from_values(2, 1, {0, 1}))
                    .value().at(0),
                1000.0, 1e-9);
    EXPECT_NEAR(sigmoid_cross_entropy(Variable(z),
                                      test::from_values(2, 1, {1, 0}))
                    .value().at(0),
                0.0, 1e-12);
}

TEST(SigmoidCrossEntropy, Gradcheck) {
    Tensor z = test::normal(3, 3, 11, 0.0, 2.0);
    test::expect_gradcheck("sigmoid_cross_entropy", loss_with(some_targets()),
                           {z}, {true});
    test::expect_gradcheck(
        "sigmoid_cross_entropy (weighted)",
        loss_with(some_targets(), test::from_values(3, 1, {0.5, 2.0, 1.5})),
        {z}, {true});
}

TEST(SigmoidCrossEntropy, GradcheckOn3dLogits) {
    Tensor t = test::uniform(Shape{2, 3, 2}, 0, 1, 12);
    t.set(4, 0, kNaN);
    test::expect_gradcheck("sigmoid_cross_entropy (3-D)", loss_with(t),
                           {test::normal(Shape{2, 3, 2}, 13)}, {true});
}

TEST(SigmoidCrossEntropy, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(loss_with(some_targets()),
                                  {test::normal(3, 3, 14)}, {true});
}

TEST(SigmoidCrossEntropy, AllMissingGivesZeroLossAndGradient) {
    Variable z(test::normal(2, 2, 15), true);
    Variable loss = sigmoid_cross_entropy(
        z, Tensor::full(2, 2, kNaN, DType::f64));
    EXPECT_EQ(loss.value().at(0), 0.0);
    Tape::current().backward(loss);
    for (index_t k = 0; k < z.grad().size(); ++k)
        EXPECT_EQ(z.grad().at(k), 0.0);
}

TEST(SigmoidCrossEntropy, BadTargetsAndWeightsThrow) {
    Variable z(test::normal(2, 2, 16));
    EXPECT_THROW(sigmoid_cross_entropy(z, test::from_values(2, 1, {0, 1})),
                 BadArgument);
    EXPECT_THROW(sigmoid_cross_entropy(
                     z, test::from_values(2, 2, {0, 1, 2, 0})),
                 BadInput);
    EXPECT_THROW(sigmoid_cross_entropy(
                     z, test::from_values(2, 2, {0, 1, 1, -0.5})),
                 BadInput);
    Tensor t = test::from_values(2, 2, {0, 1, 1, 0});
    EXPECT_THROW(sigmoid_cross_entropy(z, t, test::from_values(2, 1, {1, -1})),
                 BadInput);
    EXPECT_THROW(sigmoid_cross_entropy(z, t, test::from_values(3, 1,
                                                               {1, 1, 1})),
                 BadArgument);
}

TEST(SigmoidCrossEntropy, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    // 90,300 elements: more than one pass of a reduction's 256 x 256 grid.
    Tensor t = test::uniform(300, 301, 0, 1, 17);
    for (index_t k = 0; k < t.size(); k += 7) t.set(k, 0, std::round(t.at(k)));
    for (index_t k = 3; k < t.size(); k += 11) t.set(k, 0, kNaN);
    test::expect_op_parity("sigmoid_cross_entropy",
                           loss_with(t, test::uniform(300, 1, 0.5, 2, 18)),
                           {test::normal(300, 301, 19, 0.0, 3.0)}, {true},
                           test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
