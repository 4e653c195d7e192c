// The CPU backend: each method picks the element type once and runs the
// Eigen / OpenMP kernels of this folder.
#include <cstring>

#include "backend/backend.h"
#include "cpu/batch_norm.h"
#include "cpu/count_nll.h"
#include "cpu/hot_kernels.h"
#include "cpu/layer_norm.h"
#include "cpu/losses.h"
#include "cpu/map.h"
#include "cpu/reduce.h"
#include "random/philox.h"
#include "tensor/allocator.h"

namespace exprae {

namespace {

template <typename T> T* ptr(const Tensor& t) {
    return t.defined() ? t.data<T>() : nullptr;
}

class CpuBackend final : public Backend {
public:
    Device device() const override { return Device::cpu; }

    void* allocate(std::size_t bytes) override {
        return CachingAllocator::host().allocate(bytes);
    }
    void release(void* p, std::size_t bytes) override {
        CachingAllocator::host().release(p, bytes);
    }
    void copy(const Tensor& dst, const Tensor& src) override {
        std::memcpy(dst.raw(), src.raw(), static_cast<std::size_t>(
                        dst.size()) * dtype_size(dst.dtype()));
    }
    void fill(const Tensor& t, double value) override {
        dispatch(t.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::fill_add<T>(t.size(), T(value), t.data<T>(), false);
        });
    }

