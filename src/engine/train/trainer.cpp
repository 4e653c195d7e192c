#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>

#include "backend/backend.h"
#include "ops/ops.h"
#include "random/philox.h"
#include "train/batches.h"
#include "train/resident_data.h"

namespace exprae {

const char* stop_reason_name(StopReason reason) {
    switch (reason) {
    case StopReason::completed: return "completed";
    case StopReason::early_stopping: return "early_stopping";
    case StopReason::interrupted: return "interrupted";
    case StopReason::non_finite: return "non_finite";
    }
    return "completed";
}

void validate(const TrainOptions& o) {
    auto fail = [](const std::string& what) {
        throw BadArgument(what);
    };
    if (o.epochs < 1) fail("epochs must be >= 1");
    if (o.batch_size < 1) fail("batch_size must be >= 1");
    if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate))
        fail("learning_rate must be a positive number");
    if (!(o.validation_split >= 0 && o.validation_split < 1))
        fail("validation_split must be in [0, 1)");
    if (o.patience < 0 || o.lr_patience < 0) fail("patience must be >= 0");
    if (!(o.lr_decay > 0 && o.lr_decay <= 1))
        fail("lr_decay must be in (0, 1]");
    if (!(o.clip_norm >= 0)) fail("clip_norm must be >= 0");
    if (!(o.optimizer.weight_decay >= 0)) fail("weight_decay must be >= 0");
    if (o.kl_warmup < 0) fail("kl_warmup must be >= 0");
    if (!(o.corruption.rate >= 0) || !std::isfinite(o.corruption.rate))
        fail("corruption_rate must be >= 0");
    if (o.corruption.kind == Corruption::Kind::mask && o.corruption.rate >= 1)
        fail("a mask corruption_rate must be below 1");
}

