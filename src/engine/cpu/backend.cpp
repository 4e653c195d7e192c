// The CPU backend (backend/backend.h): each method picks the element type
// once and runs the loops of cpu/elementwise.h, cpu/reduce.h and the hot
// GEMM (cpu/hot_kernels.h). Op kernels are not here: each op registers its
// own (cpu/<op>.cpp).
#include <cstring>

#include "backend/backend.h"
#include "cpu/elementwise.h"
#include "cpu/hot_kernels.h"
#include "cpu/reduce.h"
#include "random/philox.h"
#include "tensor/allocator.h"

namespace exprae {

namespace {

class CpuBackend final : public Backend {
public:
    Device device() const override { return Device::cpu; }

    void* allocate(std::size_t bytes) override {
        return host_allocator().allocate(bytes);
    }
    void release(void* p, std::size_t bytes) override {
        host_allocator().release(p, bytes);
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
    void fill_normal(std::uint64_t seed, std::uint64_t stream,
                     std::uint64_t base, const Tensor& out) override {
        Philox rng(seed, stream);
        dispatch(out.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T* o = out.data<T>();
            for (index_t k = 0; k < out.size(); ++k)
                o[k] = T(rng.normal(base + static_cast<std::uint64_t>(k)));
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

    void gather_columns(const Tensor& whole, const Tensor& columns,
                        const Tensor& out) override {
        std::size_t bytes = static_cast<std::size_t>(out.rows()) *
                            dtype_size(out.dtype());
        const char* w = static_cast<const char*>(whole.raw());
        char* o = static_cast<char*>(out.raw());
        for (index_t k = 0; k < out.cols(); ++k) {
            index_t j = static_cast<index_t>(columns.at(k));
            std::memcpy(o + k * bytes, w + j * bytes, bytes);
        }
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
    void gemm_batched(bool ta, bool tb, double alpha, const Tensor& a,
                      const Tensor& b, double beta,
                      const Tensor& c) override {
        // One GEMM per matrix: each is threaded over its own columns.
        index_t m = c.dim(0), n = c.dim(1), k = ta ? a.dim(0) : a.dim(1);
        index_t sa = a.dim(0) * a.dim(1), sb = b.dim(0) * b.dim(1);
        dispatch(c.dtype(), [&](auto tag) {
            using T = decltype(tag);
            for (index_t i = 0; i < c.dim(2); ++i) {
                cpu::gemm<T>(ta, tb, m, n, k, T(alpha), a.data<T>() + i * sa,
                             a.dim(0), b.data<T>() + i * sb, b.dim(0),
                             T(beta), c.data<T>() + i * m * n, m);
            }
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
    void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                     const Tensor& out, bool acc) override {
        dispatch(a.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T alpha = static_cast<T>(factor) * s.data<T>()[0];
            cpu::axpy<T>(a.size(), alpha, a.data<T>(), out.data<T>(), acc);
        });
    }
    void broadcast_scalar(const Tensor& s, double factor, const Tensor& out,
                          bool acc) override {
        dispatch(out.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T g = static_cast<T>(factor) * s.data<T>()[0];
            cpu::fill_add<T>(out.size(), g, out.data<T>(), acc);
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

    void row_sums(const Tensor& x, const Tensor& out, bool acc) override {
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::row_sums<T>(x.rows(), x.cols(), x.data<T>(),
                             out.data<T>(), acc);
        });
    }
    void sum_all(const Tensor& x, double factor, const Tensor& out) override {
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            out.data<T>()[0] = static_cast<T>(
                factor * cpu::sum_all<T>(x.size(), x.data<T>()));
        });
    }
    void sum_squares(const Tensor& x, const Tensor& out) override {
        if (out.dtype() != DType::f64)
            throw BadArgument("sum_squares: out must be float64");
        dispatch(x.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* d = x.data<T>();
            double total = 0.0;
            for (index_t i = 0; i < x.size(); ++i)
                total += double(d[i]) * d[i];
            out.data<double>()[0] = total;
        });
    }

    std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) override {
        return host;
    }
};

}  // namespace

Backend& cpu_backend() {
    static CpuBackend backend;
    return backend;
}

}  // namespace exprae
