// A features x n block given by its non-zeros, column by column (a
// minibatch of a dgCMatrix), with a dense offset per feature: the block is
// S + offset 1^T, S the sparse part. So centring, which would fill in every
// zero, stays a vector (ops/sparse_linear.h folds it into the bias).
#pragma once

#include <vector>

#include "tensor/shape.h"

namespace exprae {

struct SparseColumns {
    index_t rows = 0, cols = 0;
    std::vector<index_t> start;   // cols + 1: column j is start[j]..start[j+1)
    std::vector<int> row;         // each non-zero's feature, 0-based
    std::vector<double> value;    // and its value
    std::vector<double> offset;   // rows values; empty: no offset

    index_t nnz() const { return static_cast<index_t>(value.size()); }
};

}  // namespace exprae
