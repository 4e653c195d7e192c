// Where a training step of the reference network spends its time.
//
//   step_profile [--threads 2] [--epochs 2] [--batch-size 256]
//
// 1. Top-down: the trainer's step (train/trainer.cpp, run_epoch) rebuilt
//    from the engine's public pieces, with a clock around each phase:
//    gather, zero_grad, forward (encode, decode, mse_loss), backward
//    (Tape::backward), Adam (Optimizer::step), and the rest (releasing the
//    step's tensors, tape bookkeeping).
// 2. Bottom-up: every kernel the step calls, at the step's shapes, timed on
//    its own (median of repeats): GEMMs, elementwise, optimizer, gather.
//    Their sum against the top-down step shows the framework overhead.
// 3. The same GEMM shapes through OpenBLAS (what PyTorch CPU calls here),
//    when libopenblas.so.0 can be loaded, as the figure to aim for.
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "cpu/hot_kernels.h"
#include "cpu/elementwise.h"
#include "cpu/parallel.h"
#include "cpu/reduce.h"
#include "nn/model.h"
#include "ops/ops.h"
#include "optim/optimizer.h"
#include "random/philox.h"
#include "reference_setup.h"
#include "train/batches.h"

namespace {

using exprae::index_t;
using exprae::Tensor;
using exprae::Variable;
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0)
        .count();
}

// Median milliseconds of `reps` calls after two untimed ones.
double median_ms(int reps, const std::function<void()>& f) {
    f();
    f();
    std::vector<double> t(reps);
    for (int r = 0; r < reps; ++r) {
        Clock::time_point t0 = Clock::now();
        f();
        t[r] = ms_since(t0);
    }
    std::nth_element(t.begin(), t.begin() + reps / 2, t.end());
    return t[reps / 2];
}

// ---- 1. top-down ---------------------------------------------------------

enum Phase { kGather, kZeroGrad, kForward, kBackward, kAdam, kRest, kPhases };
const char* kPhaseNames[kPhases] = {"gather",   "zero_grad", "forward",
                                    "backward", "adam",      "rest"};

struct PhaseTimes {
    double ms[kPhases] = {};
    double step_ms = 0.0;
    long steps = 0;
};

// One epoch as run_epoch() does it, timing each phase when `times` is set.
void profiled_epoch(exprae::Model& model, exprae::Optimizer& opt,
                    const exprae::DataSource& data,
                    const bench::Options& o, int epoch, std::uint64_t& step,
                    PhaseTimes* times) {
    index_t n = data.n_samples();
    std::vector<index_t> order =
        exprae::permutation(n, o.seed, exprae::kStreamShuffle, epoch);
    std::vector<index_t> starts = exprae::batch_starts(n, o.batch_size);
    exprae::Tape& tape = exprae::Tape::current();
    std::vector<index_t> batch;
    for (std::size_t b = 0; b < starts.size(); ++b) {
        Clock::time_point t0 = Clock::now(), t;
        double ph[kPhases] = {};
        auto lap = [&](Phase p) {
            Clock::time_point now = Clock::now();
            ph[p] = std::chrono::duration<double, std::milli>(now - t)
                        .count();
            t = now;
        };
        t = t0;
        {
            index_t end = b + 1 < starts.size() ? starts[b + 1] : n;
            batch.clear();
            for (index_t k = starts[b]; k < end; ++k)
                batch.push_back(order[k]);
            Tensor xb = Tensor::empty(data.n_features(),
                                      static_cast<index_t>(batch.size()),
                                      model.dtype());
            data.gather(batch.data(), static_cast<index_t>(batch.size()), xb);
            lap(kGather);
            Variable x(xb, false);
            exprae::ForwardMode mode{true, o.seed, step++};
            model.parameters().zero_grad();
            lap(kZeroGrad);
            Variable loss = exprae::mse_loss(
                model.decode(model.encode(x, mode), mode), x);
            volatile double value = loss.value().at(0);
            (void)value;
            lap(kForward);
            tape.backward(loss);
            lap(kBackward);
            opt.step(1e-3, 1.0);
            lap(kAdam);
        }  // the step's tensors go back to the caching allocator here
        lap(kRest);
        if (times) {
            for (int p = 0; p < kPhases; ++p) times->ms[p] += ph[p];
            times->step_ms += ms_since(t0);
            ++times->steps;
        }
    }
}

