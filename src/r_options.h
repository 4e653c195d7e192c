// The one reader of the engine's options from R (the table of fields is
// the engine's: train/engine_options.h; the one builder is R's
// .engine_options()).
#pragma once

#include <Rcpp.h>

#include "train/data_source.h"
#include "train/engine_options.h"
#include "train/objective.h"

namespace exprae {

// A named list of options (NULL elements keep the default) -> the
// options, each converted to its field's kind and checked; BadArgument
// naming the option for an unknown name or a value of the wrong kind.
EngineOptions options_from_r(const Rcpp::List& options);

// The sample covariates of a model with n_batches batches; with log1p the
// data source is switched to log1p(x / size factor) input.
Covariates covariates_of(const EngineOptions& options, index_t n_batches,
                         DataSource& data);

}  // namespace exprae
