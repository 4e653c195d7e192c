// Models around the likelihoods: count, variational, batch-conditional and
// denoising autoencoders: their parameters, the gradient of their whole
// training loss, training on simulated counts, prediction and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "nn/model.h"
#include "ops/ops.h"
#include "test_util.h"
#include "train/objective.h"
#include "train/predict.h"
#include "train/trainer.h"

namespace exprae {
namespace {

constexpr index_t kGenes = 12;

ModelSpec count_spec(Likelihood lk, bool variational, index_t n_batches,
                     bool per_batch = false) {
    ModelSpec s;
    s.n_input = kGenes;
    s.encoder = {LayerSpec::dense(6, "tanh"), LayerSpec::dense(2)};
    s.decoder = {LayerSpec::dense(6, "tanh"),
                 LayerSpec::dense(kGenes)};
    s.likelihood = lk;
    s.variational = variational;
    s.n_batches = n_batches;
    s.dispersion_per_batch = per_batch;
    return s;
}

// Counts from a negative binomial (Poisson-gamma) with two groups of
// samples whose means differ; samples alternate between two batches.
std::vector<double> nb_counts(index_t n, std::uint64_t seed) {
    Philox rng(seed, test::kTestStream + 9);
    std::vector<double> x(kGenes * n);
    std::uint64_t c = 0;
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < kGenes; ++i) {
            double mean = (j % 4 < 2) == (i < kGenes / 2) ? 20.0 : 2.0;
            // gamma(shape 4) mean `mean` by the sum of 4 exponentials
            double g = 0;
            for (int k = 0; k < 4; ++k) g -= std::log(1.0 - rng.uniform(c++));
            double lambda = mean * g / 4.0, p = std::exp(-lambda), u = 1.0;
            int count = -1;
            do {  // Poisson by multiplying uniforms (small lambda)
                ++count;
                u *= rng.uniform(c++);
            } while (u > p && count < 1000);
            x[j * kGenes + i] = count;
        }
    }
    return x;
}

Covariates two_batches(index_t n) {
    Covariates cov;
    cov.n_batches = 2;
    for (index_t j = 0; j < n; ++j) {
        cov.batch.push_back(static_cast<int>(j % 2));
        cov.size_factors.push_back(0.5 + 0.1 * static_cast<double>(j % 7));
    }
    return cov;
}

DenseSource log1p_source(const std::vector<double>& x, const Covariates& cov) {
    index_t n = static_cast<index_t>(x.size()) / kGenes;
    DenseSource d(x.data(), kGenes, n, std::vector<double>(kGenes, 0.0),
                  std::vector<double>(kGenes, 1.0));
    d.set_log1p(cov.size_factors);
    return d;
}

std::set<std::string> names(Model& m) {
    std::set<std::string> out;
    for (int s = 0; s < m.parameters().count(); ++s)
        out.insert(m.parameters().name(s));
    return out;
}

TEST(CountModels, HeadsAreDeclaredWithTheirShapes) {
    Model m(count_spec(Likelihood::zinb, true, 3, true), DType::f64);
    std::set<std::string> n = names(m);
    for (const char* want : {"encoder.logvar.weight", "encoder.logvar.bias",
                             "decoder.dropout.weight", "decoder.dropout.bias",
                             "dispersion.weight", "dispersion.bias"}) {
        EXPECT_TRUE(n.count(want)) << want;
    }
    ParameterBlock& p = m.parameters();
    // the batch one-hot widens the first layers of encoder and decoder
    EXPECT_EQ(p.variable(p.find("encoder.1.weight")).value().cols(),
              kGenes + 3);
    EXPECT_EQ(p.variable(p.find("decoder.1.weight")).value().cols(), 2 + 3);
    EXPECT_EQ(p.variable(p.find("dispersion.weight")).value().cols(), 3);
    EXPECT_EQ(p.variable(p.find("encoder.logvar.weight")).value().rows(), 2);
    // Poisson and Gaussian models have no dispersion or dropout head
    Model pois(count_spec(Likelihood::poisson, false, 0), DType::f64);
    EXPECT_EQ(names(pois).count("dispersion.bias"), 0u);
    EXPECT_EQ(names(pois).count("decoder.dropout.weight"), 0u);
}

