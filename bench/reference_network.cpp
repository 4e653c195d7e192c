// Trains the reference network with the engine's own training loop
// (train/trainer.h), as R's trainAutoencoder() does, and prints the
// training throughput in samples per second.
//
//   reference_network [--threads 2] [--epochs 3] [--batch-size 256]
//                     [--device cuda] [--tf32 1] [--resident 0]
//                     [--likelihood nb|zinb]
//
// --likelihood nb or zinb trains the same network on simulated counts
// (bench/reference_setup.h), as bench/reference_network.py --likelihood.
//
// On a GPU the data set is kept there when it fits, as in train();
// --resident 0 streams every minibatch from the host instead.
//
// One train() call runs the warm-up epochs and then the timed ones; the
// clock is read at the end of each epoch (Hooks::on_epoch_end), so the
// figure covers whole epochs (gather, forward, backward, Adam, the trainer's
// per-epoch bookkeeping) and excludes the set-up and the warm-up.
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include "backend/backend.h"
#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"
#include "nn/model.h"
#include "reference_setup.h"
#include "train/trainer.h"

namespace {

using Clock = std::chrono::steady_clock;

class EpochClock : public exprae::Hooks {
public:
    void on_epoch_end(const exprae::EpochRecord& record, int) override {
        ends_.push_back(Clock::now());
        losses_.push_back(record.loss);
    }
    // Seconds from the end of epoch `from` to the end of epoch `to`
    // (1-based; 0 means the start mark).
    double seconds(int from, int to) const {
        Clock::time_point a = from == 0 ? start : ends_[from - 1];
        return std::chrono::duration<double>(ends_[to - 1] - a).count();
    }
    double last_loss() const { return losses_.back(); }
    int epochs() const { return static_cast<int>(ends_.size()); }
    Clock::time_point start;

private:
    std::vector<Clock::time_point> ends_;
    std::vector<double> losses_;
};

}  // namespace

int main(int argc, char** argv) {
    bench::Options o = bench::parse_options(argc, argv);
    try {
        exprae::cpu::set_num_threads(o.threads);
        bool counts = o.likelihood != exprae::Likelihood::gaussian;
        std::vector<double> x = counts ? bench::nb_counts(o)
                                       : bench::uniform_data(o);
        exprae::DenseSource data = bench::data_source(x, o);
        if (counts) {
            data.set_log1p(std::vector<double>(
                static_cast<std::size_t>(o.samples), 1.0));
        }

        exprae::Model model(bench::reference_spec(o.features, o.likelihood),
                            exprae::DType::f32);
        model.initialize(o.seed);
        if (o.cuda) {
            exprae::select_cuda_device(0);
            exprae::set_cuda_tf32(o.tf32);
            model.to(exprae::Device::cuda);
        }
        exprae::TrainOptions t;
        t.epochs = o.warmup + o.epochs;
        t.batch_size = o.batch_size;
        t.learning_rate = 1e-3;
        t.optimizer.kind = exprae::OptimizerKind::adam;
        t.validation_split = 0.0;
        t.patience = 0;
        t.seed = o.seed;
        t.keep_data_on_device = o.resident;

        EpochClock clock;
        clock.start = Clock::now();
        exprae::TrainResult r = exprae::train(model, data, t, clock);
        if (clock.epochs() != t.epochs) {
            std::fprintf(stderr, "training stopped after %d epochs (%s)\n",
                         clock.epochs(), exprae::stop_reason_name(
                                             r.stop_reason));
            return 1;
        }
        double sec = clock.seconds(o.warmup, t.epochs);
        double rate = static_cast<double>(o.epochs * o.samples) / sec;
        double warm = o.warmup > 0 ? clock.seconds(0, o.warmup) : 0.0;
        std::printf("engine (standalone): %s%s%s, %d threads, batch %lld, "
                    "%s kernels, warm-up %.2f s, %d timed epochs %.2f s, "
                    "final loss %.4f\n",
                    o.cuda ? (o.tf32 ? "cuda tf32" : "cuda float32") : "cpu",
                    o.cuda && !o.resident ? " streamed" : "",
                    counts ? (o.likelihood == exprae::Likelihood::nb
                                  ? ", nb" : ", zinb") : "",
                    o.threads, static_cast<long long>(o.batch_size),
                    exprae::cpu::hot_kernel_set(), warm, o.epochs, sec,
                    clock.last_loss());
        std::printf("RESULT engine samples_per_s=%.1f\n", rate);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
