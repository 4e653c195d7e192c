#include "train/objective.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "backend/backend.h"
#include "ops/ops.h"
#include "ops/sigmoid_cross_entropy.h"
#include "ops/softmax_cross_entropy.h"
#include "random/philox.h"
#include "train/batch_mmd.h"

namespace exprae {

namespace {
void validate_labels(const Covariates& cov, index_t n, index_t classes) {
    if (!cov.labels.empty() && static_cast<index_t>(cov.labels.size()) != n)
        throw BadInput("labels need one value per sample");
    for (int y : cov.labels) {
        if (y < -1 || y >= classes) {
            throw BadInput("label " + std::to_string(y + 1) +
                           " is outside the model's classes 1.." +
                           std::to_string(classes));
        }
    }
    if (!cov.class_weights.empty() &&
        static_cast<index_t>(cov.class_weights.size()) != classes) {
        throw BadInput("class weights need one value per class (" +
                       std::to_string(classes) + ")");
    }
    for (double w : cov.class_weights) {
        if (!(w > 0) || !std::isfinite(w))
            throw BadInput("class weights must be positive numbers");
    }
}

// A multi-label model scores targets; classes would be ignored.
void check_no_classes(const Covariates& cov, const ModelSpec& spec) {
    if (spec.multi_label && !cov.labels.empty())
        throw BadArgument("a multi-label model takes targets, not labels");
}

// A multi-label minibatch's targets (k x n), NaN where none is given.
Tensor targets_of(const Covariates& cov, const index_t* idx, index_t n,
                  index_t k, DType dtype) {
    Tensor t = Tensor::full(k, n, std::nan(""), dtype);
    if (cov.targets.empty()) return t;
    for (index_t c = 0; c < n; ++c)
        for (index_t r = 0; r < k; ++r)
            t.set(r, c, cov.targets[idx[c] * k + r]);
    return t;
}
}  // namespace

void validate(const Covariates& cov, const DataSource& data,
              const Model& model) {
    index_t n = data.n_samples();
    const ModelSpec& spec = model.spec();
    if (!cov.size_factors.empty() &&
        static_cast<index_t>(cov.size_factors.size()) != n) {
        throw BadInput("size factors need one value per sample");
    }
    for (double sf : cov.size_factors) {
        if (!(sf > 0) || !std::isfinite(sf))
            throw BadInput("size factors must be positive");
    }
    check_no_classes(cov, spec);
    validate_labels(cov, n, n_classes(spec));
    if (!cov.targets.empty() &&
        static_cast<index_t>(cov.targets.size()) != n_classes(spec) * n) {
        throw BadInput("targets need one value per label (" +
                       std::to_string(n_classes(spec)) +
                       ") and sample");
    }
    if (!cov.targets.empty() && !spec.multi_label)
        throw BadArgument("targets are for a multi-label model");
    if (cov.n_batches != spec.n_batches) {
        throw BadArgument(
            "the model has " + std::to_string(spec.n_batches) +
            " batches, the data " + std::to_string(cov.n_batches));
    }
    if (spec.n_batches == 0) return;
    if (static_cast<index_t>(cov.batch.size()) != n) {
        throw BadInput("the batch of every sample is needed");
    }
    for (int b : cov.batch) {
        if (b < 0 || b >= spec.n_batches) {
            throw BadInput("batch level " + std::to_string(b + 1) +
                           " is outside 1.." +
                           std::to_string(spec.n_batches));
        }
    }
}

namespace {
Tensor one_hot(const Covariates& cov, const index_t* idx, index_t n,
               int fixed, DType dtype) {
    Tensor h = Tensor::zeros(cov.n_batches, n, dtype);
    for (index_t c = 0; c < n; ++c) {
        int level = fixed >= 0 ? fixed : cov.batch[idx[c]];
        h.set(level, c, 1.0);
    }
    return h;
}
}  // namespace

// Above this share of non-zeros a minibatch goes to the first layer dense
// (bench/sparse_input.R, reference network, NB, with the sparse path
// allowed up to 35% non-zeros: 0.96-1.10x the dense throughput at 65-80%
// zeros, so no gain there; 1.25-1.33x at 90-95%).
constexpr double kMaxSparseDensity = 0.15;

Minibatch gather_minibatch(const Model& model, const DataSource& data,
                           const Covariates& cov, const index_t* idx,
                           index_t n, int transform_batch, bool sparse_ok) {
    Minibatch b = gather_covariates(model, cov, idx, n, transform_batch);
    DType dtype = model.dtype();
    bool counts = is_count(model.spec().likelihood);
    if (sparse_ok && model.takes_sparse_input()) {
        auto sparse = std::make_shared<SparseColumns>();
        if (data.gather_sparse(idx, n, kMaxSparseDensity, *sparse))
            b.sparse_input = std::move(sparse);
    }
    // A Gaussian model's target is its input: dense even then.
    if (!b.sparse_input || !counts) {
        b.input = Tensor::empty(data.n_features(), n, dtype);
        data.gather(idx, n, b.input);
    }
    if (counts) {
        b.target = Tensor::empty(data.n_features(), n, dtype);
        data.gather_raw(idx, n, b.target);
    } else {
        b.target = b.input;
    }
    return b;
}

Minibatch gather_covariates(const Model& model, const Covariates& cov,
                            const index_t* idx, index_t n,
                            int transform_batch) {
    const ModelSpec& spec = model.spec();
    DType dtype = model.dtype();
    Minibatch b;
    if (is_count(spec.likelihood)) {
        b.log_sf = Tensor::zeros(1, n, dtype);
        if (!cov.size_factors.empty()) {
            for (index_t c = 0; c < n; ++c)
                b.log_sf.set(0, c, std::log(cov.size_factors[idx[c]]));
        }
    }
    if (!spec.classifier.empty()) {
        // Unlabelled where no label is given (prediction).
        b.labels = spec.multi_label ? targets_of(cov, idx, n, n_classes(spec),
                                                 dtype)
                                    : Tensor::full(1, n, -1.0, dtype);
        for (index_t c = 0; c < n && !cov.labels.empty(); ++c)
            b.labels.set(0, c, cov.labels[idx[c]]);
        if (!cov.class_weights.empty()) {
            index_t k = n_classes(spec);
            b.class_weights = Tensor::empty(k, 1, dtype);
            for (index_t c = 0; c < k; ++c)
                b.class_weights.set(c, 0, cov.class_weights[c]);
        }
    }
    if (spec.n_batches > 0) {
        if (transform_batch >= spec.n_batches) {
            throw BadArgument("transform_batch is outside 1.." +
                              std::to_string(spec.n_batches));
        }
        b.onehot = one_hot(cov, idx, n, -1, dtype);
        b.decoder_onehot = transform_batch >= 0
            ? one_hot(cov, idx, n, transform_batch, dtype)
            : b.onehot;
    }
    if (!spec.adversary.empty() || spec.batch_mmd > 0) {
        b.batch_labels = Tensor::empty(1, n, dtype);
        for (index_t c = 0; c < n; ++c)
            b.batch_labels.set(0, c, cov.batch[idx[c]]);
    }
    return b;
}

Minibatch to_device(const Minibatch& host, Device device) {
    if (device == Device::cpu) return host;
    Minibatch out = host;
    Tensor* parts[] = {&out.input,          &out.target, &out.log_sf,
                       &out.onehot,         &out.decoder_onehot,
                       &out.labels,         &out.class_weights,
                       &out.batch_labels,   &out.columns};
    constexpr int kParts = sizeof(parts) / sizeof(parts[0]);
    // Upload each distinct storage once.
    std::vector<Tensor> unique;
    std::vector<int> slot(kParts, -1);
    for (int k = 0; k < kParts; ++k) {
        if (!parts[k]->defined()) continue;
        for (int u = 0; u < static_cast<int>(unique.size()); ++u) {
            if (unique[u].raw() == parts[k]->raw() &&
                unique[u].same_shape(*parts[k]))
                slot[k] = u;
        }
        if (slot[k] < 0) {
            slot[k] = static_cast<int>(unique.size());
            unique.push_back(*parts[k]);
        }
    }
    std::vector<Tensor> moved = backend_for(device).upload_batch(unique);
    for (int k = 0; k < kParts; ++k)
        if (slot[k] >= 0) *parts[k] = moved[slot[k]];
    return out;
}

Corruption::Kind parse_corruption(const std::string& name) {
    if (name == "none") return Corruption::Kind::none;
    if (name == "mask") return Corruption::Kind::mask;
    if (name == "gaussian") return Corruption::Kind::gaussian;
    throw BadArgument("corruption must be 'none', 'mask' or "
                      "'gaussian', got '" + name + "'");
}

void corrupt(Tensor& input, const Corruption& c, std::uint64_t seed,
             std::uint64_t step) {
    if (c.kind == Corruption::Kind::none || c.rate <= 0) return;
    Philox rng(seed, kStreamCorrupt);
    // Counters of step s start at s * 2^32: a minibatch never holds more
    // than 2^32 elements, so draws of different steps never overlap.
    std::uint64_t base = step << 32;
    dispatch(input.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* v = input.data<T>();
        for (index_t k = 0; k < input.size(); ++k) {
            std::uint64_t n = base + static_cast<std::uint64_t>(k);
            if (c.kind == Corruption::Kind::mask) {
                if (rng.uniform(n) < c.rate) v[k] = T(0);
            } else {
                v[k] += static_cast<T>(c.rate * rng.normal(n));
            }
        }
    });
}

