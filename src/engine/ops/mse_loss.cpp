// mse_loss: mean((pred - target)^2) -> 1 x 1
//   dpred += 2 (pred - target) dy / size; the target gets no gradient.
#include "cpu/parallel.h"
#include "ops/ops.h"

namespace exprae {

namespace {
template <typename T>
double squared_error_sum(index_t n, const T* p, const T* t) {
    double total = 0.0;
    for (index_t i = 0; i < n; ++i) {
        double d = static_cast<double>(p[i]) - static_cast<double>(t[i]);
        total += d * d;
    }
    return total;
}
}  // namespace

Variable mse_loss(const Variable& pred, const Variable& target) {
    const Tensor& p = pred.value();
    const Tensor& t = target.value();
    check_same_shape("mse_loss", p, t);
    check_same_dtype("mse_loss", p, t);
    if (p.size() == 0) throw std::invalid_argument("mse_loss: empty input");
    Tensor y = Tensor::empty(1, 1, p.dtype());
    dispatch(p.dtype(), [&](auto tag) {
        using T = decltype(tag);
        y.data<T>()[0] = static_cast<T>(
            squared_error_sum(p.size(), p.data<T>(), t.data<T>()) /
            static_cast<double>(p.size()));
    });
    Variable out(y, pred.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(pred)) return out;
    tape.record([pred, target, out]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dp = pred.grad_target(&acc);
        dispatch(dp.dtype(), [&](auto tag) {
            using T = decltype(tag);
            const T* pv = pred.value().data<T>();
            const T* tv = target.value().data<T>();
            T* d = dp.data<T>();
            T g = T(2) * out.grad().data<T>()[0] / static_cast<T>(dp.size());
            cpu::parallel_for(dp.size(), cpu::kElementwiseGrain,
                              [&](index_t lo, index_t hi) {
                for (index_t i = lo; i < hi; ++i) {
                    T v = g * (pv[i] - tv[i]);
                    d[i] = acc ? d[i] + v : v;
                }
            });
        });
    });
    return out;
}

}  // namespace exprae
