// conv1d's CPU kernels (ops/conv1d.h): im2col and its adjoint col2im, the
// reference of the CUDA twins (cuda/conv1d.cu). x(:, s, j) is a contiguous
// run of C_in values and so is each tap's block of a cols column, so both
// move whole runs of channels (with dilation 1, the run of all the taps
// inside the input). im2col's threads split the columns (positions x
// samples), col2im's the samples: each output element has one writer.
#include <algorithm>
#include <vector>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "ops/conv1d.h"

namespace exprae {
namespace {

index_t ceil_div(index_t a, index_t b) { return (a + b - 1) / b; }

// Items (columns, samples) per thread chunk so that a chunk moves at least
// the elementwise grain.
index_t column_grain(index_t column_size) {
    return std::max<index_t>(1, cpu::kElementwiseGrain /
                                    std::max<index_t>(1, column_size));
}

// Taps [k0, k1) of output column p read inside [0, L); first is the
// position tap 0 reads.
struct TapRange {
    index_t first, k0, k1;
};

TapRange taps_inside(const Conv1dGeometry& g, index_t L, index_t p) {
    const index_t W = g.width, d = g.dilation;
    index_t first = p * g.stride - g.pad_left;
    index_t k0 = first >= 0 ? 0 : std::min(W, ceil_div(-first, d));
    index_t k1 = first >= L ? 0 : std::min(W, ceil_div(L - first, d));
    return {first, k0, std::max(k0, k1)};
}

// x (C, L, n) -> cols (C W, L_out, n). Column q = p + L_out j: the taps
// inside the input are copied, the others zeroed. With dilation 1 those
// taps are one contiguous run of C (k1 - k0) values of x.
template <typename T>
void im2col_typed(const Conv1dGeometry& g, const Tensor& x,
                  const Tensor& cols) {
    const index_t C = x.dim(0), L = x.dim(1);
    const index_t R = C * g.width, L_out = cols.dim(1), d = g.dilation;
    const T* xs = x.data<T>();
    T* out = cols.data<T>();
    cpu::parallel_for(L_out * cols.dim(2), column_grain(R),
                      [&](index_t lo, index_t hi) {
        for (index_t q = lo; q < hi; ++q) {
            TapRange r = taps_inside(g, L, q % L_out);
            T* col = out + R * q;
            const T* xj = xs + C * L * (q / L_out);
            std::fill(col, col + C * r.k0, T(0));
            if (r.k1 > r.k0 && d == 1) {
                std::copy(xj + C * (r.first + r.k0),
                          xj + C * (r.first + r.k1), col + C * r.k0);
            } else {
                for (index_t k = r.k0; k < r.k1; ++k) {
                    const T* src = xj + C * (r.first + k * d);
                    std::copy(src, src + C, col + C * k);
                }
            }
            std::fill(col + C * r.k1, col + R, T(0));
        }
    });
}

// dx (C, L, n) (+)= col2im(dcols (C W, L_out, n)), the adjoint of the
// copy above: one sample per thread at a time, its columns p in order
// scattered (+=) into a double buffer of the sample (one run of C (k1 -
// k0) values per column with dilation 1), then written out. A sample has
// one writer and a fixed order: the same sums every run. (The GPU twin
// gathers instead: there a thread per element needs no buffer.)
template <typename T>
void col2im_typed(const Conv1dGeometry& g, const Tensor& dcols,
                  const Tensor& dx, bool acc) {
    const index_t C = dx.dim(0), L = dx.dim(1), CL = C * L;
    const index_t R = C * g.width, L_out = dcols.dim(1), d = g.dilation;
    const T* dc = dcols.data<T>();
    T* out = dx.data<T>();
    cpu::parallel_for(dx.dim(2), column_grain(R * L_out),
                      [&](index_t lo, index_t hi) {
        std::vector<double> buf(CL);
        for (index_t j = lo; j < hi; ++j) {
            std::fill(buf.begin(), buf.end(), 0.0);
            for (index_t p = 0; p < L_out; ++p) {
                TapRange r = taps_inside(g, L, p);
                const T* col = dc + R * (p + L_out * j);
                if (r.k1 > r.k0 && d == 1) {
                    double* b = buf.data() + C * (r.first + r.k0);
                    const T* src = col + C * r.k0;
                    EXPRAE_SIMD
                    for (index_t i = 0; i < C * (r.k1 - r.k0); ++i)
                        b[i] += src[i];
                } else {
                    for (index_t k = r.k0; k < r.k1; ++k) {
                        double* b = buf.data() + C * (r.first + k * d);
                        const T* src = col + C * k;
                        EXPRAE_SIMD
                        for (index_t c = 0; c < C; ++c) b[c] += src[c];
                    }
                }
            }
            T* dst = out + CL * j;
            if (acc) {
                EXPRAE_SIMD
                for (index_t i = 0; i < CL; ++i)
                    dst[i] = static_cast<T>(dst[i] + buf[i]);
            } else {
                EXPRAE_SIMD
                for (index_t i = 0; i < CL; ++i)
                    dst[i] = static_cast<T>(buf[i]);
            }
        }
    });
}

void im2col(const Conv1dGeometry& g, const Tensor& x, const Tensor& cols) {
    dispatch(x.dtype(), [&](auto tag) {
        im2col_typed<decltype(tag)>(g, x, cols);
    });
}

void col2im(const Conv1dGeometry& g, const Tensor& dcols, const Tensor& dx,
            bool acc) {
    dispatch(dx.dtype(), [&](auto tag) {
        col2im_typed<decltype(tag)>(g, dcols, dx, acc);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(Conv1dKernels, "conv1d", Device::cpu, &im2col,
                        &col2im);

}  // namespace exprae