TEST(CountModels, SpecValidation) {
    ModelSpec s = count_spec(Likelihood::nb, false, 0, true);
    EXPECT_THROW(validate(s), std::invalid_argument);  // per batch, no batch
    s = count_spec(Likelihood::nb, false, 0);
    s.decoder.back().activation = "relu";
    EXPECT_THROW(validate(s), std::invalid_argument);  // log mean not linear
    s = count_spec(Likelihood::gaussian, true, 0);
    s.encoder.back().activation = "tanh";
    EXPECT_THROW(validate(s), std::invalid_argument);  // latent mean not linear
}

// Finite differences of the whole training loss (reparameterised draw,
// KL, batch one-hot, dispersion per batch, dropout head) in float64.
TEST(CountModels, WholeLossGradientMatchesFiniteDifferences) {
    index_t n = 6;
    std::vector<double> x = nb_counts(n, 5);
    Covariates cov = two_batches(n);
    DenseSource data = log1p_source(x, cov);
    for (Likelihood lk : {Likelihood::poisson, Likelihood::nb,
                          Likelihood::zinb, Likelihood::gaussian}) {
        Model m(count_spec(lk, true, 2, has_dispersion(lk)), DType::f64);
        m.initialize(7);
        std::vector<index_t> idx = {0, 1, 2, 3, 4, 5};
        Minibatch b = gather_minibatch(m, data, cov, idx.data(), n);
        ForwardMode mode{true, 11, 3};
        m.parameters().zero_grad();
        Tape::current().backward(model_loss(m, b, mode, 0.7));
        Tensor grad = m.parameters().grads().clone();
        Tensor w = m.parameters().values();
        double worst = 0;
        for (index_t k = 0; k < w.size(); ++k) {
            double w0 = w.at(k), h = 1e-6;
            auto loss_at = [&](double v) {
                w.set(k, 0, v);
                NoGradGuard no_grad;
                return model_loss(m, b, mode, 0.7).value().at(0);
            };
            double num = (loss_at(w0 + h) - loss_at(w0 - h)) / (2 * h);
            w.set(k, 0, w0);
            double err = std::abs(num - grad.at(k)) /
                         std::max(1.0, std::abs(num));
            worst = std::max(worst, err);
        }
        EXPECT_LE(worst, 1e-6) << likelihood_name(lk);
    }
}

TEST(CountModels, NegativeBinomialModelLearnsCounts) {
    index_t n = 256;
    std::vector<double> x = nb_counts(n, 21);
    Covariates cov = two_batches(n);
    DenseSource data = log1p_source(x, cov);
    for (Likelihood lk : {Likelihood::poisson, Likelihood::nb,
                          Likelihood::zinb}) {
        for (bool vae : {false, true}) {
            Model m(count_spec(lk, vae, 2), DType::f32);
            m.initialize(3);
            TrainOptions o;
            o.epochs = 40;
            o.batch_size = 32;
            o.learning_rate = 1e-2;
            o.validation_split = 0.2;
            o.kl_warmup = 10;
            o.seed = 5;
            Hooks quiet;
            TrainResult r = train(m, data, cov, o, quiet);
            ASSERT_EQ(r.stop_reason, StopReason::completed);
            double first = r.history.front().loss;
            double last = r.history.back().val_loss;
            EXPECT_TRUE(std::isfinite(last));
            EXPECT_LT(last, 0.75 * first)
                << likelihood_name(lk) << (vae ? " vae" : "");
        }
    }
}

