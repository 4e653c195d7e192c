// Elementwise kernels: the functors of ops/elementwise.h over flat tensors,
// the bias-and-activation of dense layers, row copies, and Philox draws
// that match the CPU's number for number. Tensors are column-major
// rows x cols; every kernel is a grid-stride loop over elements.
#include "cuda/kernels.h"
#include "cuda/launch.cuh"
#include "random/philox.h"

namespace exprae {
namespace cuda {

namespace {

// y[i] = f(x[i])   (n)
template <typename F>
__global__ void unary_forward_kernel(F f, index_t n, const float* x,
                                     float* y) {
    EXPRAE_GRID_STRIDE(i, n) y[i] = f.forward(x[i]);
}

// dx[i] (+)= dy[i] f'(x[i], y[i])   (n)
template <typename F>
__global__ void unary_backward_kernel(F f, index_t n, const float* x,
                                      const float* y, const float* dy,
                                      float* dx, bool acc) {
    EXPRAE_GRID_STRIDE(i, n) {
        float v = dy[i] * f.derivative(x[i], y[i]);
        dx[i] = acc ? dx[i] + v : v;
    }
}

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

// z[r, c] += b[r]; y[r, c] = f(z[r, c])   (z, y: rows x cols, b: rows)
template <typename F>
__global__ void bias_activation_kernel(F f, index_t rows, index_t n,
                                       const float* b, float* z, float* y) {
    EXPRAE_GRID_STRIDE(i, n) {
        float v = z[i] + b[i % rows];
        z[i] = v;
        y[i] = f.forward(v);
    }
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

// mask[i] = keep if uniform(base + i) >= rate else 0   (n)
__global__ void dropout_mask_kernel(Philox rng, std::uint64_t base,
                                    double rate, float keep, index_t n,
                                    float* mask) {
    EXPRAE_GRID_STRIDE(i, n) {
        mask[i] = rng.uniform(base + static_cast<std::uint64_t>(i)) >= rate
                      ? keep : 0.0f;
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

// dp[i] (+)= factor dy[0] (p[i] - t[i])   (n)
__global__ void squared_error_backward_kernel(index_t n, float factor,
                                              const float* dy, const float* p,
                                              const float* t, float* dp,
                                              bool acc) {
    float g = factor * dy[0];
    EXPRAE_GRID_STRIDE(i, n) {
        float v = g * (p[i] - t[i]);
        dp[i] = acc ? dp[i] + v : v;
    }
}

// dlv[i] (+)= factor dy[0] 0.5 (exp(lv[i]) - 1)   (n)
__global__ void kl_logvar_backward_kernel(index_t n, float factor,
                                          const float* dy, const float* lv,
                                          float* dlv, bool acc) {
    float g = factor * dy[0];
    EXPRAE_GRID_STRIDE(i, n) {
        float v = g * 0.5f * (expf(lv[i]) - 1.0f);
        dlv[i] = acc ? dlv[i] + v : v;
    }
}

}  // namespace

void unary_forward(const Unary& u, index_t n, const float* x, float* y,
                   cudaStream_t stream) {
    if (n == 0) return;
    visit_unary(u, [&](auto f) {
        unary_forward_kernel<<<blocks_for(n), kThreads, 0, stream>>>(f, n, x,
                                                                     y);
    });
    CUDA_CHECK_LAUNCH();
}

void unary_backward(const Unary& u, index_t n, const float* x,
                    const float* y, const float* dy, float* dx, bool acc,
                    cudaStream_t stream) {
    if (n == 0) return;
    visit_unary(u, [&](auto f) {
        unary_backward_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
            f, n, x, y, dy, dx, acc);
    });
    CUDA_CHECK_LAUNCH();
}

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

void bias_activation(const Unary& u, index_t rows, index_t cols,
                     const float* b, float* z, float* y,
                     cudaStream_t stream) {
    index_t n = rows * cols;
    if (n == 0) return;
    visit_unary(u, [&](auto f) {
        bias_activation_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
            f, rows, n, b, z, y);
    });
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

void dropout_mask(std::uint64_t seed, std::uint64_t counter, double rate,
                  index_t n, float* mask, cudaStream_t stream) {
    if (n == 0) return;
    float keep = static_cast<float>(1.0 / (1.0 - rate));
    dropout_mask_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        Philox(seed, kStreamDropout), counter << 32, rate, keep, n, mask);
    CUDA_CHECK_LAUNCH();
}

void normal(std::uint64_t seed, std::uint64_t stream_id, std::uint64_t base,
            index_t n, float* out, cudaStream_t stream) {
    if (n == 0) return;
    normal_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        Philox(seed, stream_id), base, n, out);
    CUDA_CHECK_LAUNCH();
}

void squared_error_backward(index_t n, float factor, const float* dy,
                            const float* p, const float* t, float* dp,
                            bool acc, cudaStream_t stream) {
    if (n == 0) return;
    squared_error_backward_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        n, factor, dy, p, t, dp, acc);
    CUDA_CHECK_LAUNCH();
}

void kl_logvar_backward(index_t n, float factor, const float* dy,
                        const float* lv, float* dlv, bool acc,
                        cudaStream_t stream) {
    if (n == 0) return;
    kl_logvar_backward_kernel<<<blocks_for(n), kThreads, 0, stream>>>(
        n, factor, dy, lv, dlv, acc);
    CUDA_CHECK_LAUNCH();
}

}  // namespace cuda
}  // namespace exprae
