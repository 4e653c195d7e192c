// Elementwise functions of one tensor (relu, tanh, exp, scale, ...). Each
// is an op of its own: its math in math/<name>.h (a functor compiled for
// the CPU and the GPU), its kernels registered per device by cpu/<name>.cpp
// and cuda/<name>.cu, its op in ops/<name>.cpp. An op or a dense layer
// names one by a Unary {name, param}; unary_op() runs it and records its
// backward rule. Shapes are kept: any number of dimensions.
#pragma once

#include <string>
#include <vector>

#include "tape/tape.h"

namespace exprae {

// The kernels of one elementwise function on one device; param is the
// function's parameter (leaky_relu's slope, elu's alpha, scale's factor).
struct UnaryKernels {
    // y = f(x)
    void (*forward)(double param, const Tensor& x, const Tensor& y);
    // dx (+)= dy * f'(x, y)
    void (*backward)(double param, const Tensor& x, const Tensor& y,
                     const Tensor& dy, const Tensor& dx, bool acc);
    // z (rows x n) += b (rows x 1) in every column, then y = f(z) (y may
    // be z): a dense layer's bias and activation in one pass.
    void (*bias_forward)(double param, const Tensor& b, const Tensor& z,
                         const Tensor& y);
};

struct Unary {
    std::string name = "identity";
    double param = 0.0;
    bool is_identity() const { return name == "identity"; }
};

// The kernels of f on a device; DeviceError when it has none there.
const UnaryKernels& unary_kernels(const Unary& f, Device device);

// y = f(x), dx += dy * f'(x, y)
Variable unary_op(const Variable& x, const Unary& f);

// A dense layer's bias and fused activation (linear(), sparse_linear()):
// adds b (rows x 1) to every column of z and returns y = f(z), z itself
// when f is the identity. fused_grad() then gives dz = dy * f'(z, y)
// from the z kept (undefined for the identity: dz is dy).
Tensor fused_bias_activation(const Unary& f, const Tensor& b,
                             const Tensor& z);
Tensor fused_grad(const Unary& f, const Tensor& z, const Tensor& y,
                  const Tensor& dy);

// Activations of dense layers, by the name the R layer uses: each function
// that may serve as one registers itself (ops/relu.cpp, ...), so the list
// lives in one place and R asks for it.
bool register_activation(const std::string& name, const Unary& f);
// Throws BadArgument naming the known activations.
Unary activation(const std::string& name);
std::vector<std::string> activation_names();

}  // namespace exprae

// At namespace scope in ops/<name>.cpp: the activation's name, then the
// Unary it stands for, e.g. ("leaky_relu", "leaky_relu", 0.01).
#define EXPRAE_REGISTER_ACTIVATION(name, ...)                               \
    [[maybe_unused]] static const bool kActivationRegistered =              \
        ::exprae::register_activation(name, ::exprae::Unary{__VA_ARGS__})