PhaseTimes top_down(const bench::Options& o, const exprae::DataSource& data) {
    exprae::Model model(bench::reference_spec(o.features),
                        exprae::DType::f32);
    model.initialize(o.seed);
    exprae::Optimizer opt(model.parameters(), exprae::OptimizerOptions{});
    std::uint64_t step = 0;
    for (int e = 1; e <= o.warmup; ++e)
        profiled_epoch(model, opt, data, o, e, step, nullptr);
    PhaseTimes times;
    for (int e = 1; e <= o.epochs; ++e)
        profiled_epoch(model, opt, data, o, o.warmup + e, step, &times);
    return times;
}

// ---- 2. bottom-up --------------------------------------------------------

struct Dense {
    index_t in, out;
    bool relu;
};

std::vector<Dense> reference_layers(index_t features) {
    return {{features, 512, true}, {512, 128, true}, {128, 32, false},
            {32, 128, true},       {128, 512, true}, {512, features, false}};
}

struct Row {
    std::string kernel, category;
    double ms;
    double gflop;  // 0 when not a GEMM
};

using GemmFn = std::function<void(bool, bool, index_t, index_t, index_t,
                                  const float*, index_t, const float*,
                                  index_t, float, float*, index_t)>;

Tensor filled(index_t rows, index_t cols, double v) {
    return Tensor::full(rows, cols, v, exprae::DType::f32);
}

// The GEMMs of one step (forward, dW, dX per layer) through `gemm`.
void gemm_rows(const std::vector<Dense>& layers, index_t n, int reps,
               const GemmFn& gemm, std::vector<Row>& rows) {
    for (std::size_t l = 0; l < layers.size(); ++l) {
        const Dense& d = layers[l];
        Tensor w = filled(d.out, d.in, 0.01), x = filled(d.in, n, 0.5);
        Tensor y = filled(d.out, n, 0.0), dy = filled(d.out, n, 0.01);
        Tensor dw = filled(d.out, d.in, 0.0), dx = filled(d.in, n, 0.0);
        const float *wp = w.data<float>(), *xp = x.data<float>();
        const float* dyp = dy.data<float>();
        std::string shape = std::to_string(d.in) + "->" +
                            std::to_string(d.out);
        double flop = 2.0 * d.in * d.out * n * 1e-9;
        rows.push_back({"fwd  W x      " + shape, "gemm",
                        median_ms(reps, [&] {
                            gemm(false, false, d.out, n, d.in, wp, d.out, xp,
                                 d.in, 0.0f, y.data<float>(), d.out);
                        }),
                        flop});
        rows.push_back({"bwd  dW+=dy xT " + shape, "gemm",
                        median_ms(reps, [&] {
                            gemm(false, true, d.out, d.in, n, dyp, d.out, xp,
                                 d.in, 1.0f, dw.data<float>(), d.out);
                        }),
                        flop});
        if (l == 0) continue;  // the input needs no gradient
        rows.push_back({"bwd  dx=WT dy  " + shape, "gemm",
                        median_ms(reps, [&] {
                            gemm(true, false, d.in, n, d.out, wp, d.out, dyp,
                                 d.out, 0.0f, dx.data<float>(), d.in);
                        }),
                        flop});
    }
}

