// The sparse first layer's products on their own (cpu/hot_kernels.h):
// z = w s (sparse_product) and dw = dz s^T (sparse_product_t) against the
// dense GEMMs they replace, one thread, ms per call, for each compiled
// kernel set, on the reference network's first layer (512 x 2000 weights,
// a 256-sample minibatch) with a given share of zeros.
//
//   sparse_kernel [--zeros 0.9] [--units 512] [--features 2000]
//                 [--batch-size 256]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "cpu/hot_variants.h"

namespace {

using exprae::index_t;
using exprae::SparseColumns;

// Median ms of 11 calls after one untimed.
double time_ms(const std::function<void()>& f) {
    f();
    std::vector<double> ms;
    for (int r = 0; r < 11; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - t0).count());
    }
    std::nth_element(ms.begin(), ms.begin() + 5, ms.end());
    return ms[5];
}

double arg(int argc, char** argv, const char* name, double fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], name) == 0) return std::atof(argv[i + 1]);
    return fallback;
}

struct Set {
    std::string name;
    decltype(&exprae::cpu::generic::sparse_product<float>) product;
    decltype(&exprae::cpu::generic::sparse_product_t<float>) product_t;
    decltype(&exprae::cpu::generic::gemm<float>) gemm;
};

}  // namespace

int main(int argc, char** argv) {
    const double zeros = arg(argc, argv, "--zeros", 0.9);
    const index_t m = static_cast<index_t>(arg(argc, argv, "--units", 512));
    const index_t k =
        static_cast<index_t>(arg(argc, argv, "--features", 2000));
    const index_t n =
        static_cast<index_t>(arg(argc, argv, "--batch-size", 256));
    std::mt19937_64 gen(1);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    SparseColumns s;
    s.rows = k;
    s.cols = n;
    s.start.push_back(0);
    std::vector<float> dense(k * n, 0.0f);
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < k; ++i) {
            if (u(gen) < zeros) continue;
            double v = 1.0 + 4.0 * u(gen);
            s.row.push_back(static_cast<int>(i));
            s.value.push_back(v);
            dense[i + j * k] = static_cast<float>(v);
        }
        s.start.push_back(s.nnz());
    }
    std::vector<float> w(m * k), dz(m * n), z(m * n), dw(m * k);
    for (float& v : w) v = static_cast<float>(u(gen) - 0.5);
    for (float& v : dz) v = static_cast<float>(u(gen) - 0.5);

    std::vector<Set> sets = {{"generic",
                              &exprae::cpu::generic::sparse_product<float>,
                              &exprae::cpu::generic::sparse_product_t<float>,
                              &exprae::cpu::generic::gemm<float>}};
#ifdef EXPRAE_HAVE_AVX2
    sets.push_back({"avx2", &exprae::cpu::avx2::sparse_product<float>,
                    &exprae::cpu::avx2::sparse_product_t<float>,
                    &exprae::cpu::avx2::gemm<float>});
#endif
#ifdef EXPRAE_HAVE_AVX512
    sets.push_back({"avx512", &exprae::cpu::avx512::sparse_product<float>,
                    &exprae::cpu::avx512::sparse_product_t<float>,
                    &exprae::cpu::avx512::gemm<float>});
#endif
    std::printf("%lld x %lld weights, %lld samples, %.0f%% zeros (%lld "
                "non-zeros), one thread, ms per call (median of 11)\n",
                static_cast<long long>(m), static_cast<long long>(k),
                static_cast<long long>(n), 100 * zeros,
                static_cast<long long>(s.nnz()));
    std::printf("%-8s %10s %10s %10s %10s\n", "kernels", "w s", "dz s^T",
                "dense w x", "dense dz x^T");
    for (const Set& set : sets) {
        double fwd = time_ms([&] {
            set.product(w.data(), m, s, 0, m, z.data(), m);
        });
        double bwd = time_ms([&] {
            set.product_t(dz.data(), m, s, 0, m, false, dw.data(), m);
        });
        double gf = time_ms([&] {
            set.gemm(false, false, m, n, k, 1.0f, w.data(), m, dense.data(),
                     k, 0.0f, z.data(), m);
        });
        double gb = time_ms([&] {
            set.gemm(false, true, m, k, n, 1.0f, dz.data(), m, dense.data(),
                     k, 0.0f, dw.data(), m);
        });
        std::printf("%-8s %10.2f %10.2f %10.2f %10.2f\n", set.name.c_str(),
                    fwd, bwd, gf, gb);
    }
    return 0;
}
