// max_pool1d's CPU kernels (ops/max_pool1d.h): the choice of maximum of
// math/max_pool1d.h, as the GPU makes it, over the channels of a column at
// once (they are contiguous); the backward pass scatters per sample, which
// is deterministic on a CPU and reads dy once, where the GPU's gather
// visits every input element.
#include <algorithm>

#include "backend/registry.h"
#include "cpu/parallel.h"
// Before the math it inlines: the running maximum vectorises only so.
EXPRAE_NO_TRAPPING_MATH
#include "math/max_pool1d.h"
#include "ops/max_pool1d.h"


namespace exprae {
namespace {

// Columns per thread so that each thread has about kElementwiseGrain
// values to visit.
index_t grain_for(index_t work_per_column) {
    return cpu::kElementwiseGrain / std::max<index_t>(1, work_per_column);
}

// best[c] = max(best[c], v[c]) over C channels, the first maximum kept
// (math/max_pool1d.h); with `at`, at[c] = k where v[c] took over.
template <typename T>
void take_max(const T* v, index_t C, T* best) {
    EXPRAE_SIMD
    for (index_t c = 0; c < C; ++c)
        best[c] = pool1d::takes_over(v[c], best[c]) ? v[c] : best[c];
}

template <typename T>
void take_max(const T* v, index_t C, T k, T* best, T* at) {
    EXPRAE_SIMD
    for (index_t c = 0; c < C; ++c) {
        T vc = v[c], bc = best[c], ac = at[c];
        bool over = pool1d::takes_over(vc, bc);
        best[c] = over ? vc : bc;
        at[c] = over ? k : ac;
    }
}

// x: (C, L, n) -> y, argmax (argmax may be null): (C, L_out, n). The
// channels of a position are contiguous, so the loop over them is the
// inner one and vectorises; each window's taps are visited in order, so
// the first maximum wins as on the GPU (math/max_pool1d.h).
template <typename T>
void forward_typed(const pool1d::Geometry& g, index_t n, const T* x, T* y,
                   T* argmax) {
    index_t C = g.channels;
    cpu::parallel_for(g.out_length * n, grain_for(C * g.size),
                      [&](index_t begin, index_t end) {
        for (index_t col = begin; col < end; ++col) {
            const T* w = x + pool1d::window_start(g, col % g.out_length,
                                                  col / g.out_length);
            T* yc = y + C * col;
            T* ac = argmax ? argmax + C * col : nullptr;
            for (index_t c = 0; c < C; ++c) yc[c] = w[c];
            if (ac) std::fill(ac, ac + C, T(0));
            for (index_t k = 1; k < g.size; ++k) {
                if (ac) {
                    take_max(w + C * k, C, static_cast<T>(k), yc, ac);
                } else {
                    take_max(w + C * k, C, yc);
                }
            }
        }
    });
}

// One sample's dx (C x L) from its dy and argmax (C x L_out): windows
// that do not overlap (stride >= size) write each of their positions
// once, the gradient where the maximum was and 0 elsewhere (a select that
// vectorises); positions no window covers get 0.
template <typename T>
void backward_disjoint(const pool1d::Geometry& g, const T* dy,
                       const T* argmax, T* dx, bool acc) {
    index_t C = g.channels;
    index_t covered = C * ((g.out_length - 1) * g.stride + g.size);
    for (index_t j = 0; j < g.out_length; ++j) {
        const T* dyj = dy + C * j;
        const T* aj = argmax + C * j;
        for (index_t k = 0; k < g.size; ++k) {
            T* d = dx + C * (j * g.stride + k);
            T tap = static_cast<T>(k);
            if (acc) {
                EXPRAE_SIMD
                for (index_t c = 0; c < C; ++c) {
                    T g = dyj[c];  // read unconditionally: a select
                    d[c] += aj[c] == tap ? g : T(0);
                }
            } else {
                EXPRAE_SIMD
                for (index_t c = 0; c < C; ++c) {
                    T g = dyj[c];
                    d[c] = aj[c] == tap ? g : T(0);
                }
            }
        }
        index_t gap_end = std::min(C * (j + 1) * g.stride, covered);
        for (index_t i = C * (j * g.stride + g.size); !acc && i < gap_end; ++i)
            dx[i] = T(0);
    }
    for (index_t i = covered; !acc && i < C * g.length; ++i) dx[i] = T(0);
}

// Overlapping windows: each output's gradient added at its maximum,
// windows in order (the sum of math/max_pool1d.h's gather).
template <typename T>
void backward_overlapping(const pool1d::Geometry& g, const T* dy,
                          const T* argmax, T* dx, bool acc) {
    index_t C = g.channels;
    if (!acc) std::fill(dx, dx + C * g.length, T(0));
    for (index_t j = 0; j < g.out_length; ++j) {
        T* at = dx + C * j * g.stride;
        for (index_t c = 0; c < C; ++c) {
            index_t k = static_cast<index_t>(argmax[c + C * j]);
            at[c + C * k] += dy[c + C * j];
        }
    }
}

// dy, argmax: (C, L_out, n) -> dx: (C, L, n), each thread owning whole
// samples: one pass over dy, deterministic.
template <typename T>
void backward_typed(const pool1d::Geometry& g, index_t n, const T* dy,
                    const T* argmax, T* dx, bool acc) {
    index_t in = g.channels * g.length, out = g.channels * g.out_length;
    bool disjoint = g.stride >= g.size;
    cpu::parallel_for(n, std::max<index_t>(1, grain_for(in)),
                      [&](index_t begin, index_t end) {
        for (index_t s = begin; s < end; ++s) {
            if (disjoint) {
                backward_disjoint(g, dy + out * s, argmax + out * s,
                                  dx + in * s, acc);
            } else {
                backward_overlapping(g, dy + out * s, argmax + out * s,
                                     dx + in * s, acc);
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
