// mse_loss's CPU kernels (ops/mse_loss.h): sums in double.
#include "backend/registry.h"
#include "cpu/parallel.h"
#include "ops/mse_loss.h"

namespace exprae {
namespace {

// out = sum((p - t)^2) / size
void forward(const Tensor& p, const Tensor& t, const Tensor& out) {
    dispatch(p.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T *ps = p.data<T>(), *ts = t.data<T>();
        double total = 0.0;
        for (index_t i = 0, n = p.size(); i < n; ++i) {
            double d = static_cast<double>(ps[i]) - static_cast<double>(ts[i]);
            total += d * d;
        }
        out.data<T>()[0] =
            static_cast<T>(total / static_cast<double>(p.size()));
    });
}

// dp (+)= 2 dy (p - t) / size
void backward(const Tensor& p, const Tensor& t, const Tensor& dy,
              const Tensor& dp, bool acc) {
    dispatch(p.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T g = T(2) * dy.data<T>()[0] / static_cast<T>(p.size());
        const T *ps = p.data<T>(), *ts = t.data<T>();
        T* d = dp.data<T>();
        cpu::parallel_for(p.size(), cpu::kElementwiseGrain,
                          [&](index_t lo, index_t hi) {
            for (index_t i = lo; i < hi; ++i) {
                T v = g * (ps[i] - ts[i]);
                d[i] = acc ? d[i] + v : v;
            }
        });
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(MseLossKernels, "mse_loss", Device::cpu, &forward,
                        &backward);

}  // namespace exprae
