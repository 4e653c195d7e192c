// A data source that reads its columns through an R function, a block at a
// time: how a DelayedMatrix (e.g. an HDF5 file larger than memory) feeds
// the engine. It holds at most two blocks (a minibatch may straddle two),
// so memory stays bounded whatever the number of samples. Each block is
// copied out of the R matrix at once into storage reused from block to
// block: a reader may hand back the same matrix every time, overwritten
// in place (allocating a fresh 16 MB vector per block costs more than
// the copy, see bench/RESULTS.md).
#pragma once

#include <Rcpp.h>

#include <vector>

#include "train/data_source.h"

namespace exprae {

class StreamSource : public DataSource {
public:
    // reader(cols): the columns `cols` (1-based) as a numeric matrix of
    // `read_rows` rows, of which `rows` (0-based; empty: all of them, and
    // then read_rows == n_features) are the features. A reader may return
    // more rows than it needs because reading whole columns from disk is
    // faster than picking rows there. What it returns is copied before
    // the next call. Called on the R thread only (from load()).
    StreamSource(Rcpp::Function reader, index_t read_rows,
                 std::vector<index_t> rows, index_t cols, index_t block,
                 std::vector<double> center, std::vector<double> scale);
    index_t block_size() const override { return block_; }

protected:
    void load(const index_t* idx, index_t n) const override;
    void read_column(index_t j, double* out) const override;

private:
    struct Block {
        index_t id;                    // block number; -1: an ad-hoc read
        std::vector<index_t> samples;  // the columns it holds
        std::vector<double> values;    // features x samples
    };
    void read(index_t id, std::vector<index_t> samples) const;
    void keep(Block& b, const Rcpp::NumericMatrix& m) const;
    void drop(std::size_t k) const;

    Rcpp::Function reader_;
    index_t read_rows_;
    std::vector<index_t> rows_;
    index_t block_;
    mutable std::vector<Block> blocks_;
    mutable std::vector<std::vector<double>> spare_;  // storage to reuse
    mutable std::vector<const double*> column_;  // null: not loaded
};

}  // namespace exprae
