// Model's forward passes: the encoder, decoder, classifier and adversary
// layer by layer, with the heads beside the last layers.
#include "nn/model.h"

#include "ops/avg_pool1d.h"
#include "ops/conv1d.h"
#include "ops/flatten.h"
#include "ops/global_avg_pool.h"
#include "ops/global_max_pool.h"
#include "ops/gru.h"
#include "ops/lstm.h"
#include "ops/max_pool1d.h"
#include "ops/ops.h"

namespace exprae {

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
