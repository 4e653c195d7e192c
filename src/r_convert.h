// Conversions between R objects and engine types. Only the Rcpp glue
// (src/r_*.cpp) includes R headers; the engine below src/engine never does.
// Engine exceptions are not caught here: Rcpp turns each into an R error
// whose class is its C++ type (errors.h), which R/conditions.R classes.
#pragma once

#include <Rcpp.h>

#include <memory>

#include "nn/model.h"
#include "train/data_source.h"
#include "train/objective.h"

namespace exprae {

// A numeric matrix or a dgCMatrix (genes x samples) as a data source that
// reads R's memory in place; `x` must stay protected while it is used.
std::unique_ptr<DataSource> data_source_from_r(SEXP x, SEXP center,
                                               SEXP scale);

// model: list(encoder, decoder (empty for a classifier), and optionally
// likelihood, variational, n_batches, dispersion, classifier,
// label_weight); absent fields keep the defaults (fits saved before they
// existed are Gaussian autoencoders).
ModelSpec model_spec_from_r(const Rcpp::List& model, index_t n_input);
// Named list of numeric matrices <-> the model's parameters and buffers.
Rcpp::List weights_to_r(Model& model);
void weights_from_r(Model& model, const Rcpp::List& weights);

}  // namespace exprae