void elementwise_rows(const std::vector<Dense>& layers, index_t n, int reps,
                      std::vector<Row>& rows) {
    using namespace exprae::cpu;
    for (const Dense& d : layers) {
        std::string shape = std::to_string(d.out) + "x" + std::to_string(n);
        Tensor y = filled(d.out, n, 0.1), b = filled(d.out, 1, 0.1);
        Tensor a = filled(d.out, n, 0.0), dy = filled(d.out, n, 0.01);
        Tensor db = filled(d.out, 1, 0.0), dx = filled(d.out, n, 0.0);
        rows.push_back({"bias add       " + shape, "elementwise",
                        median_ms(reps, [&] {
                            add_to_columns<float>(d.out, n, b.data<float>(),
                                                  y.data<float>());
                        }), 0});
        rows.push_back({"bias grad      " + shape, "elementwise",
                        median_ms(reps, [&] {
                            row_sums<float>(d.out, n, dy.data<float>(),
                                            db.data<float>(), true);
                        }), 0});
        if (!d.relu) continue;
        // relu's registered CPU kernels (cpu/relu.cpp)
        const exprae::UnaryKernels& relu =
            exprae::unary_kernels(exprae::Unary{"relu"}, exprae::Device::cpu);
        rows.push_back({"relu fwd       " + shape, "elementwise",
                        median_ms(reps, [&] { relu.forward(0.0, y, a); }),
                        0});
        rows.push_back({"relu bwd       " + shape, "elementwise",
                        median_ms(reps, [&] {
                            relu.backward(0.0, y, a, dy, dx, false);
                        }), 0});
    }
    // The loss, forward and backward, through the op itself.
    index_t f = layers.back().out;
    Variable pred(filled(f, n, 0.4), true), target(filled(f, n, 0.5), false);
    rows.push_back({"mse fwd+bwd    " + std::to_string(f) + "x" +
                        std::to_string(n), "elementwise",
                    median_ms(reps, [&] {
                        Variable p(pred.value(), true);
                        Variable loss = exprae::mse_loss(p, target);
                        exprae::Tape::current().backward(loss);
                    }), 0});
}

void optimizer_rows(const bench::Options& o, int reps,
                    std::vector<Row>& rows) {
    exprae::Model model(bench::reference_spec(o.features),
                        exprae::DType::f32);
    model.initialize(o.seed);
    exprae::ParameterBlock& p = model.parameters();
    exprae::Optimizer opt(p, exprae::OptimizerOptions{});
    std::string size = std::to_string(p.total_size());
    rows.push_back({"zero_grad      " + size, "optimizer",
                    median_ms(reps, [&] { p.zero_grad(); }), 0});
    rows.push_back({"adam step      " + size, "optimizer",
                    median_ms(reps, [&] { opt.step(1e-3, 1.0); }), 0});
}

void gather_rows(const bench::Options& o, const exprae::DataSource& data,
                 int reps, std::vector<Row>& rows) {
    std::vector<index_t> idx =
        exprae::permutation(data.n_samples(), o.seed, 99, 0);
    Tensor xb = Tensor::empty(data.n_features(), o.batch_size,
                              exprae::DType::f32);
    rows.push_back({"gather         " + std::to_string(data.n_features()) +
                        "x" + std::to_string(o.batch_size), "gather",
                    median_ms(reps, [&] {
                        data.gather(idx.data(), o.batch_size, xb);
                    }), 0});
}

// Microseconds per fork/join of an OpenMP region as parallel_for opens it.
double fork_join_us(int reps) {
    volatile int sink = 0;
    int k = 0;
    double ms = median_ms(reps, [&] {
        for (k = 0; k < 1000; ++k)
            exprae::cpu::parallel_for(
                index_t{1} << 20, 1, [&](index_t b, index_t) {
                    sink = sink + static_cast<int>(b & 1);
                });
    });
    return ms;  // 1000 regions: ms per 1000 = us per region
}

// ---- 3. OpenBLAS ---------------------------------------------------------

using CblasSgemm = void (*)(int, int, int, int, int, int, float, const float*,
                            int, const float*, int, float, float*, int);
using SetThreads = void (*)(int);

GemmFn openblas_gemm(int threads) {
    void* lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return nullptr;
    auto sgemm = reinterpret_cast<CblasSgemm>(dlsym(lib, "cblas_sgemm"));
    auto set = reinterpret_cast<SetThreads>(
        dlsym(lib, "openblas_set_num_threads"));
    if (!sgemm || !set) return nullptr;
    set(threads);
    const int col_major = 102, no = 111, yes = 112;
    return [=](bool ta, bool tb, index_t m, index_t n, index_t k,
               const float* a, index_t lda, const float* b, index_t ldb,
               float beta, float* c, index_t ldc) {
        sgemm(col_major, ta ? yes : no, tb ? yes : no, int(m), int(n),
              int(k), 1.0f, a, int(lda), b, int(ldb), beta, c, int(ldc));
    };
}

