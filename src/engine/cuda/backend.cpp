// The CUDA backend: float32 tensors on one GPU. Each method checks its
// tensors once and calls a launcher of cuda/kernels.h or cuBLAS on the
// compute stream; nothing here waits for the GPU except copies to the host
// and the reuse of a minibatch's upload buffer.
#include <cstring>
#include <string>

#include "backend/backend.h"
#include "cuda/check.h"
#include "cuda/context.h"
#include "cuda/kernels.h"
#include "cuda/staging.h"

namespace exprae {

namespace {

// The float32 data of a tensor on the GPU (or null for an undefined one).
float* f32(const Tensor& t) {
    if (!t.defined()) return nullptr;
    if (t.dtype() != DType::f32) {
        throw std::invalid_argument(
            "the CUDA backend computes in float32; got a float64 tensor "
            "(use precision \"float\" or \"tf32\" on a GPU)");
    }
    return t.data<float>();
}

cudaStream_t stream() { return cuda::context().compute; }

// A dimension as cuBLAS's int, at least `lowest` (leading dimensions must
// be >= 1 even for an empty matrix; the inner dimension k may be 0).
int blas_int(index_t v, index_t lowest = 1) {
    if (v > 2147483647) {
        throw std::invalid_argument("matrix dimension " + std::to_string(v) +
                                    " is too large for cuBLAS");
    }
    return static_cast<int>(v < lowest ? lowest : v);
}

class CudaBackend final : public Backend {
public:
    Device device() const override { return Device::cuda; }

    void* allocate(std::size_t bytes) override {
        return cuda::DeviceAllocator::instance().allocate(bytes);
    }
    void release(void* ptr, std::size_t bytes) override {
        cuda::DeviceAllocator::instance().release(ptr, bytes);
    }
    // Copies that touch the host wait for the GPU: the host memory is then
    // valid (device to host) or free to change (host to device).
    void copy(const Tensor& dst, const Tensor& src) override {
        std::size_t bytes = static_cast<std::size_t>(dst.size()) *
                            dtype_size(dst.dtype());
        CUDA_CHECK(cudaMemcpyAsync(dst.raw(), src.raw(), bytes,
                                   cudaMemcpyDefault, stream()));
        if (dst.device() == Device::cpu || src.device() == Device::cpu)
            CUDA_CHECK(cudaStreamSynchronize(stream()));
    }
    void fill(const Tensor& t, double value) override {
        if (value == 0.0) {
            CUDA_CHECK(cudaMemsetAsync(t.raw(), 0, static_cast<std::size_t>(
                t.size()) * dtype_size(t.dtype()), stream()));
            return;
        }
        cuda::fill(t.size(), static_cast<float>(value), nullptr, f32(t),
                   false, stream());
    }

    void unary_forward(const Unary& f, const Tensor& x,
                       const Tensor& y) override {
        cuda::unary_forward(f, x.size(), f32(x), f32(y), stream());
    }
    void unary_backward(const Unary& f, const Tensor& x, const Tensor& y,
                        const Tensor& dy, const Tensor& dx,
                        bool acc) override {
        cuda::unary_backward(f, x.size(), f32(x), f32(y), f32(dy), f32(dx),
                             acc, stream());
    }
    void axpy(double alpha, const Tensor& a, const Tensor& out,
              bool acc) override {
        cuda::axpy(a.size(), static_cast<float>(alpha), nullptr, f32(a),
                   f32(out), acc, stream());
    }
    void multiply(const Tensor& a, const Tensor& b, const Tensor& out,
                  bool acc) override {
        cuda::multiply(a.size(), f32(a), f32(b), f32(out), acc, stream());
    }

    void bias_activation(const Unary& f, const Tensor& b, const Tensor& z,
                         const Tensor& y) override {
        cuda::bias_activation(f, z.rows(), z.cols(), f32(b), f32(z), f32(y),
                              stream());
    }
    void row_sums(const Tensor& x, const Tensor& out, bool acc) override {
        cuda::row_sums(x.rows(), x.cols(), f32(x), f32(out), acc, stream());
    }
    void copy_rows(const Tensor& whole, index_t offset, const Tensor& part,
                   bool to_part, bool acc) override {
        cuda::copy_rows(whole.rows(), part.rows(), whole.cols(), offset,
                        f32(whole), f32(part), to_part, acc, stream());
    }
    void gemm(bool ta, bool tb, double alpha, const Tensor& a,
              const Tensor& b, double beta, const Tensor& c) override {
        index_t k = ta ? a.rows() : a.cols();
        if (c.size() == 0) return;
        float al = static_cast<float>(alpha), be = static_cast<float>(beta);
        CUBLAS_CHECK(cublasSgemm(
            cuda::context().blas, ta ? CUBLAS_OP_T : CUBLAS_OP_N,
            tb ? CUBLAS_OP_T : CUBLAS_OP_N, blas_int(c.rows()),
            blas_int(c.cols()), blas_int(k, 0), &al, f32(a),
            blas_int(a.rows()), f32(b), blas_int(b.rows()), &be, f32(c),
            blas_int(c.rows())));
    }

