// The R entry points: convert inputs, call the engine, return plain lists.
// Engine exceptions pass through untouched: Rcpp makes each an R error
// classed by its C++ type (src/engine/errors.h), and R/conditions.R gives
// it the package's condition class.
#include <numeric>
#include <vector>

#include "r_convert.h"
#include "r_hooks.h"
#include "r_options.h"
#include "backend/backend.h"
#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"
#include "nn/model_spec.h"
#include "ops/conv1d.h"
#include "ops/unary.h"
#include "train/predict.h"
#include "train/sequence_source.h"

using namespace exprae;

namespace {
Rcpp::List history_to_r(const TrainResult& result) {
    std::size_t n = result.history.size();
    Rcpp::IntegerVector epoch(n);
    Rcpp::NumericVector loss(n), val(n), secs(n), lr(n);
    for (std::size_t k = 0; k < n; ++k) {
        const EpochRecord& r = result.history[k];
        epoch[k] = r.epoch;
        loss[k] = r.loss;
        val[k] = std::isnan(r.val_loss) ? NA_REAL : r.val_loss;
        secs[k] = r.seconds;
        lr[k] = r.learning_rate;
    }
    return Rcpp::List::create(Rcpp::Named("epoch") = epoch,
                              Rcpp::Named("loss") = loss,
                              Rcpp::Named("val_loss") = val,
                              Rcpp::Named("seconds") = secs,
                              Rcpp::Named("learning_rate") = lr);
}

// The model trains on GPU N for device "cuda:N" and comes back to the CPU
// for its weights; precision "tf32" lets cuBLAS use TF32.
void model_to_device(Model& net, const EngineOptions& o) {
    if (o.cuda_device < 0) return;
    select_cuda_device(o.cuda_device);
    set_cuda_tf32(o.tf32);
    net.to(Device::cuda);
}

// The options of a call, read once; the thread count applies at once.
EngineOptions call_options(const Rcpp::List& options) {
    EngineOptions o = options_from_r(options);
    cpu::set_num_threads(o.n_threads);
    return o;
}
}  // namespace

// [[Rcpp::export(.engine_fit)]]
Rcpp::List engine_fit(SEXP x, SEXP center, SEXP scale, Rcpp::List model,
                      Rcpp::List options, SEXP weights, SEXP callback) {
    EngineOptions o = call_options(options);
    std::unique_ptr<DataSource> data = data_source_from_r(x, center, scale);
    Model net(model_spec_from_r(model, data->n_features()), o.dtype);
    Covariates cov = covariates_of(o, net.spec().n_batches, *data);
    net.initialize(o.train.seed);
    if (!Rf_isNull(weights)) weights_from_r(net, Rcpp::List(weights));
    model_to_device(net, o);
    RHooks hooks(callback);
    TrainResult result = train(net, *data, cov, o.train, hooks);
    net.to(Device::cpu);
    Rcpp::IntegerVector validation(result.validation.size());
    for (std::size_t k = 0; k < result.validation.size(); ++k)
        validation[k] = static_cast<int>(result.validation[k] + 1);
    return Rcpp::List::create(
        Rcpp::Named("weights") = weights_to_r(net),
        Rcpp::Named("history") = history_to_r(result),
        Rcpp::Named("stop_reason") = stop_reason_name(result.stop_reason),
        Rcpp::Named("best_epoch") = result.best_epoch,
        Rcpp::Named("validation") = validation,
        Rcpp::Named("messages") = Rcpp::wrap(hooks.messages()));
}

namespace {
Rcpp::NumericMatrix matrix_to_r(const Tensor& y) {
    Rcpp::NumericMatrix out(y.rows(), y.cols());
    std::copy(y.data<double>(), y.data<double>() + y.size(), out.begin());
    return out;
}

PredictOutput parse_output(const std::string& output) {
    if (output == "latent") return PredictOutput::latent;
    if (output == "reconstruction") return PredictOutput::reconstruction;
    if (output == "expression") return PredictOutput::expression;
    if (output == "logits") return PredictOutput::logits;
    throw BadArgument("output must be 'latent', 'reconstruction', "
                      "'expression', 'logits' or 'nll', got '" + output +
                      "'");
}
}  // namespace

