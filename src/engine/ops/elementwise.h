// The math of every elementwise op, written once and compiled for the CPU
// loops (cpu/map.h) and for the CUDA kernels (cuda/elementwise.cu). A
// functor has
//   T forward(T x) const           y = f(x)
//   T derivative(T x, T y) const   dy/dx, from the input and/or the output
// Ops name a functor by a Unary {kind, param}; visit_unary() turns that
// back into the functor, once per call, never per element.
#pragma once

#include <algorithm>
#include <cmath>

#include "backend/host_device.h"

namespace exprae {

enum class UnaryKind {
    identity, relu, leaky_relu, elu, tanh, sigmoid, softplus, exp, log, scale
};

// param: the slope of leaky_relu, the alpha of elu and of scale.
struct Unary {
    UnaryKind kind = UnaryKind::identity;
    double param = 0.0;
};

struct Identity {
    template <typename T> EXPRAE_HD T forward(T x) const { return x; }
    template <typename T> EXPRAE_HD T derivative(T, T) const { return T(1); }
};

// relu(x) = max(x, 0)
struct Relu {
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(0);
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return x > T(0) ? T(1) : T(0);
    }
};

// x for x > 0, slope * x otherwise
struct LeakyRelu {
    double slope;
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(slope) * x;
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return x > T(0) ? T(1) : T(slope);
    }
};

// x for x > 0, alpha * (exp(x) - 1) otherwise
struct Elu {
    double alpha;
    template <typename T> EXPRAE_HD T forward(T x) const {
        return x > T(0) ? x : T(alpha) * std::expm1(x);
    }
    // For x <= 0, d/dx = alpha * exp(x) = y + alpha.
    template <typename T> EXPRAE_HD T derivative(T x, T y) const {
        return x > T(0) ? T(1) : y + T(alpha);
    }
};

// derivative 1 - y^2 from the output
struct Tanh {
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::tanh(x);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const {
        return T(1) - y * y;
    }
};

// 1 / (1 + exp(-x)); derivative y (1 - y) from the output
struct Sigmoid {
    // Both branches avoid exp of a large positive number.
    template <typename T> EXPRAE_HD T forward(T x) const {
        if (x >= T(0)) return T(1) / (T(1) + std::exp(-x));
        T e = std::exp(x);
        return e / (T(1) + e);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const {
        return y * (T(1) - y);
    }
};

// log(1 + exp(x)); derivative sigmoid(x)
struct Softplus {
    // max(x, 0) + log1p(exp(-|x|)) is exact and never overflows.
    template <typename T> EXPRAE_HD T forward(T x) const {
        return (x > T(0) ? x : T(0)) + std::log1p(std::exp(-std::abs(x)));
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return Sigmoid{}.forward(x);
    }
};

// exp(x); derivative y
struct Exp {
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::exp(x);
    }
    template <typename T> EXPRAE_HD T derivative(T, T y) const { return y; }
};

// log(x); derivative 1 / x. Non-positive x gives -Inf/NaN, as in R, and
// the trainer's finite-loss check catches it.
struct Log {
    template <typename T> EXPRAE_HD T forward(T x) const {
        return std::log(x);
    }
    template <typename T> EXPRAE_HD T derivative(T x, T) const {
        return T(1) / x;
    }
};

// alpha * x
struct Scale {
    double alpha;
    template <typename T> EXPRAE_HD T forward(T x) const {
        return T(alpha) * x;
    }
    template <typename T> EXPRAE_HD T derivative(T, T) const {
        return T(alpha);
    }
};

// Calls f(functor) with the functor `u` names.
template <typename F>
void visit_unary(const Unary& u, F&& f) {
    switch (u.kind) {
    case UnaryKind::identity: return f(Identity{});
    case UnaryKind::relu: return f(Relu{});
    case UnaryKind::leaky_relu: return f(LeakyRelu{u.param});
    case UnaryKind::elu: return f(Elu{u.param});
    case UnaryKind::tanh: return f(Tanh{});
    case UnaryKind::sigmoid: return f(Sigmoid{});
    case UnaryKind::softplus: return f(Softplus{});
    case UnaryKind::exp: return f(Exp{});
    case UnaryKind::log: return f(Log{});
    case UnaryKind::scale: return f(Scale{u.param});
    }
}

}  // namespace exprae
