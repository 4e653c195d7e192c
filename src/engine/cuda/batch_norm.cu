// batch_norm's CUDA kernels (ops/batch_norm.h): statistics per feature
// (row) over the minibatch, in double like the CPU twin
// (cpu/batch_norm.cpp).
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/batch_norm.h"

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

int row_blocks(index_t rows) {
    return static_cast<int>((rows + kRows - 1) / kRows);
}

void forward(const Tensor& x, const Tensor& gamma, const Tensor& beta,
             const Tensor& rm, const Tensor& rv, bool training,
             double momentum, double eps, const Tensor& inv_std,
             const Tensor& xhat, const Tensor& y) {
    index_t rows = x.rows();
    if (rows == 0) return;
    batch_norm_forward_kernel<<<row_blocks(rows), dim3(kRows, kLanes), 0,
                                compute_stream()>>>(
        rows, x.cols(), f32(x), f32(gamma), f32(beta), f32(rm), f32(rv),
        training, momentum, eps, f32(inv_std), f32(xhat), f32(y));
    CUDA_CHECK_LAUNCH();
}

void backward(const Tensor& dy, const Tensor& xhat, const Tensor& inv_std,
              const Tensor& gamma, bool batch_stats, const Tensor& dx,
              bool acc_dx, const Tensor& dg, bool acc_g, const Tensor& db,
              bool acc_b) {
    index_t rows = dy.rows();
    if (rows == 0) return;
    batch_norm_backward_kernel<<<row_blocks(rows), dim3(kRows, kLanes), 0,
                                 compute_stream()>>>(
        rows, dy.cols(), f32(dy), f32(xhat), f32(inv_std), f32(gamma),
        batch_stats, f32(dx), acc_dx, f32(dg), acc_g, f32(db), acc_b);
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(BatchNormKernels, "batch_norm", Device::cuda,
                        &cuda::forward, &cuda::backward);

}  // namespace exprae
