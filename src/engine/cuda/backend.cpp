// The CUDA backend (backend/backend.h): float32 tensors on one GPU. Each
// method checks its tensors once and calls a launcher of
// cuda/backend_kernels.h or cuBLAS on the compute stream; nothing here
// waits for the GPU except copies to the host and the reuse of a
// minibatch's upload buffer. Op kernels are not here: each op registers
// its own (cuda/<op>.cu).
#include <cstring>
#include <string>

#include "backend/backend.h"
#include "cuda/backend_kernels.h"
#include "cuda/check.h"
#include "cuda/staging.h"
#include "cuda/tensor_data.h"

namespace exprae {

namespace {

using cuda::compute_stream;
using cuda::f32;

// A dimension as cuBLAS's int, at least `lowest` (leading dimensions must
// be >= 1 even for an empty matrix; the inner dimension k may be 0).
int blas_int(index_t v, index_t lowest = 1) {
    if (v > 2147483647) {
        throw BadArgument("matrix dimension " + std::to_string(v) +
                          " is too large for cuBLAS");
    }
    return static_cast<int>(v < lowest ? lowest : v);
}

cublasOperation_t op(bool trans) { return trans ? CUBLAS_OP_T : CUBLAS_OP_N; }

class CudaBackend final : public Backend {
public:
    Device device() const override { return Device::cuda; }

    void* allocate(std::size_t bytes) override {
        return cuda::device_allocator().allocate(bytes);
    }
    void release(void* ptr, std::size_t bytes) override {
        cuda::device_allocator().release(ptr, bytes);
    }
    // Copies that touch the host wait for the GPU: the host memory is then
    // valid (device to host) or free to change (host to device).
    void copy(const Tensor& dst, const Tensor& src) override {
        std::size_t bytes = static_cast<std::size_t>(dst.size()) *
                            dtype_size(dst.dtype());
        CUDA_CHECK(cudaMemcpyAsync(dst.raw(), src.raw(), bytes,
                                   cudaMemcpyDefault, compute_stream()));
        if (dst.device() == Device::cpu || src.device() == Device::cpu)
            CUDA_CHECK(cudaStreamSynchronize(compute_stream()));
    }
    void fill(const Tensor& t, double value) override {
        if (value == 0.0) {
            CUDA_CHECK(cudaMemsetAsync(t.raw(), 0, static_cast<std::size_t>(
                t.size()) * dtype_size(t.dtype()), compute_stream()));
            return;
        }
        cuda::fill(t.size(), static_cast<float>(value), nullptr, f32(t),
                   false, compute_stream());
    }
    void fill_normal(std::uint64_t seed, std::uint64_t stream_id,
                     std::uint64_t base, const Tensor& out) override {
        cuda::fill_normal(seed, stream_id, base, out.size(), f32(out),
                          compute_stream());
    }
    void copy_rows(const Tensor& whole, index_t offset, const Tensor& part,
                   bool to_part, bool acc) override {
        cuda::copy_rows(whole.rows(), part.rows(), whole.cols(), offset,
                        f32(whole), f32(part), to_part, acc,
                        compute_stream());
    }

    void gather_columns(const Tensor& whole, const Tensor& columns,
                        const Tensor& out) override {
        cuda::gather_columns(out.rows(), out.cols(), f32(whole), f32(columns),
                             f32(out), compute_stream());
    }

    void gemm(bool ta, bool tb, double alpha, const Tensor& a,
              const Tensor& b, double beta, const Tensor& c) override {
        index_t k = ta ? a.rows() : a.cols();
        if (c.size() == 0) return;
        float al = static_cast<float>(alpha), be = static_cast<float>(beta);
        CUBLAS_CHECK(cublasSgemm(
            cuda::context().blas, op(ta), op(tb), blas_int(c.rows()),
            blas_int(c.cols()), blas_int(k, 0), &al, f32(a),
            blas_int(a.rows()), f32(b), blas_int(b.rows()), &be, f32(c),
            blas_int(c.rows())));
    }
    void gemm_batched(bool ta, bool tb, double alpha, const Tensor& a,
                      const Tensor& b, double beta,
                      const Tensor& c) override {
        index_t m = c.dim(0), n = c.dim(1), k = ta ? a.dim(0) : a.dim(1);
        if (c.size() == 0) return;
        float al = static_cast<float>(alpha), be = static_cast<float>(beta);
        CUBLAS_CHECK(cublasSgemmStridedBatched(
            cuda::context().blas, op(ta), op(tb), blas_int(m), blas_int(n),
            blas_int(k, 0), &al, f32(a), blas_int(a.dim(0)),
            a.dim(0) * a.dim(1), f32(b), blas_int(b.dim(0)),
            b.dim(0) * b.dim(1), &be, f32(c), blas_int(m), m * n,
            blas_int(c.dim(2))));
    }

    void axpy(double alpha, const Tensor& a, const Tensor& out,
              bool acc) override {
        cuda::axpy(a.size(), static_cast<float>(alpha), nullptr, f32(a),
                   f32(out), acc, compute_stream());
    }
    void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                     const Tensor& out, bool acc) override {
        cuda::axpy(a.size(), static_cast<float>(factor), f32(s), f32(a),
                   f32(out), acc, compute_stream());
    }
    void broadcast_scalar(const Tensor& s, double factor, const Tensor& out,
                          bool acc) override {
        cuda::fill(out.size(), static_cast<float>(factor), f32(s), f32(out),
                   acc, compute_stream());
    }
    void multiply(const Tensor& a, const Tensor& b, const Tensor& out,
                  bool acc) override {
        cuda::multiply(a.size(), f32(a), f32(b), f32(out), acc,
                       compute_stream());
    }

    void row_sums(const Tensor& x, const Tensor& out, bool acc) override {
        int chunks = cuda::row_sum_chunks(x.rows(), x.cols());
        Tensor partial;  // freed in stream order, like every temporary
        if (chunks > 1) {
            partial = Tensor::empty(chunks * x.rows(), 1, DType::f64,
                                    Device::cuda);
        }
        cuda::row_sums(x.rows(), x.cols(), f32(x), f32(out), acc,
                       chunks > 1 ? partial.data<double>() : nullptr,
                       compute_stream());
    }
    void sum_all(const Tensor& x, double factor, const Tensor& out) override {
        cuda::sum_values(x.size(), f32(x), factor, f32(out),
                         compute_stream());
    }
    void sum_squares(const Tensor& x, const Tensor& out) override {
        if (out.dtype() != DType::f64)
            throw BadArgument("sum_squares: out must be float64");
        cuda::sum_squares(x.size(), f32(x), out.data<double>(),
                          compute_stream());
    }

    std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) override {
        return staging_.upload(host);
    }

private:
    cuda::Staging staging_;
};

}  // namespace

Backend& cuda_backend() {
    // Never destroyed, like the context (see cuda/device.cpp).
    static CudaBackend* backend = new CudaBackend();
    cuda::context();  // fails here, clearly, when no GPU can be used
    return *backend;
}

}  // namespace exprae
