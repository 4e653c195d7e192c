// The CUDA backend as a whole: what a build without a usable GPU reports
// (these run everywhere), and on a GPU a short training run against the
// CPU's, prediction, the minibatch double buffer and out-of-memory.
//
// Training tolerance: both devices start from the same weights and draw
// the same shuffles, dropout masks and latent noise (Philox), so only the
// order of float32 additions differs (cuBLAS vs Eigen). Over the 5 epochs
// of these runs that keeps every epoch's loss within a relative 1e-3 of
// the CPU's and the final weights within a normwise 1e-3.
#include <cmath>
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "nn/model.h"
#include "test_util.h"
#include "train/predict.h"
#include "train/resident_data.h"
#include "train/trainer.h"

namespace exprae {
namespace {

TEST(CudaInfo, ReportsWhyNoGpuCanBeUsed) {
    CudaInfo info = cuda_info();
    if (info.available) {
        EXPECT_TRUE(info.built);
        EXPECT_FALSE(info.devices.empty());
        EXPECT_GT(info.devices[0].memory_bytes, 0.0);
        EXPECT_GE(info.devices[0].major, 3);
        return;
    }
    EXPECT_FALSE(info.reason.empty());
    EXPECT_TRUE(info.devices.empty());
    // Asking for GPU memory is a C++ exception that names the reason,
    // never a crash.
    try {
        Tensor::empty(4, 4, DType::f32, Device::cuda);
        ADD_FAILURE() << "a CUDA tensor without a GPU";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(info.reason), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(select_cuda_device(0), std::runtime_error);
}

TEST(CudaInfo, BuildWithoutCudaSaysSo) {
    CudaInfo info = cuda_info();
    if (info.built) GTEST_SKIP() << "this build has CUDA";
    EXPECT_NE(info.reason.find("without CUDA"), std::string::npos);
}

const index_t kFeatures = 30;

// 30 -> 24 (relu) -> dropout -> batch norm -> 4 -> 24 (elu) -> 30
ModelSpec spec(Likelihood lk = Likelihood::gaussian) {
    ModelSpec s;
    s.n_input = kFeatures;
    s.encoder = {LayerSpec::dense(24, "relu"),
                 LayerSpec::dropout(0.1),
                 LayerSpec::norm(LayerKind::batch_norm), LayerSpec::dense(4)};
    s.decoder = {LayerSpec::dense(24, "elu"),
                 LayerSpec::norm(LayerKind::layer_norm),
                 LayerSpec::dense(kFeatures)};
    s.likelihood = lk;
    return s;
}

// Non-negative whole numbers, so that every likelihood can read them.
std::vector<double> data(index_t n) {
    Tensor u = test::uniform(kFeatures, n, 0.0, 12.0, 40);
    std::vector<double> x(static_cast<std::size_t>(u.size()));
    for (index_t k = 0; k < u.size(); ++k) x[k] = std::floor(u.at(k));
    return x;
}

struct Fit {
    TrainResult result;
    Tensor weights;
};

Fit train_on(Device device, const ModelSpec& s, const DataSource& src,
             const Covariates& cov, const TrainOptions& o) {
    Model model(s, DType::f32);
    model.initialize(7);
    model.to(device);
    Hooks hooks;
    Fit fit{train(model, src, cov, o, hooks), {}};
    model.to(Device::cpu);
    fit.weights = model.parameters().values();
    return fit;
}

TrainOptions short_run() {
    TrainOptions o;
    o.epochs = 5;
    o.batch_size = 32;
    o.learning_rate = 3e-3;
    o.validation_split = 0.2;
    o.clip_norm = 5.0;
    o.seed = 11;
    return o;
}

void expect_same_fit(const Fit& gpu, const Fit& cpu) {
    ASSERT_EQ(gpu.result.history.size(), cpu.result.history.size());
    for (std::size_t e = 0; e < cpu.result.history.size(); ++e) {
        const EpochRecord& a = gpu.result.history[e];
        const EpochRecord& b = cpu.result.history[e];
        EXPECT_NEAR(a.loss, b.loss, 1e-3 * std::abs(b.loss)) << "epoch "
                                                             << e + 1;
        EXPECT_NEAR(a.val_loss, b.val_loss, 1e-3 * std::abs(b.val_loss));
    }
    EXPECT_LE(test::normwise_error(gpu.weights, cpu.weights), 1e-3);
}

class CudaTraining : public ::testing::Test {
protected:
    void SetUp() override { EXPRAE_SKIP_WITHOUT_GPU(); }
};

TEST_F(CudaTraining, GaussianLossCurveMatchesTheCpu) {
    std::vector<double> x = data(200);
    DenseSource src(x.data(), kFeatures, 200,
                    std::vector<double>(kFeatures, 5.0),
                    std::vector<double>(kFeatures, 3.0));
    TrainOptions o = short_run();
    o.corruption.kind = Corruption::Kind::mask;
    o.corruption.rate = 0.1;
    expect_same_fit(train_on(Device::cuda, spec(), src, Covariates(), o),
                    train_on(Device::cpu, spec(), src, Covariates(), o));
}

TEST_F(CudaTraining, VariationalNbModelWithBatchesMatchesTheCpu) {
    index_t n = 160;
    std::vector<double> x = data(n);
    ModelSpec s = spec(Likelihood::nb);
    s.variational = true;
    s.n_batches = 2;
    s.dispersion_per_batch = true;
    Covariates cov;
    cov.n_batches = 2;
    for (index_t j = 0; j < n; ++j) {
        cov.batch.push_back(static_cast<int>(j % 2));
        cov.size_factors.push_back(0.5 + 0.01 * static_cast<double>(j));
    }
    DenseSource src(x.data(), kFeatures, n, std::vector<double>(kFeatures, 0),
                    std::vector<double>(kFeatures, 1.0));
    src.set_log1p(cov.size_factors);
    TrainOptions o = short_run();
    o.optimizer.kind = OptimizerKind::adamw;
    o.kl_warmup = 2;
    expect_same_fit(train_on(Device::cuda, s, src, cov, o),
                    train_on(Device::cpu, s, src, cov, o));
}

// Data kept on the GPU (train/resident_data.h) gives the network the same
// floats as minibatches streamed from the host: the same fit, bit for bit.
TEST_F(CudaTraining, DataKeptOnTheGpuTrainsAsStreamedData) {
    for (Likelihood lk : {Likelihood::gaussian, Likelihood::nb}) {
        std::vector<double> x = data(150);
        DenseSource src(x.data(), kFeatures, 150,
                        std::vector<double>(kFeatures, 5.0),
                        std::vector<double>(kFeatures, 3.0));
        TrainOptions o = short_run();
        {
            // The data does go to the GPU, unless told not to or corrupted.
            Model model(spec(lk), DType::f32);
            model.to(Device::cuda);
            EXPECT_TRUE(ResidentData::upload_if_fits(model, src, o).defined());
            TrainOptions streamed = o;
            streamed.keep_data_on_device = false;
            EXPECT_FALSE(
                ResidentData::upload_if_fits(model, src, streamed).defined());
            TrainOptions corrupted = o;
            corrupted.corruption.kind = Corruption::Kind::mask;
            EXPECT_FALSE(
                ResidentData::upload_if_fits(model, src, corrupted).defined());
            model.to(Device::cpu);
            EXPECT_FALSE(ResidentData::upload_if_fits(model, src, o).defined());
        }
        Fit kept = train_on(Device::cuda, spec(lk), src, Covariates(), o);
        o.keep_data_on_device = false;
        Fit streamed = train_on(Device::cuda, spec(lk), src, Covariates(), o);
        ASSERT_EQ(kept.result.history.size(), streamed.result.history.size());
        for (std::size_t e = 0; e < kept.result.history.size(); ++e) {
            EXPECT_EQ(kept.result.history[e].loss,
                      streamed.result.history[e].loss);
            EXPECT_EQ(kept.result.history[e].val_loss,
                      streamed.result.history[e].val_loss);
        }
        EXPECT_TRUE(test::same_bits(kept.weights, streamed.weights));
    }
}

TEST_F(CudaTraining, ModelOnTheGpuPredictsAsOnTheCpu) {
    std::vector<double> x = data(70);
    DenseSource src(x.data(), kFeatures, 70,
                    std::vector<double>(kFeatures, 5.0),
                    std::vector<double>(kFeatures, 3.0));
    Model cpu(spec(), DType::f32), gpu(spec(), DType::f32);
    cpu.initialize(3);
    gpu.initialize(3);
    gpu.to(Device::cuda);
    for (PredictOutput out : {PredictOutput::latent,
                              PredictOutput::reconstruction}) {
        Tensor a = predict(gpu, src, out, 16);
        Tensor b = predict(cpu, src, out, 16);
        EXPECT_LE(test::normwise_error(a, b), test::kParityTolerance);
    }
}

TEST_F(CudaTraining, DoubleBufferedUploadsKeepEveryBatch) {
    Backend& be = backend_for(Device::cuda);
    std::vector<Tensor> kept;
    std::vector<Tensor> sent;
    for (int step = 0; step < 6; ++step) {
        // Sizes change, so the buffers grow between steps.
        index_t cols = 3 + 5 * step;
        Tensor a = test::to_dtype(test::normal(17, cols, 50 + step),
                                  DType::f32);
        Tensor b = test::to_dtype(test::normal(1, cols, 60 + step),
                                  DType::f32);
        std::vector<Tensor> up = be.upload_batch({a, b});
        ASSERT_EQ(up.size(), 2u);
        // Read back at once: a later upload may reuse the buffer.
        EXPECT_TRUE(test::same_bits(up[0].host(), a)) << "step " << step;
        EXPECT_TRUE(test::same_bits(up[1].host(), b)) << "step " << step;
    }
}

// A grown upload buffer may be a cached block that queued kernels still
// write: the upload must land after them, not be overwritten by them.
TEST_F(CudaTraining, UploadIntoARecycledBlockWaitsForQueuedKernels) {
    Backend& be = backend_for(Device::cuda);
    // 2048 x 2048 floats (16 MiB): larger than any earlier upload, so the
    // next slot grows and takes the block of `busy` from the cache.
    const index_t n = 2048;
    Tensor a = Tensor::full(n, n, 1.0, DType::f32, Device::cuda);
    Tensor host = test::to_dtype(test::normal(n, n, 70), DType::f32);
    {
        Tensor busy = Tensor::empty(n, n, DType::f32, Device::cuda);
        // ~20 ms of GEMMs into `busy`, queued; then it goes to the cache
        for (int k = 0; k < 50; ++k) be.gemm(false, false, 1.0, a, a, 0.0,
                                             busy);
    }
    std::vector<Tensor> up = be.upload_batch({host});
    EXPECT_TRUE(test::same_bits(up[0].host(), host));
}

TEST_F(CudaTraining, OutOfMemoryIsAnExceptionThatSaysHowMuch) {
    // 2^40 floats (4 TiB) is more than any GPU has.
    try {
        Tensor::empty(index_t{1} << 40, 1, DType::f32, Device::cuda);
        ADD_FAILURE() << "a 4 TiB tensor";
    } catch (const OutOfMemory& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("asked for"), std::string::npos) << m;
        EXPECT_NE(m.find("free of"), std::string::npos) << m;
    }
    // The device still works afterwards.
    Tensor t = Tensor::full(3, 3, 2.0, DType::f32, Device::cuda);
    EXPECT_EQ(t.at(2, 2), 2.0);
}

}  // namespace
}  // namespace exprae
