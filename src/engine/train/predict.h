// Inference over a whole data source in minibatches, no gradient.
#pragma once

#include "nn/model.h"
#include "train/data_source.h"

namespace exprae {

enum class PredictOutput { latent, reconstruction };

// latent: latent x n_samples; reconstruction: n_features x n_samples, in
// the standardised space the model was trained in. Returned as float64.
Tensor predict(Model& model, const DataSource& data, PredictOutput output,
               index_t batch_size = 1024);

}  // namespace exprae
