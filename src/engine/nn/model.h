// An autoencoder, a classifier or both, built from a ModelSpec: its weights
// live in one ParameterBlock, its batch-norm running statistics in a second
// one. The heads beside the last layers (log-variance, dropout logits,
// dispersion) are parameters of the same block.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/model_spec.h"
#include "nn/parameters.h"
#include "ops/recurrent.h"
#include "ops/unary.h"
#include "random/philox.h"
#include "tensor/sparse_columns.h"

namespace exprae {

// How a forward pass runs: training (batch statistics, dropout on) or
// inference, and where dropout draws its numbers.
struct ForwardMode {
    bool training = false;
    std::uint64_t seed = 0;
    std::uint64_t step = 0;  // minibatch counter; each step draws new masks
};

// Slots of one layer's tensors in a model's blocks (-1 where unused).
// A recurrent layer's weight and bias are its input projection; it adds
// a hidden-state projection, and a bidirectional one all four again for
// the reverse direction.
struct LayerSlots {
    int weight = -1, bias = -1, gamma = -1, beta = -1;
    int running_mean = -1, running_var = -1;
    int hidden_weight = -1, hidden_bias = -1;
    int reverse_weight = -1, reverse_bias = -1;
    int reverse_hidden_weight = -1, reverse_hidden_bias = -1;
};

// What the decoder gives for a likelihood: eta (the mean, or for count
// likelihoods its log per unit size factor), log_theta (nb, zinb: genes x n,
// or genes x 1 when the same for every sample) and pi_logit (zinb).
struct DecoderOutput {
    Variable eta, log_theta, pi_logit;
};

// Parameter slots of the heads (-1 where the model has none).
struct HeadSlots {
    int logvar_weight = -1, logvar_bias = -1;
    int dropout_weight = -1, dropout_bias = -1;
    int dispersion_weight = -1, dispersion_bias = -1;
};

class Model {
public:
    Model(const ModelSpec& spec, DType dtype);

    const ModelSpec& spec() const { return spec_; }
    DType dtype() const { return dtype_; }
    ParameterBlock& parameters() { return params_; }
    ParameterBlock& buffers() { return buffers_; }
    // Where the weights live; to() moves them (train on a GPU, read the
    // weights back on the CPU).
    Device device() const { return params_.device(); }
    void to(Device device);

    // He-normal weights before relu-like activations, Glorot-normal before
    // the others; zero biases; unit gamma; running variance 1.
    void initialize(std::uint64_t seed);

    // x: n_input x n, onehot: n_batches x n (undefined without batches)
    // -> latent x n: the latent, or its mean for a variational model, whose
    // log-variance goes to *logvar when asked for. sparse, when given, is
    // x again as its non-zeros: the first layer then multiplies only those
    // (where takes_sparse_input()).
    Variable encode(const Variable& x, const Variable& onehot,
                    const ForwardMode& mode, Variable* logvar = nullptr,
                    std::shared_ptr<const SparseColumns> sparse = nullptr);
    // Whether encode() uses a sparse input: on the CPU, when the encoder
    // starts with a dense layer that reads the input alone (no batch
    // one-hot, not a sequence), and that layer is not also the last one
    // of a variational encoder.
    bool takes_sparse_input() const;
    // z: latent x n, onehot as for encode() -> the likelihood's parameters
    DecoderOutput decode_all(const Variable& z, const Variable& onehot,
                             const ForwardMode& mode);
    // latent: latent x n (the encoder's output, a variational model's mean)
    // -> n_classes x n logits
    Variable classify(const Variable& latent, const ForwardMode& mode);
    // latent: latent x n -> n_batches x n logits of the batch adversary;
    // frozen: its weights as constants (no gradient reaches them)
    Variable adversary(const Variable& latent, bool frozen);
    // Shorthands for models without batches.
    Variable encode(const Variable& x, const ForwardMode& mode) {
        return encode(x, Variable(), mode);
    }
    Variable decode(const Variable& z, const ForwardMode& mode) {
        return decode_all(z, Variable(), mode).eta;
    }

private:
    // Returns the input features (channels) of the part's last layer.
    index_t declare(const std::vector<LayerSpec>& layers,
                    const std::string& part, FeatureShape in,
                    std::vector<LayerSlots>& slots);
    LayerSlots declare_layer(const LayerSpec& layer,
                             const std::string& prefix, index_t n_in);
    void declare_recurrent(const LayerSpec& layer, const std::string& prefix,
                           index_t n_in, LayerSlots& s);
    Variable apply_recurrent(const LayerSpec& layer, const LayerSlots& s,
                             const Variable& h);
    void declare_heads(index_t encoder_last_in, index_t decoder_last_in);
    void initialize_heads(const Philox& rng, std::uint64_t& counter);
    // Runs layers [first, count) on h.
    Variable run(const std::vector<LayerSpec>& layers,
                 const std::vector<LayerSlots>& slots, Variable h,
                 const ForwardMode& mode, std::uint64_t layer_offset,
                 std::size_t count, std::size_t first = 0);
    Variable with_batch(const Variable& h, const Variable& onehot) const;
    Variable as_sequence(const Variable& x) const;
    Variable apply_layer(const LayerSpec& layer, const LayerSlots& slots,
                         const Variable& h, const ForwardMode& mode,
                         std::uint64_t layer_id);

    ModelSpec spec_;
    DType dtype_;
    ParameterBlock params_;
    ParameterBlock buffers_;
    std::vector<LayerSlots> encoder_slots_, decoder_slots_, classifier_slots_,
        adversary_slots_;
    HeadSlots heads_;
};

// x through the activation of that name ("linear" returns x itself).
Variable activate(const Variable& x, const std::string& activation);

}  // namespace exprae
