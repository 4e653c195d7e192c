// dropout (inverted): y = x * mask, mask = 1 / (1 - rate) with probability
// 1 - rate, else 0, drawn from the (seed, dropout) Philox stream at element
// counter * 2^32 + i; dx += dy * mask.
#include <string>

#include "cpu/map.h"
#include "ops/ops.h"
#include "random/philox.h"

namespace exprae {

Variable dropout(const Variable& x, double rate, std::uint64_t seed,
                 std::uint64_t counter) {
    if (!(rate >= 0.0 && rate < 1.0)) {
        throw std::invalid_argument("dropout: rate must be in [0, 1), got " +
                                    std::to_string(rate));
    }
    const Tensor& xv = x.value();
    if (rate == 0.0) return x;
    Tensor mask = Tensor::empty(xv.rows(), xv.cols(), xv.dtype());
    Tensor y = Tensor::empty(xv.rows(), xv.cols(), xv.dtype());
    Philox rng(seed, kStreamDropout);
    std::uint64_t base = counter << 32;
    dispatch(xv.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T keep = static_cast<T>(1.0 / (1.0 - rate));
        T* m = mask.data<T>();
        cpu::parallel_for(xv.size(), cpu::kElementwiseGrain,
                          [&](index_t lo, index_t hi) {
            for (index_t i = lo; i < hi; ++i)
                m[i] = rng.uniform(base + i) >= rate ? keep : T(0);
        });
        cpu::multiply<T>(xv.size(), xv.data<T>(), m, y.data<T>(), false);
    });
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, mask]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        dispatch(dx.dtype(), [&](auto tag) {
            using T = decltype(tag);
            cpu::multiply<T>(dx.size(), out.grad().data<T>(), mask.data<T>(),
                             dx.data<T>(), acc);
        });
    });
    return out;
}

}  // namespace exprae
