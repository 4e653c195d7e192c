// max_pool1d's CPU kernels (ops/max_pool1d.h): the window math of
// math/max_pool1d.h, as the GPU runs it, over columns (one output or input
// position of one sample, all channels) in parallel.
#include <algorithm>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "math/max_pool1d.h"
#include "ops/max_pool1d.h"

namespace exprae {
namespace {

// Columns per thread so that each thread has about kElementwiseGrain
// values to visit.
index_t grain_for(index_t work_per_column) {
    return cpu::kElementwiseGrain / std::max<index_t>(1, work_per_column);
}

// x: (C, L, n) -> y, argmax (argmax may be null): (C, L_out, n)
template <typename T>
void forward_typed(const pool1d::Geometry& g, index_t n, const T* x, T* y,
                   T* argmax) {
    index_t C = g.channels;
    cpu::parallel_for(g.out_length * n, grain_for(C * g.size),
                      [&](index_t begin, index_t end) {
        for (index_t col = begin; col < end; ++col) {
            const T* w = x + pool1d::window_start(g, col % g.out_length,
                                                  col / g.out_length);
            for (index_t c = 0; c < C; ++c) {
                index_t k = pool1d::first_max_offset(w + c, C, g.size);
                y[c + C * col] = w[c + C * k];
                if (argmax) argmax[c + C * col] = static_cast<T>(k);
            }
        }
    });
}

// dy, argmax: (C, L_out, n) -> dx: (C, L, n), one column of dx at a time
template <typename T>
void backward_typed(const pool1d::Geometry& g, index_t n, const T* dy,
                    const T* argmax, T* dx, bool acc) {
    index_t C = g.channels;
    index_t windows = (g.size + g.stride - 1) / g.stride;  // per position
    cpu::parallel_for(g.length * n, grain_for(C * windows),
                      [&](index_t begin, index_t end) {
        for (index_t col = begin; col < end; ++col) {
            index_t l = col % g.length, s = col / g.length;
            index_t base = C * g.out_length * s;  // (0, 0, s)
            for (index_t c = 0; c < C; ++c) {
                double v = pool1d::max_grad_at(g, l, dy + base + c,
                                               argmax + base + c);
                T& d = dx[c + C * col];
                d = static_cast<T>(acc ? d + v : v);
            }
        }
    });
}

void forward(const Tensor& x, index_t size, index_t stride, const Tensor& y,
             const Tensor& argmax) {
    pool1d::Geometry g = pool1d::geometry(x, y, size, stride);
    dispatch(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        forward_typed<T>(g, x.dim(2), x.data<T>(), y.data<T>(),
                         argmax.defined() ? argmax.data<T>() : nullptr);
    });
}

void backward(const Tensor& dy, const Tensor& argmax, index_t size,
              index_t stride, const Tensor& dx, bool acc) {
    pool1d::Geometry g = pool1d::geometry(dx, dy, size, stride);
    dispatch(dy.dtype(), [&](auto tag) {
        using T = decltype(tag);
        backward_typed<T>(g, dx.dim(2), dy.data<T>(), argmax.data<T>(),
                          dx.data<T>(), acc);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(MaxPool1dKernels, "max_pool1d", Device::cpu,
                        &forward, &backward);

}  // namespace exprae
