// dropout (inverted): y = x * mask, mask = 1 / (1 - rate) with probability
// 1 - rate, else 0, drawn from the (seed, dropout) Philox stream at element
// counter * 2^32 + i, so every backend draws the same mask; dx += dy * mask.
#include "ops/dropout.h"

#include <string>

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

Variable dropout(const Variable& x, double rate, std::uint64_t seed,
                 std::uint64_t counter) {
    if (!(rate >= 0.0 && rate < 1.0)) {
        throw BadArgument("dropout: rate must be in [0, 1), got " +
                          std::to_string(rate));
    }
    const Tensor& xv = x.value();
    if (rate == 0.0) return x;
    Tensor mask = Tensor::empty_like(xv);
    Tensor y = Tensor::empty_like(xv);
    kernels<DropoutKernels>("dropout", xv.device())
        .mask(seed, counter, rate, mask);
    backend_for(xv).multiply(xv, mask, y, false);
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, mask]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        backend_for(dx).multiply(out.grad(), mask, dx, acc);
    });
    return out;
}

}  // namespace exprae
