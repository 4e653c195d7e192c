// The R entry points: convert inputs, call the engine, return plain lists.
#include "r_convert.h"
#include "r_hooks.h"
#include "cpu/hot_kernels.h"
#include "train/predict.h"

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
}  // namespace

// [[Rcpp::export(.engine_fit)]]
Rcpp::List engine_fit(SEXP x, SEXP center, SEXP scale, Rcpp::List model,
                      Rcpp::List options, SEXP weights, SEXP callback) {
    return guarded([&]() {
        threads_from_r(Rcpp::as<int>(options["n_threads"]));
        std::unique_ptr<DataSource> data =
            data_source_from_r(x, center, scale);
        TrainOptions opts = train_options_from_r(options);
        Model net(model_spec_from_r(model, data->n_features()),
                  dtype_from_r(options));
        net.initialize(opts.seed);
        if (!Rf_isNull(weights)) weights_from_r(net, Rcpp::List(weights));
        RHooks hooks(callback);
        TrainResult result = train(net, *data, opts, hooks);
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
    });
}

// [[Rcpp::export(.engine_predict)]]
Rcpp::NumericMatrix engine_predict(SEXP x, SEXP center, SEXP scale,
                                   Rcpp::List model, Rcpp::List weights,
                                   std::string output, int n_threads) {
    return guarded([&]() {
        threads_from_r(n_threads);
        std::unique_ptr<DataSource> data =
            data_source_from_r(x, center, scale);
        if (output != "latent" && output != "reconstruction") {
            throw std::invalid_argument("output must be 'latent' or "
                                        "'reconstruction', got '" + output +
                                        "'");
        }
        Model net(model_spec_from_r(model, data->n_features()), DType::f64);
        weights_from_r(net, weights);
        Tensor y = predict(net, *data,
                           output == "latent" ? PredictOutput::latent
                                              : PredictOutput::reconstruction);
        Rcpp::NumericMatrix out(y.rows(), y.cols());
        std::copy(y.data<double>(), y.data<double>() + y.size(), out.begin());
        return out;
    });
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
