// The generic elementwise loops of the CPU backend (cpu/backend.cpp):
// scaled adds, products, fills and row copies over flat arrays.
#pragma once

#include <algorithm>

#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

// out[i] (+)= alpha * a[i]
template <typename T>
void axpy(index_t n, T alpha, const T* a, T* out, bool accumulate) {
    parallel_for(n, kElementwiseGrain, [&](index_t b, index_t e) {
        if (accumulate) {
            for (index_t i = b; i < e; ++i) out[i] += alpha * a[i];
        } else {
            for (index_t i = b; i < e; ++i) out[i] = alpha * a[i];
        }
    });
}

// out[i] (+)= a[i] * b[i]
template <typename T>
void multiply(index_t n, const T* a, const T* b, T* out, bool accumulate) {
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        if (accumulate) {
            for (index_t i = lo; i < hi; ++i) out[i] += a[i] * b[i];
        } else {
            for (index_t i = lo; i < hi; ++i) out[i] = a[i] * b[i];
        }
    });
}

// out[i] (+)= value
template <typename T>
void fill_add(index_t n, T value, T* out, bool accumulate) {
    if (!accumulate) {
        std::fill(out, out + n, value);
        return;
    }
    for (index_t i = 0; i < n; ++i) out[i] += value;
}

// Copies rows [offset, offset + p) of every column between whole (r x n)
// and part (p x n); to_part selects the direction, acc adds into part.
template <typename T>
void copy_rows(index_t r, index_t p, index_t n, index_t offset, T* whole,
               T* part, bool to_part, bool acc) {
    for (index_t j = 0; j < n; ++j) {
        T* wc = whole + j * r + offset;
        T* sc = part + j * p;
        if (!to_part) {
            std::copy(sc, sc + p, wc);
        } else if (acc) {
            for (index_t i = 0; i < p; ++i) sc[i] += wc[i];
        } else {
            std::copy(wc, wc + p, sc);
        }
    }
}

}  // namespace cpu
}  // namespace exprae
