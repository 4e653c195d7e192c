// The architecture of an autoencoder, a classifier or both: input size,
// encoder layers, decoder layers, classifier layers, and what surrounds
// them. The latent is the output of the encoder's last (dense) layer; a
// variational model adds a log-variance head beside it. The decoder's last
// dense layer gives the mean (for count likelihoods its log, per unit size
// factor); count likelihoods add a gene-wise log-dispersion (nb, zinb) and
// a dropout-logit head (zinb). With n_batches > 0 a batch one-hot is
// appended under the encoder's input and under the latent (a conditional
// autoencoder).
// The classifier reads the latent (its mean, for a variational model) and
// ends in a dense layer of one logit per class, scored by softmax
// cross-entropy on the labelled samples. Without a decoder the model is a
// plain classifier: the encoder holds its hidden layers (none: a
// multinomial logistic regression on the input) and its latent is the
// last of them. With both, the loss is the reconstruction's plus
// label_weight times the classifier's (a semi-supervised autoencoder).
// With an adversary (n_batches > 1, a decoder), a batch classifier of
// dense layers reads the latent (its mean) in training: it learns to tell
// the batches apart, and the encoder, with weight batch_penalty, to make
// it answer every batch alike (train/objective.cpp). It ends in one logit
// per batch.
// With batch_mmd > 0 (n_batches > 1, a decoder), the batches' MMD in the
// latent space (train/batch_mmd.h), times batch_mmd, joins the loss.
// A sequence model (input_channels > 0) reads each sample's n_input
// values as a (input_channels, n_input / input_channels) one-hot sequence;
// its encoder may hold convolution, pooling and recurrent layers, ends with
// a (features, samples) output (global pooling, flatten or a recurrent
// layer's last state) and feeds a classifier.
#pragma once

#include <string>
#include <vector>

#include "ops/likelihood.h"
#include "tensor/tensor.h"

namespace exprae {

enum class LayerKind {
    dense, dropout, batch_norm, layer_norm,
    // sequence layers, on (channels, positions, samples)
    conv1d, max_pool1d, avg_pool1d, global_max_pool, global_avg_pool,
    flatten, gru, lstm
};

struct LayerSpec {
    LayerKind kind = LayerKind::dense;
    index_t units = 0;                  // dense; conv1d filters; gru/lstm
    std::string activation = "linear";  // dense, conv1d (ops/unary.h)
    double rate = 0.0;                  // dropout only
    index_t width = 0;                  // conv1d filter; pool window
    index_t stride = 1;                 // conv1d, pools
    index_t dilation = 1;               // conv1d
    bool same = true;                   // conv1d: "same" (else "valid")
    bool bidirectional = false;         // gru, lstm
    bool return_sequences = false;      // gru, lstm

    static LayerSpec dense(index_t units,
                           const std::string& a = "linear") {
        LayerSpec l;
        l.units = units;
        l.activation = a;
        return l;
    }
    static LayerSpec dropout(double rate) {
        LayerSpec l;
        l.kind = LayerKind::dropout;
        l.rate = rate;
        return l;
    }
    // batch_norm or layer_norm
    static LayerSpec norm(LayerKind kind) {
        LayerSpec l;
        l.kind = kind;
        return l;
    }
};

struct ModelSpec {
    index_t n_input = 0;
    index_t input_channels = 0;  // > 0: a sequence model (see above)
    std::vector<LayerSpec> encoder;
    std::vector<LayerSpec> decoder;
    Likelihood likelihood = Likelihood::gaussian;
    bool variational = false;
    index_t n_batches = 0;
    bool dispersion_per_batch = false;  // one log-dispersion per gene x batch
    std::vector<LayerSpec> classifier;  // empty: no classifier
    double label_weight = 1.0;          // with a decoder too
    // Several yes/no labels per sample (DeepSEA's many profiles per
    // sequence): one logit per label, scored by sigmoid cross-entropy,
    // instead of one class per sample and softmax.
    bool multi_label = false;
    std::vector<LayerSpec> adversary;  // empty: none (see above)
    double batch_penalty = 0.0;        // the encoder's term's weight, >= 0
    // The weight of the latent's batch MMD (train/batch_mmd.h), >= 0; a
    // batch autoencoder's (n_batches > 1, a decoder); 0: none.
    double batch_mmd = 0.0;
};

// Layer kinds by the names the R layer uses, from one table
// (nn/model_spec.cpp); parse_layer_kind() throws naming the bad value.
// Activations are named by activation_names() (ops/unary.h).
LayerKind parse_layer_kind(const std::string& name);
std::vector<std::string> layer_kind_names();

// Throws BadArgument describing the first problem found.
void validate(const ModelSpec& spec);

// What a layer gives: channels, and positions (0 for a (features,
// samples) output). The input of a sequence model is (input_channels,
// n_input / input_channels), of any other (n_input, 0).
struct FeatureShape {
    index_t channels = 0, positions = 0;
};
FeatureShape input_shape(const ModelSpec& spec);
// The output shape of a layer on input `in`; throws BadArgument (naming
// `where`) when the layer cannot take it.
FeatureShape layer_output(const LayerSpec& layer, FeatureShape in,
                          const std::string& where);

// Size of the latent space: the encoder's output features (for an
// autoencoder the units of its last dense layer), or the input's features
// when it has no layers.
index_t latent_size(const ModelSpec& spec);
// Classes of the classifier (0 without one).
index_t n_classes(const ModelSpec& spec);

}  // namespace exprae