TEST(CountModels, PredictionOutputsAndTransformBatch) {
    index_t n = 40;
    std::vector<double> x = nb_counts(n, 8);
    Covariates cov = two_batches(n);
    DenseSource data = log1p_source(x, cov);
    Model m(count_spec(Likelihood::nb, true, 2, true), DType::f64);
    m.initialize(4);
    PredictOptions o;
    o.batch_size = 16;  // several minibatches
    Tensor latent = predict(m, data, cov, PredictOutput::latent, o);
    EXPECT_EQ(latent.rows(), 2);
    EXPECT_EQ(latent.cols(), n);
    Tensor expr = predict(m, data, cov, PredictOutput::expression, o);
    ASSERT_EQ(expr.rows(), kGenes);
    // expression = exp(eta) * size factor: halving every size factor
    // halves it
    Covariates half = cov;
    for (double& sf : half.size_factors) sf *= 0.5;
    Tensor expr_half = predict(m, data, half, PredictOutput::expression, o);
    for (index_t k = 0; k < expr.size(); ++k)
        EXPECT_NEAR(expr_half.at(k), 0.5 * expr.at(k), 1e-12 * expr.at(k));
    // decoding every sample as batch 1 changes only the batch-2 samples
    o.transform_batch = 0;
    Tensor as_first = predict(m, data, cov, PredictOutput::expression, o);
    for (index_t j = 0; j < n; ++j) {
        double diff = std::abs(as_first.at(0, j) - expr.at(0, j));
        if (cov.batch[j] == 0) EXPECT_EQ(diff, 0.0);
        else EXPECT_GT(diff, 0.0);
    }
    o.transform_batch = 2;  // no third batch
    EXPECT_THROW(predict(m, data, cov, PredictOutput::expression, o),
                 std::invalid_argument);
    // latent draws: seeded, different from the mean
    o.transform_batch = -1;
    o.sample = true;
    o.seed = 9;
    Tensor s1 = predict(m, data, cov, PredictOutput::latent, o);
    Tensor s2 = predict(m, data, cov, PredictOutput::latent, o);
    EXPECT_EQ(test::to_vector(s1), test::to_vector(s2));
    EXPECT_NE(test::to_vector(s1), test::to_vector(latent));
    // each sample draws its own numbers: the same in other minibatches,
    // and for the second half predicted alone from its offset (as R's
    // chunks are)
    o.batch_size = 7;
    Tensor s3 = predict(m, data, cov, PredictOutput::latent, o);
    index_t h = n / 2;
    std::vector<double> x_tail(x.begin() + h * kGenes, x.end());
    Covariates tail = cov;
    tail.batch.erase(tail.batch.begin(), tail.batch.begin() + h);
    tail.size_factors.erase(tail.size_factors.begin(),
                            tail.size_factors.begin() + h);
    DenseSource tail_data = log1p_source(x_tail, tail);
    o.first_sample = h;
    Tensor s4 = predict(m, tail_data, tail, PredictOutput::latent, o);
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < 2; ++i) {
            EXPECT_NEAR(s3.at(i, j), s1.at(i, j), 1e-12);
            if (j >= h) EXPECT_NEAR(s4.at(i, j - h), s1.at(i, j), 1e-12);
        }
    }
}

TEST(CountModels, ReconstructionErrorSumsTheElementNll) {
    index_t n = 10;
    std::vector<double> x = nb_counts(n, 13);
    Covariates cov = two_batches(n);
    DenseSource data = log1p_source(x, cov);
    Model m(count_spec(Likelihood::zinb, false, 2), DType::f64);
    m.initialize(6);
    ReconstructionError e = reconstruction_error(m, data, cov, 4);
    ASSERT_EQ(e.per_sample.size(), static_cast<std::size_t>(n));
    ASSERT_EQ(e.per_gene.size(), static_cast<std::size_t>(kGenes));
    // the mean element NLL over everything, three ways
    std::vector<index_t> idx(n);
    for (index_t j = 0; j < n; ++j) idx[j] = j;
    Minibatch b = gather_minibatch(m, data, cov, idx.data(), n);
    NoGradGuard no_grad;
    double loss = model_loss(m, b, ForwardMode{}, 1.0).value().at(0);
    double by_sample = 0, by_gene = 0;
    for (double v : e.per_sample) by_sample += v;
    for (double v : e.per_gene) by_gene += v;
    EXPECT_NEAR(by_sample / (n * kGenes), loss, 1e-10 * loss);
    EXPECT_NEAR(by_gene / kGenes, loss, 1e-10 * loss);
}