Variable sample_latent(const Variable& mu, const Variable& logvar,
                       std::uint64_t seed, std::uint64_t step) {
    return sample_latent_at(mu, logvar, seed, step << 32);
}

Variable sample_latent_at(const Variable& mu, const Variable& logvar,
                          std::uint64_t seed, std::uint64_t counter) {
    const Tensor& m = mu.value();
    Tensor eps = Tensor::empty(m.rows(), m.cols(), m.dtype(), m.device());
    backend_for(m).fill_normal(seed, kStreamLatent, counter, eps);
    return add(mu, mul(exp(scale(logvar, 0.5)), Variable(eps, false)));
}

namespace {
Variable likelihood_loss(const ModelSpec& spec, const DecoderOutput& out,
                         const Minibatch& b) {
    switch (spec.likelihood) {
    case Likelihood::poisson: return poisson_nll(out.eta, b.log_sf, b.target);
    case Likelihood::nb:
        return nb_nll(out.eta, out.log_theta, b.log_sf, b.target);
    case Likelihood::zinb:
        return zinb_nll(out.eta, out.log_theta, out.pi_logit, b.log_sf,
                        b.target);
    case Likelihood::gaussian: break;
    }
    Variable mse = mse_loss(out.eta, Variable(b.target, false));
    // A variational model needs the Gaussian NLL (unit variance) so that
    // the KL term has its proper weight; a plain one keeps the MSE.
    return spec.variational ? scale(mse, 0.5) : mse;
}

Variable input_of(const Minibatch& b, bool decoder) {
    const Tensor& h = decoder ? b.decoder_onehot : b.onehot;
    return h.defined() ? Variable(h, false) : Variable();
}

// The reconstruction's loss: the likelihood's, plus the weighted KL term
// of a variational model.
Variable reconstruction_loss(Model& model, const Minibatch& b,
                             const ForwardMode& mode, double kl_weight,
                             const Variable& mu, const Variable& logvar) {
    const ModelSpec& spec = model.spec();
    Variable z = spec.variational && mode.training
        ? sample_latent(mu, logvar, mode.seed, mode.step)
        : mu;
    DecoderOutput out = model.decode_all(z, input_of(b, true), mode);
    Variable loss = likelihood_loss(spec, out, b);
    if (!spec.variational || kl_weight <= 0) return loss;
    double per_gene = kl_weight / static_cast<double>(spec.n_input);
    return add(loss, scale(kl_normal(mu, logvar), per_gene));
}

// Batch mixing by adversarial confusion (Tzeng et al. 2015): the
// adversary learns to tell the batches apart from the latent held
// constant, and the encoder, through the adversary's weights held
// constant, learns to make it answer every batch alike (its cross-entropy
// against the uniform distribution, lowest when the batches cannot be
// told apart). A reversed gradient (DANN; the grad_reverse op of commit
// 2a32dbd) makes the encoder seek a *wrong* answer instead, which it finds
// by moving one batch to where the adversary expects another, or by
// inflating the latent: on bladderbatch that separated the batches more
// (5-NN batch accuracy 0.79-0.96 against 0.56-0.65 without it).
// The term's value is taken away again (x + (-x) is exactly 0 in floating
// point), so the loss keeps only its gradient.
Variable adversary_term(Model& model, const Minibatch& b, const Variable& mu) {
    const ModelSpec& spec = model.spec();
    Variable held(mu.value(), false);
    Variable term = softmax_cross_entropy(model.adversary(held, false),
                                          b.batch_labels);
    Variable logits = model.adversary(mu, true);
    const Tensor& z = logits.value();
    Backend& be = backend_for(z);
    double w = spec.batch_penalty / static_cast<double>(spec.n_batches);
    for (index_t k = 0; k < spec.n_batches; ++k) {
        Tensor every = Tensor::empty(1, z.cols(), z.dtype(), z.device());
        be.fill(every, static_cast<double>(k));
        term = add(term, scale(softmax_cross_entropy(logits, every), w));
    }
    return add(term, scale(Variable(term.value(), false), -1.0));
}

// The batch MMD, weighted, adds its gradient but, like the adversary's
// term, not its value: the history and early stopping watch the
// reconstruction, in training as in validation.
Variable mmd_term(const ModelSpec& spec, const Minibatch& b,
                  const Variable& mu) {
    Variable term = scale(batch_mmd(mu, b.batch_labels, spec.n_batches),
                          spec.batch_mmd);
    return add(term, scale(Variable(term.value(), false), -1.0));
}
}  // namespace

