#include "ops/unary.h"

#include <map>

#include "backend/registry.h"
#include "names.h"

namespace exprae {

const UnaryKernels& unary_kernels(const Unary& f, Device device) {
    return kernels<UnaryKernels>(f.name, device);
}

Variable unary_op(const Variable& x, const Unary& f) {
    const Tensor& xv = x.value();
    Tensor y = Tensor::empty_like(xv);
    unary_kernels(f, xv.device()).forward(f.param, xv, y);
    Variable out(y, x.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(x)) return out;
    tape.record([x, out, f]() {
        if (!out.grad().defined()) return;
        bool acc = false;
        Tensor& dx = x.grad_target(&acc);
        unary_kernels(f, dx.device())
            .backward(f.param, x.value(), out.value(), out.grad(), dx, acc);
    });
    return out;
}

Tensor fused_bias_activation(const Unary& f, const Tensor& b,
                             const Tensor& z) {
    Tensor y = f.is_identity() ? z : Tensor::empty_like(z);
    unary_kernels(f, z.device()).bias_forward(f.param, b, z, y);
    return y;
}

Tensor fused_grad(const Unary& f, const Tensor& z, const Tensor& y,
                  const Tensor& dy) {
    if (!z.defined()) return dy;
    Tensor dz = Tensor::empty_like(dy);
    unary_kernels(f, dy.device()).backward(f.param, z, y, dy, dz, false);
    return dz;
}

namespace {
// Filled during static initialisation, read-only afterwards.
std::map<std::string, Unary>& activations() {
    static std::map<std::string, Unary> table;
    return table;
}
}  // namespace

bool register_activation(const std::string& name, const Unary& f) {
    activations()[name] = f;
    return true;
}

Unary activation(const std::string& name) {
    auto it = activations().find(name);
    if (it == activations().end())
        unknown_name("activation", name, activation_names());
    return it->second;
}

std::vector<std::string> activation_names() {
    std::vector<std::string> names;
    for (const auto& entry : activations()) names.push_back(entry.first);
    return names;
}

}  // namespace exprae
