// mse_loss: mean((pred - target)^2) -> 1 x 1
//   dpred += 2 (pred - target) dy / size; the target gets no gradient.
#include "ops/mse_loss.h"

#include "backend/registry.h"

namespace exprae {

namespace {
const MseLossKernels& kernels_on(Device device) {
    return kernels<MseLossKernels>("mse_loss", device);
}
}  // namespace

Variable mse_loss(const Variable& pred, const Variable& target) {
    const Tensor& p = pred.value();
    const Tensor& t = target.value();
    check_same_shape("mse_loss", p, t);
    check_same_dtype("mse_loss", p, t);
    if (p.size() == 0) throw BadArgument("mse_loss: empty input");
    Tensor y = Tensor::empty(1, 1, p.dtype(), p.device());
    kernels_on(p.device()).forward(p, t, y);
    Variable out(y, pred.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(pred)) return out;
    tape.record([pred, target, out]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dp = pred.grad_target(&acc);
        kernels_on(dp.device())
            .backward(pred.value(), target.value(), out.grad(), dp, acc);
    });
    return out;
}

}  // namespace exprae