    void sum_all(const Tensor& x, double factor, const Tensor& out) override {
        reduce(cuda::SumOf::values, x, Tensor(), factor, out);
    }
    void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                     const Tensor& out, bool acc) override {
        cuda::axpy(a.size(), static_cast<float>(factor), f32(s), f32(a),
                   f32(out), acc, stream());
    }
    void broadcast_scalar(const Tensor& s, double factor, const Tensor& dx,
                          bool acc) override {
        cuda::fill(dx.size(), static_cast<float>(factor), f32(s), f32(dx),
                   acc, stream());
    }
    void mse_forward(const Tensor& p, const Tensor& t,
                     const Tensor& out) override {
        reduce(cuda::SumOf::squared_error, p, t,
               1.0 / static_cast<double>(p.size()), out);
    }
    void mse_backward(const Tensor& p, const Tensor& t, const Tensor& dy,
                      const Tensor& dp, bool acc) override {
        cuda::squared_error_backward(
            p.size(), static_cast<float>(2.0 / static_cast<double>(p.size())),
            f32(dy), f32(p), f32(t), f32(dp), acc, stream());
    }
    void kl_forward(const Tensor& mu, const Tensor& lv,
                    const Tensor& out) override {
        reduce(cuda::SumOf::kl, mu, lv,
               0.5 / static_cast<double>(mu.cols()), out);
    }
    void kl_logvar_backward(const Tensor& lv, const Tensor& dy,
                            const Tensor& dlv, bool acc) override {
        cuda::kl_logvar_backward(
            lv.size(), static_cast<float>(1.0 / static_cast<double>(
                lv.cols())), f32(dy), f32(lv), f32(dlv), acc, stream());
    }
    void count_nll(Likelihood lk, const CountNllTensors& t,
                   const Tensor& out) override {
        nll::CountNllArgs<float> p;
        p.rows = t.eta.rows();
        p.cols = t.eta.cols();
        p.eta = f32(t.eta);
        p.log_theta = f32(t.log_theta);
        p.theta_per_gene = t.log_theta.defined() &&
                           t.log_theta.cols() == 1 && p.cols != 1;
        p.pi_logit = f32(t.pi_logit);
        p.log_sf = f32(t.log_sf);
        p.x = f32(t.x);
        p.d_eta = f32(t.d_eta);
        p.d_log_theta = f32(t.d_log_theta);
        p.d_pi_logit = f32(t.d_pi_logit);
        cuda::count_nll(lk, p, f32(out), cuda::context().scratch, stream());
    }
    void sum_squares(const Tensor& g, const Tensor& out) override {
        if (out.dtype() != DType::f64)
            throw std::invalid_argument("sum_squares: out must be float64");
        cuda::reduce_sum(cuda::SumOf::squares, g.size(), f32(g), nullptr,
                         1.0, nullptr, out.data<double>(),
                         cuda::context().scratch, stream());
    }

    void dropout_mask(std::uint64_t seed, std::uint64_t counter, double rate,
                      const Tensor& mask) override {
        cuda::dropout_mask(seed, counter, rate, mask.size(), f32(mask),
                           stream());
    }
    void normal(std::uint64_t seed, std::uint64_t stream_id,
                std::uint64_t base, const Tensor& out) override {
        cuda::normal(seed, stream_id, base, out.size(), f32(out), stream());
    }

    void batch_norm_forward(const Tensor& x, const Tensor& gamma,
                            const Tensor& beta, const Tensor& rm,
                            const Tensor& rv, bool training, double momentum,
                            double eps, const Tensor& inv_std,
                            const Tensor& xhat, const Tensor& y) override {
        cuda::batch_norm_forward(x.rows(), x.cols(), f32(x), f32(gamma),
                                 f32(beta), f32(rm), f32(rv), training,
                                 momentum, eps, f32(inv_std), f32(xhat),
                                 f32(y), stream());
    }
    void batch_norm_backward(const Tensor& dy, const Tensor& xhat,
                             const Tensor& inv_std, const Tensor& gamma,
                             bool batch_stats, const Tensor& dx, bool acc_dx,
                             const Tensor& dg, bool acc_g, const Tensor& db,
                             bool acc_b) override {
        cuda::batch_norm_backward(dy.rows(), dy.cols(), f32(dy), f32(xhat),
                                  f32(inv_std), f32(gamma), batch_stats,
                                  f32(dx), acc_dx, f32(dg), acc_g, f32(db),
                                  acc_b, stream());
    }
    void layer_norm_forward(const Tensor& x, const Tensor& gamma,
                            const Tensor& beta, double eps,
                            const Tensor& xhat, const Tensor& inv_std,
                            const Tensor& y) override {
        cuda::layer_norm_forward(x.rows(), x.cols(), f32(x), f32(gamma),
                                 f32(beta), eps, f32(xhat), f32(inv_std),
                                 f32(y), stream());
    }
    void layer_norm_backward_input(const Tensor& dy, const Tensor& xhat,
                                   const Tensor& inv_std, const Tensor& gamma,
                                   const Tensor& dx, bool acc) override {
        cuda::layer_norm_backward_input(dy.rows(), dy.cols(), f32(dy),
                                        f32(xhat), f32(inv_std), f32(gamma),
                                        f32(dx), acc, stream());
    }

    void optimizer_update(const UpdateStep& s, const Tensor& w,
                          const Tensor& g, const Tensor& m,
                          const Tensor& v) override {
        Tensor sumsq;
        if (s.clip_norm > 0) {
            sumsq = Tensor::empty(1, 1, DType::f64, Device::cuda);
            sum_squares(g, sumsq);
        }
        cuda::optimizer_update(s, w.size(), f32(w), f32(g), f32(m), f32(v),
                               sumsq.defined() ? sumsq.data<double>()
                                               : nullptr,
                               stream());
    }

    std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) override {
        return staging_.upload(host);
    }

private:
    void reduce(cuda::SumOf what, const Tensor& a, const Tensor& b,
                double factor, const Tensor& out) {
        cuda::reduce_sum(what, a.size(), f32(a), f32(b), factor, f32(out),
                         nullptr, cuda::context().scratch, stream());
    }

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