    void unary_forward(const Unary& u, const Tensor& x,
                       const Tensor& y) override {
        visit_unary(u, [&](auto f) {
            dispatch(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                cpu::map_forward(f, x.size(), x.data<T>(), y.data<T>());
            });
        });
    }
    void unary_backward(const Unary& u, const Tensor& x, const Tensor& y,
                        const Tensor& dy, const Tensor& dx,
                        bool acc) override {
        visit_unary(u, [&](auto f) {
            dispatch(x.dtype(), [&](auto tag) {
                using T = decltype(tag);
                cpu::map_backward(f, x.size(), x.data<T>(), y.data<T>(),
                                  dy.data<T>(), dx.data<T>(), acc);
            });
        });
    }
    void axpy(double alpha, const Tensor& a, const Tensor& out,
              bool acc) override {
        dispatch(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::axpy<T>(a.size(), T(alpha), a.data<T>(), out.data<T>(),
                         acc);
        });
    }
    void multiply(const Tensor& a, const Tensor& b, const Tensor& out,
                  bool acc) override {
        dispatch(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::multiply<T>(a.size(), a.data<T>(), b.data<T>(),
                             out.data<T>(), acc);
        });
    }

    void bias_activation(const Unary& u, const Tensor& b, const Tensor& z,
                         const Tensor& y) override {
        visit_unary(u, [&](auto f) {
            dispatch(z.dtype(), [&](auto tag) {
                using T = decltype(tag);
                cpu::bias_activation(f, z.rows(), z.cols(), b.data<T>(),
                                     z.data<T>(), y.data<T>());
            });
        });
    }
    void row_sums(const Tensor& x, const Tensor& out, bool acc) override {
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::row_sums<T>(x.rows(), x.cols(), x.data<T>(),
                             out.data<T>(), acc);
        });
    }
    void copy_rows(const Tensor& whole, index_t offset, const Tensor& part,
                   bool to_part, bool acc) override {
        dispatch(whole.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::copy_rows<T>(whole.rows(), part.rows(), whole.cols(),
                              offset, whole.data<T>(), part.data<T>(),
                              to_part, acc);
        });
    }
    void gemm(bool ta, bool tb, double alpha, const Tensor& a,
              const Tensor& b, double beta, const Tensor& c) override {
        index_t k = ta ? a.rows() : a.cols();
        dispatch(c.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::gemm<T>(ta, tb, c.rows(), c.cols(), k, T(alpha),
                         a.data<T>(), a.rows(), b.data<T>(), b.rows(),
                         T(beta), c.data<T>(), c.rows());
        });
    }

    void sum_all(const Tensor& x, double factor, const Tensor& out) override {
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            out.data<T>()[0] =
                static_cast<T>(factor * cpu::sum_all<T>(x.size(),
                                                        x.data<T>()));
        });
    }
    void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                     const Tensor& out, bool acc) override {
        dispatch(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T alpha = static_cast<T>(factor) * s.data<T>()[0];
            cpu::axpy<T>(a.size(), alpha, a.data<T>(), out.data<T>(), acc);
        });
    }
    void broadcast_scalar(const Tensor& s, double factor, const Tensor& dx,
                          bool acc) override {
        dispatch(dx.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T g = static_cast<T>(factor) * s.data<T>()[0];
            cpu::fill_add<T>(dx.size(), g, dx.data<T>(), acc);
        });
    }
    void mse_forward(const Tensor& p, const Tensor& t,
                     const Tensor& out) override {
        dispatch(p.dtype(), [&](auto tag) {
            using T = decltype(tag);
            out.data<T>()[0] = static_cast<T>(
                cpu::squared_error_sum(p.size(), p.data<T>(), t.data<T>()) /
                static_cast<double>(p.size()));
        });
    }
    void mse_backward(const Tensor& p, const Tensor& t, const Tensor& dy,
                      const Tensor& dp, bool acc) override {
        dispatch(p.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T g = T(2) * dy.data<T>()[0] / static_cast<T>(p.size());
            cpu::squared_error_backward(p.size(), g, p.data<T>(),
                                        t.data<T>(), dp.data<T>(), acc);
        });
    }
    void kl_forward(const Tensor& mu, const Tensor& lv,
                    const Tensor& out) override {
        dispatch(mu.dtype(), [&](auto tag) {
            using T = decltype(tag);
            double total = cpu::kl_sum(mu.size(), mu.data<T>(), lv.data<T>());
            out.data<T>()[0] = static_cast<T>(
                0.5 * total / static_cast<double>(mu.cols()));
        });
    }
    void kl_logvar_backward(const Tensor& lv, const Tensor& dy,
                            const Tensor& dlv, bool acc) override {
        dispatch(lv.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T g = dy.data<T>()[0] / static_cast<T>(lv.cols());
            cpu::kl_logvar_backward(lv.size(), g, lv.data<T>(),
                                    dlv.data<T>(), acc);
        });
    }
    void count_nll(Likelihood lk, const CountNllTensors& t,
                   const Tensor& out) override {
        dispatch(t.eta.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::CountNllArgs<T> a = cpu::count_nll_args<T>(
                t.eta, t.log_theta, t.pi_logit, t.log_sf, t.x);
            a.d_eta = ptr<T>(t.d_eta);
            a.d_log_theta = ptr<T>(t.d_log_theta);
            a.d_pi_logit = ptr<T>(t.d_pi_logit);
            out.data<T>()[0] = static_cast<T>(
                cpu::count_nll(lk, a) / static_cast<double>(t.eta.size()));
        });
    }
    void sum_squares(const Tensor& g, const Tensor& out) override {
        dispatch(g.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* d = g.data<T>();
            double total = 0.0;
            for (index_t i = 0; i < g.size(); ++i)
                total += double(d[i]) * d[i];
            out.data<double>()[0] = total;
        });
    }

    void dropout_mask(std::uint64_t seed, std::uint64_t counter, double rate,
                      const Tensor& mask) override {
        Philox rng(seed, kStreamDropout);
        std::uint64_t base = counter << 32;
        dispatch(mask.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T keep = static_cast<T>(1.0 / (1.0 - rate));
            T* m = mask.data<T>();
            cpu::parallel_for(mask.size(), cpu::kElementwiseGrain,
                              [&](index_t lo, index_t hi) {
                for (index_t i = lo; i < hi; ++i)
                    m[i] = rng.uniform(base + i) >= rate ? keep : T(0);
            });
        });
    }
    void normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t base,
                const Tensor& out) override {
        Philox rng(seed, stream);
        dispatch(out.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T* o = out.data<T>();
            for (index_t k = 0; k < out.size(); ++k)
                o[k] = T(rng.normal(base + static_cast<std::uint64_t>(k)));
        });
    }

    void batch_norm_forward(const Tensor& x, const Tensor& gamma,
                            const Tensor& beta, const Tensor& rm,
                            const Tensor& rv, bool training, double momentum,
                            double eps, const Tensor& inv_std,
                            const Tensor& xhat, const Tensor& y) override {
        index_t f = x.rows(), n = x.cols();
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            std::vector<T> mean(static_cast<std::size_t>(f));
            cpu::batch_statistics<T>(f, n, x.data<T>(), rm.data<T>(),
                                     rv.data<T>(), training, momentum, eps,
                                     mean.data(), inv_std.data<T>());
            cpu::normalize_rows<T>(f, n, x.data<T>(), mean.data(),
                                   inv_std.data<T>(), gamma.data<T>(),
                                   beta.data<T>(), xhat.data<T>(),
                                   y.data<T>());
        });
    }
    void batch_norm_backward(const Tensor& dy, const Tensor& xhat,
                             const Tensor& inv_std, const Tensor& gamma,
                             bool batch_stats, const Tensor& dx, bool acc_dx,
                             const Tensor& dg, bool acc_g, const Tensor& db,
                             bool acc_b) override {
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::batch_norm_backward<T>(
                dy.rows(), dy.cols(), dy.data<T>(), xhat.data<T>(),
                inv_std.data<T>(), gamma.data<T>(), batch_stats,
                ptr<T>(dx), acc_dx, ptr<T>(dg), acc_g, ptr<T>(db), acc_b);
        });
    }
    void layer_norm_forward(const Tensor& x, const Tensor& gamma,
                            const Tensor& beta, double eps,
                            const Tensor& xhat, const Tensor& inv_std,
                            const Tensor& y) override {
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::layer_norm_forward<T>(x.rows(), x.cols(), x.data<T>(),
                                       gamma.data<T>(), beta.data<T>(), eps,
                                       xhat.data<T>(), inv_std.data<T>(),
                                       y.data<T>());
        });
    }
    void layer_norm_backward_input(const Tensor& dy, const Tensor& xhat,
                                   const Tensor& inv_std, const Tensor& gamma,
                                   const Tensor& dx, bool acc) override {
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::layer_norm_backward_input<T>(
                dy.rows(), dy.cols(), dy.data<T>(), xhat.data<T>(),
                inv_std.data<T>(), gamma.data<T>(), dx.data<T>(), acc);
        });
    }

    void optimizer_update(const UpdateStep& s, const Tensor& w,
                          const Tensor& g, const Tensor& m,
                          const Tensor& v) override;

    std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) override {
        return host;
    }
};

void CpuBackend::optimizer_update(const UpdateStep& s, const Tensor& w,
                                  const Tensor& g, const Tensor& m,
                                  const Tensor& v) {
    double scale = s.grad_scale;
    if (s.clip_norm > 0) {
        Tensor ss = Tensor::empty(1, 1, DType::f64);
        sum_squares(g, ss);
        double norm = std::sqrt(ss.data<double>()[0]);
        if (norm > s.clip_norm) scale *= s.clip_norm / norm;
    }
    dispatch(w.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if (s.sgd) {
            cpu::SgdStep k{s.lr, s.momentum, s.weight_decay, scale};
            cpu::sgd_update<T>(k, w.size(), w.data<T>(), g.data<T>(),
                               m.data<T>());
            return;
        }
        cpu::AdamStep k{s.lr, s.beta1, s.beta2, s.eps, s.weight_decay,
                        s.decoupled, s.bias1, s.bias2, scale};
        cpu::adam_update<T>(k, w.size(), w.data<T>(), g.data<T>(),
                            m.data<T>(), v.data<T>());
    });
}

}  // namespace

Backend& cpu_backend() {
    static CpuBackend backend;
    return backend;
}

}  // namespace exprae
