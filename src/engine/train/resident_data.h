// A training set kept on the GPU. Streaming each minibatch from host
// memory costs the host a gather and a copy of batch x features floats per
// step, which at large batches takes longer than the step's kernels (the
// reference network at batch 4096 on an H200: 6.7 ms a step, the GPU busy
// for about one of them). Uploaded once instead, as gather() transforms it
// (and the raw counts a count likelihood scores), each step's columns are
// gathered on the GPU, and only the covariates and the sample numbers of
// a minibatch travel.
#pragma once

#include "train/data_source.h"
#include "train/objective.h"

namespace exprae {

struct TrainOptions;

class ResidentData {
public:
    // The data on the model's GPU when every condition holds: training on
    // a GPU, from memory (a source read from disk in blocks streams), no
    // input corruption (drawn on the host per step), fewer than 2^24
    // samples and at most a quarter of the GPU's free memory; else an
    // undefined one (the minibatches stream from the host as before).
    static ResidentData upload_if_fits(const Model& model,
                                       const DataSource& data,
                                       const TrainOptions& options);

    bool defined() const { return input_.defined(); }
    // Samples idx[0..n) on the GPU, as to_device(gather_minibatch(...)).
    Minibatch minibatch(const Model& model, const Covariates& cov,
                        const index_t* idx, index_t n) const;

private:
    Tensor input_;  // features x samples, transformed
    Tensor raw_;    // the same untransformed (count likelihoods only)
};

}  // namespace exprae
