// Conversions between R objects and engine types. Only the Rcpp glue
// (src/r_*.cpp) includes R headers; the engine below src/engine never does.
#pragma once

#include <Rcpp.h>

#include <memory>

#include "nn/model.h"
#include "train/data_source.h"
#include "train/objective.h"
#include "train/trainer.h"

namespace exprae {

// A numeric matrix or a dgCMatrix (genes x samples) as a data source that
// reads R's memory in place; `x` must stay protected while it is used.
std::unique_ptr<DataSource> data_source_from_r(SEXP x, SEXP center,
                                               SEXP scale);

// model: list(encoder, decoder, and optionally likelihood, variational,
// n_batches, dispersion); absent fields keep the defaults (fits saved
// before they existed are Gaussian autoencoders).
ModelSpec model_spec_from_r(const Rcpp::List& model, index_t n_input);
// Two numbers drawn by R (see the R layer) -> a 64-bit seed.
std::uint64_t seed_from_r(SEXP value);
TrainOptions train_options_from_r(const Rcpp::List& options);
DType dtype_from_r(const Rcpp::List& options);
// options$size_factors (NULL or one per sample) and options$batch (NULL or
// 1-based levels) for a model with n_batches batches; with options$log1p
// TRUE the data source is switched to log1p(x / size factor) input.
Covariates covariates_from_r(const Rcpp::List& options, index_t n_batches,
                             DataSource& data);

// Named list of numeric matrices <-> the model's parameters and buffers.
Rcpp::List weights_to_r(Model& model);
void weights_from_r(Model& model, const Rcpp::List& weights);

// Sets the engine's thread count from options$n_threads.
void threads_from_r(int n_threads);

// Runs `body`, turning any C++ exception into an R error whose message
// starts with "exprae engine:" (the R layer classes it).
template <typename F>
auto guarded(F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (Rcpp::internal::InterruptedException&) {
        throw;
    } catch (std::exception& e) {
        Rcpp::stop(std::string("exprae engine: ") + e.what());
    }
}

}  // namespace exprae
