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
#pragma once

#include <string>
#include <vector>

#include "ops/likelihood.h"
#include "tensor/tensor.h"

namespace exprae {

enum class LayerKind { dense, dropout, batch_norm, layer_norm };

struct LayerSpec {
    LayerKind kind = LayerKind::dense;
    index_t units = 0;                  // dense only
    std::string activation = "linear";  // dense only (ops/unary.h)
    double rate = 0.0;                  // dropout only

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
    std::vector<LayerSpec> encoder;
    std::vector<LayerSpec> decoder;
    Likelihood likelihood = Likelihood::gaussian;
    bool variational = false;
    index_t n_batches = 0;
    bool dispersion_per_batch = false;  // one log-dispersion per gene x batch
    std::vector<LayerSpec> classifier;  // empty: no classifier
    double label_weight = 1.0;          // with a decoder too
};

// Layer kinds by the names the R layer uses, from one table
// (nn/model_spec.cpp); parse_layer_kind() throws naming the bad value.
// Activations are named by activation_names() (ops/unary.h).
LayerKind parse_layer_kind(const std::string& name);
std::vector<std::string> layer_kind_names();

// Throws BadArgument describing the first problem found.
void validate(const ModelSpec& spec);

// Size of the latent space: units of the encoder's last dense layer, or
// the input's features when it has none.
index_t latent_size(const ModelSpec& spec);
// Classes of the classifier (0 without one).
index_t n_classes(const ModelSpec& spec);

}  // namespace exprae
