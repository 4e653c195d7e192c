#include "nn/model_spec.h"

#include <stdexcept>

namespace exprae {

LayerKind parse_layer_kind(const std::string& name) {
    if (name == "dense") return LayerKind::dense;
    if (name == "dropout") return LayerKind::dropout;
    if (name == "batchnorm") return LayerKind::batch_norm;
    if (name == "layernorm") return LayerKind::layer_norm;
    throw std::invalid_argument("unknown layer type '" + name +
                                "' (dense, dropout, batchnorm, layernorm)");
}

Activation parse_activation(const std::string& name) {
    if (name == "linear") return Activation::linear;
    if (name == "relu") return Activation::relu;
    if (name == "leaky_relu") return Activation::leaky_relu;
    if (name == "elu") return Activation::elu;
    if (name == "tanh") return Activation::tanh;
    if (name == "sigmoid") return Activation::sigmoid;
    if (name == "softplus") return Activation::softplus;
    throw std::invalid_argument(
        "unknown activation '" + name +
        "' (linear, relu, leaky_relu, elu, tanh, sigmoid, softplus)");
}

namespace {
void validate_part(const std::vector<LayerSpec>& layers, const char* part) {
    if (layers.empty() || layers.back().kind != LayerKind::dense) {
        throw std::invalid_argument(std::string(part) +
                                    " must end with a dense layer");
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& l = layers[i];
        std::string where = std::string(part) + " layer " +
                            std::to_string(i + 1);
        if (l.kind == LayerKind::dense && l.units < 1) {
            throw std::invalid_argument(where + ": units must be >= 1, got " +
                                        std::to_string(l.units));
        }
        if (l.kind == LayerKind::dropout && !(l.rate >= 0 && l.rate < 1)) {
            throw std::invalid_argument(where +
                                        ": dropout rate must be in [0, 1)");
        }
    }
}
}  // namespace

void validate(const ModelSpec& spec) {
    if (spec.n_input < 1) {
        throw std::invalid_argument(
            "the model needs at least one input feature");
    }
    validate_part(spec.encoder, "encoder");
    validate_part(spec.decoder, "decoder");
    if (spec.decoder.back().units != spec.n_input) {
        throw std::invalid_argument(
            "decoder's last layer has " +
            std::to_string(spec.decoder.back().units) +
            " units but the input has " + std::to_string(spec.n_input) +
            " features");
    }
    if (spec.n_batches < 0)
        throw std::invalid_argument("n_batches must be >= 0");
    if (spec.dispersion_per_batch && spec.n_batches < 1) {
        throw std::invalid_argument(
            "a dispersion per batch needs batches (n_batches >= 1)");
    }
    // The heads sit beside these layers, so they must be plain affine maps.
    if (spec.variational &&
        spec.encoder.back().activation != Activation::linear) {
        throw std::invalid_argument("a variational model needs a linear "
                                    "last encoder layer (the latent mean)");
    }
    if (is_count(spec.likelihood) &&
        spec.decoder.back().activation != Activation::linear) {
        throw std::invalid_argument(
            std::string("the ") + likelihood_name(spec.likelihood) +
            " likelihood needs a linear last decoder layer (the log mean)");
    }
}

index_t latent_size(const ModelSpec& spec) {
    return spec.encoder.back().units;
}

}  // namespace exprae