void print_rows(const std::vector<Row>& rows, const char* title) {
    std::printf("\n%s\n%-32s %-12s %9s %9s\n", title, "kernel", "category",
                "ms", "GFLOP/s");
    for (const Row& r : rows) {
        if (r.gflop > 0)
            std::printf("%-32s %-12s %9.3f %9.1f\n", r.kernel.c_str(),
                        r.category.c_str(), r.ms, r.gflop / (r.ms * 1e-3));
        else
            std::printf("%-32s %-12s %9.3f %9s\n", r.kernel.c_str(),
                        r.category.c_str(), r.ms, "");
    }
}

double category_ms(const std::vector<Row>& rows, const std::string& c) {
    double s = 0;
    for (const Row& r : rows)
        if (r.category == c) s += r.ms;
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    bench::Options o = bench::parse_options(argc, argv);
    const int reps = 15;
    try {
        exprae::cpu::set_num_threads(o.threads);
        std::vector<double> x = bench::uniform_data(o);
        exprae::DenseSource data = bench::data_source(x, o);
        std::printf("step profile: %d threads, batch %lld, %s kernels\n",
                    o.threads, static_cast<long long>(o.batch_size),
                    exprae::cpu::hot_kernel_set());

        PhaseTimes td = top_down(o, data);
        double step = td.step_ms / td.steps;
        std::printf("\n1. top-down, mean of %ld steps: %.2f ms/step "
                    "(%.0f samples/s)\n", td.steps, step,
                    o.batch_size / (step * 1e-3));
        for (int p = 0; p < kPhases; ++p) {
            double ms = td.ms[p] / td.steps;
            std::printf("   %-10s %8.2f ms %5.1f%%\n", kPhaseNames[p], ms,
                        100 * ms / step);
        }

        std::vector<Row> rows;
        std::vector<Dense> layers = reference_layers(o.features);
        GemmFn engine_gemm = [](bool ta, bool tb, index_t m, index_t n,
                                index_t k, const float* a, index_t lda,
                                const float* b, index_t ldb, float beta,
                                float* c, index_t ldc) {
            exprae::cpu::gemm<float>(ta, tb, m, n, k, 1.0f, a, lda, b, ldb,
                                     beta, c, ldc);
        };
        gemm_rows(layers, o.batch_size, reps, engine_gemm, rows);
        elementwise_rows(layers, o.batch_size, reps, rows);
        optimizer_rows(o, reps, rows);
        gather_rows(o, data, reps, rows);
        print_rows(rows, "2. bottom-up, each kernel alone (median)");
        double sum = 0;
        std::printf("\n   per step     ms   share of step\n");
        for (const char* c : {"gemm", "elementwise", "optimizer", "gather"}) {
            double ms = category_ms(rows, c);
            sum += ms;
            std::printf("   %-11s %6.2f %6.1f%%\n", c, ms, 100 * ms / step);
        }
        std::printf("   %-11s %6.2f %6.1f%%  (step minus the kernels: tape, "
                    "allocation, cache misses between kernels)\n",
                    "unexplained", step - sum, 100 * (step - sum) / step);
        std::printf("   OpenMP fork/join: %.1f us per parallel region\n",
                    fork_join_us(reps));

        GemmFn blas = openblas_gemm(o.threads);
        if (blas) {
            std::vector<Row> brows;
            gemm_rows(layers, o.batch_size, reps, blas, brows);
            print_rows(brows, "3. the same GEMMs through OpenBLAS");
            double e = category_ms(rows, "gemm");
            double b = category_ms(brows, "gemm");
            std::printf("\n   GEMM per step: engine %.2f ms, OpenBLAS %.2f ms "
                        "(engine/OpenBLAS %.2f)\n", e, b, e / b);
        } else {
            std::printf("\n3. libopenblas.so.0 not loadable: skipped\n");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
