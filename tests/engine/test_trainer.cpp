// The training loop (train/trainer.h): learning, reproducibility, the
// validation split, early stopping, interrupts, non-finite losses, and the
// data sources it reads from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"
#include "train/batches.h"
#include "train/trainer.h"

namespace exprae {
namespace {

const index_t kFeatures = 20;

// 20 -> 16 (elu) -> 3 -> 16 (elu) -> 20
ModelSpec autoencoder() {
    ModelSpec s;
    s.n_input = kFeatures;
    s.encoder = {LayerSpec::dense(16, "elu"), LayerSpec::dense(3)};
    s.decoder = {LayerSpec::dense(16, "elu"), LayerSpec::dense(kFeatures)};
    return s;
}

// features x n, rank 3 plus a little noise, column-major.
std::vector<double> low_rank(index_t n, std::uint64_t seed) {
    Tensor u = test::normal(kFeatures, 3, seed);
    Tensor v = test::normal(3, n, seed + 1);
    Tensor e = test::normal(kFeatures, n, seed + 2, 0.0, 0.05);
    std::vector<double> x(kFeatures * n);
    for (index_t j = 0; j < n; ++j)
        for (index_t i = 0; i < kFeatures; ++i) {
            double s = e.at(i, j);
            for (index_t r = 0; r < 3; ++r) s += u.at(i, r) * v.at(r, j);
            x[i + j * kFeatures] = s;
        }
    return x;
}

DenseSource source(const std::vector<double>& x) {
    index_t n = static_cast<index_t>(x.size()) / kFeatures;
    return DenseSource(x.data(), kFeatures, n,
                       std::vector<double>(kFeatures, 0.0),
                       std::vector<double>(kFeatures, 1.0));
}

TrainOptions options() {
    TrainOptions o;
    o.epochs = 30;
    o.batch_size = 32;
    o.learning_rate = 1e-2;
    o.seed = 1;
    return o;
}

struct Fit {
    TrainResult result;
    Tensor weights;
};

Fit fit(const DataSource& data, const TrainOptions& o,
        std::uint64_t init_seed = 3) {
    Model m(autoencoder(), DType::f32);
    m.initialize(init_seed);
    Hooks quiet;
    Fit r;
    r.result = train(m, data, o, quiet);
    r.weights = m.parameters().values().clone();
    return r;
}

bool same_history(const TrainResult& a, const TrainResult& b) {
    if (a.history.size() != b.history.size()) return false;
    for (std::size_t e = 0; e < a.history.size(); ++e) {
        const EpochRecord &x = a.history[e], &y = b.history[e];
        bool val_same = (std::isnan(x.val_loss) && std::isnan(y.val_loss)) ||
                        x.val_loss == y.val_loss;
        if (x.epoch != y.epoch || x.loss != y.loss || !val_same ||
            x.learning_rate != y.learning_rate)
            return false;
    }
    return true;
}

TEST(Trainer, AutoencoderLearnsLowRankData) {
    std::vector<double> x = low_rank(240, 10);
    DenseSource data = source(x);
    Fit r = fit(data, options());
    ASSERT_EQ(r.result.history.size(), 30u);
    EXPECT_EQ(r.result.stop_reason, StopReason::completed);
    double first = r.result.history.front().loss;
    double last = r.result.history.back().loss;
    std::printf("[trainer] loss %.4f -> %.4f\n", first, last);
    EXPECT_LT(last, 0.1 * first);
    for (const EpochRecord& e : r.result.history) {
        EXPECT_TRUE(std::isfinite(e.loss));
        EXPECT_TRUE(std::isnan(e.val_loss));  // no validation set
        EXPECT_GE(e.seconds, 0.0);
    }
}

TEST(Trainer, SameSeedBitIdenticalDifferentSeedNot) {
    std::vector<double> x = low_rank(200, 20);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 8;
    o.validation_split = 0.2;
    Fit a = fit(data, o), b = fit(data, o);
    EXPECT_TRUE(same_history(a.result, b.result));
    EXPECT_TRUE(test::same_bits(a.weights, b.weights));
    EXPECT_EQ(a.result.validation, b.result.validation);

    o.seed = 2;
    Fit c = fit(data, o);
    EXPECT_FALSE(same_history(a.result, c.result));
    EXPECT_FALSE(test::same_bits(a.weights, c.weights));
    EXPECT_NE(a.result.validation, c.result.validation);
}

TEST(Trainer, ValidationSplitSizes) {
    std::vector<double> x = low_rank(101, 30);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 1;
    for (double split : {0.0, 0.1, 0.25, 0.5}) {
        o.validation_split = split;
        Fit r = fit(data, o);
        const std::vector<index_t>& v = r.result.validation;
        EXPECT_EQ(v.size(), static_cast<std::size_t>(std::floor(101 * split)))
            << "split " << split;
        std::set<index_t> unique(v.begin(), v.end());
        EXPECT_EQ(unique.size(), v.size());
        for (index_t i : v) {
            EXPECT_GE(i, 0);
            EXPECT_LT(i, 101);
        }
        EXPECT_EQ(std::isnan(r.result.history[0].val_loss), split == 0.0);
    }
}

TEST(Trainer, EarlyStoppingStopsAfterPatience) {
    // A learning rate too small to move float32 weights: the validation
    // loss repeats exactly, so epoch 1 stays the best and training stops
    // `patience` epochs later.
    std::vector<double> x = low_rank(120, 40);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 50;
    o.validation_split = 0.25;
    o.patience = 3;
    o.learning_rate = 1e-30;
    Fit r = fit(data, o);
    EXPECT_EQ(r.result.stop_reason, StopReason::early_stopping);
    EXPECT_EQ(r.result.best_epoch, 1);
    EXPECT_EQ(r.result.history.size(), 4u);
}

TEST(Trainer, EarlyStoppingOnNoise) {
    // Pure noise has nothing to generalise: the validation loss stops
    // improving and training ends `patience` epochs after its best.
    Tensor noise = test::normal(kFeatures, 150, 50);
    std::vector<double> x = test::to_vector(noise);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 200;
    o.validation_split = 0.3;
    o.patience = 3;
    o.learning_rate = 3e-2;
    Fit r = fit(data, o);
    EXPECT_EQ(r.result.stop_reason, StopReason::early_stopping);
    EXPECT_LT(r.result.history.size(), 200u);
    EXPECT_EQ(static_cast<int>(r.result.history.size()),
              r.result.best_epoch + o.patience);
}

TEST(Trainer, LearningRateDecaysOnPlateau) {
    std::vector<double> x = low_rank(120, 41);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 5;
    o.validation_split = 0.25;
    o.learning_rate = 1e-30;
    o.lr_decay = 0.5;
    o.lr_patience = 1;
    o.min_lr = 0.3e-30;
    Fit r = fit(data, o);
    ASSERT_EQ(r.result.history.size(), 5u);
    const double want[] = {1e-30, 1e-30, 0.5e-30, 0.3e-30, 0.3e-30};
    for (int e = 0; e < 5; ++e)
        EXPECT_DOUBLE_EQ(r.result.history[e].learning_rate, want[e]) << e;
}

// Interrupts after k minibatches; counts what the loop reported.
class InterruptAfter : public Hooks {
public:
    explicit InterruptAfter(int k) : k_(k) {}
    bool interrupted() override { return ++batches_ >= k_; }
    void on_epoch_end(const EpochRecord& r, int epochs) override {
        epochs_seen_.push_back(r.epoch);
        total_epochs_ = epochs;
    }
    int batches_ = 0, total_epochs_ = 0;
    std::vector<int> epochs_seen_;

private:
    int k_;
};

TEST(Trainer, InterruptStopsBetweenMinibatches) {
    std::vector<double> x = low_rank(160, 60);  // 5 batches of 32
    DenseSource data = source(x);
    for (int k : {3, 7}) {
        Model m(autoencoder(), DType::f32);
        m.initialize(3);
        Tensor before = m.parameters().values().clone();
        InterruptAfter hooks(k);
        TrainResult r = train(m, data, options(), hooks);
        EXPECT_EQ(r.stop_reason, StopReason::interrupted);
        EXPECT_EQ(hooks.batches_, k);  // not polled again after stopping
        std::size_t epochs = k <= 5 ? 1 : 2;
        EXPECT_EQ(r.history.size(), epochs);
        EXPECT_EQ(hooks.epochs_seen_.size(), epochs);
        EXPECT_EQ(hooks.total_epochs_, 30);
        // The weights reached so far are kept.
        EXPECT_FALSE(test::same_bits(before, m.parameters().values()));
    }
}

// Disabled: fails on the engine as it stands. run_epoch() divides the loss
// summed over the minibatches it ran by the size of the whole training set
// (train/trainer.cpp, `out.loss = total / n`), so an interrupted epoch
// reports a loss too small by the fraction of batches skipped. Enable once
// the loss is divided by the samples actually seen.
TEST(Trainer, InterruptedEpochLossIsMeanOverSeenBatches) {
    std::vector<double> x = low_rank(160, 61);  // 5 batches of 32
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 1;
    o.learning_rate = 1e-30;  // weights stay put: every batch is comparable
    Fit full = fit(data, o);
    Model m(autoencoder(), DType::f32);
    m.initialize(3);
    InterruptAfter hooks(1);
    TrainResult cut = train(m, data, o, hooks);
    ASSERT_EQ(cut.history.size(), 1u);
    // One batch's mean loss is near the epoch's, not a fifth of it.
    EXPECT_GT(cut.history[0].loss, 0.5 * full.result.history[0].loss);
}

class RecordingHooks : public Hooks {
public:
    void log(const std::string& message) override { logs.push_back(message); }
    std::vector<std::string> logs;
};

TEST(Trainer, NonFiniteLossStopsAndRestoresFiniteWeights) {
    // 1e30 fits in float32, its square does not: the loss is +Inf.
    std::vector<double> x = low_rank(96, 70);
    x[5 * kFeatures + 7] = 1e30;
    DenseSource data = source(x);
    Model m(autoencoder(), DType::f32);
    m.initialize(3);
    Tensor initial = m.parameters().values().clone();
    RecordingHooks hooks;
    TrainResult r = train(m, data, options(), hooks);
    EXPECT_EQ(r.stop_reason, StopReason::non_finite);
    EXPECT_STREQ(stop_reason_name(r.stop_reason), "non_finite");
    EXPECT_TRUE(r.history.empty());  // it happened within epoch 1
    const Tensor& w = m.parameters().values();
    for (index_t k = 0; k < w.size(); ++k)
        ASSERT_TRUE(std::isfinite(w.at(k))) << k;
    // No epoch completed, so the best weights are the initial ones.
    EXPECT_TRUE(test::same_bits(w, initial));
    ASSERT_EQ(hooks.logs.size(), 1u);
    EXPECT_NE(hooks.logs[0].find("non-finite"), std::string::npos);
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(Trainer, OptionAndDataErrorsThrow) {
    std::vector<double> x = low_rank(40, 80);
    DenseSource data = source(x);
    Model m(autoencoder(), DType::f32);
    m.initialize(1);
    Hooks hooks;
    auto bad = [&](void (*change)(TrainOptions&)) {
        TrainOptions o = options();
        change(o);
        EXPECT_THROW(train(m, data, o, hooks), std::invalid_argument);
    };
    bad([](TrainOptions& o) { o.epochs = 0; });
    bad([](TrainOptions& o) { o.batch_size = 0; });
    bad([](TrainOptions& o) { o.learning_rate = 0; });
    bad([](TrainOptions& o) { o.learning_rate = std::nan(""); });
    bad([](TrainOptions& o) { o.validation_split = 1.0; });
    bad([](TrainOptions& o) { o.patience = -1; });
    bad([](TrainOptions& o) { o.lr_decay = 0; });
    bad([](TrainOptions& o) { o.clip_norm = -1; });
    bad([](TrainOptions& o) { o.optimizer.weight_decay = -1; });
    std::vector<double> wide(21 * 10, 0.0);
    DenseSource other(wide.data(), 21, 10, std::vector<double>(21, 0.0),
                      std::vector<double>(21, 1.0));
    EXPECT_THROW(train(m, other, options(), hooks), std::invalid_argument);
}

TEST(Trainer, GradientClippingChangesTheRunButStaysDeterministic) {
    std::vector<double> x = low_rank(96, 90);
    DenseSource data = source(x);
    TrainOptions o = options();
    o.epochs = 3;
    Fit plain = fit(data, o);
    o.clip_norm = 0.01;
    Fit a = fit(data, o), b = fit(data, o);
    EXPECT_TRUE(same_history(a.result, b.result));
    EXPECT_FALSE(same_history(a.result, plain.result));
}

// ---- data sources -----------------------------------------------------------

// A 15 x 12 matrix with about 60% zeros, dense and as CSC (a dgCMatrix).
struct Matrix {
    index_t rows = 15, cols = 12;
    std::vector<double> dense;
    std::vector<int> i, p;
    std::vector<double> x;
    Matrix() {
        Tensor u = test::uniform(rows, cols, 0, 1, 100);
        Tensor v = test::normal(rows, cols, 101, 2.0, 3.0);
        dense.assign(rows * cols, 0.0);
        p.push_back(0);
        for (index_t c = 0; c < cols; ++c) {
            for (index_t r = 0; r < rows; ++r) {
                if (u.at(r, c) < 0.6) continue;
                dense[r + c * rows] = v.at(r, c);
                i.push_back(static_cast<int>(r));
                x.push_back(v.at(r, c));
            }
            p.push_back(static_cast<int>(i.size()));
        }
    }
};

TEST(DataSource, DenseAndSparseGatherTheSame) {
    Matrix mat;
    std::vector<double> center = test::to_vector(test::normal(15, 1, 102));
    std::vector<double> scale =
        test::to_vector(test::uniform(15, 1, 0.5, 2.0, 103));
    DenseSource dense(mat.dense.data(), 15, 12, center, scale);
    SparseSource sparse(mat.i.data(), mat.p.data(), mat.x.data(), 15, 12,
                        center, scale);
    const index_t idx[] = {5, 0, 11, 3, 3, 7};
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor a = Tensor::empty(15, 6, dt), b = Tensor::empty(15, 6, dt);
        dense.gather(idx, 6, a);
        sparse.gather(idx, 6, b);
        EXPECT_TRUE(test::same_bits(a, b)) << dtype_name(dt);
        test::expect_matches(
            a,
            [&](index_t r, index_t c) {
                return (mat.dense[r + idx[c] * 15] - center[r]) / scale[r];
            },
            test::forward_tolerance(dt), "standardised values");
    }
}

// A kFeatures x n column-major matrix as a dgCMatrix's arrays.
struct Csc {
    std::vector<int> i, p{0};
    std::vector<double> x;
    index_t n = 0;
    explicit Csc(const std::vector<double>& dense)
        : n(static_cast<index_t>(dense.size()) / kFeatures) {
        for (index_t c = 0; c < n; ++c) {
            for (index_t r = 0; r < kFeatures; ++r) {
                double val = dense[r + c * kFeatures];
                if (val == 0.0) continue;
                i.push_back(static_cast<int>(r));
                x.push_back(val);
            }
            p.push_back(static_cast<int>(i.size()));
        }
    }
    SparseSource source(std::vector<double> center,
                        std::vector<double> scale) const {
        return SparseSource(i.data(), p.data(), x.data(), kFeatures, n,
                            std::move(center), std::move(scale));
    }
};

TEST(DataSource, DenseAndSparseTrainIdentically) {
    // 20 features: the matrix above is too small for the autoencoder.
    std::vector<double> x = low_rank(64, 104);
    for (std::size_t k = 0; k < x.size(); k += 3) x[k] = 0.0;
    Csc csc(x);
    DenseSource dense = source(x);
    SparseSource sparse = csc.source(std::vector<double>(kFeatures, 0.0),
                                     std::vector<double>(kFeatures, 1.0));
    TrainOptions o = options();
    o.epochs = 3;
    Fit a = fit(dense, o), b = fit(sparse, o);
    EXPECT_TRUE(same_history(a.result, b.result));
    EXPECT_TRUE(test::same_bits(a.weights, b.weights));
}

TEST(DataSource, SparseMinibatchesReachTheFirstLayerAsNonZeros) {
    // 90% zeros: a minibatch of a sparse source carries its non-zeros and
    // the centring as an offset (a dense one does not), they stand for the
    // dense input, and training on them follows the dense run closely (the
    // first layer adds its products in another order, so not to the bit).
    std::vector<double> x = low_rank(64, 105);
    for (std::size_t k = 0; k < x.size(); ++k)
        if (k % 10 != 0) x[k] = 0.0;
    Csc csc(x);
    std::vector<double> center(kFeatures, 0.1), scale(kFeatures, 2.0);
    DenseSource dense(x.data(), kFeatures, 64, center, scale);
    SparseSource sparse = csc.source(center, scale);
    Model m(autoencoder(), DType::f32);
    ASSERT_TRUE(m.takes_sparse_input());
    const index_t idx[] = {3, 1, 60, 7};
    Covariates cov;
    Minibatch bd = gather_minibatch(m, dense, cov, idx, 4, -1, true);
    Minibatch bs = gather_minibatch(m, sparse, cov, idx, 4, -1, true);
    EXPECT_FALSE(bd.sparse_input);
    // only where asked for (not for prediction or corrupted input)
    EXPECT_FALSE(gather_minibatch(m, sparse, cov, idx, 4).sparse_input);
    ASSERT_TRUE(bs.sparse_input);
    const SparseColumns& s = *bs.sparse_input;
    ASSERT_EQ(s.offset.size(), static_cast<std::size_t>(kFeatures));
    Tensor rebuilt = Tensor::empty(kFeatures, 4, DType::f64);
    for (index_t c = 0; c < 4; ++c) {
        for (index_t r = 0; r < kFeatures; ++r) rebuilt.set(r, c, s.offset[r]);
        for (index_t k = s.start[c]; k < s.start[c + 1]; ++k)
            rebuilt.set(s.row[k], c, s.offset[s.row[k]] + s.value[k]);
    }
    test::expect_tensor_near(bd.input, rebuilt, 1e-6, "input from non-zeros");

    TrainOptions o = options();
    o.epochs = 5;
    Fit a = fit(dense, o), b = fit(sparse, o);
    ASSERT_EQ(a.result.history.size(), b.result.history.size());
    for (std::size_t e = 0; e < a.result.history.size(); ++e) {
        EXPECT_NEAR(a.result.history[e].loss, b.result.history[e].loss,
                    1e-4 * a.result.history[e].loss) << e;
    }
    test::expect_tensor_near(b.weights, a.weights, 1e-3, "weights");
}

TEST(DataSource, WhichModelsTakeSparseInput) {
    // A one-layer (linear) encoder takes it, and its encoding from the
    // non-zeros equals the dense one; a variational one-layer encoder
    // (its log-variance reads the input), batches and a first layer other
    // than dense do not.
    ModelSpec linear = autoencoder();
    linear.encoder = {LayerSpec::dense(3)};
    Model m(linear, DType::f64);
    m.initialize(5);
    EXPECT_TRUE(m.takes_sparse_input());
    ModelSpec variational = linear;
    variational.variational = true;
    EXPECT_FALSE(Model(variational, DType::f64).takes_sparse_input());
    ModelSpec batches = autoencoder();
    batches.n_batches = 2;
    EXPECT_FALSE(Model(batches, DType::f64).takes_sparse_input());
    ModelSpec dropout_first = autoencoder();
    dropout_first.encoder.insert(dropout_first.encoder.begin(),
                                 LayerSpec::dropout(0.1));
    EXPECT_FALSE(Model(dropout_first, DType::f64).takes_sparse_input());

    std::vector<double> x = low_rank(8, 106);
    for (std::size_t k = 0; k < x.size(); ++k)
        if (k % 4 != 0) x[k] = 0.0;
    auto s = std::make_shared<SparseColumns>();
    s->rows = kFeatures;
    s->cols = 8;
    s->start.push_back(0);
    Tensor dense = Tensor::empty(kFeatures, 8, DType::f64);
    for (index_t c = 0; c < 8; ++c) {
        for (index_t r = 0; r < kFeatures; ++r) {
            double v = x[r + c * kFeatures];
            dense.set(r, c, v);
            if (v == 0.0) continue;
            s->row.push_back(static_cast<int>(r));
            s->value.push_back(v);
        }
        s->start.push_back(s->nnz());
    }
    ForwardMode mode;
    Variable a = m.encode(Variable(dense), Variable(), mode);
    Variable b = m.encode(Variable(dense), Variable(), mode, nullptr, s);
    test::expect_tensor_near(b.value(), a.value(), 1e-12, "latent");
}

TEST(DataSource, Errors) {
    std::vector<double> x(6 * 4, 1.0);
    std::vector<double> ok(6, 1.0);
    EXPECT_THROW(DenseSource(x.data(), 6, 4, std::vector<double>(5, 0.0), ok),
                 std::invalid_argument);
    EXPECT_THROW(DenseSource(x.data(), 6, 4, ok, std::vector<double>(7, 1.0)),
                 std::invalid_argument);
    std::vector<double> zero_scale(6, 1.0);
    zero_scale[2] = 0.0;
    EXPECT_THROW(DenseSource(x.data(), 6, 4, ok, zero_scale),
                 std::invalid_argument);
    DenseSource d(x.data(), 6, 4, ok, ok);
    Tensor out = Tensor::empty(6, 2, DType::f32);
    const index_t good[] = {0, 3}, bad[] = {0, 4}, negative[] = {-1, 0};
    EXPECT_NO_THROW(d.gather(good, 2, out));
    EXPECT_THROW(d.gather(bad, 2, out), std::out_of_range);
    EXPECT_THROW(d.gather(negative, 2, out), std::out_of_range);
    Tensor wrong = Tensor::empty(5, 2, DType::f32);
    EXPECT_THROW(d.gather(good, 2, wrong), std::invalid_argument);
}

// ---- minibatches ------------------------------------------------------------

TEST(Batches, PermutationIsASeededPermutation) {
    std::vector<index_t> a = permutation(50, 7, kStreamShuffle, 1);
    std::vector<index_t> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    for (index_t k = 0; k < 50; ++k) EXPECT_EQ(sorted[k], k);
    EXPECT_EQ(a, permutation(50, 7, kStreamShuffle, 1));
    EXPECT_NE(a, permutation(50, 7, kStreamShuffle, 2));
    EXPECT_NE(a, permutation(50, 8, kStreamShuffle, 1));
}

TEST(Batches, LastBatchAbsorbsASingleSample) {
    EXPECT_EQ(batch_starts(10, 4), (std::vector<index_t>{0, 4, 8}));
    EXPECT_EQ(batch_starts(9, 4), (std::vector<index_t>{0, 4}));
    EXPECT_EQ(batch_starts(3, 8), (std::vector<index_t>{0}));
    EXPECT_EQ(batch_starts(1, 8), (std::vector<index_t>{0}));
}

TEST(Batches, EpochOrderVisitsStreamedBlocksOneAtATime) {
    std::vector<index_t> samples;
    for (index_t k = 0; k < 100; ++k)
        if (k % 7 != 3) samples.push_back(k);  // a validation split removed
    std::vector<index_t> order = epoch_order(samples, 10, 5, 1);
    std::vector<index_t> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, samples);
    // each block's samples are consecutive in the order: 10 block changes
    int changes = 0;
    for (std::size_t k = 1; k < order.size(); ++k)
        changes += order[k] / 10 != order[k - 1] / 10;
    EXPECT_EQ(changes, 9);
    EXPECT_NE(order, epoch_order(samples, 10, 5, 2));     // new epoch
    std::vector<index_t> visits;  // blocks in the order they are visited
    for (index_t k : order)
        if (visits.empty() || visits.back() != k / 10) visits.push_back(k / 10);
    EXPECT_FALSE(std::is_sorted(visits.begin(), visits.end()));
    // in memory (block 0) the order is the plain seeded shuffle
    std::vector<index_t> plain = epoch_order(samples, 0, 5, 1);
    std::vector<index_t> perm = permutation(samples.size(), 5,
                                            kStreamShuffle, 1);
    for (std::size_t k = 0; k < plain.size(); ++k)
        EXPECT_EQ(plain[k], samples[perm[k]]);
}

// A source read in blocks: counts how often each block is loaded.
class BlockCountingSource : public DenseSource {
public:
    BlockCountingSource(const std::vector<double>& x, index_t rows,
                        index_t cols, index_t block)
        : DenseSource(x.data(), rows, cols, std::vector<double>(rows, 0.0),
                      std::vector<double>(rows, 1.0)),
          block_(block) {}
    index_t block_size() const override { return block_; }
    mutable int block_reads = 0;

protected:
    // Like StreamSource: one block (or two) at a time.
    void load(const index_t* idx, index_t n) const override {
        std::set<index_t> blocks;
        for (index_t c = 0; c < n; ++c) blocks.insert(idx[c] / block_);
        for (index_t b : blocks) {
            if (!held_.count(b)) ++block_reads;
        }
        held_ = blocks;
    }

private:
    index_t block_;
    mutable std::set<index_t> held_;
};

TEST(Trainer, StreamedSourceReadsEachBlockAboutOncePerEpoch) {
    index_t n = 400;
    std::vector<double> x = low_rank(n, 50);
    BlockCountingSource data(x, kFeatures, n, 100);
    Model m(autoencoder(), DType::f32);
    m.initialize(1);
    TrainOptions o = options();
    o.epochs = 3;
    o.batch_size = 32;
    Hooks quiet;
    train(m, data, o, quiet);
    // 4 blocks per epoch; a minibatch straddling two blocks re-reads none
    EXPECT_LE(data.block_reads, 3 * 4 + 3);
    EXPECT_GE(data.block_reads, 3 * 4);
}

}  // namespace
}  // namespace exprae
