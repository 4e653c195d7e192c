// Elementwise kernels. An op supplies a functor with
//   T forward(T x) const           y = f(x)
//   T derivative(T x, T y) const   dy/dx, from the input and/or the output
// and these loops apply it; the same functor can later serve a CUDA kernel.
#pragma once

#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

// y[i] = f(x[i])
template <typename F, typename T>
void map_forward(const F& f, index_t n, const T* x, T* y) {
    parallel_for(n, kElementwiseGrain, [&](index_t b, index_t e) {
        for (index_t i = b; i < e; ++i) y[i] = f.forward(x[i]);
    });
}

// dx[i] (+)= dy[i] * f'(x[i])
template <typename F, typename T>
void map_backward(const F& f, index_t n, const T* x, const T* y, const T* dy,
                  T* dx, bool accumulate) {
    parallel_for(n, kElementwiseGrain, [&](index_t b, index_t e) {
        if (accumulate) {
            for (index_t i = b; i < e; ++i)
                dx[i] += dy[i] * f.derivative(x[i], y[i]);
        } else {
            for (index_t i = b; i < e; ++i)
                dx[i] = dy[i] * f.derivative(x[i], y[i]);
        }
    });
}

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

}  // namespace cpu
}  // namespace exprae