Variable model_loss(Model& model, const Minibatch& b, const ForwardMode& mode,
                    double kl_weight) {
    const ModelSpec& spec = model.spec();
    Variable x(b.input, false);
    Variable logvar;
    Variable mu = model.encode(x, input_of(b, false), mode, &logvar,
                               b.sparse_input);
    Variable loss;
    if (!spec.decoder.empty())
        loss = reconstruction_loss(model, b, mode, kl_weight, mu, logvar);
    if (mode.training && !spec.adversary.empty())
        loss = add(loss, adversary_term(model, b, mu));
    if (mode.training && spec.batch_mmd > 0)
        loss = add(loss, mmd_term(spec, b, mu));
    if (spec.classifier.empty()) return loss;
    Variable logits = model.classify(mu, mode);
    Variable ce = spec.multi_label
        ? sigmoid_cross_entropy(logits, b.labels, b.class_weights)
        : softmax_cross_entropy(logits, b.labels, b.class_weights);
    if (!loss.defined()) return ce;
    return add(loss, scale(ce, spec.label_weight));
}

DecoderOutput reconstruct(Model& model, const Minibatch& b,
                          const ForwardMode& mode) {
    Variable x(b.input, false);
    Variable mu = model.encode(x, input_of(b, false), mode, nullptr,
                               b.sparse_input);
    return model.decode_all(mu, input_of(b, true), mode);
}

Variable classify(Model& model, const Minibatch& b, const ForwardMode& mode) {
    Variable x(b.input, false);
    return model.classify(model.encode(x, input_of(b, false), mode, nullptr,
                                       b.sparse_input),
                          mode);
}

}  // namespace exprae