TEST(CountModels, CovariatesAreChecked) {
    index_t n = 8;
    std::vector<double> x = nb_counts(n, 2);
    Covariates cov = two_batches(n);
    DenseSource data = log1p_source(x, cov);
    Model m(count_spec(Likelihood::nb, false, 2), DType::f32);
    m.initialize(1);
    TrainOptions o;
    o.epochs = 1;
    Hooks quiet;
    Covariates bad = cov;
    bad.batch[3] = 2;  // level 3 of 2
    EXPECT_THROW(train(m, data, bad, o, quiet), std::invalid_argument);
    bad = cov;
    bad.batch.pop_back();
    EXPECT_THROW(train(m, data, bad, o, quiet), std::invalid_argument);
    bad = cov;
    bad.size_factors[0] = 0.0;
    EXPECT_THROW(train(m, data, bad, o, quiet), std::invalid_argument);
    // a batch model without batches
    EXPECT_THROW(train(m, data, Covariates(), o, quiet),
                 std::invalid_argument);
    std::vector<double> zero_sf(n, 1.0);
    zero_sf[2] = 0.0;
    EXPECT_THROW(data.set_log1p(zero_sf), std::invalid_argument);
}

TEST(Denoising, CorruptionMasksOrPerturbsTheInput) {
    Tensor t = Tensor::full(100, 100, 1.0, DType::f32);
    Corruption c;
    c.kind = Corruption::Kind::mask;
    c.rate = 0.3;
    corrupt(t, c, 1, 0);
    double zeros = 0;
    for (index_t k = 0; k < t.size(); ++k) zeros += t.at(k) == 0.0;
    EXPECT_NEAR(zeros / t.size(), 0.3, 0.02);
    Tensor g = Tensor::zeros(100, 100, DType::f64);
    c.kind = Corruption::Kind::gaussian;
    c.rate = 0.5;
    corrupt(g, c, 1, 0);
    double ss = 0;
    for (index_t k = 0; k < g.size(); ++k) ss += g.at(k) * g.at(k);
    EXPECT_NEAR(std::sqrt(ss / g.size()), 0.5, 0.02);
    // another step draws another pattern
    Tensor g2 = Tensor::zeros(100, 100, DType::f64);
    corrupt(g2, c, 1, 1);
    EXPECT_NE(test::to_vector(g), test::to_vector(g2));
}

TEST(Denoising, GaussianModelTrainsAgainstTheCleanInput) {
    index_t n = 128;
    std::vector<double> x = nb_counts(n, 3);
    for (double& v : x) v = std::log1p(v);
    DenseSource data(x.data(), kGenes, n, std::vector<double>(kGenes, 1.5),
                     std::vector<double>(kGenes, 1.0));
    Model m(count_spec(Likelihood::gaussian, false, 0), DType::f32);
    m.initialize(2);
    TrainOptions o;
    o.epochs = 30;
    o.batch_size = 32;
    o.learning_rate = 1e-2;
    o.corruption.kind = Corruption::Kind::mask;
    o.corruption.rate = 0.2;
    o.seed = 4;
    Hooks quiet;
    TrainResult r = train(m, data, o, quiet);
    EXPECT_LT(r.history.back().loss, 0.6 * r.history.front().loss);
}

}  // namespace
}  // namespace exprae
