// Batch norm (statistics per feature = row, over the minibatch) and layer
// norm (per sample = column, over the features), forward and backward; the
// CUDA twins of cpu/batch_norm.h and cpu/layer_norm.h, in double like them.
#include "cuda/kernels.h"
#include "cuda/launch.cuh"

namespace exprae {
namespace cuda {

namespace {

// A batch-norm block owns 32 rows (features); its 32 x 8 threads read 32
// consecutive floats of a column at a time and stride over the columns.
constexpr int kRows = 32, kLanes = 8;

// Sum over the lanes of a row's 8 partial sums; every thread of the row
// gets it.
__device__ inline double row_total(double v,
                                   double (&part)[kLanes][kRows]) {
    __syncthreads();
    part[threadIdx.y][threadIdx.x] = v;
    __syncthreads();
    double total = 0.0;
    for (int k = 0; k < kLanes; ++k) total += part[k][threadIdx.x];
    return total;
}

// x, xhat, y: rows x cols; gamma, beta, rm, rv, inv_std: rows
__global__ void batch_norm_forward_kernel(
    index_t rows, index_t cols, const float* x, const float* gamma,
    const float* beta, float* rm, float* rv, bool training, double momentum,
    double eps, float* inv_std, float* xhat, float* y) {
    __shared__ double part[kLanes][kRows];
    index_t r = blockIdx.x * static_cast<index_t>(kRows) + threadIdx.x;
    bool live = r < rows;
    double mean = 0.0, var = 0.0;
    if (training) {
        double s = 0.0;
        for (index_t c = threadIdx.y; live && c < cols; c += kLanes)
            s += x[r + c * rows];
        mean = row_total(s, part) / static_cast<double>(cols);
        double q = 0.0;
        for (index_t c = threadIdx.y; live && c < cols; c += kLanes) {
            double d = x[r + c * rows] - mean;
            q += d * d;
        }
        var = row_total(q, part) / static_cast<double>(cols);
    }
    if (!live) return;
    if (!training) {
        mean = rm[r];
        var = rv[r];
    }
    float m = static_cast<float>(mean);
    float s = static_cast<float>(1.0 / sqrt(var + eps));
    if (threadIdx.y == 0) {
        inv_std[r] = s;
        if (training) {
            double unbias = cols / static_cast<double>(cols - 1);
            rm[r] = static_cast<float>((1 - momentum) * rm[r] +
                                       momentum * mean);
            rv[r] = static_cast<float>((1 - momentum) * rv[r] +
                                       momentum * var * unbias);
        }
    }
    for (index_t c = threadIdx.y; c < cols; c += kLanes) {
        index_t i = r + c * rows;
        float h = (x[i] - m) * s;
        xhat[i] = h;
        y[i] = gamma[r] * h + beta[r];
    }
}

// dx = gamma inv_std / n (n dy - sum(dy) - xhat sum(dy xhat)) with batch
// statistics, gamma inv_std dy with running ones; dgamma, dbeta row sums.
__global__ void batch_norm_backward_kernel(
    index_t rows, index_t cols, const float* dy, const float* xhat,
    const float* inv_std, const float* gamma, bool batch_stats, float* dx,
    bool acc_dx, float* dgamma, bool acc_gamma, float* dbeta,
    bool acc_beta) {
    __shared__ double part[kLanes][kRows];
    index_t r = blockIdx.x * static_cast<index_t>(kRows) + threadIdx.x;
    bool live = r < rows;
    double s1 = 0.0, s2 = 0.0;
    for (index_t c = threadIdx.y; live && c < cols; c += kLanes) {
        index_t i = r + c * rows;
        s1 += dy[i];
        s2 += static_cast<double>(dy[i]) * xhat[i];
    }
    double sum_dy = row_total(s1, part);
    double sum_dy_xhat = row_total(s2, part);
    if (!live) return;
    if (threadIdx.y == 0 && dgamma) {
        dgamma[r] = static_cast<float>((acc_gamma ? dgamma[r] : 0.0) +
                                       sum_dy_xhat);
    }
    if (threadIdx.y == 0 && dbeta)
        dbeta[r] = static_cast<float>((acc_beta ? dbeta[r] : 0.0) + sum_dy);
    if (!dx) return;
    double n = static_cast<double>(cols);
    double g = static_cast<double>(gamma[r]) * inv_std[r];
    for (index_t c = threadIdx.y; c < cols; c += kLanes) {
        index_t i = r + c * rows;
        double v = batch_stats
            ? g / n * (n * dy[i] - sum_dy - xhat[i] * sum_dy_xhat)
            : g * dy[i];
        dx[i] = static_cast<float>(acc_dx ? dx[i] + v : v);
    }
}

// One warp per column (sample) of x (rows x cols); inv_std: cols.
constexpr int kWarps = kThreads / 32;

__global__ void layer_norm_forward_kernel(index_t rows, index_t cols,
                                          const float* x, const float* gamma,
                                          const float* beta, double eps,
                                          float* xhat, float* inv_std,
                                          float* y) {
    index_t c = blockIdx.x * static_cast<index_t>(kWarps) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (c >= cols) return;
    const float* xc = x + c * rows;
    double s = 0.0;
    for (index_t r = lane; r < rows; r += 32) s += xc[r];
    double mean = warp_sum(s) / static_cast<double>(rows);
    double q = 0.0;
    for (index_t r = lane; r < rows; r += 32) q += (xc[r] - mean) *
                                                   (xc[r] - mean);
    double sd_inv = 1.0 / sqrt(warp_sum(q) / static_cast<double>(rows) + eps);
    if (lane == 0) inv_std[c] = static_cast<float>(sd_inv);
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        float h = static_cast<float>((xc[r] - mean) * sd_inv);
        xhat[i] = h;
        y[i] = gamma[r] * h + beta[r];
    }
}

// g = dy gamma; dx = inv_std / F (F g - sum(g) - xhat sum(g xhat))
__global__ void layer_norm_backward_kernel(index_t rows, index_t cols,
                                           const float* dy, const float* xhat,
                                           const float* inv_std,
                                           const float* gamma, float* dx,
                                           bool acc) {
    index_t c = blockIdx.x * static_cast<index_t>(kWarps) + threadIdx.x / 32;
    int lane = threadIdx.x % 32;
    if (c >= cols) return;
    double s1 = 0.0, s2 = 0.0;
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        double g = static_cast<double>(dy[i]) * gamma[r];
        s1 += g;
        s2 += g * xhat[i];
    }
    s1 = warp_sum(s1);
    s2 = warp_sum(s2);
    double f = static_cast<double>(rows);
    for (index_t r = lane; r < rows; r += 32) {
        index_t i = r + c * rows;
        double g = static_cast<double>(dy[i]) * gamma[r];
        double v = inv_std[c] / f * (f * g - s1 - xhat[i] * s2);
        dx[i] = static_cast<float>(acc ? dx[i] + v : v);
    }
}

int row_blocks(index_t rows) {
    return static_cast<int>((rows + kRows - 1) / kRows);
}

int column_blocks(index_t cols) {
    return static_cast<int>((cols + kWarps - 1) / kWarps);
}

}  // namespace

