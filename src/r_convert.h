// Conversions between R objects and engine types. Only the Rcpp glue
// (src/r_*.cpp) includes R headers; the engine below src/engine never does.
#pragma once

#include <Rcpp.h>

#include <memory>

#include "nn/model.h"
#include "train/data_source.h"
#include "train/trainer.h"

namespace exprae {

// A numeric matrix or a dgCMatrix (genes x samples) as a data source that
// reads R's memory in place; `x` must stay protected while it is used.
std::unique_ptr<DataSource> data_source_from_r(SEXP x, SEXP center,
                                               SEXP scale);

ModelSpec model_spec_from_r(const Rcpp::List& model, index_t n_input);
TrainOptions train_options_from_r(const Rcpp::List& options);
DType dtype_from_r(const Rcpp::List& options);

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
