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

// out[r] (+)= sum_c x[r, c]   (x: rows x cols). A block takes 32 rows
// and a chunk of the columns; its 32 x 8 threads read 32 consecutive
// floats of a column at a time and stride over the chunk's columns by 8,
// then the 8 partial sums of a row add up in shared memory. One chunk
// writes out directly; several (grid.y) write their sums into `partial`
// (chunks x rows), which finish_row_sums_kernel adds in chunk order.
constexpr int kRowsPerBlock = 32, kColumnLanes = 8;
// Enough blocks to fill a large GPU; a chunk keeps >= kMinChunk columns.
constexpr index_t kTargetBlocks = 512, kMinChunk = 256;

__global__ void row_sums_kernel(index_t rows, index_t cols, index_t chunk,
                                const float* x, float* out, bool acc,
                                double* partial) {
    __shared__ double part[kColumnLanes][kRowsPerBlock];
    index_t r = blockIdx.x * static_cast<index_t>(kRowsPerBlock) +
                threadIdx.x;
    index_t c0 = blockIdx.y * chunk, c1 = min(cols, c0 + chunk);
    double total = 0.0;
    if (r < rows) {
        for (index_t c = c0 + threadIdx.y; c < c1; c += kColumnLanes)
            total += x[r + c * rows];
    }
    part[threadIdx.y][threadIdx.x] = total;
    __syncthreads();
    if (threadIdx.y != 0 || r >= rows) return;
    for (int k = 1; k < kColumnLanes; ++k) total += part[k][threadIdx.x];
    if (partial != nullptr) {
        partial[blockIdx.y * rows + r] = total;
        return;
    }
    out[r] = static_cast<float>(acc ? out[r] + total : total);
}

__global__ void finish_row_sums_kernel(index_t rows, int chunks,
                                       const double* partial, float* out,
                                       bool acc) {
    EXPRAE_GRID_STRIDE(r, rows) {
        double total = 0.0;
        for (int k = 0; k < chunks; ++k) total += partial[k * rows + r];
        out[r] = static_cast<float>(acc ? out[r] + total : total);
    }
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

int row_sum_chunks(index_t rows, index_t cols) {
    index_t row_blocks = (rows + kRowsPerBlock - 1) / kRowsPerBlock;
    index_t chunks = std::min(kTargetBlocks / std::max<index_t>(1, row_blocks),
                              cols / kMinChunk);
    return static_cast<int>(std::max<index_t>(1, chunks));
}

void row_sums(index_t rows, index_t cols, const float* x, float* out,
              bool acc, double* partial, cudaStream_t stream) {
    if (rows == 0) return;
    int chunks = row_sum_chunks(rows, cols);
    index_t chunk = (cols + chunks - 1) / chunks;
    dim3 threads(kRowsPerBlock, kColumnLanes);
    dim3 blocks(static_cast<unsigned>((rows + kRowsPerBlock - 1) /
                                      kRowsPerBlock),
                static_cast<unsigned>(chunks));
    if (chunks == 1) partial = nullptr;
    row_sums_kernel<<<blocks, threads, 0, stream>>>(rows, cols, chunk, x, out,
                                                    acc, partial);
    CUDA_CHECK_LAUNCH();
    if (chunks == 1) return;
    finish_row_sums_kernel<<<blocks_for(rows), kThreads, 0, stream>>>(
        rows, chunks, partial, out, acc);
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
