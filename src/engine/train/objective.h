// What one minibatch gives a model and the loss it is trained on: the
// likelihood of the decoder's output (MSE for a plain Gaussian model), plus
// the KL term of a variational model; with the sample covariates (size
// factors, batches) and the denoising corruption of the input.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "nn/model.h"
#include "train/data_source.h"

namespace exprae {

// Per-sample covariates; empty vectors mean none.
struct Covariates {
    std::vector<double> size_factors;  // > 0; empty = all 1
    std::vector<int> batch;            // 0-based level of each sample
    index_t n_batches = 0;
    // A classifier's: each sample's 0-based class, -1 when unlabelled
    // (empty: none is labelled, as at prediction), and a weight per class
    // (empty: all 1).
    std::vector<int> labels;
    std::vector<double> class_weights;
    // A multi-label model's: labels x n targets in [0, 1], column-major,
    // NaN where unknown (empty: none known); class_weights then weigh the
    // labels.
    std::vector<double> targets;
};

// Throws when the covariates do not fit the data and the model.
void validate(const Covariates& cov, const DataSource& data,
              const Model& model);

struct Minibatch {
    Tensor input;   // encoder input (transformed, centred, scaled);
                    // undefined when sparse_input stands for it
                    // (count models)
    Tensor target;  // Gaussian: the clean input; counts: the raw counts
    Tensor log_sf;  // 1 x n log size factors (count likelihoods)
    Tensor onehot;  // n_batches x n for the encoder (batch models)
    Tensor decoder_onehot;  // the decoder's batches (see transform_batch)
    Tensor labels;  // 1 x n classes, -1 unlabelled (classifier models);
                    // multi-label: labels x n targets, NaN unknown
    Tensor class_weights;   // n_classes x 1, or undefined (all 1)
    Tensor batch_labels;    // 1 x n 0-based batches (models with an
                            // adversary)
    // 1 x n sample numbers, float32: where input and target are gathered
    // on the GPU from a data set kept there (train/resident_data.h)
    Tensor columns;
    // The input again as its non-zeros, when the data are sparse enough
    // and the model takes it (Model::takes_sparse_input()); null otherwise
    std::shared_ptr<const SparseColumns> sparse_input;
};

// Samples idx[0..n). transform_batch >= 0 gives the decoder that batch for
// every sample (expression "as if" from it); the encoder keeps the real one.
// sparse_ok: the encoder may get the input as its non-zeros (training and
// validation without input corruption); a count model then gets no dense
// input at all (input undefined).
Minibatch gather_minibatch(const Model& model, const DataSource& data,
                           const Covariates& cov, const index_t* idx,
                           index_t n, int transform_batch = -1,
                           bool sparse_ok = false);
// The same without input and target: only what the covariates give.
Minibatch gather_covariates(const Model& model, const Covariates& cov,
                            const index_t* idx, index_t n,
                            int transform_batch = -1);

// The minibatch on `device` (the same object on the CPU). Tensors that
// share storage on the host (target = input, one one-hot for both) share
// it there too; a GPU gets them through its pinned double buffer.
Minibatch to_device(const Minibatch& host, Device device);

// Denoising: the encoder sees a corrupted input, the loss the clean target.
struct Corruption {
    enum class Kind { none, mask, gaussian };
    Kind kind = Kind::none;
    double rate = 0.0;  // mask: P(element set to 0); gaussian: noise sd
};
Corruption::Kind parse_corruption(const std::string& name);
void corrupt(Tensor& input, const Corruption& c, std::uint64_t seed,
             std::uint64_t step);

// z = mu + exp(logvar / 2) * eps, eps ~ N(0, 1) from the (seed, latent)
// stream at `step`, so a GPU can draw the same numbers.
Variable sample_latent(const Variable& mu, const Variable& logvar,
                       std::uint64_t seed, std::uint64_t step);

// The same, eps[k] (k in mu's column-major order) the stream's number
// `counter + k`: prediction passes the first sample's index times the
// latent size, so each sample draws the same numbers however the samples
// are cut into minibatches or chunks.
Variable sample_latent_at(const Variable& mu, const Variable& logvar,
                          std::uint64_t seed, std::uint64_t counter);

// The training loss of a minibatch: Gaussian models mse (non-variational)
// or 0.5 mse; count models the mean element NLL; variational models add
// kl_weight * KL / genes. In training a variational model decodes a draw
// of the latent, in inference its mean. A classifier adds label_weight
// times the softmax cross-entropy of its logits (from the latent mean) on
// the labelled samples; without a decoder that is the whole loss. In
// training, an adversary adds gradients but not its value: its own
// softmax cross-entropy on the samples' batches (the latent held
// constant), and batch_penalty times the encoder's confusion term (its
// cross-entropy against every batch alike, the adversary held constant;
// train/objective.cpp). The loss stays what it would be without one, so
// the history and early stopping watch the model's own loss, which is the
// same in training and validation. A batch MMD (train/batch_mmd.h)
// adds batch_mmd times its gradient in the same way.
Variable model_loss(Model& model, const Minibatch& batch,
                    const ForwardMode& mode, double kl_weight);

// The decoder's output for a minibatch (latent mean, decoder batches).
DecoderOutput reconstruct(Model& model, const Minibatch& batch,
                          const ForwardMode& mode);
// The classifier's logits for a minibatch (n_classes x n).
Variable classify(Model& model, const Minibatch& batch,
                  const ForwardMode& mode);

}  // namespace exprae
