// grad_reverse: y = x; dx += -lambda dy. The forward pass is x itself
// (the same storage), and the backward rule is the backend's axpy, so the
// op needs no kernels of its own on any device.
#include "ops/grad_reverse.h"

#include <cmath>
#include <string>

#include "backend/backend.h"

namespace exprae {

Variable grad_reverse(const Variable& x, double lambda) {
    if (!(lambda >= 0) || !std::isfinite(lambda)) {
        throw BadArgument("grad_reverse: lambda must be a finite number "
                          ">= 0, got " + std::to_string(lambda));
    }
    Variable out(x.value(), x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, lambda]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        backend_for(dx).axpy(-lambda, dy, dx, acc);
    });
    return out;
}

}  // namespace exprae
