#include "nn/model_spec.h"

#include <cmath>

#include "names.h"
#include "ops/conv1d.h"
#include "ops/pool1d.h"
#include "ops/unary.h"

namespace exprae {

namespace {
constexpr Named<LayerKind> kLayerKinds[] = {
    {"dense", LayerKind::dense},
    {"dropout", LayerKind::dropout},
    {"batchnorm", LayerKind::batch_norm},
    {"layernorm", LayerKind::layer_norm},
    {"conv1d", LayerKind::conv1d},
    {"maxpool1d", LayerKind::max_pool1d},
    {"avgpool1d", LayerKind::avg_pool1d},
    {"globalmaxpool", LayerKind::global_max_pool},
    {"globalavgpool", LayerKind::global_avg_pool},
    {"flatten", LayerKind::flatten},
    {"gru", LayerKind::gru},
    {"lstm", LayerKind::lstm},
};
}  // namespace

LayerKind parse_layer_kind(const std::string& name) {
    return parse_name(kLayerKinds, name, "layer type");
}

std::vector<std::string> layer_kind_names() { return names_of(kLayerKinds); }

namespace {
bool has_units(LayerKind k) {
    return k == LayerKind::dense || k == LayerKind::conv1d ||
           k == LayerKind::gru || k == LayerKind::lstm;
}

bool is_pool(LayerKind k) {
    return k == LayerKind::max_pool1d || k == LayerKind::avg_pool1d;
}

void check_at_least(const std::string& where, const char* what, index_t v,
                    index_t min) {
    if (v < min) {
        throw BadArgument(where + ": " + what + " must be >= " +
                          std::to_string(min) + ", got " + std::to_string(v));
    }
}

// The settings of one layer, whatever its input.
void check_layer(const LayerSpec& l, const std::string& where) {
    if (has_units(l.kind)) check_at_least(where, "units", l.units, 1);
    if (l.kind == LayerKind::dense || l.kind == LayerKind::conv1d)
        activation(l.activation);  // known?
    if (l.kind == LayerKind::dropout && !(l.rate >= 0 && l.rate < 1))
        throw BadArgument(where + ": dropout rate must be in [0, 1)");
    if (l.kind == LayerKind::conv1d || is_pool(l.kind)) {
        check_at_least(where, "width", l.width, 1);
        check_at_least(where, "stride", l.stride, 1);
    }
    if (l.kind == LayerKind::conv1d)
        check_at_least(where, "dilation", l.dilation, 1);
}

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
        check_layer(l, where);
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
    index_t fewest = spec.multi_label ? 1 : 2;
    if (logits.units < fewest || logits.activation != "linear") {
        throw BadArgument("a classifier's last layer must be linear with "
                          "one unit per class (2 or more) or label, got " +
                          std::to_string(logits.units) + " " +
                          logits.activation);
    }
    if (!(spec.label_weight >= 0) || !std::isfinite(spec.label_weight)) {
        throw BadArgument("label_weight must be a number >= 0, got " +
                          std::to_string(spec.label_weight));
    }
}

void validate_batch_mixing(const ModelSpec& spec) {
    if (!(spec.batch_penalty >= 0) || !std::isfinite(spec.batch_penalty)) {
        throw BadArgument("batch_penalty must be a number >= 0, got " +
                          std::to_string(spec.batch_penalty));
    }
    if (!(spec.batch_mmd >= 0) || !std::isfinite(spec.batch_mmd)) {
        throw BadArgument("batch_mmd must be a number >= 0, got " +
                          std::to_string(spec.batch_mmd));
    }
    if (spec.batch_mmd > 0 && (spec.n_batches < 2 || spec.decoder.empty())) {
        throw BadArgument("batch_mmd needs an autoencoder (a decoder) with "
                          "2 or more batches");
    }
    if (spec.adversary.empty()) return;
    if (spec.n_batches < 2 || spec.decoder.empty()) {
        throw BadArgument("an adversary needs an autoencoder (a decoder) "
                          "with 2 or more batches");
    }
    validate_part(spec.adversary, "adversary");
    for (const LayerSpec& l : spec.adversary) {
        if (l.kind != LayerKind::dense)
            throw BadArgument("an adversary has dense layers only");
    }
    const LayerSpec& logits = spec.adversary.back();
    if (logits.units != spec.n_batches || logits.activation != "linear") {
        throw BadArgument("an adversary's last layer must be linear with "
                          "one unit per batch (" +
                          std::to_string(spec.n_batches) + "), got " +
                          std::to_string(logits.units) + " " +
                          logits.activation);
    }
}
}  // namespace

