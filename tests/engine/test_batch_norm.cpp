// batch_norm per feature over the minibatch (x: features x n). Training:
// batch statistics (biased variance) and running statistics updated with
// momentum (unbiased variance, as PyTorch); inference: running statistics.
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

using test::OpFn;

constexpr double kEps = 1e-5;

// One call with fresh running statistics (mean 0.2, variance 1.5), so that
// repeated evaluations of the gradcheck see the same function.
OpFn batch_norm_in(bool training) {
    return [training](const std::vector<Variable>& v) {
        index_t f = v[0].value().rows();
        DType dt = v[0].value().dtype();
        Tensor rm = Tensor::full(f, 1, 0.2, dt);
        Tensor rv = Tensor::full(f, 1, 1.5, dt);
        return batch_norm(v[0], v[1], v[2], rm, rv, training);
    };
}

std::vector<Tensor> inputs(index_t f, index_t n, std::uint64_t seed) {
    return {test::normal(f, n, seed, 0.5, 2.0), test::normal(f, 1, seed + 1),
            test::normal(f, 1, seed + 2)};
}

TEST(BatchNorm, TrainingForwardMatchesReference) {
    for (DType dt : {DType::f64, DType::f32}) {
        std::vector<Tensor> in = inputs(4, 7, 1);
        Tensor x = test::to_dtype(in[0], dt), g = test::to_dtype(in[1], dt),
               b = test::to_dtype(in[2], dt);
        Tensor rm = Tensor::zeros(4, 1, dt), rv = Tensor::full(4, 1, 1, dt);
        Variable y = batch_norm(Variable(x), Variable(g), Variable(b), rm, rv,
                                true);
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                double m = 0, v = 0;
                for (index_t c = 0; c < 7; ++c) m += x.at(i, c) / 7;
                for (index_t c = 0; c < 7; ++c)
                    v += (x.at(i, c) - m) * (x.at(i, c) - m) / 7;
                return g.at(i) * (x.at(i, j) - m) / std::sqrt(v + kEps) +
                       b.at(i);
            },
            dt == DType::f64 ? 1e-12 : 1e-5, dtype_name(dt));
    }
}

TEST(BatchNorm, RunningStatisticsHandComputed) {
    // Feature 1: x = 1 2 3 6 -> mean 3, biased variance 14/4, unbiased 14/3.
    // Feature 2: x = 0 0 4 4 -> mean 2, biased variance 4, unbiased 16/3.
    Tensor x = test::from_values(2, 4, {1, 0, 2, 0, 3, 4, 6, 4});
    Tensor rm = test::from_values(2, 1, {0.5, -1.0});
    Tensor rv = test::from_values(2, 1, {2.0, 1.0});
    Variable g(Tensor::full(2, 1, 1.0, DType::f64));
    Variable b(Tensor::zeros(2, 1, DType::f64));
    Variable y = batch_norm(Variable(x), g, b, rm, rv, true, 0.1);
    // rm' = 0.9 rm + 0.1 mean; rv' = 0.9 rv + 0.1 unbiased variance
    EXPECT_NEAR(rm.at(0), 0.45 + 0.3, 1e-15);
    EXPECT_NEAR(rm.at(1), -0.9 + 0.2, 1e-15);
    EXPECT_NEAR(rv.at(0), 1.8 + 0.1 * 14.0 / 3.0, 1e-15);
    EXPECT_NEAR(rv.at(1), 0.9 + 0.1 * 16.0 / 3.0, 1e-15);
    // And the output used the batch's biased statistics: (1 - 3)/sqrt(3.5)
    EXPECT_NEAR(y.value().at(0, 0), -2.0 / std::sqrt(3.5 + kEps), 1e-12);

    // Momentum 1 replaces the running values by the batch's.
    batch_norm(Variable(x), g, b, rm, rv, true, 1.0);
    EXPECT_NEAR(rm.at(0), 3.0, 1e-15);
    EXPECT_NEAR(rv.at(1), 16.0 / 3.0, 1e-14);
}

TEST(BatchNorm, InferenceUsesRunningStatisticsAndLeavesThem) {
    std::vector<Tensor> in = inputs(3, 5, 2);
    Tensor rm = test::from_values(3, 1, {0.1, -0.2, 0.3});
    Tensor rv = test::from_values(3, 1, {0.5, 1.0, 2.0});
    Tensor rm0 = rm.clone(), rv0 = rv.clone();
    Variable y = batch_norm(Variable(in[0]), Variable(in[1]), Variable(in[2]),
                            rm, rv, false);
    EXPECT_TRUE(test::same_bits(rm, rm0));
    EXPECT_TRUE(test::same_bits(rv, rv0));
    test::expect_matches(
        y.value(),
        [&](index_t i, index_t j) {
            return in[1].at(i) * (in[0].at(i, j) - rm.at(i)) /
                       std::sqrt(rv.at(i) + kEps) +
                   in[2].at(i);
        },
        1e-12);
    // One sample is enough in inference.
    EXPECT_NO_THROW(batch_norm(Variable(Tensor::zeros(3, 1, DType::f64)),
                               Variable(in[1]), Variable(in[2]), rm, rv,
                               false));
}