// Predictions of a fitted model (the engine options that apply:
// n_threads, size_factors, batch, transform_batch, log1p, sample, seed).
// [[Rcpp::export(.engine_predict)]]
SEXP engine_predict(SEXP x, SEXP center, SEXP scale, Rcpp::List model,
                    Rcpp::List weights, std::string output,
                    Rcpp::List options) {
    EngineOptions o = call_options(options);
    std::unique_ptr<DataSource> data = data_source_from_r(x, center, scale);
    Model net(model_spec_from_r(model, data->n_features()), DType::f64);
    weights_from_r(net, weights);
    Covariates cov = covariates_of(o, net.spec().n_batches, *data);
    if (output == "nll") {
        ReconstructionError e = reconstruction_error(net, *data, cov);
        return Rcpp::List::create(
            Rcpp::Named("per_sample") = Rcpp::wrap(e.per_sample),
            Rcpp::Named("per_gene") = Rcpp::wrap(e.per_gene));
    }
    return matrix_to_r(
        predict(net, *data, cov, parse_output(output), o.predict));
}

// Element NLLs of a likelihood for the tests against R's densities: all
// matrices genes x n (log_theta and pi_logit ignored where unused), log_sf
// one per column.
// [[Rcpp::export(.engine_nll)]]
Rcpp::NumericMatrix engine_nll(Rcpp::NumericMatrix x, Rcpp::NumericMatrix eta,
                               Rcpp::NumericMatrix log_theta,
                               Rcpp::NumericMatrix pi_logit,
                               Rcpp::NumericVector log_sf,
                               std::string likelihood) {
    auto tensor = [](const Rcpp::NumericMatrix& m) {
        Tensor t = Tensor::empty(m.nrow(), m.ncol(), DType::f64);
        std::copy(m.begin(), m.end(), t.data<double>());
        return t;
    };
    Tensor sf = Tensor::empty(1, log_sf.size(), DType::f64);
    std::copy(log_sf.begin(), log_sf.end(), sf.data<double>());
    return matrix_to_r(nll_elements(parse_likelihood(likelihood),
                                    tensor(eta), tensor(log_theta),
                                    tensor(pi_logit), sf, tensor(x)));
}

// [[Rcpp::export(.engine_info)]]
Rcpp::List engine_info() {
    return Rcpp::List::create(
        Rcpp::Named("kernels") = cpu::hot_kernel_set(),
#ifdef _OPENMP
        Rcpp::Named("openmp") = true
#else
        Rcpp::Named("openmp") = false
#endif
    );
}

// The names the engine knows, registered once there: activations (of
// dense layers), likelihoods and layer kinds, for the R layer's checks.
// [[Rcpp::export(.engine_names)]]
Rcpp::List engine_names() {
    return Rcpp::List::create(
        Rcpp::Named("activation") = Rcpp::wrap(activation_names()),
        Rcpp::Named("likelihood") = Rcpp::wrap(likelihood_names()),
        Rcpp::Named("layer") = Rcpp::wrap(layer_kind_names()));
}

// What the CUDA side of this build can use: list(built, available, reason,
// driver_version, runtime_version, devices = list of per-device lists).
// [[Rcpp::export(.engine_cuda_info)]]
Rcpp::List engine_cuda_info() {
    CudaInfo info = cuda_info();
    Rcpp::List devices;
    for (const CudaDeviceInfo& d : info.devices) {
        devices.push_back(Rcpp::List::create(
            Rcpp::Named("index") = d.index, Rcpp::Named("name") = d.name,
            Rcpp::Named("memory") = d.memory_bytes,
            Rcpp::Named("major") = d.major, Rcpp::Named("minor") = d.minor,
            Rcpp::Named("multiprocessors") = d.multiprocessors));
    }
    return Rcpp::List::create(
        Rcpp::Named("built") = info.built,
        Rcpp::Named("available") = info.available,
        Rcpp::Named("reason") = info.reason,
        Rcpp::Named("driver_version") = info.driver_version,
        Rcpp::Named("runtime_version") = info.runtime_version,
        Rcpp::Named("devices") = devices);
}

