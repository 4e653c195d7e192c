// The CPU kernels of any elementwise function: a function's file
// (cpu/relu.cpp, cpu/tanh.cpp, ...) registers unary_kernels<F>() for its
// functor F (math/<name>.h), which has
//   F(double param)                 its parameter (a slope, an alpha)
//   T forward(T x) const            y = f(x)
//   T derivative(T x, T y) const    dy/dx, from the input and/or the output
// cuda/unary_kernels.cuh applies the same functors on a GPU.
#pragma once

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "ops/unary.h"

// Derivatives with a comparison (relu's) vectorise only so.
EXPRAE_NO_TRAPPING_MATH

namespace exprae {
namespace cpu {

// y = f(x)
template <typename F>
void unary_forward(double param, const Tensor& x, const Tensor& y) {
    const F f(param);
    dispatch(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* xs = x.data<T>();
        T* ys = y.data<T>();
        parallel_for(x.size(), kElementwiseGrain, [&](index_t b, index_t e) {
            EXPRAE_SIMD
            for (index_t i = b; i < e; ++i) ys[i] = f.forward(xs[i]);
        });
    });
}

// dx (+)= dy * f'(x, y)
template <typename F>
void unary_backward(double param, const Tensor& x, const Tensor& y,
                    const Tensor& dy, const Tensor& dx, bool acc) {
    const F f(param);
    dispatch(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T *xs = x.data<T>(), *ys = y.data<T>(), *g = dy.data<T>();
        T* d = dx.data<T>();
        parallel_for(x.size(), kElementwiseGrain, [&](index_t b, index_t e) {
            if (acc) {
                EXPRAE_SIMD
                for (index_t i = b; i < e; ++i)
                    d[i] += g[i] * f.derivative(xs[i], ys[i]);
            } else {
                EXPRAE_SIMD
                for (index_t i = b; i < e; ++i)
                    d[i] = g[i] * f.derivative(xs[i], ys[i]);
            }
        });
    });
}

// z[r, c] += b[r]; y[r, c] = f(z[r, c])  (z, y: rows x cols; y may be z)
template <typename F>
void unary_bias_forward(double param, const Tensor& b, const Tensor& z,
                        const Tensor& y) {
    const F f(param);
    index_t rows = z.rows();
    dispatch(z.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* bs = b.data<T>();
        T *zs = z.data<T>(), *ys = y.data<T>();
        parallel_for(z.cols(), 64, [&](index_t lo, index_t hi) {
            for (index_t c = lo; c < hi; ++c) {
                T* zc = zs + c * rows;
                T* yc = ys + c * rows;
                EXPRAE_SIMD
                for (index_t r = 0; r < rows; ++r) {
                    zc[r] += bs[r];
                    yc[r] = f.forward(zc[r]);
                }
            }
        });
    });
}

template <typename F>
UnaryKernels unary_kernels() {
    return UnaryKernels{&unary_forward<F>, &unary_backward<F>,
                        &unary_bias_forward<F>};
}

}  // namespace cpu
}  // namespace exprae
