// Model's weights: declaring them in the model's blocks, layer by layer
// and head by head, and drawing their initial values.
#include "nn/model.h"

#include <cmath>

#include "random/philox.h"

namespace exprae {

Model::Model(const ModelSpec& spec, DType dtype) : spec_(spec), dtype_(dtype) {
    validate(spec_);
    FeatureShape in = input_shape(spec_);
    in.channels += spec_.n_batches;
    index_t enc_in = declare(spec_.encoder, "encoder", in, encoder_slots_);
    index_t dec_in = declare(spec_.decoder, "decoder",
                             {latent_size(spec_) + spec_.n_batches, 0},
                             decoder_slots_);
    declare(spec_.classifier, "classifier", {latent_size(spec_), 0},
            classifier_slots_);
    declare_heads(enc_in, dec_in);
    // Declared (and initialised) last, so that a model without one keeps
    // the weights and the draws it had before adversaries existed.
    declare(spec_.adversary, "adversary", {latent_size(spec_), 0},
            adversary_slots_);
    params_.allocate(dtype_, true);
    buffers_.allocate(dtype_, false);
}

index_t Model::declare(const std::vector<LayerSpec>& layers,
                       const std::string& part, FeatureShape in,
                       std::vector<LayerSlots>& slots) {
    index_t last_in = in.channels;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        std::string where = part + "." + std::to_string(i + 1);
        last_in = in.channels;
        slots.push_back(declare_layer(layers[i], where + ".", in.channels));
        in = layer_output(layers[i], in, part + " layer " +
                                             std::to_string(i + 1));
    }
    return last_in;
}

// Weights of one layer whose input has n_in features (channels).
LayerSlots Model::declare_layer(const LayerSpec& l, const std::string& prefix,
                                index_t n_in) {
    LayerSlots s;
    switch (l.kind) {
    case LayerKind::dense:
    case LayerKind::conv1d: {
        // a filter's taps are columns c + n_in * k (ops/conv1d.h)
        index_t taps = l.kind == LayerKind::conv1d ? l.width : 1;
        s.weight = params_.declare(prefix + "weight", l.units, n_in * taps);
        s.bias = params_.declare(prefix + "bias", l.units, 1);
        break;
    }
    case LayerKind::batch_norm:
        s.running_mean = buffers_.declare(prefix + "running_mean", n_in, 1);
        s.running_var = buffers_.declare(prefix + "running_var", n_in, 1);
        [[fallthrough]];
    case LayerKind::layer_norm:
        s.gamma = params_.declare(prefix + "gamma", n_in, 1);
        s.beta = params_.declare(prefix + "beta", n_in, 1);
        break;
    case LayerKind::gru:
    case LayerKind::lstm:
        declare_recurrent(l, prefix, n_in, s);
        break;
    default:
        break;  // dropout, pools and flatten have no weights
    }
    return s;
}

// Gates stacked in rows as PyTorch stacks them (ops/recurrent.h).
void Model::declare_recurrent(const LayerSpec& l, const std::string& prefix,
                              index_t n_in, LayerSlots& s) {
    index_t gates = (l.kind == LayerKind::gru ? 3 : 4) * l.units;
    auto one = [&](const std::string& p, int& w, int& b, int& wh, int& bh) {
        w = params_.declare(p + "weight", gates, n_in);
        b = params_.declare(p + "bias", gates, 1);
        wh = params_.declare(p + "hidden_weight", gates, l.units);
        bh = params_.declare(p + "hidden_bias", gates, 1);
    };
    one(prefix, s.weight, s.bias, s.hidden_weight, s.hidden_bias);
    if (l.bidirectional) {
        one(prefix + "reverse.", s.reverse_weight, s.reverse_bias,
            s.reverse_hidden_weight, s.reverse_hidden_bias);
    }
}

// The heads read the input of the last encoder / decoder layer.
void Model::declare_heads(index_t encoder_last_in, index_t decoder_last_in) {
    index_t genes = spec_.n_input;
    if (spec_.variational) {
        index_t latent = latent_size(spec_);
        heads_.logvar_weight = params_.declare("encoder.logvar.weight",
                                               latent, encoder_last_in);
        heads_.logvar_bias = params_.declare("encoder.logvar.bias", latent, 1);
    }
    if (spec_.decoder.empty()) return;  // no likelihood to parameterise
    if (spec_.likelihood == Likelihood::zinb) {
        heads_.dropout_weight = params_.declare("decoder.dropout.weight",
                                                genes, decoder_last_in);
        heads_.dropout_bias = params_.declare("decoder.dropout.bias", genes, 1);
    }
    if (has_dispersion(spec_.likelihood)) {
        if (spec_.dispersion_per_batch) {
            heads_.dispersion_weight = params_.declare(
                "dispersion.weight", genes, spec_.n_batches);
        }
        heads_.dispersion_bias = params_.declare("dispersion.bias", genes, 1);
    }
}

