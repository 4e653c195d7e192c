#include "nn/model_spec.h"

#include <cmath>

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
// end_dense: the part must end with a dense layer (the latent, the
// decoder's output, the logits); a classifier's hidden layers may end
// with a dropout or a norm.
void validate_part(const std::vector<LayerSpec>& layers, const char* part,
                   bool end_dense = true) {
    if (layers.empty() ||
        (end_dense && layers.back().kind != LayerKind::dense)) {
        throw BadArgument(std::string(part) + " must end with a dense layer");
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

namespace {
void validate_decoder(const ModelSpec& spec) {
    if (spec.encoder.empty())
        throw BadArgument("an autoencoder needs encoder layers");
    validate_part(spec.decoder, "decoder");
    if (spec.decoder.back().units != spec.n_input) {
        throw BadArgument(
            "decoder's last layer has " +
            std::to_string(spec.decoder.back().units) +
            " units but the input has " + std::to_string(spec.n_input) +
            " features");
    }
    if (is_count(spec.likelihood) &&
        spec.decoder.back().activation != "linear") {
        throw BadArgument(
            std::string("the ") + likelihood_name(spec.likelihood) +
            " likelihood needs a linear last decoder layer (the log mean)");
    }
}

void validate_classifier(const ModelSpec& spec) {
    validate_part(spec.classifier, "classifier");
    const LayerSpec& logits = spec.classifier.back();
    if (logits.units < 2 || logits.activation != "linear") {
        throw BadArgument("a classifier's last layer must be linear with "
                          "one unit per class (2 or more), got " +
                          std::to_string(logits.units) + " " +
                          logits.activation);
    }
    if (!(spec.label_weight >= 0) || !std::isfinite(spec.label_weight)) {
        throw BadArgument("label_weight must be a number >= 0, got " +
                          std::to_string(spec.label_weight));
    }
}
}  // namespace

void validate(const ModelSpec& spec) {
    if (spec.n_input < 1)
        throw BadArgument("the model needs at least one input feature");
    if (spec.decoder.empty() && spec.classifier.empty())
        throw BadArgument("the model needs a decoder, a classifier or both");
    if (!spec.encoder.empty())
        validate_part(spec.encoder, "encoder", !spec.decoder.empty());
    if (!spec.decoder.empty()) validate_decoder(spec);
    if (!spec.classifier.empty()) validate_classifier(spec);
    if (spec.n_batches < 0)
        throw BadArgument("n_batches must be >= 0");
    if (spec.n_batches > 0 && spec.encoder.empty())
        throw BadArgument("batches need encoder layers to enter");
    if (spec.dispersion_per_batch && spec.n_batches < 1) {
        throw BadArgument(
            "a dispersion per batch needs batches (n_batches >= 1)");
    }
    // The heads sit beside these layers, so they must be plain affine maps.
    if (spec.variational &&
        (spec.decoder.empty() || spec.encoder.back().activation != "linear")) {
        throw BadArgument("a variational model needs a decoder and a linear "
                          "last encoder layer (the latent mean)");
    }
}

index_t latent_size(const ModelSpec& spec) {
    for (auto l = spec.encoder.rbegin(); l != spec.encoder.rend(); ++l)
        if (l->kind == LayerKind::dense) return l->units;
    return spec.n_input;
}

index_t n_classes(const ModelSpec& spec) {
    return spec.classifier.empty() ? 0 : spec.classifier.back().units;
}

}  // namespace exprae
