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
    // A sum per thread over its block of columns, added in thread order:
    // the same result for a given thread count (a convolution's bias
    // gradient sums over positions x samples, 25,600 columns a minibatch).
    int threads = cols * rows > kElementwiseGrain ? num_threads() : 1;
    std::vector<double> part(static_cast<std::size_t>(rows) * threads, 0.0);
    index_t chunk = (cols + threads - 1) / threads;
    parallel_for(threads, 0, [&](index_t t0, index_t t1) {
        for (index_t t = t0; t < t1; ++t) {
            double* acc = part.data() + rows * t;
            index_t end = std::min(cols, (t + 1) * chunk);
            for (index_t c = t * chunk; c < end; ++c) {
                const T* col = x + c * rows;
                EXPRAE_SIMD
                for (index_t r = 0; r < rows; ++r) acc[r] += col[r];
            }
        }
    });
    for (index_t r = 0; r < rows; ++r) {
        double total = 0.0;
        for (int t = 0; t < threads; ++t) total += part[rows * t + r];
        out[r] = static_cast<T>(accumulate ? out[r] + total : total);
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
