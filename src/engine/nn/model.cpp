#include "nn/model.h"

#include <cmath>

#include "ops/avg_pool1d.h"
#include "ops/conv1d.h"
#include "ops/flatten.h"
#include "ops/global_avg_pool.h"
#include "ops/global_max_pool.h"
#include "ops/gru.h"
#include "ops/lstm.h"
#include "ops/max_pool1d.h"
#include "ops/ops.h"
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

Variable activate(const Variable& x, const std::string& name) {
    Unary f = activation(name);
    if (f.is_identity()) return x;
    return unary_op(x, f);
}

Variable Model::apply_layer(const LayerSpec& layer, const LayerSlots& s,
                            const Variable& h, const ForwardMode& mode,
                            std::uint64_t layer_id) {
    switch (layer.kind) {
    case LayerKind::dense:
        return linear(h, params_.variable(s.weight),
                      params_.variable(s.bias),
                      activation(layer.activation));
    case LayerKind::dropout:
        if (!mode.training) return h;
        // 64 counters per step: one per layer, so masks never repeat.
        return dropout(h, layer.rate, mode.seed, mode.step * 64 + layer_id);
    case LayerKind::batch_norm: {
        Tensor rm = buffers_.variable(s.running_mean).value();
        Tensor rv = buffers_.variable(s.running_var).value();
        return batch_norm(h, params_.variable(s.gamma),
                          params_.variable(s.beta), rm, rv, mode.training);
    }
    case LayerKind::layer_norm:
        return layer_norm(h, params_.variable(s.gamma),
                          params_.variable(s.beta));
    case LayerKind::conv1d: {
        Conv1dOptions o;
        o.stride = layer.stride;
        o.dilation = layer.dilation;
        o.same = layer.same;
        return conv1d(h, params_.variable(s.weight), params_.variable(s.bias),
                      layer.width, o, activation(layer.activation));
    }
    case LayerKind::max_pool1d:
        return max_pool1d(h, layer.width, layer.stride);
    case LayerKind::avg_pool1d:
        return avg_pool1d(h, layer.width, layer.stride);
    case LayerKind::global_max_pool:
        return global_max_pool(h);
    case LayerKind::global_avg_pool:
        return global_avg_pool(h);
    case LayerKind::flatten:
        return flatten(h);
    case LayerKind::gru:
    case LayerKind::lstm:
        return apply_recurrent(layer, s, h);
    }
    return h;
}

Variable Model::apply_recurrent(const LayerSpec& layer, const LayerSlots& s,
                                const Variable& h) {
    auto weights = [&](int w, int b, int wh, int bh) {
        return RecurrentWeights{params_.variable(w), params_.variable(wh),
                                params_.variable(b), params_.variable(bh)};
    };
    RecurrentWeights fwd =
        weights(s.weight, s.bias, s.hidden_weight, s.hidden_bias);
    RecurrentWeights rev;
    if (layer.bidirectional) {
        rev = weights(s.reverse_weight, s.reverse_bias,
                      s.reverse_hidden_weight, s.reverse_hidden_bias);
    }
    RecurrentOptions o;
    o.return_sequences = layer.return_sequences;
    const RecurrentWeights* back = layer.bidirectional ? &rev : nullptr;
    return layer.kind == LayerKind::gru ? gru(h, fwd, back, o)
                                        : lstm(h, fwd, back, o);
}

Variable Model::run(const std::vector<LayerSpec>& layers,
                    const std::vector<LayerSlots>& slots, Variable h,
                    const ForwardMode& mode, std::uint64_t layer_offset,
                    std::size_t count, std::size_t first) {
    for (std::size_t i = first; i < count; ++i)
        h = apply_layer(layers[i], slots[i], h, mode, layer_offset + i);
    return h;
}

Variable Model::with_batch(const Variable& h, const Variable& onehot) const {
    if (spec_.n_batches == 0) return h;
    if (!onehot.defined() || onehot.value().rows() != spec_.n_batches ||
        onehot.value().cols() != h.value().cols()) {
        throw BadArgument(
            "the model was trained with " + std::to_string(spec_.n_batches) +
            " batches and needs the batch of every sample");
    }
    return concat_rows(h, onehot);
}

