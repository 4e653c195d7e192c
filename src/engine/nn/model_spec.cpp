#include "nn/model_spec.h"

#include "names.h"
#include "ops/unary.h"

namespace exprae {

namespace {
constexpr Named<LayerKind> kLayerKinds[] = {
    {"dense", LayerKind::dense},
    {"dropout", LayerKind::dropout},
    {"batchnorm", LayerKind::batch_norm},
    {"layernorm", LayerKind::layer_norm},
};
}  // namespace

LayerKind parse_layer_kind(const std::string& name) {
    return parse_name(kLayerKinds, name, "layer type");
}

std::vector<std::string> layer_kind_names() { return names_of(kLayerKinds); }

namespace {
void validate_part(const std::vector<LayerSpec>& layers, const char* part) {
    if (layers.empty() || layers.back().kind != LayerKind::dense) {
        throw BadArgument(std::string(part) +
                          " must end with a dense layer");
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& l = layers[i];
        std::string where = std::string(part) + " layer " +
                            std::to_string(i + 1);
        if (l.kind == LayerKind::dense && l.units < 1) {
            throw BadArgument(where + ": units must be >= 1, got " +
                              std::to_string(l.units));
        }
        if (l.kind == LayerKind::dense) activation(l.activation);  // known?
        if (l.kind == LayerKind::dropout && !(l.rate >= 0 && l.rate < 1)) {
            throw BadArgument(where +
                              ": dropout rate must be in [0, 1)");
        }
    }
}
}  // namespace

void validate(const ModelSpec& spec) {
    if (spec.n_input < 1) {
        throw BadArgument(
            "the model needs at least one input feature");
    }
    validate_part(spec.encoder, "encoder");
    validate_part(spec.decoder, "decoder");
    if (spec.decoder.back().units != spec.n_input) {
        throw BadArgument(
            "decoder's last layer has " +
            std::to_string(spec.decoder.back().units) +
            " units but the input has " + std::to_string(spec.n_input) +
            " features");
    }
    if (spec.n_batches < 0)
        throw BadArgument("n_batches must be >= 0");
    if (spec.dispersion_per_batch && spec.n_batches < 1) {
        throw BadArgument(
            "a dispersion per batch needs batches (n_batches >= 1)");
    }
    // The heads sit beside these layers, so they must be plain affine maps.
    if (spec.variational &&
        spec.encoder.back().activation != "linear") {
        throw BadArgument("a variational model needs a linear "
                          "last encoder layer (the latent mean)");
    }
    if (is_count(spec.likelihood) &&
        spec.decoder.back().activation != "linear") {
        throw BadArgument(
            std::string("the ") + likelihood_name(spec.likelihood) +
            " likelihood needs a linear last decoder layer (the log mean)");
    }
}

index_t latent_size(const ModelSpec& spec) {
    return spec.encoder.back().units;
}

}  // namespace exprae
