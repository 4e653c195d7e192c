// predict(): inference over a whole data source in minibatches.
#include <gtest/gtest.h>

#include <vector>

#include "ops/ops.h"
#include "test_util.h"
#include "train/predict.h"

namespace exprae {
namespace {

// 12 features; dropout and batch norm, which behave differently in
// training, to show predict() runs in inference mode.
ModelSpec spec() {
    ModelSpec s;
    s.n_input = 12;
    s.encoder = {LayerSpec::dense(9, "elu"),
                 LayerSpec::norm(LayerKind::batch_norm),
                 LayerSpec::dropout(0.5),
                 LayerSpec::dense(4)};
    s.decoder = {LayerSpec::dense(9, "relu"),
                 LayerSpec::dense(12)};
    return s;
}

struct Fixture {
    std::vector<double> x;
    DenseSource data;
    Model model;
    explicit Fixture(index_t n, DType dt = DType::f32)
        : x(test::to_vector(test::normal(12, n, 5, 1.0, 2.0))),
          data(x.data(), 12, n, std::vector<double>(12, 1.0),
               std::vector<double>(12, 2.0)),
          model(spec(), dt) {
        model.initialize(8);
        // Non-trivial running statistics.
        Tensor& b = model.buffers().values();
        for (index_t k = 0; k < b.size(); ++k) b.set(k, 0, 0.5 + 0.1 * k);
    }
};

TEST(Predict, Shapes) {
    Fixture f(37);
    Tensor z = predict(f.model, f.data, PredictOutput::latent, 10);
    EXPECT_EQ(z.rows(), 4);
    EXPECT_EQ(z.cols(), 37);
    EXPECT_EQ(z.dtype(), DType::f64);
    Tensor r = predict(f.model, f.data, PredictOutput::reconstruction, 10);
    EXPECT_EQ(r.rows(), 12);
    EXPECT_EQ(r.cols(), 37);
    EXPECT_EQ(r.dtype(), DType::f64);
}

TEST(Predict, DeterministicAndLeavesNoTape) {
    Fixture f(25);
    ASSERT_TRUE(Tape::current().enabled());
    Tensor a = predict(f.model, f.data, PredictOutput::reconstruction, 8);
    EXPECT_EQ(Tape::current().size(), 0u);
    EXPECT_TRUE(Tape::current().enabled());
    Tensor b = predict(f.model, f.data, PredictOutput::reconstruction, 8);
    EXPECT_TRUE(test::same_bits(a, b));
    // Inference leaves the running statistics alone.
    Tensor buffers = f.model.buffers().values().clone();
    predict(f.model, f.data, PredictOutput::latent);
    EXPECT_TRUE(test::same_bits(buffers, f.model.buffers().values()));
}

TEST(Predict, MatchesOneInferencePassAndIgnoresBatchSize) {
    Fixture f(30, DType::f64);
    Tensor z = predict(f.model, f.data, PredictOutput::latent, 7);
    Tensor z_one = predict(f.model, f.data, PredictOutput::latent, 1000);
    test::expect_tensor_near(z, z_one, 1e-12, "batch size 7 vs 1000");

    // The same numbers by hand: standardise, encode in inference mode.
    Tensor x = Tensor::empty(12, 30, DType::f64);
    for (index_t k = 0; k < x.size(); ++k)
        x.set(k, 0, (f.x[k] - 1.0) / 2.0);
    NoGradGuard no_grad;
    ForwardMode inference;
    Variable zz = f.model.encode(Variable(x), inference);
    test::expect_tensor_near(z, zz.value(), 1e-12, "latent");
    Variable rr = f.model.decode(zz, inference);
    Tensor r = predict(f.model, f.data, PredictOutput::reconstruction, 7);
    test::expect_tensor_near(r, rr.value(), 1e-12, "reconstruction");
}

TEST(Predict, Errors) {
    Fixture f(10);
    // A batch size below 1 would never advance through the samples.
    EXPECT_THROW(predict(f.model, f.data, PredictOutput::latent, 0),
                 std::invalid_argument);
    EXPECT_THROW(predict(f.model, f.data, PredictOutput::latent, -3),
                 std::invalid_argument);
    std::vector<double> x(11 * 4, 0.0);
    DenseSource wrong(x.data(), 11, 4, std::vector<double>(11, 0.0),
                      std::vector<double>(11, 1.0));
    EXPECT_THROW(predict(f.model, wrong, PredictOutput::latent),
                 std::invalid_argument);
    EXPECT_TRUE(Tape::current().enabled());  // the guard was released
}

}  // namespace
}  // namespace exprae
