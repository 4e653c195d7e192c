// Classifier models (nn/model_spec.h): a plain classifier, a multinomial
// logistic regression (no hidden layer) and a semi-supervised autoencoder,
// trained by the ordinary loop on softmax cross-entropy of the labelled
// samples; caller-chosen validation samples; errors.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_util.h"
#include "train/predict.h"
#include "train/trainer.h"

namespace exprae {
namespace {

const index_t kFeatures = 12, kClasses = 3, kPerClass = 40;

// Three clusters of kPerClass samples, class c shifted by 2 in features
// 2c and 2c + 1, column-major; labels 0, 1, 2.
struct Clusters {
    std::vector<double> x;
    std::vector<int> labels;
};

Clusters clusters(std::uint64_t seed) {
    Clusters d;
    index_t n = kClasses * kPerClass;
    Tensor noise = test::normal(kFeatures, n, seed);
    for (index_t j = 0; j < n; ++j) {
        int c = static_cast<int>(j % kClasses);
        d.labels.push_back(c);
        for (index_t i = 0; i < kFeatures; ++i) {
            double shift = (i / 2 == c) ? 2.0 : 0.0;
            d.x.push_back(noise.at(i, j) + shift);
        }
    }
    return d;
}

DenseSource source(const Clusters& d) {
    return DenseSource(d.x.data(), kFeatures,
                       static_cast<index_t>(d.labels.size()),
                       std::vector<double>(kFeatures, 0.0),
                       std::vector<double>(kFeatures, 1.0));
}

ModelSpec classifier(std::vector<LayerSpec> hidden) {
    ModelSpec s;
    s.n_input = kFeatures;
    s.encoder = std::move(hidden);
    s.classifier = {LayerSpec::dense(kClasses)};
    return s;
}

TrainOptions options() {
    TrainOptions o;
    o.epochs = 40;
    o.batch_size = 16;
    o.learning_rate = 1e-2;
    o.seed = 5;
    return o;
}

// The share of samples whose largest logit is their label's.
double accuracy(Model& m, const DataSource& data,
                const std::vector<int>& labels) {
    Tensor logits = predict(m, data, Covariates(), PredictOutput::logits,
                            PredictOptions());
    EXPECT_EQ(logits.rows(), kClasses);
    int right = 0;
    for (index_t j = 0; j < logits.cols(); ++j) {
        index_t best = 0;
        for (index_t c = 1; c < kClasses; ++c)
            if (logits.at(c, j) > logits.at(best, j)) best = c;
        right += best == labels[j];
    }
    return right / static_cast<double>(labels.size());
}

double train_and_score(const ModelSpec& spec, const Covariates& cov,
                       const Clusters& d) {
    Model m(spec, DType::f32);
    m.initialize(7);
    DenseSource data = source(d);
    Hooks quiet;
    TrainResult r = train(m, data, cov, options(), quiet);
    EXPECT_EQ(r.stop_reason, StopReason::completed);
    EXPECT_LT(r.history.back().loss, r.history.front().loss);
    return accuracy(m, data, d.labels);
}

TEST(Classifier, LearnsSeparableClasses) {
    Clusters d = clusters(1);
    Covariates cov;
    cov.labels = d.labels;
    // Hidden layers may end with a dropout (before the logits).
    ModelSpec spec = classifier({LayerSpec::dense(8, "relu"),
                                 LayerSpec::dropout(0.2)});
    EXPECT_EQ(latent_size(spec), 8);
    EXPECT_GE(train_and_score(spec, cov, d), 0.95);
}

TEST(Classifier, LogisticRegressionHasNoHiddenLayer) {
    Clusters d = clusters(2);
    Covariates cov;
    cov.labels = d.labels;
    ModelSpec spec = classifier({});
    Model m(spec, DType::f32);
    EXPECT_EQ(m.parameters().count(), 2);
    EXPECT_EQ(m.parameters().name(0), "classifier.1.weight");
    EXPECT_EQ(latent_size(spec), kFeatures);
    EXPECT_GE(train_and_score(spec, cov, d), 0.95);
}

// Labels for a sixth of the samples; the autoencoder's latent learns to
// separate the classes of all.
TEST(Classifier, SemiSupervisedAutoencoderLabelsTheUnlabelled) {
    Clusters d = clusters(3);
    Covariates cov;
    std::vector<int> truth = d.labels;
    for (std::size_t j = 0; j < d.labels.size(); ++j)
        cov.labels.push_back((j / kClasses) % 6 == 0 ? d.labels[j] : -1);
    ModelSpec spec;
    spec.n_input = kFeatures;
    spec.encoder = {LayerSpec::dense(8, "elu"), LayerSpec::dense(2)};
    spec.decoder = {LayerSpec::dense(8, "elu"), LayerSpec::dense(kFeatures)};
    spec.classifier = {LayerSpec::dense(kClasses)};
    spec.label_weight = 2.0;
    EXPECT_GE(train_and_score(spec, cov, d), 0.9);
}

TEST(Classifier, ClassWeightsChangeTheLoss) {
    Clusters d = clusters(4);
    DenseSource data = source(d);
    Model m(classifier({}), DType::f64);
    m.initialize(1);
    Covariates cov;
    cov.labels = d.labels;
    std::vector<index_t> all(d.labels.size());
    for (std::size_t j = 0; j < all.size(); ++j) all[j] = j;
    double plain = evaluate(m, data, cov, all, 32);
    cov.class_weights = {1.0, 5.0, 1.0};
    double weighted = evaluate(m, data, cov, all, 32);
    EXPECT_TRUE(std::isfinite(plain) && std::isfinite(weighted));
    EXPECT_NE(plain, weighted);
}

TEST(Classifier, GivenValidationSamplesAreHeldOut) {
    Clusters d = clusters(5);
    DenseSource data = source(d);
    Model m(classifier({LayerSpec::dense(4, "relu")}), DType::f32);
    m.initialize(1);
    Covariates cov;
    cov.labels = d.labels;
    TrainOptions o = options();
    o.epochs = 3;
    o.validation = {0, 5, 7, 30};
    Hooks quiet;
    TrainResult r = train(m, data, cov, o, quiet);
    EXPECT_EQ(r.validation, o.validation);
    EXPECT_TRUE(std::isfinite(r.history.back().val_loss));
    o.validation = {0, 0};
    EXPECT_THROW(train(m, data, cov, o, quiet), BadArgument);
}

TEST(Classifier, BadModelsAndLabelsThrow) {
    ModelSpec bad = classifier({});
    bad.classifier = {LayerSpec::dense(kClasses, "relu")};
    EXPECT_THROW(Model(bad, DType::f32), BadArgument);
    bad.classifier = {LayerSpec::dense(1)};
    EXPECT_THROW(Model(bad, DType::f32), BadArgument);
    bad.classifier.clear();
    EXPECT_THROW(Model(bad, DType::f32), BadArgument);  // nothing to learn
    Clusters d = clusters(6);
    DenseSource data = source(d);
    Model m(classifier({}), DType::f32);
    m.initialize(1);
    Covariates cov;
    cov.labels = d.labels;
    cov.labels[3] = kClasses;  // no such class
    Hooks quiet;
    EXPECT_THROW(train(m, data, cov, options(), quiet), BadInput);
    EXPECT_THROW(reconstruction_error(m, data, Covariates()), BadArgument);
    EXPECT_THROW(predict(m, data, PredictOutput::reconstruction),
                 BadArgument);
}

}  // namespace
}  // namespace exprae