namespace {

// The state of the weights at the best epoch, restored at the end.
struct Snapshot {
    Tensor params, buffers;
    void take(Model& m) {
        params = m.parameters().values().clone();
        buffers = m.buffers().values().clone();
    }
    void restore(Model& m) const {
        m.parameters().values().copy_from(params);
        m.buffers().values().copy_from(buffers);
    }
};

// The caller's held-out samples, and the others for training.
void given_split(index_t n, const TrainOptions& o,
                 std::vector<index_t>& train_idx,
                 std::vector<index_t>& val_idx) {
    std::vector<bool> held(n, false);
    for (index_t j : o.validation) {
        if (j < 0 || j >= n || held[j]) {
            throw BadArgument("validation samples must be distinct indices "
                              "of the " + std::to_string(n) + " samples");
        }
        held[j] = true;
    }
    val_idx = o.validation;
    for (index_t j = 0; j < n; ++j)
        if (!held[j]) train_idx.push_back(j);
    if (train_idx.empty())
        throw BadArgument("every sample is held out for validation");
}

// Training and validation indices from a seeded permutation, or the
// caller's.
void split(index_t n, const TrainOptions& o, std::vector<index_t>& train_idx,
           std::vector<index_t>& val_idx) {
    if (!o.validation.empty()) return given_split(n, o, train_idx, val_idx);
    std::vector<index_t> order = permutation(n, o.seed, kStreamSplit, 0);
    index_t n_val = static_cast<index_t>(std::floor(n * o.validation_split));
    if (n_val >= n) n_val = n - 1;
    val_idx.assign(order.begin(), order.begin() + n_val);
    train_idx.assign(order.begin() + n_val, order.end());
}

// Batch losses weighted by batch size. On the CPU each is read at once,
// so a non-finite one stops the epoch before its update; on a GPU they add
// up on the device and are read once, when the mean is asked for, so that
// no step waits for the device.
class LossSum {
public:
    explicit LossSum(Device device) : device_(device) {}
    // False when the loss is known to be non-finite.
    bool add(const Variable& loss, index_t weight) {
        count_ += weight;
        const Tensor& v = loss.value();
        if (device_ == Device::cpu) {
            double value = v.at(0);
            total_ += value * static_cast<double>(weight);
            return std::isfinite(value);
        }
        if (!sum_.defined()) sum_ = Tensor::zeros(1, 1, v.dtype(), device_);
        backend_for(device_).axpy(static_cast<double>(weight), v, sum_, true);
        return true;
    }
    double mean() const {
        double total = sum_.defined() ? sum_.at(0) : total_;
        return total / static_cast<double>(count_);
    }

private:
    Device device_;
    double total_ = 0.0;
    Tensor sum_;
    index_t count_ = 0;
};

struct EpochOutcome {
    double loss = 0.0;
    bool interrupted = false;
    bool non_finite = false;
};

// One pass over the training samples in a fresh seeded order.
double kl_weight(const TrainOptions& o, int epoch) {
    if (o.kl_warmup <= 0) return 1.0;
    return std::min(1.0, static_cast<double>(epoch) / o.kl_warmup);
}

// The minibatch of step `step` on the model's device, its input corrupted
// for denoising (never with resident data: see train/resident_data.h).
Minibatch training_batch(const Model& model, const DataSource& data,
                         const ResidentData& resident, const Covariates& cov,
                         const std::vector<index_t>& idx,
                         const TrainOptions& o, std::uint64_t step) {
    index_t n = static_cast<index_t>(idx.size());
    if (resident.defined())
        return resident.minibatch(model, cov, idx.data(), n);
    bool corrupted = o.corruption.kind != Corruption::Kind::none;
    // Corruption is drawn on the dense input: no sparse one then.
    Minibatch b = gather_minibatch(model, data, cov, idx.data(), n, -1,
                                   !corrupted);
    if (corrupted) {
        // A Gaussian model's target is its input: keep a clean copy.
        if (!is_count(model.spec().likelihood)) b.target = b.input.clone();
        corrupt(b.input, o.corruption, o.seed, step);
    }
    return to_device(b, model.device());
}

// A step that throws (a GPU out of memory, say) leaves its forward pass on
// the tape, which would keep that step's tensors, on the GPU too, until the
// next backward() on this thread: a retry with a smaller batch would start
// with that memory still taken. Clears the tape when unwinding.
struct TapeClearedOnThrow {
    int pending = std::uncaught_exceptions();
    ~TapeClearedOnThrow() {
        if (std::uncaught_exceptions() > pending) Tape::current().clear();
    }
};

EpochOutcome run_epoch(Model& model, Optimizer& opt, const DataSource& data,
                       const ResidentData& resident, const Covariates& cov,
                       const std::vector<index_t>& train_idx,
                       const TrainOptions& o, double lr, int epoch,
                       std::uint64_t& step, Hooks& hooks) {
    EpochOutcome out;
    index_t n = static_cast<index_t>(train_idx.size());
    std::vector<index_t> order =
        epoch_order(train_idx, data.block_size(), o.seed, epoch);
    std::vector<index_t> starts = batch_starts(n, o.batch_size);
    std::vector<index_t> batch;
    // An interrupted epoch averages what it ran.
    LossSum losses(model.device());
    Backend& be = backend_for(model.device());
    Tape& tape = Tape::current();
    TapeClearedOnThrow clear_on_throw;
    for (std::size_t b = 0; b < starts.size(); ++b) {
        index_t end = b + 1 < starts.size() ? starts[b + 1] : n;
        batch.clear();
        for (index_t k = starts[b]; k < end; ++k) batch.push_back(order[k]);
        Minibatch mb = training_batch(model, data, resident, cov, batch, o,
                                      step);
        ForwardMode mode{true, o.seed, step++};
        model.parameters().zero_grad();
        Variable loss = model_loss(model, mb, mode, kl_weight(o, epoch));
        if (!losses.add(loss, static_cast<index_t>(batch.size()))) {
            tape.clear();
            out.non_finite = true;
            return out;
        }
        tape.backward(loss);
        opt.step(lr, 1.0, o.clip_norm);
        be.end_step();
        if (hooks.interrupted()) {
            out.interrupted = true;
            break;
        }
    }
    out.loss = losses.mean();
    // A GPU learns of a non-finite loss here, after the epoch's updates;
    // the trainer restores the best weights all the same.
    out.non_finite = !std::isfinite(out.loss);
    return out;
}

}  // namespace

