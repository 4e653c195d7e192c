// The CUDA backend's generic elementwise kernels (cuda/backend_kernels.h):
// scaled adds, products, fills, row copies and normal draws that match the
// CPU's number for number. Every kernel is a grid-stride loop over the
// elements of flat, column-major tensors.
#include "cuda/backend_kernels.h"
#include "cuda/launch.cuh"
#include "random/philox.h"

namespace exprae {
namespace cuda {

namespace {

// out[i] (+)= alpha s[0] a[i]   (n)
__global__ void axpy_kernel(index_t n, float alpha, const float* s,
                            const float* a, float* out, bool acc) {
    float k = s ? alpha * s[0] : alpha;
    EXPRAE_GRID_STRIDE(i, n) {
        float v = k * a[i];
        out[i] = acc ? out[i] + v : v;
    }
}

// out[i] (+)= a[i] b[i]   (n)
__global__ void multiply_kernel(index_t n, const float* a, const float* b,
                                float* out, bool acc) {
    EXPRAE_GRID_STRIDE(i, n) {
        float v = a[i] * b[i];
        out[i] = acc ? out[i] + v : v;
    }
}

// out[i] (+)= value s[0]   (n)
__global__ void fill_kernel(index_t n, float value, const float* s,
                            float* out, bool acc) {
    float v = s ? value * s[0] : value;
    EXPRAE_GRID_STRIDE(i, n) out[i] = acc ? out[i] + v : v;
}

// whole (r x cols) rows [offset, offset + p) <-> part (p x cols)
__global__ void copy_rows_kernel(index_t r, index_t p, index_t n,
                                 index_t offset, float* whole, float* part,
                                 bool to_part, bool acc) {
    EXPRAE_GRID_STRIDE(k, n) {
        index_t i = k % p, j = k / p;
        float* w = whole + j * r + offset + i;
        if (!to_part) {
            *w = part[k];
        } else {
            part[k] = acc ? part[k] + *w : *w;
        }
    }
}

// out[, k] = whole[, columns[k]]   (out: rows x n)
__global__ void gather_columns_kernel(index_t rows, index_t total,
                                      const float* whole,
                                      const float* columns, float* out) {
    EXPRAE_GRID_STRIDE(t, total) {
        index_t i = t % rows, k = t / rows;
        out[t] = whole[static_cast<index_t>(columns[k]) * rows + i];
    }
}

// out[i] = normal(base + i)   (n)
__global__ void normal_kernel(Philox rng, std::uint64_t base, index_t n,
                              float* out) {
    EXPRAE_GRID_STRIDE(i, n) {
        out[i] = static_cast<float>(
            rng.normal(base + static_cast<std::uint64_t>(i)));
    }
}

}  // namespace

void axpy(index_t n, float alpha, const float* s, const float* a, float* out,
          bool acc, cudaStream_t stream) {
    if (n == 0) return;
    axpy_kernel<<<blocks_for(n), kThreads, 0, stream>>>(n, alpha, s, a, out,
                                                        acc);
    CUDA_CHECK_LAUNCH();
}

void multiply(index_t n, const float* a, const float* b, float* out,
              bool acc, cudaStream_t stream) {
    if (n == 0) return;
    multiply_kernel<<<blocks_for(n), kThreads, 0, stream>>>(n, a, b, out,
                                                            acc);
    CUDA_CHECK_LAUNCH();
}

void fill(index_t n, float value, const float* s, float* out, bool acc,
          cudaStream_t stream) {
    if (n == 0) return;
    fill_kernel<<<blocks_for(n), kThreads, 0, stream>>>(n, value, s, out,
                                                        acc);
    CUDA_CHECK_LAUNCH();
}

void copy_rows(index_t whole_rows, index_t part_rows, index_t cols,
               index_t offset, float* whole, float* part, bool to_part,
               bool acc, cudaStream_t stream) {
    index_t n = part_rows * cols;
    if (n == 0) return;
    copy_rows_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        whole_rows, part_rows, n, offset, whole, part, to_part, acc);
    CUDA_CHECK_LAUNCH();
}

void gather_columns(index_t rows, index_t n, const float* whole,
                    const float* columns, float* out, cudaStream_t stream) {
    index_t total = rows * n;
    if (total == 0) return;
    gather_columns_kernel<<<blocks_for(total), kThreads, 0, stream>>>(
        rows, total, whole, columns, out);
    CUDA_CHECK_LAUNCH();
}

void fill_normal(std::uint64_t seed, std::uint64_t stream_id,
                 std::uint64_t base, index_t n, float* out,
                 cudaStream_t stream) {
    if (n == 0) return;
    normal_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        Philox(seed, stream_id), base, n, out);
    CUDA_CHECK_LAUNCH();
}

}  // namespace cuda
}  // namespace exprae
