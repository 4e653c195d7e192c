// batch_norm's CPU kernels (ops/batch_norm.h): statistics per feature
// (row) over the minibatch (columns) of a column-major features x n matrix.
#include <cmath>
#include <vector>

#include "backend/registry.h"
#include "ops/batch_norm.h"

namespace exprae {
namespace {

template <typename T> T* ptr(const Tensor& t) {
    return t.defined() ? t.data<T>() : nullptr;
}

// Per-row mean and biased variance of x (rows x cols), in double.
template <typename T>
void row_moments(index_t rows, index_t cols, const T* x,
                 std::vector<double>& mean, std::vector<double>& var) {
    mean.assign(rows, 0.0);
    var.assign(rows, 0.0);
    for (index_t c = 0; c < cols; ++c)
        for (index_t r = 0; r < rows; ++r) mean[r] += x[r + c * rows];
    for (index_t r = 0; r < rows; ++r) mean[r] /= static_cast<double>(cols);
    for (index_t c = 0; c < cols; ++c) {
        for (index_t r = 0; r < rows; ++r) {
            double d = x[r + c * rows] - mean[r];
            var[r] += d * d;
        }
    }
    for (index_t r = 0; r < rows; ++r) var[r] /= static_cast<double>(cols);
}

// Fills mean and inv_std (rows x 1) from the batch (training: updating the
// running statistics with momentum, the variance unbiased) or from the
// running statistics (inference).
template <typename T>
void batch_statistics(index_t rows, index_t cols, const T* x, T* rm, T* rv,
                      bool training, double momentum, double eps, T* mean,
                      T* inv_std) {
    if (!training) {
        for (index_t r = 0; r < rows; ++r) {
            mean[r] = rm[r];
            inv_std[r] = T(1.0 / std::sqrt(double(rv[r]) + eps));
        }
        return;
    }
    std::vector<double> bm, bv;
    row_moments<T>(rows, cols, x, bm, bv);
    double unbias = static_cast<double>(cols) / static_cast<double>(cols - 1);
    for (index_t r = 0; r < rows; ++r) {
        mean[r] = T(bm[r]);
        inv_std[r] = T(1.0 / std::sqrt(bv[r] + eps));
        rm[r] = T((1 - momentum) * rm[r] + momentum * bm[r]);
        rv[r] = T((1 - momentum) * rv[r] + momentum * bv[r] * unbias);
    }
}

// xhat = (x - mean) * inv_std;  y = gamma * xhat + beta   (per row)
template <typename T>
void normalize_rows(index_t rows, index_t cols, const T* x, const T* mean,
                    const T* inv_std, const T* gamma, const T* beta, T* xhat,
                    T* y) {
    for (index_t c = 0; c < cols; ++c) {
        for (index_t r = 0; r < rows; ++r) {
            index_t i = r + c * rows;
            xhat[i] = (x[i] - mean[r]) * inv_std[r];
            y[i] = gamma[r] * xhat[i] + beta[r];
        }
    }
}

// Gradients of batch norm. With batch statistics:
//   dx = gamma * inv_std / n * (n dy - sum(dy) - xhat sum(dy xhat))
// with running statistics (inference) the statistics are constants:
//   dx = gamma * inv_std * dy
template <typename T>
void backward_rows(index_t rows, index_t cols, const T* dy,
                         const T* xhat, const T* inv_std, const T* gamma,
                         bool batch_stats, T* dx, bool acc_dx, T* dgamma,
                         bool acc_gamma, T* dbeta, bool acc_beta) {
    std::vector<double> sum_dy(rows, 0.0), sum_dy_xhat(rows, 0.0);
    for (index_t c = 0; c < cols; ++c) {
        for (index_t r = 0; r < rows; ++r) {
            index_t i = r + c * rows;
            sum_dy[r] += dy[i];
            sum_dy_xhat[r] += dy[i] * xhat[i];
        }
    }
    for (index_t r = 0; dgamma != nullptr && r < rows; ++r)
        dgamma[r] = T((acc_gamma ? dgamma[r] : 0) + sum_dy_xhat[r]);
    for (index_t r = 0; dbeta != nullptr && r < rows; ++r)
        dbeta[r] = T((acc_beta ? dbeta[r] : 0) + sum_dy[r]);
    if (dx == nullptr) return;
    const double n = static_cast<double>(cols);
    for (index_t c = 0; c < cols; ++c) {
        for (index_t r = 0; r < rows; ++r) {
            index_t i = r + c * rows;
            double g = gamma[r] * inv_std[r];
            double v = batch_stats
                ? g / n * (n * dy[i] - sum_dy[r] - xhat[i] * sum_dy_xhat[r])
                : g * dy[i];
            dx[i] = T(acc_dx ? dx[i] + v : v);
        }
    }
}

void forward(const Tensor& x, const Tensor& gamma, const Tensor& beta,
             const Tensor& rm, const Tensor& rv, bool training,
             double momentum, double eps, const Tensor& inv_std,
             const Tensor& xhat, const Tensor& y) {
    index_t f = x.rows(), n = x.cols();
    dispatch(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        std::vector<T> mean(static_cast<std::size_t>(f));
        batch_statistics<T>(f, n, x.data<T>(), rm.data<T>(), rv.data<T>(),
                            training, momentum, eps, mean.data(),
                            inv_std.data<T>());
        normalize_rows<T>(f, n, x.data<T>(), mean.data(), inv_std.data<T>(),
                          gamma.data<T>(), beta.data<T>(), xhat.data<T>(),
                          y.data<T>());
    });
}

void backward(const Tensor& dy, const Tensor& xhat, const Tensor& inv_std,
              const Tensor& gamma, bool batch_stats, const Tensor& dx,
              bool acc_dx, const Tensor& dg, bool acc_g, const Tensor& db,
              bool acc_b) {
    dispatch(dy.dtype(), [&](auto tag) {
        using T = decltype(tag);
        backward_rows<T>(dy.rows(), dy.cols(), dy.data<T>(), xhat.data<T>(),
                         inv_std.data<T>(), gamma.data<T>(), batch_stats,
                         ptr<T>(dx), acc_dx, ptr<T>(dg), acc_g, ptr<T>(db),
                         acc_b);
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(BatchNormKernels, "batch_norm", Device::cpu,
                        &forward, &backward);

}  // namespace exprae
