// The training loop: epochs of shuffled minibatches, a validation split,
// early stopping, learning-rate decay on plateau, gradient clipping, and a
// stop on a non-finite loss that restores the best weights. It reports only
// through Hooks, so it runs the same under R, tests and benchmarks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/model.h"
#include "optim/optimizer.h"
#include "train/data_source.h"
#include "train/hooks.h"
#include "train/objective.h"

namespace exprae {

class ResidentData;

struct TrainOptions {
    int epochs = 100;
    index_t batch_size = 128;
    double learning_rate = 1e-3;
    OptimizerOptions optimizer;
    double validation_split = 0.0;
    // The held-out samples (0-based), chosen by the caller (a split
    // stratified by class); empty: a seeded random validation_split.
    std::vector<index_t> validation;
    int patience = 0;         // epochs without improvement; 0 = never stop
    double lr_decay = 1.0;    // factor on plateau; 1 = off
    int lr_patience = 5;
    double min_lr = 0.0;
    double clip_norm = 0.0;   // 0 = no clipping
    Corruption corruption;    // denoising: corrupt the encoder's input
    int kl_warmup = 0;        // KL weight min(1, epoch / kl_warmup); 0 = 1
    std::uint64_t seed = 0;
    // On a GPU, keep the data there when it fits (train/resident_data.h);
    // false streams every minibatch from the host.
    bool keep_data_on_device = true;
};

enum class StopReason { completed, early_stopping, interrupted, non_finite };
const char* stop_reason_name(StopReason reason);

struct TrainResult {
    std::vector<EpochRecord> history;
    StopReason stop_reason = StopReason::completed;
    int best_epoch = 0;  // the epoch whose weights the model holds
    std::vector<index_t> validation;  // held-out sample indices (0-based)
};

void validate(const TrainOptions& options);

TrainResult train(Model& model, const DataSource& data, const Covariates& cov,
                  const TrainOptions& options, Hooks& hooks);
// Without covariates (no size factors, no batches).
TrainResult train(Model& model, const DataSource& data,
                  const TrainOptions& options, Hooks& hooks);

// Mean loss over the given samples with the full KL weight, no gradient,
// inference (a variational model decodes its latent mean).
// resident: the data already on the GPU, if it is (train/resident_data.h).
double evaluate(Model& model, const DataSource& data, const Covariates& cov,
                const std::vector<index_t>& samples, index_t batch_size,
                const ResidentData* resident = nullptr);

}  // namespace exprae