namespace {
// All the sequences' one-hot encodings, 4 * width x n, as training reads
// them.
Tensor one_hot(SEXP sequences) {
    std::unique_ptr<DataSource> data =
        data_source_from_r(sequences, R_NilValue, R_NilValue);
    Tensor out = Tensor::empty(data->n_features(), data->n_samples(),
                               DType::f64);
    std::vector<index_t> idx(static_cast<std::size_t>(data->n_samples()));
    std::iota(idx.begin(), idx.end(), index_t{0});
    data->gather(idx.data(), data->n_samples(), out);
    return out;
}
}  // namespace

// Every window of the sequences that a convolution with this width,
// stride, dilation and padding reads ((4 * width) x (windows * n), sample
// by sample; row c + 4 k: tap k, base c), cut by the engine's own im2col,
// so that the R layer's motifs (filterMotifs()) read what the filters
// read.
// [[Rcpp::export(.engine_conv_windows)]]
Rcpp::NumericMatrix engine_conv_windows(SEXP sequences, int width,
                                        int stride, int dilation,
                                        bool same) {
    Tensor onehot = one_hot(sequences);
    index_t n = onehot.cols(), length = onehot.rows() / 4;
    Conv1dOptions opt;
    opt.stride = stride;
    opt.dilation = dilation;
    opt.same = same;
    Tensor cols = conv1d_windows(onehot.reshape(Shape{4, length, n}), width,
                                 opt);
    return matrix_to_r(cols.reshape(Shape{cols.dim(0), cols.dim(1) * n}));
}

// The name and shape (rows, cols) of every weight of a model, so that the
// R layer can check a saved fit's weights before they reach the engine.
// [[Rcpp::export(.engine_weight_shapes)]]
Rcpp::List engine_weight_shapes(Rcpp::List model, int n_input) {
    Model net(model_spec_from_r(model, n_input), DType::f64);
    Rcpp::List out;
    std::vector<std::string> names;
    for (ParameterBlock* block : {&net.parameters(), &net.buffers()}) {
        for (int s = 0; s < block->count(); ++s) {
            const Tensor& t = block->variable(s).value();
            out.push_back(Rcpp::IntegerVector::create(
                static_cast<int>(t.rows()), static_cast<int>(t.cols())));
            names.push_back(block->name(s));
        }
    }
    out.names() = Rcpp::wrap(names);
    return out;
}

// The engine's one-hot encoding of sequences (4 * width x n), so that the
// R tests can check the encoding that training reads.
// [[Rcpp::export(.engine_one_hot)]]
Rcpp::NumericMatrix engine_one_hot(SEXP sequences) {
    return matrix_to_r(one_hot(sequences));
}

// The letters a sequence may hold, so that the R layer checks them for
// all sequences at once (the engine numbers sequences and positions within
// the chunk or window it is given).
// [[Rcpp::export(.engine_dna_letters)]]
std::string engine_dna_letters() {
    return dna_letters();
}

// The gaps among them: a sequence of gaps alone is empty.
// [[Rcpp::export(.engine_gap_letters)]]
std::string engine_gap_letters() {
    return gap_letters();
}

// The first and last positions (from 1) of a sequence of `length` bases
// that a fit of this width reads, one strand or both, as the engine
// centres them.
// [[Rcpp::export(.engine_seen_positions)]]
Rcpp::IntegerVector engine_seen_positions(int length, int width,
                                          bool both_strands) {
    std::pair<index_t, index_t> seen =
        seen_positions(length, width, both_strands);
    return Rcpp::IntegerVector::create(static_cast<int>(seen.first + 1),
                                       static_cast<int>(seen.second));
}
