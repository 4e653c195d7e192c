// conv1d's CUDA kernels (ops/conv1d.h): im2col and col2im, the twins of
// cpu/conv1d.cpp. col2im gathers: each thread owns one element of dx and
// sums, in tap order and in double, the entries of dcols that read it, so
// the result repeats bit for bit (no atomics; the CPU scatters a sample at
// a time instead, one thread per sample, the same sums in double). Index
// arithmetic runs in 32 bits when the tensors allow it (64-bit division is
// several times slower on the GPU).
#include <climits>

#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/conv1d.h"

namespace exprae {
namespace cuda {
namespace {

// The sizes a kernel needs, in its index type I.
template <typename I>
struct Sizes {
    I C, L, L_out, W, stride, dilation, pad_left;
};

template <typename I>
Sizes<I> sizes_of(const Conv1dGeometry& g, index_t C, index_t L,
                  index_t L_out) {
    return {static_cast<I>(C), static_cast<I>(L), static_cast<I>(L_out),
            static_cast<I>(g.width), static_cast<I>(g.stride),
            static_cast<I>(g.dilation), static_cast<I>(g.pad_left)};
}

// for (i over [0, n)) spread over the whole grid, in the index type I
#define CONV1D_GRID_STRIDE(I, i, n)                                        \
    for (I i = static_cast<I>(blockIdx.x) * static_cast<I>(blockDim.x) +   \
               static_cast<I>(threadIdx.x);                                \
         i < (n); i += static_cast<I>(blockDim.x) * static_cast<I>(gridDim.x))

// cols (C W, L_out, n) from x (C, L, n); element i of cols is row
// r = c + C k of column q = p + L_out j.
template <typename I>
__global__ void im2col_kernel(Sizes<I> z, I total, const float* x,
                              float* cols) {
    const I R = z.C * z.W;
    CONV1D_GRID_STRIDE(I, i, total) {
        I r = i % R, q = i / R;
        I c = r % z.C, k = r / z.C;
        I p = q % z.L_out, j = q / z.L_out;
        I s = p * z.stride + k * z.dilation - z.pad_left;
        cols[i] = (s >= 0 && s < z.L) ? x[c + z.C * (s + z.L * j)] : 0.0f;
    }
}

// dx (C, L, n) (+)= col2im(dcols (C W, L_out, n)); element i of dx is
// channel c of position s of sample j.
template <typename I>
__global__ void col2im_kernel(Sizes<I> z, I total, const float* dcols,
                              float* dx, bool acc) {
    const I R = z.C * z.W;
    const I dq = z.dilation / z.stride, dm = z.dilation % z.stride;
    CONV1D_GRID_STRIDE(I, i, total) {
        I c = i % z.C, q = i / z.C;
        I s = q % z.L, j = q / z.L;
        const float* dj = dcols + R * z.L_out * j + c;
        // t = s + pad_left - k dilation = p stride + rem (the column p
        // whose tap k reads s, when rem is 0), walked without a division
        // per tap
        I p = (s + z.pad_left) / z.stride, rem = (s + z.pad_left) % z.stride;
        double sum = 0.0;
        for (I k = 0; k < z.W && p >= 0; ++k) {
            if (rem == 0 && p < z.L_out) sum += dj[R * p + z.C * k];
            p -= dq;
            rem -= dm;
            if (rem < 0) {
                rem += z.stride;
                --p;
            }
        }
        dx[i] = static_cast<float>(acc ? dx[i] + sum : sum);
    }
}

// 32-bit indices when every index and intermediate fits: the largest
// tensor, plus a grid's stride, and positions up to L + the padding.
bool fits_int32(const Conv1dGeometry& g, const Tensor& x,
                const Tensor& cols) {
    const index_t limit = INT_MAX / 2;
    index_t reach = x.dim(1) + g.pad_left + g.stride +
                    g.dilation * g.width;
    return x.size() < limit && cols.size() < limit && reach < limit;
}

void im2col(const Conv1dGeometry& g, const Tensor& x, const Tensor& cols) {
    index_t total = cols.size();
    if (total == 0) return;
    index_t C = x.dim(0), L = x.dim(1), L_out = cols.dim(1);
    if (fits_int32(g, x, cols)) {
        im2col_kernel<int><<<blocks_for(total), kThreads, 0,
                             compute_stream()>>>(
            sizes_of<int>(g, C, L, L_out), static_cast<int>(total), f32(x),
            f32(cols));
    } else {
        im2col_kernel<index_t><<<blocks_for(total), kThreads, 0,
                                 compute_stream()>>>(
            sizes_of<index_t>(g, C, L, L_out), total, f32(x), f32(cols));
    }
    CUDA_CHECK_LAUNCH();
}

void col2im(const Conv1dGeometry& g, const Tensor& dcols, const Tensor& dx,
            bool acc) {
    index_t total = dx.size();
    if (total == 0) return;
    index_t C = dx.dim(0), L = dx.dim(1), L_out = dcols.dim(1);
    if (fits_int32(g, dx, dcols)) {
        col2im_kernel<int><<<blocks_for(total), kThreads, 0,
                             compute_stream()>>>(
            sizes_of<int>(g, C, L, L_out), static_cast<int>(total),
            f32(dcols), f32(dx), acc);
    } else {
        col2im_kernel<index_t><<<blocks_for(total), kThreads, 0,
                                 compute_stream()>>>(
            sizes_of<index_t>(g, C, L, L_out), total, f32(dcols), f32(dx),
            acc);
    }
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(Conv1dKernels, "conv1d", Device::cuda,
                        &cuda::im2col, &cuda::col2im);

}  // namespace exprae
