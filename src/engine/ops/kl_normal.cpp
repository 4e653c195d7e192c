// kl_normal: KL(N(mu, exp(logvar)) || N(0, 1)), summed over the latent rows
// and averaged over the samples (columns) -> 1 x 1:
//   0.5 * sum(exp(lv) + mu^2 - 1 - lv) / n
//   dmu += dy * mu / n;  dlv += dy * 0.5 * (exp(lv) - 1) / n
#include <cmath>

#include "ops/ops.h"

namespace exprae {

Variable kl_normal(const Variable& mu, const Variable& logvar) {
    const Tensor& m = mu.value();
    const Tensor& lv = logvar.value();
    check_same_shape("kl_normal", m, lv);
    check_same_dtype("kl_normal", m, lv);
    if (m.size() == 0) throw std::invalid_argument("kl_normal: empty input");
    Tensor y = Tensor::empty(1, 1, m.dtype());
    dispatch(m.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* a = m.data<T>();
        const T* b = lv.data<T>();
        double total = 0.0;
        for (index_t i = 0; i < m.size(); ++i) {
            double v = static_cast<double>(b[i]);
            double u = static_cast<double>(a[i]);
            total += std::exp(v) + u * u - 1.0 - v;
        }
        y.data<T>()[0] = static_cast<T>(0.5 * total /
                                        static_cast<double>(m.cols()));
    });
    Variable out(y, mu.requires_grad() || logvar.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(mu, logvar)) return out;
    tape.record([mu, logvar, out]() {
        if (!out.grad().defined()) return;
        dispatch(out.grad().dtype(), [&](auto tag) {
            using T = decltype(tag);
            const Tensor& m = mu.value();
            T g = out.grad().data<T>()[0] / static_cast<T>(m.cols());
            bool acc = false;
            if (mu.requires_grad()) {
                Tensor& d = mu.grad_target(&acc);
                const T* a = m.data<T>();
                T* o = d.data<T>();
                for (index_t i = 0; i < d.size(); ++i)
                    o[i] = acc ? o[i] + g * a[i] : g * a[i];
            }
            if (logvar.requires_grad()) {
                Tensor& d = logvar.grad_target(&acc);
                const T* b = logvar.value().data<T>();
                T* o = d.data<T>();
                for (index_t i = 0; i < d.size(); ++i) {
                    T v = g * T(0.5) * (std::exp(b[i]) - T(1));
                    o[i] = acc ? o[i] + v : v;
                }
            }
        });
    });
    return out;
}

}  // namespace exprae
