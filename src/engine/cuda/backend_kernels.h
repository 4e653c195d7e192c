// The launchers of the CUDA backend's generic kernels (backend/backend.h):
// elementwise in cuda/backend_kernels.cu, reductions in cuda/reduce.cu.
// Plain C++: pointers are device pointers to float32 data unless a name
// says otherwise; every launcher runs on `stream` and checks its launch.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "tensor/tensor.h"

namespace exprae {
namespace cuda {

// out (+)= alpha * s[0] * a; s null means 1
void axpy(index_t n, float alpha, const float* s, const float* a, float* out,
          bool acc, cudaStream_t stream);
// out (+)= a * b
void multiply(index_t n, const float* a, const float* b, float* out,
              bool acc, cudaStream_t stream);
// out (+)= value * s[0]; s null means 1
void fill(index_t n, float value, const float* s, float* out, bool acc,
          cudaStream_t stream);
// whole (whole_rows x cols) rows [offset, offset + part_rows) <-> part
void copy_rows(index_t whole_rows, index_t part_rows, index_t cols,
               index_t offset, float* whole, float* part, bool to_part,
               bool acc, cudaStream_t stream);
// out[, k] = whole[, columns[k]]   (out: rows x n; columns: n floats)
void gather_columns(index_t rows, index_t n, const float* whole,
                    const float* columns, float* out, cudaStream_t stream);
// out[k] = normal(base + k) of the (seed, stream_id) Philox stream
void fill_normal(std::uint64_t seed, std::uint64_t stream_id,
                 std::uint64_t base, index_t n, float* out,
                 cudaStream_t stream);

// out (rows x 1) (+)= sum over the columns of x (rows x cols), in double.
// Many columns are split into row_sum_chunks() chunks (enough blocks for
// the whole GPU), whose sums go through `partial` (chunks x rows doubles;
// unused, and may be null, when that is 1).
int row_sum_chunks(index_t rows, index_t cols);
void row_sums(index_t rows, index_t cols, const float* x, float* out,
              bool acc, double* partial, cudaStream_t stream);
// out = factor * sum(x) (out_f32) or sum(x^2) (out_f64), in double
void sum_values(index_t n, const float* x, double factor, float* out,
                cudaStream_t stream);
void sum_squares(index_t n, const float* x, double* out,
                 cudaStream_t stream);

}  // namespace cuda
}  // namespace exprae
