// The per-element optimizer updates, written once for the CPU loops
// (cpu/hot_kernels_impl.h; its AVX2 loop is a vector twin of
// AdamConstants::apply) and the CUDA kernel (cuda/optimizer.cu).
#pragma once

#include <cmath>

#include "math/host_device.h"

namespace exprae {

// Adam's constants of one step, hoisted so that the loop body is pure
// arithmetic; `scale` multiplies the gradient (clipping, grad_scale).
// `Unique` keeps the instances of the CPU's two hot-kernel builds apart
// (cpu/hot_avx2.cpp): the same inline function compiled with and without
// -mavx2 must not be merged by the linker.
template <typename T, typename Unique = void>
struct AdamConstants {
    T b1, b2, c1, c2, eps, l2, scale, step, inv_sqrt_bias2, shrink;
    AdamConstants(double lr, double beta1, double beta2, double epsilon,
                  double weight_decay, bool decoupled, double bias1,
                  double bias2, double grad_scale)
        : b1(T(beta1)), b2(T(beta2)), c1(T(1 - beta1)), c2(T(1 - beta2)),
          eps(T(epsilon)), l2(decoupled ? T(0) : T(weight_decay)),
          scale(T(grad_scale)), step(T(lr / bias1)),
          inv_sqrt_bias2(T(1 / std::sqrt(bias2))),
          shrink(decoupled ? T(1 - lr * weight_decay) : T(1)) {}

    EXPRAE_HD void apply(T& w, T g, T& m, T& v) const {
        T gi = g * scale + l2 * w;
        T mi = b1 * m + c1 * gi;
        T vi = b2 * v + c2 * gi * gi;
        m = mi;
        v = vi;
        w = shrink * w - step * mi / (std::sqrt(vi) * inv_sqrt_bias2 + eps);
    }
};

// SGD with momentum and L2 weight decay; `Unique` as for AdamConstants.
template <typename T, typename Unique = void>
struct SgdConstants {
    T lr, mu, wd, scale;
    SgdConstants(double rate, double momentum, double weight_decay,
                 double grad_scale)
        : lr(T(rate)), mu(T(momentum)), wd(T(weight_decay)),
          scale(T(grad_scale)) {}

    EXPRAE_HD void apply(T& w, T g, T& velocity) const {
        T gi = g * scale + wd * w;
        T vi = mu * velocity + gi;
        velocity = vi;
        w -= lr * vi;
    }
};

}  // namespace exprae
