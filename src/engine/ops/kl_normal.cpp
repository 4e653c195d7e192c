// kl_normal: KL(N(mu, exp(logvar)) || N(0, 1)), summed over the latent rows
// and averaged over the samples (columns) -> 1 x 1:
//   0.5 * sum(exp(lv) + mu^2 - 1 - lv) / n
//   dmu += dy * mu / n;  dlv += dy * 0.5 * (exp(lv) - 1) / n
#include "ops/kl_normal.h"

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

namespace {
const KlNormalKernels& kernels_on(Device device) {
    return kernels<KlNormalKernels>("kl_normal", device);
}
}  // namespace

Variable kl_normal(const Variable& mu, const Variable& logvar) {
    const Tensor& m = mu.value();
    const Tensor& lv = logvar.value();
    check_same_shape("kl_normal", m, lv);
    check_same_dtype("kl_normal", m, lv);
    if (m.size() == 0) throw BadArgument("kl_normal: empty input");
    Tensor y = Tensor::empty(1, 1, m.dtype(), m.device());
    kernels_on(m.device()).forward(m, lv, y);
    Variable out(y, mu.requires_grad() || logvar.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(mu, logvar)) return out;
    tape.record([mu, logvar, out]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        double per_sample = 1.0 / static_cast<double>(mu.value().cols());
        bool acc = false;
        if (mu.requires_grad()) {
            Tensor& d = mu.grad_target(&acc);
            backend_for(dy).scaled_axpy(dy, per_sample, mu.value(), d, acc);
        }
        if (logvar.requires_grad()) {
            Tensor& d = logvar.grad_target(&acc);
            kernels_on(dy.device()).logvar_backward(logvar.value(), dy, d,
                                                     acc);
        }
    });
    return out;
}

}  // namespace exprae