double evaluate(Model& model, const DataSource& data, const Covariates& cov,
                const std::vector<index_t>& held_out, index_t batch_size,
                const ResidentData* resident) {
    // A streamed source reads in blocks: visit its samples in file order.
    std::vector<index_t> samples = held_out;
    if (data.block_size() > 0) std::sort(samples.begin(), samples.end());
    NoGradGuard no_grad;
    ForwardMode mode;  // inference
    LossSum losses(model.device());
    Backend& be = backend_for(model.device());
    index_t n = static_cast<index_t>(samples.size());
    for (index_t s = 0; s < n; s += batch_size) {
        index_t m = std::min(batch_size, n - s);
        Minibatch mb = resident != nullptr && resident->defined()
            ? resident->minibatch(model, cov, samples.data() + s, m)
            : to_device(gather_minibatch(model, data, cov,
                                         samples.data() + s, m, -1, true),
                        model.device());
        losses.add(model_loss(model, mb, mode, 1.0), m);
        be.end_step();
    }
    return losses.mean();
}

TrainResult train(Model& model, const DataSource& data,
                  const TrainOptions& o, Hooks& hooks) {
    return train(model, data, Covariates(), o, hooks);
}

TrainResult train(Model& model, const DataSource& data, const Covariates& cov,
                  const TrainOptions& o, Hooks& hooks) {
    validate(o);
    if (data.n_features() != model.spec().n_input) {
        throw BadArgument("data has " +
                          std::to_string(data.n_features()) +
                          " features, the model expects " +
                          std::to_string(model.spec().n_input));
    }
    if (data.n_samples() < 1) throw BadArgument("no samples");
    validate(cov, data, model);
    TrainResult result;
    std::vector<index_t> train_idx;
    split(data.n_samples(), o, train_idx, result.validation);
    bool has_val = !result.validation.empty();
    ResidentData resident = ResidentData::upload_if_fits(model, data, o);

    Optimizer opt(model.parameters(), o.optimizer);
    Snapshot best;
    best.take(model);
    double best_loss = std::numeric_limits<double>::infinity();
    double lr = o.learning_rate;
    int wait = 0, lr_wait = 0;
    std::uint64_t step = 0;
    auto start = std::chrono::steady_clock::now();

    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        EpochOutcome e = run_epoch(model, opt, data, resident, cov,
                                   train_idx, o, lr, epoch, step, hooks);
        if (e.non_finite) {
            hooks.log("loss became non-finite in epoch " +
                      std::to_string(epoch) + "; best weights restored");
            best.restore(model);
            result.stop_reason = StopReason::non_finite;
            return result;
        }
        EpochRecord r;
        r.epoch = epoch;
        r.loss = e.loss;
        r.val_loss = has_val ? evaluate(model, data, cov, result.validation,
                                        o.batch_size, &resident)
                             : std::numeric_limits<double>::quiet_NaN();
        r.learning_rate = lr;
        r.seconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - start).count();
        result.history.push_back(r);
        hooks.on_epoch_end(r, o.epochs);
        if (e.interrupted) {
            // The fit keeps the weights reached so far, so they are the
            // ones best_epoch must name.
            result.stop_reason = StopReason::interrupted;
            result.best_epoch = epoch;
            return result;
        }
        double monitored = has_val ? r.val_loss : r.loss;
        if (!std::isfinite(monitored)) {
            best.restore(model);
            result.stop_reason = StopReason::non_finite;
            return result;
        }
        if (monitored < best_loss) {
            best_loss = monitored;
            result.best_epoch = epoch;
            best.take(model);
            wait = lr_wait = 0;
        } else {
            ++wait;
            if (o.lr_decay < 1 && ++lr_wait >= o.lr_patience) {
                lr = std::max(o.min_lr, lr * o.lr_decay);
                lr_wait = 0;
            }
            if (o.patience > 0 && wait >= o.patience) {
                result.stop_reason = StopReason::early_stopping;
                break;
            }
        }
    }
    best.restore(model);
    return result;
}

}  // namespace exprae
