// Prototype for suggestion 1 in ../RESULTS.md: the engine's Adam update
// against the same update written so that the compiler vectorizes it
// (constants in locals, restrict pointers, `omp simd`, built with
// -fno-math-errno), over the reference network's 2.19 M parameters.
//
//   bench/build/adam_simd [threads]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"

using exprae::index_t;

namespace {

// w, g, m, v: n each; the update of cpu::adam_update without weight decay.
__attribute__((noinline)) void adam_simd(index_t n, float* __restrict w,
                                         const float* __restrict g,
                                         float* __restrict m,
                                         float* __restrict v,
                                         const exprae::cpu::AdamStep& s) {
    const float b1 = float(s.beta1), b2 = float(s.beta2);
    const float c1 = 1 - b1, c2 = 1 - b2, eps = float(s.eps);
    const float step = float(s.lr / s.bias1);
    const float inv_sqrt_bias2 = float(1 / std::sqrt(s.bias2));
    const float scale = float(s.grad_scale);
#pragma omp simd
    for (index_t i = 0; i < n; ++i) {
        float gi = g[i] * scale;
        float mi = b1 * m[i] + c1 * gi;
        float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= step * mi / (std::sqrt(vi) * inv_sqrt_bias2 + eps);
    }
}

template <typename F>
double median_ms(F f) {
    std::vector<double> t;
    for (int r = 0; r < 25; ++r) {
        auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    exprae::cpu::set_num_threads(argc > 1 ? std::atoi(argv[1]) : 1);
    const index_t n = 2190576;  // parameters of the reference network
    std::vector<float> w(n, 0.01f), g(n), m(n, 0.0f), v(n, 0.0f);
    for (index_t i = 0; i < n; ++i) g[i] = 1e-3f * float(i % 7);
    exprae::cpu::AdamStep s{1e-3, 0.9, 0.999, 1e-8, 0.0, false,
                            0.1,  0.001, 1.0};
    double engine = median_ms([&] {
        exprae::cpu::adam_update<float>(s, n, w.data(), g.data(), m.data(),
                                        v.data());
    });
    double simd = median_ms([&] {
        adam_simd(n, w.data(), g.data(), m.data(), v.data(), s);
    });
    std::printf("Adam over %lld parameters: engine %.2f ms (%d threads), "
                "vectorized one-thread loop %.2f ms\n",
                static_cast<long long>(n), engine,
                exprae::cpu::num_threads(), simd);
    return 0;
}
