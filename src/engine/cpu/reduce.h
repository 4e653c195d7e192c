// Reductions and broadcasts over the two axes of a column-major matrix.
// Sums accumulate in double so float32 losses stay accurate.
#pragma once

#include <vector>

#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

// Sum of all n elements.
template <typename T>
double sum_all(index_t n, const T* x) {
    double total = 0.0;
    for (index_t i = 0; i < n; ++i) total += x[i];
    return total;
}

// out[r] (+)= sum_c x[r, c]   (x: rows x cols; out: rows)
template <typename T>
void row_sums(index_t rows, index_t cols, const T* x, T* out,
              bool accumulate) {
    std::vector<double> acc(rows, 0.0);
    for (index_t c = 0; c < cols; ++c) {
        const T* col = x + c * rows;
        for (index_t r = 0; r < rows; ++r) acc[r] += col[r];
    }
    for (index_t r = 0; r < rows; ++r) {
        out[r] = static_cast<T>(accumulate ? out[r] + acc[r] : acc[r]);
    }
}

// y[r, c] += v[r]   (y: rows x cols; v: rows)
template <typename T>
void add_to_columns(index_t rows, index_t cols, const T* v, T* y) {
    parallel_for(cols, 64, [&](index_t b, index_t e) {
        for (index_t c = b; c < e; ++c) {
            T* col = y + c * rows;
            for (index_t r = 0; r < rows; ++r) col[r] += v[r];
        }
    });
}

}  // namespace cpu
}  // namespace exprae