TEST(BatchNorm, GradcheckTraining) {
    test::expect_gradcheck("batch_norm (training)", batch_norm_in(true),
                           inputs(4, 6, 11), {true, true, true});
}

TEST(BatchNorm, GradcheckInference) {
    test::expect_gradcheck("batch_norm (inference)", batch_norm_in(false),
                           inputs(4, 6, 21), {true, true, true});
}

TEST(BatchNorm, GradcheckTrainingParametersOnly) {
    test::expect_gradcheck("batch_norm (gamma, beta)", batch_norm_in(true),
                           inputs(3, 5, 31), {false, true, true});
}

TEST(BatchNorm, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(batch_norm_in(true), inputs(4, 8, 41),
                                  {true, true, true}, 2e-4);
}

TEST(BatchNorm, ShapeErrorsThrow) {
    Variable x(Tensor::zeros(4, 6, DType::f64));
    Variable g(Tensor::zeros(4, 1, DType::f64));
    Variable b(Tensor::zeros(4, 1, DType::f64));
    Tensor rm = Tensor::zeros(4, 1, DType::f64);
    Tensor rv = Tensor::zeros(4, 1, DType::f64);
    Variable g_bad(Tensor::zeros(3, 1, DType::f64));
    Variable b_bad(Tensor::zeros(4, 2, DType::f64));
    Tensor rm_bad = Tensor::zeros(5, 1, DType::f64);
    Tensor rv_bad = Tensor::zeros(1, 4, DType::f64);
    EXPECT_THROW(batch_norm(x, g_bad, b, rm, rv, true),
                 std::invalid_argument);
    EXPECT_THROW(batch_norm(x, g, b_bad, rm, rv, true),
                 std::invalid_argument);
    EXPECT_THROW(batch_norm(x, g, b, rm_bad, rv, false),
                 std::invalid_argument);
    EXPECT_THROW(batch_norm(x, g, b, rm, rv_bad, false),
                 std::invalid_argument);
    // Batch statistics need two samples.
    Variable x1(Tensor::zeros(4, 1, DType::f64));
    EXPECT_THROW(batch_norm(x1, g, b, rm, rv, true), std::invalid_argument);
}

TEST(BatchNorm, DtypeMismatchThrows) {
    Variable x(Tensor::zeros(4, 6, DType::f64));
    Variable g(Tensor::zeros(4, 1, DType::f32));
    Variable b(Tensor::zeros(4, 1, DType::f64));
    Tensor rm = Tensor::zeros(4, 1, DType::f64);
    Tensor rv = Tensor::zeros(4, 1, DType::f64);
    EXPECT_THROW(batch_norm(x, g, b, rm, rv, true), std::invalid_argument);
    Tensor rv32 = Tensor::zeros(4, 1, DType::f32);
    Variable g64(Tensor::zeros(4, 1, DType::f64));
    EXPECT_THROW(batch_norm(x, g64, b, rm, rv32, true), std::invalid_argument);
}

// (channels, positions, samples): each channel normalised over positions
// and samples, as a 1-D convolutional network needs.
TEST(BatchNorm, GradcheckOn3dInput) {
    std::vector<Tensor> in = {test::normal(Shape{3, 4, 5}, 61, 0.5, 2.0),
                              test::normal(3, 1, 62), test::normal(3, 1, 63)};
    test::expect_gradcheck("batch_norm (3-D)", batch_norm_in(true), in,
                           {true, true, true});
    EXPECT_EQ(batch_norm_in(true)({Variable(in[0]), Variable(in[1]),
                                   Variable(in[2])})
                  .value().shape_string(),
              "3 x 4 x 5");
}

// f features x n samples, in training and in inference.
void expect_batch_norm_parity(index_t f, index_t n) {
    Tensor x = test::normal(f, n, 18, 0.5, 2.0);
    for (bool training : {true, false}) {
        Tensor rm_cpu = test::to_dtype(test::normal(f, 1, 19), DType::f32);
        Tensor rv_cpu = test::to_dtype(test::uniform(f, 1, 0.5, 2, 20),
                                       DType::f32);
        Tensor rm_gpu = rm_cpu.to(Device::cuda);
        Tensor rv_gpu = rv_cpu.to(Device::cuda);
        auto op = [&, training](const std::vector<Variable>& v) {
            bool gpu = v[0].value().device() == Device::cuda;
            return batch_norm(v[0], v[1], v[2], gpu ? rm_gpu : rm_cpu,
                              gpu ? rv_gpu : rv_cpu, training);
        };
        test::expect_op_parity("batch_norm", op,
                               {x, test::normal(f, 1, 21),
                                test::normal(f, 1, 22)},
                               {true, true, true}, test::kParityTolerance);
        test::expect_parity(rm_gpu, rm_cpu, "running mean");
        test::expect_parity(rv_gpu, rv_cpu, "running variance");
    }
}

// A block takes 32 features: 21 is one partial block, 70 three blocks,
// the last partial; 30 and 45 samples end the 8 column lanes unevenly.
TEST(BatchNorm, CudaMatchesCpuInTrainingAndInference) {
    EXPRAE_SKIP_WITHOUT_GPU();
    expect_batch_norm_parity(21, 30);
    expect_batch_norm_parity(70, 45);
}

}  // namespace
}  // namespace exprae
