// max_pool1d over positions (x: channels x positions x samples):
//   y(c, j, s) = x(c, j stride + a, s),  a = argmax over k < size of
//                x(c, j stride + k, s)   (the first, when tied)
//   dx(c, l, s) += sum over j with j stride + a(c, j, s) = l of dy(c, j, s)
// Keeps the argmax (one offset per output element), not x.
#include "ops/max_pool1d.h"

#include <string>

#include "backend/registry.h"

namespace exprae {

namespace {
const MaxPool1dKernels& kernels_on(Device device) {
    return kernels<MaxPool1dKernels>("max_pool1d", device);
}

// float32 holds every integer up to 2^24 exactly.
constexpr index_t kMaxFloat32Window = index_t{1} << 24;
}  // namespace

Variable max_pool1d(const Variable& x, index_t size, index_t stride) {
    const Tensor& xv = x.value();
    Shape shape = pool1d::output_shape("max_pool1d", xv, size, stride);
    if (xv.dtype() == DType::f32 && size > kMaxFloat32Window) {
        throw BadArgument("max_pool1d: a float32 window holds at most 2^24 "
                          "positions, got size " + std::to_string(size));
    }
    Tensor y = Tensor::empty(shape, xv.dtype(), xv.device());
    Tape& tape = Tape::current();
    bool record = tape.should_record(x);
    Tensor argmax = record ? Tensor::empty_like(y) : Tensor();
    kernels_on(xv.device()).forward(xv, size, stride, y, argmax);
    Variable out(y, x.requires_grad());
    if (!record) return out;
    tape.record([x, out, argmax, size, stride]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        kernels_on(dy.device()).backward(dy, argmax, size, stride, dx, acc);
    });
    return out;
}

}  // namespace exprae
