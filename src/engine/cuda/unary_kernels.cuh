// The CUDA kernels of any elementwise function: a function's file
// (cuda/relu.cu, cuda/tanh.cu, ...) registers unary_kernels<F>() for its
// functor F (math/<name>.h; the contract is in cpu/unary_kernels.h, the
// CPU twin of this file). Grid-stride loops over the flat elements.
#pragma once

#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/unary.h"

namespace exprae {
namespace cuda {

// y[i] = f(x[i])   (n)
template <typename F>
__global__ void unary_forward_kernel(F f, index_t n, const float* x,
                                     float* y) {
    EXPRAE_GRID_STRIDE(i, n) y[i] = f.forward(x[i]);
}

// dx[i] (+)= dy[i] f'(x[i], y[i])   (n)
template <typename F>
__global__ void unary_backward_kernel(F f, index_t n, const float* x,
                                      const float* y, const float* dy,
                                      float* dx, bool acc) {
    EXPRAE_GRID_STRIDE(i, n) {
        float v = dy[i] * f.derivative(x[i], y[i]);
        dx[i] = acc ? dx[i] + v : v;
    }
}

// z[r, c] += b[r]; y[r, c] = f(z[r, c])   (z, y: rows x cols, b: rows)
template <typename F>
__global__ void unary_bias_forward_kernel(F f, index_t rows, index_t n,
                                          const float* b, float* z,
                                          float* y) {
    EXPRAE_GRID_STRIDE(i, n) {
        float v = z[i] + b[i % rows];
        z[i] = v;
        y[i] = f.forward(v);
    }
}

template <typename F>
void unary_forward(double param, const Tensor& x, const Tensor& y) {
    index_t n = x.size();
    if (n == 0) return;
    unary_forward_kernel<<<blocks_for(n), kThreads, 0, compute_stream()>>>(
        F(param), n, f32(x), f32(y));
    CUDA_CHECK_LAUNCH();
}

template <typename F>
void unary_backward(double param, const Tensor& x, const Tensor& y,
                    const Tensor& dy, const Tensor& dx, bool acc) {
    index_t n = x.size();
    if (n == 0) return;
    unary_backward_kernel<<<blocks_for(n), kThreads, 0, compute_stream()>>>(
        F(param), n, f32(x), f32(y), f32(dy), f32(dx), acc);
    CUDA_CHECK_LAUNCH();
}

template <typename F>
void unary_bias_forward(double param, const Tensor& b, const Tensor& z,
                        const Tensor& y) {
    index_t n = z.size();
    if (n == 0) return;
    unary_bias_forward_kernel<<<blocks_for(n), kThreads, 0,
                                compute_stream()>>>(
        F(param), z.rows(), n, f32(b), f32(z), f32(y));
    CUDA_CHECK_LAUNCH();
}

template <typename F>
UnaryKernels unary_kernels() {
    return UnaryKernels{&unary_forward<F>, &unary_backward<F>,
                        &unary_bias_forward<F>};
}

}  // namespace cuda
}  // namespace exprae
