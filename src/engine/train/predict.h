// Inference over a whole data source in minibatches, no gradient.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/model.h"
#include "train/data_source.h"
#include "train/objective.h"

namespace exprae {

// latent: latent x n (a variational model's mean, or a draw with sample);
// reconstruction: the decoder's mean, genes x n: Gaussian models in the
// centred and scaled space they were trained in, count models
// exp(eta + log size factor); expression: the same as reconstruction;
// logits: a classifier's, classes x n.
enum class PredictOutput { latent, reconstruction, expression, logits };

struct PredictOptions {
    index_t batch_size = 1024;
    int transform_batch = -1;  // >= 0: decode every sample as this batch
    bool sample = false;       // draw the latent of a variational model
    std::uint64_t seed = 0;    // for sample
    // for sample: the index of the data's first sample in the whole set
    // (a chunk's offset), so that a sample's draw is its own
    index_t first_sample = 0;
};

// Returned as float64.
Tensor predict(Model& model, const DataSource& data, const Covariates& cov,
               PredictOutput output, const PredictOptions& options);
Tensor predict(Model& model, const DataSource& data, PredictOutput output,
               index_t batch_size = 1024);

// The element NLL of each sample's data under its reconstruction (the
// latent mean; see nll_elements()), summed over the genes per sample and
// averaged over the samples per gene.
struct ReconstructionError {
    std::vector<double> per_sample, per_gene;
};
ReconstructionError reconstruction_error(Model& model, const DataSource& data,
                                         const Covariates& cov,
                                         index_t batch_size = 1024);

}  // namespace exprae