void batch_norm_forward(index_t rows, index_t cols, const float* x,
                        const float* gamma, const float* beta, float* rm,
                        float* rv, bool training, double momentum, double eps,
                        float* inv_std, float* xhat, float* y,
                        cudaStream_t stream) {
    if (rows == 0) return;
    batch_norm_forward_kernel<<<row_blocks(rows), dim3(kRows, kLanes), 0,
                                stream>>>(rows, cols, x, gamma, beta, rm, rv,
                                          training, momentum, eps, inv_std,
                                          xhat, y);
    CUDA_CHECK_LAUNCH();
}

void batch_norm_backward(index_t rows, index_t cols, const float* dy,
                         const float* xhat, const float* inv_std,
                         const float* gamma, bool batch_stats, float* dx,
                         bool acc_dx, float* dgamma, bool acc_gamma,
                         float* dbeta, bool acc_beta, cudaStream_t stream) {
    if (rows == 0) return;
    batch_norm_backward_kernel<<<row_blocks(rows), dim3(kRows, kLanes), 0,
                                 stream>>>(rows, cols, dy, xhat, inv_std,
                                           gamma, batch_stats, dx, acc_dx,
                                           dgamma, acc_gamma, dbeta,
                                           acc_beta);
    CUDA_CHECK_LAUNCH();
}

void layer_norm_forward(index_t rows, index_t cols, const float* x,
                        const float* gamma, const float* beta, double eps,
                        float* xhat, float* inv_std, float* y,
                        cudaStream_t stream) {
    if (cols == 0) return;
    layer_norm_forward_kernel<<<column_blocks(cols), kThreads, 0, stream>>>(
        rows, cols, x, gamma, beta, eps, xhat, inv_std, y);
    CUDA_CHECK_LAUNCH();
}

void layer_norm_backward_input(index_t rows, index_t cols, const float* dy,
                               const float* xhat, const float* inv_std,
                               const float* gamma, float* dx, bool acc,
                               cudaStream_t stream) {
    if (cols == 0) return;
    layer_norm_backward_kernel<<<column_blocks(cols), kThreads, 0, stream>>>(
        rows, cols, dy, xhat, inv_std, gamma, dx, acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace cuda
}  // namespace exprae