namespace {
// A sequence model is a classifier whose encoder ends in features.
void validate_sequence(const ModelSpec& spec) {
    if (spec.input_channels < 0 ||
        (spec.input_channels > 0 && spec.n_input % spec.input_channels)) {
        throw BadArgument("a sequence input of " +
                          std::to_string(spec.input_channels) +
                          " channels cannot have " +
                          std::to_string(spec.n_input) + " values");
    }
    FeatureShape h = input_shape(spec);
    for (std::size_t i = 0; i < spec.encoder.size(); ++i) {
        h = layer_output(spec.encoder[i], h,
                         "encoder layer " + std::to_string(i + 1));
    }
    if (h.positions > 0) {
        throw BadArgument("a sequence model's layers must end in features "
                          "per sample: add a global pooling, a flatten or "
                          "a recurrent layer without return_sequences");
    }
    if (spec.input_channels > 0 &&
        (!spec.decoder.empty() || spec.n_batches > 0 || spec.variational)) {
        throw BadArgument("a sequence model is a classifier: no decoder, "
                          "batches or variational latent");
    }
}
}  // namespace

void validate(const ModelSpec& spec) {
    if (spec.n_input < 1)
        throw BadArgument("the model needs at least one input feature");
    validate_sequence(spec);
    if (spec.decoder.empty() && spec.classifier.empty())
        throw BadArgument("the model needs a decoder, a classifier or both");
    if (!spec.encoder.empty())
        validate_part(spec.encoder, "encoder", !spec.decoder.empty());
    if (!spec.decoder.empty()) validate_decoder(spec);
    if (!spec.classifier.empty()) validate_classifier(spec);
    if (spec.multi_label && spec.classifier.empty())
        throw BadArgument("multi_label needs a classifier");
    if (spec.n_batches < 0)
        throw BadArgument("n_batches must be >= 0");
    if (spec.n_batches > 0 && spec.encoder.empty())
        throw BadArgument("batches need encoder layers to enter");
    validate_batch_mixing(spec);
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

FeatureShape input_shape(const ModelSpec& spec) {
    if (spec.input_channels <= 0) return {spec.n_input, 0};
    return {spec.input_channels, spec.n_input / spec.input_channels};
}

FeatureShape layer_output(const LayerSpec& l, FeatureShape in,
                          const std::string& where) {
    bool sequence_layer = l.kind != LayerKind::dense &&
                          l.kind != LayerKind::dropout &&
                          l.kind != LayerKind::batch_norm &&
                          l.kind != LayerKind::layer_norm;
    if (sequence_layer && in.positions == 0) {
        throw BadArgument(where + " needs a sequence (channels x positions)"
                          " input, but gets " + std::to_string(in.channels) +
                          " features per sample");
    }
    switch (l.kind) {
    case LayerKind::dense:
        return {l.units, in.positions};
    case LayerKind::conv1d: {
        Conv1dOptions o;
        o.stride = l.stride;
        o.dilation = l.dilation;
        o.same = l.same;
        return {l.units, conv1d_output_length(in.positions, l.width, o)};
    }
    case LayerKind::max_pool1d:
    case LayerKind::avg_pool1d:
        return {in.channels,
                pool1d_output_length(in.positions, l.width, l.stride)};
    case LayerKind::global_max_pool:
    case LayerKind::global_avg_pool:
        return {in.channels, 0};
    case LayerKind::flatten:
        return {in.channels * in.positions, 0};
    case LayerKind::gru:
    case LayerKind::lstm:
        return {l.units * (l.bidirectional ? 2 : 1),
                l.return_sequences ? in.positions : 0};
    default:
        return in;  // dropout and norms keep the shape
    }
}

index_t latent_size(const ModelSpec& spec) {
    FeatureShape h = input_shape(spec);
    for (std::size_t i = 0; i < spec.encoder.size(); ++i) {
        h = layer_output(spec.encoder[i], h,
                         "encoder layer " + std::to_string(i + 1));
    }
    return h.positions > 0 ? h.channels * h.positions : h.channels;
}

index_t n_classes(const ModelSpec& spec) {
    return spec.classifier.empty() ? 0 : spec.classifier.back().units;
}

}  // namespace exprae
