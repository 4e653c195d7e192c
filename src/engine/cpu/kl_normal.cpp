// kl_normal's CPU kernels (ops/kl_normal.h): sums in double.
#include <cmath>

#include "backend/registry.h"
#include "ops/kl_normal.h"

namespace exprae {
namespace {

// out = 0.5 sum(exp(lv) + mu^2 - 1 - lv) / cols
void forward(const Tensor& mu, const Tensor& lv, const Tensor& out) {
    dispatch(mu.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T *m = mu.data<T>(), *l = lv.data<T>();
        double total = 0.0;
        for (index_t i = 0, n = mu.size(); i < n; ++i) {
            double v = static_cast<double>(l[i]);
            double u = static_cast<double>(m[i]);
            total += std::exp(v) + u * u - 1.0 - v;
        }
        out.data<T>()[0] =
            static_cast<T>(0.5 * total / static_cast<double>(mu.cols()));
    });
}

// dlv (+)= dy 0.5 (exp(lv) - 1) / cols
void logvar_backward(const Tensor& lv, const Tensor& dy, const Tensor& dlv,
                     bool acc) {
    dispatch(lv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T g = dy.data<T>()[0] / static_cast<T>(lv.cols());
        const T* l = lv.data<T>();
        T* d = dlv.data<T>();
        for (index_t i = 0, n = lv.size(); i < n; ++i) {
            T v = g * T(0.5) * (std::exp(l[i]) - T(1));
            d[i] = acc ? d[i] + v : v;
        }
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(KlNormalKernels, "kl_normal", Device::cpu, &forward,
                        &logvar_backward);

}  // namespace exprae
