// avg_pool1d over positions (x: channels x positions x samples):
//   y(c, j, s) = sum over k < size of x(c, j stride + k, s) / size
//   dx(c, l, s) += sum over the windows j that hold l of dy(c, j, s) / size
// Backward needs only the shapes.
#include "ops/avg_pool1d.h"

#include "backend/registry.h"

namespace exprae {

namespace {
const AvgPool1dKernels& kernels_on(Device device) {
    return kernels<AvgPool1dKernels>("avg_pool1d", device);
}
}  // namespace

Variable avg_pool1d(const Variable& x, index_t size, index_t stride) {
    const Tensor& xv = x.value();
    Shape shape = pool1d::output_shape("avg_pool1d", xv, size, stride);
    Tensor y = Tensor::empty(shape, xv.dtype(), xv.device());
    kernels_on(xv.device()).forward(xv, size, stride, y);
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, size, stride]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        kernels_on(dy.device()).backward(dy, size, stride, dx, acc);
    });
    return out;
}

}  // namespace exprae
