// Loss kernels: mean squared error and the KL divergence of a diagonal
// normal from N(0, 1). Sums accumulate in double.
#pragma once

#include <cmath>

#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

// sum((p - t)^2)
template <typename T>
double squared_error_sum(index_t n, const T* p, const T* t) {
    double total = 0.0;
    for (index_t i = 0; i < n; ++i) {
        double d = static_cast<double>(p[i]) - static_cast<double>(t[i]);
        total += d * d;
    }
    return total;
}

// dp[i] (+)= g * (p[i] - t[i])
template <typename T>
void squared_error_backward(index_t n, T g, const T* p, const T* t, T* dp,
                            bool acc) {
    parallel_for(n, kElementwiseGrain, [&](index_t lo, index_t hi) {
        for (index_t i = lo; i < hi; ++i) {
            T v = g * (p[i] - t[i]);
            dp[i] = acc ? dp[i] + v : v;
        }
    });
}

// sum(exp(lv) + mu^2 - 1 - lv)
template <typename T>
double kl_sum(index_t n, const T* mu, const T* lv) {
    double total = 0.0;
    for (index_t i = 0; i < n; ++i) {
        double v = static_cast<double>(lv[i]);
        double u = static_cast<double>(mu[i]);
        total += std::exp(v) + u * u - 1.0 - v;
    }
    return total;
}

// dlv[i] (+)= g * 0.5 * (exp(lv[i]) - 1)
template <typename T>
void kl_logvar_backward(index_t n, T g, const T* lv, T* dlv, bool acc) {
    for (index_t i = 0; i < n; ++i) {
        T v = g * T(0.5) * (std::exp(lv[i]) - T(1));
        dlv[i] = acc ? dlv[i] + v : v;
    }
}

}  // namespace cpu
}  // namespace exprae