// A sequence model's input arrives as (channels * positions) x n columns
// and is seen as (channels, positions, n): the same memory. The input
// needs no gradient, so the view starts a new variable.
Variable Model::as_sequence(const Variable& x) const {
    if (spec_.input_channels <= 0) return x;
    FeatureShape in = input_shape(spec_);
    const Tensor& v = x.value();
    return Variable(v.reshape(Shape{in.channels, in.positions, v.cols()}));
}

bool Model::takes_sparse_input() const {
    // A variational model's log-variance head reads the input of the
    // encoder's last layer: that layer must not be the first.
    bool one_layer_ok = !spec_.variational;
    return device() == Device::cpu && spec_.n_batches == 0 &&
           spec_.input_channels <= 0 && !spec_.encoder.empty() &&
           (spec_.encoder.size() >= 2 || one_layer_ok) &&
           spec_.encoder[0].kind == LayerKind::dense;
}

Variable Model::encode(const Variable& x, const Variable& onehot,
                       const ForwardMode& mode, Variable* logvar,
                       std::shared_ptr<const SparseColumns> sparse) {
    index_t rows = sparse ? sparse->rows : x.value().rows();
    if (rows != spec_.n_input) {
        throw BadArgument(
            "model expects " + std::to_string(spec_.n_input) +
            " input features, got " + std::to_string(rows));
    }
    if (sparse && !takes_sparse_input())
        throw BadArgument("encode: this model takes no sparse input");
    if (spec_.encoder.empty()) return x;  // a classifier on the input
    std::size_t last = spec_.encoder.size() - 1;
    Variable h;
    std::size_t first = 0;
    if (sparse) {
        const LayerSlots& s = encoder_slots_[0];
        h = sparse_linear(std::move(sparse), params_.variable(s.weight),
                          params_.variable(s.bias),
                          activation(spec_.encoder[0].activation));
        if (last == 0) return h;  // a linear encoder: its one layer
        first = 1;
    } else {
        h = as_sequence(with_batch(x, onehot));
    }
    h = run(spec_.encoder, encoder_slots_, h, mode, 0, last, first);
    if (logvar && spec_.variational) {
        *logvar = linear(h, params_.variable(heads_.logvar_weight),
                         params_.variable(heads_.logvar_bias));
    }
    return apply_layer(spec_.encoder[last], encoder_slots_[last], h, mode,
                       last);
}

Variable Model::classify(const Variable& latent, const ForwardMode& mode) {
    if (spec_.classifier.empty())
        throw BadArgument("the model has no classifier");
    std::uint64_t offset = spec_.encoder.size() + spec_.decoder.size();
    return run(spec_.classifier, classifier_slots_, latent, mode, offset,
               spec_.classifier.size());
}

// Dense layers only (validate() checks), so the weights can be taken as
// constants: with frozen, gradients reach the latent but not the weights.
Variable Model::adversary(const Variable& latent, bool frozen) {
    if (spec_.adversary.empty())
        throw BadArgument("the model has no adversary");
    auto weight = [&](int slot) {
        const Variable& v = params_.variable(slot);
        return frozen ? Variable(v.value(), false) : v;
    };
    Variable h = latent;
    for (std::size_t i = 0; i < spec_.adversary.size(); ++i) {
        const LayerSlots& s = adversary_slots_[i];
        h = linear(h, weight(s.weight), weight(s.bias),
                   activation(spec_.adversary[i].activation));
    }
    return h;
}

DecoderOutput Model::decode_all(const Variable& z, const Variable& onehot,
                                const ForwardMode& mode) {
    if (spec_.decoder.empty())
        throw BadArgument("the model has no decoder (a classifier)");
    std::size_t last = spec_.decoder.size() - 1;
    std::uint64_t offset = spec_.encoder.size();
    Variable h = run(spec_.decoder, decoder_slots_, with_batch(z, onehot),
                     mode, offset, last);
    DecoderOutput out;
    out.eta = apply_layer(spec_.decoder[last], decoder_slots_[last], h, mode,
                          offset + last);
    if (heads_.dropout_weight >= 0) {
        out.pi_logit = linear(h, params_.variable(heads_.dropout_weight),
                              params_.variable(heads_.dropout_bias));
    }
    if (heads_.dispersion_weight >= 0) {
        out.log_theta = linear(onehot,
                               params_.variable(heads_.dispersion_weight),
                               params_.variable(heads_.dispersion_bias));
    } else if (heads_.dispersion_bias >= 0) {
        out.log_theta = params_.variable(heads_.dispersion_bias);
    }
    return out;
}

}  // namespace exprae
