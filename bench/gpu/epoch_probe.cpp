// Where the host's time goes in a GPU training epoch of the reference
// network: train/trainer.cpp's run_epoch rebuilt from the engine's pieces
// with a host clock around each phase (minibatch, forward, backward, Adam)
// and around the one read of the epoch's loss, which waits for the GPU.
// A phase's host time is the time to queue its work; the final wait is
// the GPU's backlog. Their sum against the epoch's time shows what the
// host does besides.
//
//   epoch_probe [--batch-size 4096] [--samples 10000] [--epochs 5]
//               [--resident 0|1]
#include <chrono>
#include <cstdio>
#include <exception>
#include <vector>

#include "backend/backend.h"
#include "cpu/parallel.h"
#include "nn/model.h"
#include "optim/optimizer.h"
#include "reference_setup.h"
#include "tape/tape.h"
#include "train/batches.h"
#include "train/objective.h"
#include "train/resident_data.h"
#include "train/trainer.h"

namespace {
using Clock = std::chrono::steady_clock;
double ms(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

int main(int argc, char** argv) {
    bench::Options o = bench::parse_options(argc, argv);
    try {
        exprae::cpu::set_num_threads(o.threads);
        std::vector<double> x = bench::uniform_data(o);
        exprae::DenseSource data = bench::data_source(x, o);
        exprae::select_cuda_device(0);
        exprae::Model model(bench::reference_spec(o.features),
                            exprae::DType::f32);
        model.initialize(o.seed);
        model.to(exprae::Device::cuda);
        exprae::TrainOptions t;
        t.batch_size = o.batch_size;
        t.keep_data_on_device = o.resident;
        exprae::ResidentData resident =
            exprae::ResidentData::upload_if_fits(model, data, t);
        exprae::OptimizerOptions oo;
        exprae::Optimizer opt(model.parameters(), oo);
        exprae::Covariates cov;
        exprae::Tape& tape = exprae::Tape::current();
        std::vector<exprae::index_t> all(static_cast<std::size_t>(o.samples));
        for (exprae::index_t j = 0; j < o.samples; ++j) all[j] = j;
        std::uint64_t step = 0;
        std::printf("resident %d; ms per epoch: total | order | batch | "
                    "forward | backward | adam | loss read (GPU wait)\n",
                    resident.defined() ? 1 : 0);
        for (int epoch = 1; epoch <= o.warmup + o.epochs; ++epoch) {
            Clock::time_point e0 = Clock::now();
            std::vector<exprae::index_t> order =
                exprae::epoch_order(all, 0, o.seed, epoch);
            std::vector<exprae::index_t> starts =
                exprae::batch_starts(o.samples, o.batch_size);
            Clock::time_point e1 = Clock::now();
            double tb = 0, tf = 0, tw = 0, ta = 0;
            exprae::Tensor sum = exprae::Tensor::zeros(
                1, 1, exprae::DType::f32, exprae::Device::cuda);
            for (std::size_t b = 0; b < starts.size(); ++b) {
                exprae::index_t lo = starts[b];
                exprae::index_t hi = b + 1 < starts.size() ? starts[b + 1]
                                                           : o.samples;
                Clock::time_point s0 = Clock::now();
                exprae::Minibatch mb = resident.defined()
                    ? resident.minibatch(model, cov, order.data() + lo,
                                         hi - lo)
                    : exprae::to_device(
                          exprae::gather_minibatch(model, data, cov,
                                                   order.data() + lo, hi - lo),
                          exprae::Device::cuda);
                Clock::time_point s1 = Clock::now();
                exprae::ForwardMode mode{true, o.seed, step++};
                model.parameters().zero_grad();
                exprae::Variable loss = exprae::model_loss(model, mb, mode,
                                                           1.0);
                exprae::backend_for(exprae::Device::cuda)
                    .axpy(static_cast<double>(hi - lo), loss.value(), sum,
                          true);
                Clock::time_point s2 = Clock::now();
                tape.backward(loss);
                Clock::time_point s3 = Clock::now();
                opt.step(1e-3, 1.0, 0.0);
                Clock::time_point s4 = Clock::now();
                tb += ms(s0, s1);
                tf += ms(s1, s2);
                tw += ms(s2, s3);
                ta += ms(s3, s4);
            }
            Clock::time_point r0 = Clock::now();
            double total = sum.at(0);
            Clock::time_point r1 = Clock::now();
            std::printf("epoch %d%s: %.2f | %.2f | %.2f | %.2f | %.2f | "
                        "%.2f | %.2f  (loss %.4f)\n", epoch,
                        epoch <= o.warmup ? " (warm-up)" : "", ms(e0, r1),
                        ms(e0, e1), tb, tf, tw, ta, ms(r0, r1),
                        total / static_cast<double>(o.samples));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
