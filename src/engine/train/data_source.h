// Where training data comes from: a features x samples matrix, read one
// minibatch of columns at a time and standardised on the way, so that a
// sparse matrix is never densified as a whole.
#pragma once

#include <vector>

#include "tensor/sparse_columns.h"
#include "tensor/tensor.h"

namespace exprae {

class DataSource {
public:
    // center, scale: one value per feature; the network sees
    // (x - center) / scale.
    DataSource(index_t n_features, index_t n_samples,
               std::vector<double> center, std::vector<double> scale);
    virtual ~DataSource() = default;

    index_t n_features() const { return n_features_; }
    index_t n_samples() const { return n_samples_; }
    // Sources read from disk read blocks of this many consecutive samples
    // at a time (0: in memory, any order is as cheap as another).
    virtual index_t block_size() const { return 0; }
    // Fills out (n_features x n) with the standardised columns idx[0..n).
    void gather(const index_t* idx, index_t n, Tensor& out) const;
    // The same columns untransformed (the counts a count likelihood scores).
    void gather_raw(const index_t* idx, index_t n, Tensor& out) const;
    // The same columns as gather() gives them, as their non-zeros and an
    // offset (-center / scale), when the source is sparse and at most
    // max_density of the block is non-zero; false (out untouched)
    // otherwise.
    bool gather_sparse(const index_t* idx, index_t n, double max_density,
                       SparseColumns& out) const;
    // From now on gather() sees log1p(x[, j] / size_factors[j]) before it
    // centres and scales: how count models feed their encoder.
    void set_log1p(const std::vector<double>& size_factors);

protected:
    // Makes columns idx[0..n) readable by read_column(). Called by gather()
    // on the calling thread before its parallel loop: a streamed source
    // reads from disk (or calls back into R) here, and may throw.
    virtual void load(const index_t* idx, index_t n) const {
        (void)idx;
        (void)n;
    }
    // Writes raw column j into out (n_features doubles); never throws.
    virtual void read_column(index_t j, double* out) const = 0;
    // Column j's non-zeros: count, rows (0-based) and values, or false
    // when the source is not sparse.
    virtual bool sparse_column(index_t j, index_t& count, const int*& rows,
                               const double*& values) const {
        (void)j;
        (void)count;
        (void)rows;
        (void)values;
        return false;
    }

private:
    void check_gather(const index_t* idx, index_t n, const Tensor& out) const;
    void check_indices(const index_t* idx, index_t n) const;
    template <typename F>
    void gather_with(const index_t* idx, index_t n, Tensor& out, F f) const;

    index_t n_features_, n_samples_;
    std::vector<double> center_, inv_scale_;
    bool log1p_ = false;
    std::vector<double> inv_size_factor_;
};

// Column-major doubles (an R numeric matrix), not copied: must outlive this.
class DenseSource : public DataSource {
public:
    DenseSource(const double* x, index_t rows, index_t cols,
                std::vector<double> center, std::vector<double> scale);

protected:
    void read_column(index_t j, double* out) const override;

private:
    const double* x_;
};

// Compressed sparse columns (a dgCMatrix: row indices i, column pointers p,
// values x), not copied: must outlive this.
class SparseSource : public DataSource {
public:
    SparseSource(const int* i, const int* p, const double* x, index_t rows,
                 index_t cols, std::vector<double> center,
                 std::vector<double> scale);

protected:
    void read_column(index_t j, double* out) const override;
    bool sparse_column(index_t j, index_t& count, const int*& rows,
                       const double*& values) const override;

private:
    const int* i_;
    const int* p_;
    const double* x_;
};

}  // namespace exprae
