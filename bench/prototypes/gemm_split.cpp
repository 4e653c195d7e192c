// Prototype for suggestion 2 in ../RESULTS.md: the step's 17 GEMMs through
// the engine (Eigen's own OpenMP split, whose threads spin-wait for each
// other) against one OpenMP region per product in which each thread runs
// a single-threaded Eigen product on its own block of C, and against one
// thread. Run it on a quiet machine and with busy loops beside it.
//
//   bench/build/gemm_split
//
// Eigen is renamed as in hot_avx2.cpp so that these AVX2 instances cannot
// be merged with the engine's generic ones by the linker.
#define Eigen EigenSplit
#include <Eigen/Core>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"

using exprae::index_t;

namespace {

using Map = Eigen::Map<Eigen::MatrixXf, 0, Eigen::OuterStride<>>;
using CMap = Eigen::Map<const Eigen::MatrixXf, 0, Eigen::OuterStride<>>;

struct Gemm {
    bool ta, tb;
    index_t m, n, k;
    const float* a;
    index_t lda;
    const float* b;
    index_t ldb;
    float beta;  // 0 or 1
    float* c;
    index_t ldc;
};

// C (m x n) (+)= op(A) op(B), C split over columns (rows when narrow).
void gemm_split(const Gemm& g, int threads) {
    Eigen::setNbThreads(1);
    bool split_rows = g.n < 128;
    if (double(g.m) * g.n * g.k < 4e6) threads = 1;  // small: one thread
#pragma omp parallel num_threads(threads)
    {
        index_t t = omp_get_thread_num(), nt = omp_get_num_threads();
        index_t total = split_rows ? g.m : g.n;
        index_t chunk = ((total + nt - 1) / nt + 7) / 8 * 8;
        index_t lo = std::min(total, t * chunk);
        index_t hi = std::min(total, lo + chunk);
        if (lo < hi) {
            index_t mm = split_rows ? hi - lo : g.m;
            index_t nn = split_rows ? g.n : hi - lo;
            const float* a = g.a;
            const float* b = g.b;
            float* c = g.c;
            if (split_rows) {
                a = g.ta ? g.a + lo * g.lda : g.a + lo;
                c = g.c + lo;
            } else {
                b = g.tb ? g.b + lo : g.b + lo * g.ldb;
                c = g.c + lo * g.ldc;
            }
            Map C(c, mm, nn, Eigen::OuterStride<>(g.ldc));
            CMap A(a, g.ta ? g.k : mm, g.ta ? mm : g.k,
                   Eigen::OuterStride<>(g.lda));
            CMap B(b, g.tb ? nn : g.k, g.tb ? g.k : nn,
                   Eigen::OuterStride<>(g.ldb));
            auto run = [&](const auto& product) {
                if (g.beta == 0) C.noalias() = product;
                else C.noalias() += product;
            };
            if (!g.ta && !g.tb) run(A * B);
            if (!g.ta && g.tb) run(A * B.transpose());
            if (g.ta && !g.tb) run(A.transpose() * B);
        }
    }
}

void engine_gemm(const Gemm& g) {
    exprae::cpu::gemm<float>(g.ta, g.tb, g.m, g.n, g.k, 1.0f, g.a, g.lda,
                             g.b, g.ldb, g.beta, g.c, g.ldc);
}

template <typename F>
double median_ms(F f) {
    f();
    std::vector<double> t;
    for (int r = 0; r < 15; ++r) {
        auto a = std::chrono::steady_clock::now();
        f();
        t.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

}  // namespace

int main() {
    struct Layer { index_t in, out; };
    const Layer layers[] = {{2000, 512}, {512, 128}, {128, 32},
                            {32, 128},   {128, 512}, {512, 2000}};
    const index_t n = 256;
    double total[3] = {0, 0, 0};
    std::printf("%-26s %9s %9s %9s\n", "product (ms)", "eigen x2",
                "split x2", "1 thread");
    for (int l = 0; l < 6; ++l) {
        const Layer& d = layers[l];
        std::vector<float> w(d.out * d.in, 0.01f), x(d.in * n, 0.5f);
        std::vector<float> y(d.out * n), dy(d.out * n, 0.01f);
        std::vector<float> dw(d.out * d.in), dx(d.in * n);
        std::vector<Gemm> gs = {
            {false, false, d.out, n, d.in, w.data(), d.out, x.data(), d.in,
             0, y.data(), d.out},
            {false, true, d.out, d.in, n, dy.data(), d.out, x.data(), d.in,
             1, dw.data(), d.out}};
        if (l > 0)
            gs.push_back({true, false, d.in, n, d.out, w.data(), d.out,
                          dy.data(), d.out, 0, dx.data(), d.in});
        for (const Gemm& g : gs) {
            exprae::cpu::set_num_threads(2);
            double e2 = median_ms([&] { engine_gemm(g); });
            double s2 = median_ms([&] { gemm_split(g, 2); });
            exprae::cpu::set_num_threads(1);
            double e1 = median_ms([&] { engine_gemm(g); });
            std::printf("%c%c %5lld x %5lld x %5lld %9.3f %9.3f %9.3f\n",
                        g.ta ? 'T' : 'N', g.tb ? 'T' : 'N',
                        static_cast<long long>(g.m),
                        static_cast<long long>(g.n),
                        static_cast<long long>(g.k), e2, s2, e1);
            total[0] += e2;
            total[1] += s2;
            total[2] += e1;
        }
    }
    std::printf("%-26s %9.2f %9.2f %9.2f\n", "per step", total[0], total[1],
                total[2]);
    return 0;
}
