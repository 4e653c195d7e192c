// The CUDA backend's reductions (cuda/backend_kernels.h) and the second
// phase every reduction of cuda/reduce.cuh ends with: all accumulated in
// double as the CPU does, and deterministic.
#include "cuda/backend_kernels.h"
#include "cuda/reduce.cuh"

namespace exprae {
namespace cuda {

namespace {

// out = factor * sum(scratch[0..blocks)), one block
__global__ void finish_sum_kernel(int blocks, const double* scratch,
                                  double factor, float* out_f32,
                                  double* out_f64) {
    double total = 0.0;
    for (int k = threadIdx.x; k < blocks; k += blockDim.x) total += scratch[k];
    total = block_sum(total) * factor;
    if (threadIdx.x != 0) return;
    if (out_f32) *out_f32 = static_cast<float>(total);
    if (out_f64) *out_f64 = total;
}

// out[r] (+)= sum_c x[r, c]   (x: rows x cols). A block takes 32 rows;
// its 32 x 8 threads read 32 consecutive floats of a column at a time and
// stride over the columns by 8, then the 8 partial sums of a row add up
// in shared memory.
constexpr int kRowsPerBlock = 32, kColumnLanes = 8;

__global__ void row_sums_kernel(index_t rows, index_t cols, const float* x,
                                float* out, bool acc) {
    __shared__ double part[kColumnLanes][kRowsPerBlock];
    index_t r = blockIdx.x * static_cast<index_t>(kRowsPerBlock) +
                threadIdx.x;
    double total = 0.0;
    if (r < rows) {
        for (index_t c = threadIdx.y; c < cols; c += kColumnLanes)
            total += x[r + c * rows];
    }
    part[threadIdx.y][threadIdx.x] = total;
    __syncthreads();
    if (threadIdx.y != 0 || r >= rows) return;
    for (int k = 1; k < kColumnLanes; ++k) total += part[k][threadIdx.x];
    out[r] = static_cast<float>(acc ? out[r] + total : total);
}

struct Value {
    const float* x;
    __device__ double operator()(index_t i) const { return x[i]; }
};

struct Square {
    const float* x;
    __device__ double operator()(index_t i) const {
        double v = x[i];
        return v * v;
    }
};

}  // namespace

void finish_sum(int blocks, const double* scratch, double factor,
                float* out_f32, double* out_f64, cudaStream_t stream) {
    finish_sum_kernel<<<1, kThreads, 0, stream>>>(blocks, scratch, factor,
                                                  out_f32, out_f64);
    CUDA_CHECK_LAUNCH();
}

void row_sums(index_t rows, index_t cols, const float* x, float* out,
              bool acc, cudaStream_t stream) {
    if (rows == 0) return;
    dim3 threads(kRowsPerBlock, kColumnLanes);
    int blocks = static_cast<int>((rows + kRowsPerBlock - 1) / kRowsPerBlock);
    row_sums_kernel<<<blocks, threads, 0, stream>>>(rows, cols, x, out, acc);
    CUDA_CHECK_LAUNCH();
}

void sum_values(index_t n, const float* x, double factor, float* out,
                cudaStream_t stream) {
    reduce_sum(n, Value{x}, factor, out, nullptr, stream);
}

void sum_squares(index_t n, const float* x, double* out,
                 cudaStream_t stream) {
    reduce_sum(n, Square{x}, 1.0, nullptr, out, stream);
}

}  // namespace cuda
}  // namespace exprae
