// layer_norm's CPU kernels (ops/layer_norm.h): statistics per sample
// (column) over its features.
#include <cmath>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "ops/layer_norm.h"

namespace exprae {
namespace {

using cpu::parallel_for;

// For each column: xhat = (x - mean) * inv_std; y = gamma * xhat + beta.
// inv_std (1 x cols) is kept for the backward pass.
template <typename T>
void forward_columns(index_t rows, index_t cols, const T* x,
                        const T* gamma, const T* beta, double eps, T* xhat,
                        T* inv_std, T* y) {
    parallel_for(cols, 16, [&](index_t lo, index_t hi) {
        for (index_t c = lo; c < hi; ++c) {
            const T* xc = x + c * rows;
            double mean = 0.0, var = 0.0;
            for (index_t r = 0; r < rows; ++r) mean += xc[r];
            mean /= static_cast<double>(rows);
            for (index_t r = 0; r < rows; ++r)
                var += (xc[r] - mean) * (xc[r] - mean);
            var /= static_cast<double>(rows);
            double s = 1.0 / std::sqrt(var + eps);
            inv_std[c] = T(s);
            for (index_t r = 0; r < rows; ++r) {
                index_t i = r + c * rows;
                xhat[i] = T((xc[r] - mean) * s);
                y[i] = gamma[r] * xhat[i] + beta[r];
            }
        }
    });
}

// dxhat = dy * gamma;
// dx = inv_std / F * (F dxhat - sum(dxhat) - xhat sum(dxhat xhat))
template <typename T>
void backward_columns(index_t rows, index_t cols, const T* dy,
                               const T* xhat, const T* inv_std,
                               const T* gamma, T* dx, bool acc) {
    const double f = static_cast<double>(rows);
    parallel_for(cols, 16, [&](index_t lo, index_t hi) {
        for (index_t c = lo; c < hi; ++c) {
            double s1 = 0.0, s2 = 0.0;
            for (index_t r = 0; r < rows; ++r) {
                index_t i = r + c * rows;
                double g = dy[i] * gamma[r];
                s1 += g;
                s2 += g * xhat[i];
            }
            for (index_t r = 0; r < rows; ++r) {
                index_t i = r + c * rows;
                double g = dy[i] * gamma[r];
                double v = inv_std[c] / f * (f * g - s1 - xhat[i] * s2);
                dx[i] = T(acc ? dx[i] + v : v);
            }
        }
    });
}

void forward(const Tensor& x, const Tensor& gamma, const Tensor& beta,
             double eps, const Tensor& xhat, const Tensor& inv_std,
             const Tensor& y) {
    dispatch(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        forward_columns<T>(x.rows(), x.cols(), x.data<T>(), gamma.data<T>(),
                           beta.data<T>(), eps, xhat.data<T>(),
                           inv_std.data<T>(), y.data<T>());
    });
}

void backward_input(const Tensor& dy, const Tensor& xhat,
                    const Tensor& inv_std, const Tensor& gamma,
                    const Tensor& dx, bool acc) {
    dispatch(dy.dtype(), [&](auto tag) {
        using T = decltype(tag);
        backward_columns<T>(dy.rows(), dy.cols(), dy.data<T>(),
                            xhat.data<T>(), inv_std.data<T>(),
                            gamma.data<T>(), dx.data<T>(), acc);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(LayerNormKernels, "layer_norm", Device::cpu,
                        &forward, &backward_input);

}  // namespace exprae
