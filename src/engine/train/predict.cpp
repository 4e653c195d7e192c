#include "train/predict.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "tape/tape.h"

namespace exprae {

namespace {
// Calls f(first sample, minibatch) for consecutive minibatches.
template <typename F>
void for_each_batch(const Model& model, const DataSource& data,
                    const Covariates& cov, index_t batch_size,
                    int transform_batch, F f) {
    if (batch_size < 1)
        throw BadArgument("predict: batch_size must be >= 1");
    validate(cov, data, model);
    index_t n = data.n_samples();
    std::vector<index_t> idx;
    for (index_t s = 0; s < n; s += batch_size) {
        index_t m = std::min(batch_size, n - s);
        idx.resize(m);
        std::iota(idx.begin(), idx.end(), s);
        f(s, to_device(gather_minibatch(model, data, cov, idx.data(), m,
                                        transform_batch),
                       model.device()));
    }
}

// Copies v (any dtype, any device) into columns [s, s + v.cols()) of
// result, applying exp(v + log_sf[j]) when log_sf is defined.
void store(const Tensor& device_v, const Tensor& device_log_sf, index_t s,
           Tensor& result) {
    Tensor v = device_v.host();
    Tensor log_sf = device_log_sf.defined() ? device_log_sf.host() : Tensor();
    dispatch(v.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* src = v.data<T>();
        double* dst = result.data<double>() + s * v.rows();
        for (index_t j = 0; j < v.cols(); ++j) {
            for (index_t i = 0; i < v.rows(); ++i) {
                index_t k = j * v.rows() + i;
                dst[k] = log_sf.defined()
                    ? std::exp(static_cast<double>(src[k]) + log_sf.at(0, j))
                    : static_cast<double>(src[k]);
            }
        }
    });
}
}  // namespace

Tensor predict(Model& model, const DataSource& data, const Covariates& cov,
               PredictOutput output, const PredictOptions& o) {
    NoGradGuard no_grad;
    ForwardMode mode;  // inference: running statistics, no dropout
    const ModelSpec& spec = model.spec();
    bool latent = output == PredictOutput::latent;
    bool logits = output == PredictOutput::logits;
    if (logits && spec.classifier.empty())
        throw BadArgument("predict: the model has no classifier");
    if (!latent && !logits && spec.decoder.empty())
        throw BadArgument("predict: the model has no decoder (a classifier)");
    index_t rows = latent ? latent_size(spec)
                          : logits ? n_classes(spec) : data.n_features();
    Tensor result = Tensor::empty(rows, data.n_samples(), DType::f64);
    for_each_batch(model, data, cov, o.batch_size, o.transform_batch,
                   [&](index_t s, const Minibatch& b) {
        Variable onehot = b.onehot.defined() ? Variable(b.onehot, false)
                                             : Variable();
        if (latent) {
            Variable logvar;
            Variable mu = model.encode(Variable(b.input, false), onehot, mode,
                                       &logvar);
            if (o.sample && spec.variational) {
                auto first = static_cast<std::uint64_t>(o.first_sample + s);
                mu = sample_latent_at(mu, logvar, o.seed,
                                      first * static_cast<std::uint64_t>(rows));
            }
            store(mu.value(), Tensor(), s, result);
            return;
        }
        if (logits) {
            store(classify(model, b, mode).value(), Tensor(), s, result);
            return;
        }
        DecoderOutput out = reconstruct(model, b, mode);
        store(out.eta.value(), is_count(spec.likelihood) ? b.log_sf : Tensor(),
              s, result);
    });
    return result;
}

Tensor predict(Model& model, const DataSource& data, PredictOutput output,
               index_t batch_size) {
    PredictOptions o;
    o.batch_size = batch_size;
    return predict(model, data, Covariates(), output, o);
}

ReconstructionError reconstruction_error(Model& model, const DataSource& data,
                                         const Covariates& cov,
                                         index_t batch_size) {
    NoGradGuard no_grad;
    ForwardMode mode;
    if (model.spec().decoder.empty()) {
        throw BadArgument("reconstruction_error: the model has no decoder "
                          "(a classifier)");
    }
    Likelihood lk = model.spec().likelihood;
    ReconstructionError err;
    err.per_sample.assign(data.n_samples(), 0.0);
    err.per_gene.assign(data.n_features(), 0.0);
    for_each_batch(model, data, cov, batch_size, -1,
                   [&](index_t s, const Minibatch& b) {
        DecoderOutput out = reconstruct(model, b, mode);
        auto host = [](const Tensor& t) { return t.defined() ? t.host() : t; };
        Tensor theta = out.log_theta.defined() ? out.log_theta.value()
                                               : Tensor();
        Tensor pi = out.pi_logit.defined() ? out.pi_logit.value() : Tensor();
        Tensor e = nll_elements(lk, host(out.eta.value()), host(theta),
                                host(pi), host(b.log_sf), host(b.target));
        const double* v = e.data<double>();
        for (index_t j = 0; j < e.cols(); ++j) {
            for (index_t i = 0; i < e.rows(); ++i) {
                err.per_sample[s + j] += v[j * e.rows() + i];
                err.per_gene[i] += v[j * e.rows() + i];
            }
        }
    });
    for (double& g : err.per_gene) g /= static_cast<double>(data.n_samples());
    return err;
}

}  // namespace exprae