namespace {
bool relu_like(const std::string& a) {
    return a == "relu" || a == "leaky_relu" || a == "elu";
}

void init_part(const std::vector<LayerSpec>& layers,
               const std::vector<LayerSlots>& slots, ParameterBlock& params,
               ParameterBlock& buffers, const Philox& rng,
               std::uint64_t& counter);
}  // namespace

void Model::to(Device device) {
    params_.to(device);
    buffers_.to(device);
}

// Drawn on the host element by element, then moved where the model lives.
void Model::initialize(std::uint64_t seed) {
    Device where = device();
    to(Device::cpu);
    Philox rng(seed, kStreamInit);
    std::uint64_t counter = 0;
    params_.values().fill(0.0);
    buffers_.values().fill(0.0);
    init_part(spec_.encoder, encoder_slots_, params_, buffers_, rng, counter);
    init_part(spec_.decoder, decoder_slots_, params_, buffers_, rng, counter);
    initialize_heads(rng, counter);
    init_part(spec_.classifier, classifier_slots_, params_, buffers_, rng,
              counter);
    init_part(spec_.adversary, adversary_slots_, params_, buffers_, rng,
              counter);
    to(where);
}

// Glorot-normal head weights; zero biases and dispersion (theta = 1).
void Model::initialize_heads(const Philox& rng, std::uint64_t& counter) {
    for (int slot : {heads_.logvar_weight, heads_.dropout_weight}) {
        if (slot < 0) continue;
        Tensor w = params_.variable(slot).value();
        double sd = std::sqrt(2.0 / static_cast<double>(w.rows() + w.cols()));
        for (index_t k = 0; k < w.size(); ++k)
            w.set(k, 0, sd * rng.normal(counter++));
    }
}

namespace {
void init_normal(const Tensor& w, double sd, const Philox& rng,
                 std::uint64_t& counter) {
    for (index_t k = 0; k < w.size(); ++k)
        w.set(k, 0, sd * rng.normal(counter++));
}

// PyTorch's spread (its uniform +-1/sqrt(H) has sd 1/sqrt(3H)) for every
// weight; zero biases but an LSTM's forget gate, which starts at 1 so the
// state is kept early in training (Jozefowicz et al. 2015, Keras' default).
void init_recurrent(const LayerSpec& l, const LayerSlots& s,
                    ParameterBlock& params, const Philox& rng,
                    std::uint64_t& counter) {
    double sd = 1.0 / std::sqrt(3.0 * static_cast<double>(l.units));
    for (int w : {s.weight, s.hidden_weight, s.reverse_weight,
                  s.reverse_hidden_weight}) {
        if (w >= 0) init_normal(params.variable(w).value(), sd, rng, counter);
    }
    if (l.kind != LayerKind::lstm) return;
    for (int b : {s.bias, s.reverse_bias}) {
        if (b < 0) continue;
        Tensor bias = params.variable(b).value();
        for (index_t k = l.units; k < 2 * l.units; ++k) bias.set(k, 0, 1.0);
    }
}

void init_part(const std::vector<LayerSpec>& layers,
               const std::vector<LayerSlots>& slots, ParameterBlock& params,
               ParameterBlock& buffers, const Philox& rng,
               std::uint64_t& counter) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSlots& s = slots[i];
        if (s.hidden_weight >= 0) {
            init_recurrent(layers[i], s, params, rng, counter);
        } else if (s.weight >= 0) {
            Tensor w = params.variable(s.weight).value();
            double fan_in = static_cast<double>(w.cols());
            double fan_out = static_cast<double>(w.rows());
            double sd = relu_like(layers[i].activation)
                ? std::sqrt(2.0 / fan_in)
                : std::sqrt(2.0 / (fan_in + fan_out));
            for (index_t k = 0; k < w.size(); ++k)
                w.set(k, 0, sd * rng.normal(counter++));
        }
        if (s.gamma >= 0) params.variable(s.gamma).value().fill(1.0);
        if (s.running_var >= 0)
            buffers.variable(s.running_var).value().fill(1.0);
    }
}
}  // namespace

}  // namespace exprae
