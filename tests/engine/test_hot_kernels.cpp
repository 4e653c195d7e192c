// The hot kernels (cpu/hot_kernels.h): GEMM in all four transpose
// combinations against a naive triple loop, in float and double, with
// beta 0 (C is overwritten, even when it holds NaN) and beta 1 (C is
// accumulated into), for odd sizes and leading dimensions larger than the
// matrices. Both compiled sets are checked directly, then the dispatcher.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "cpu/hot_kernels.h"
#include "cpu/hot_variants.h"
#include "cpu/parallel.h"
#include "random/philox.h"

namespace exprae {
namespace cpu {


namespace {

template <typename T>
using GemmFn = void (*)(bool, bool, index_t, index_t, index_t, T, const T*,
                        index_t, const T*, index_t, T, T*, index_t);

template <typename T>
std::vector<T> random_matrix(index_t n, std::uint64_t seed) {
    Philox rng(seed, 0x6e77);
    std::vector<T> v(n);
    for (index_t i = 0; i < n; ++i) v[i] = T(2 * rng.uniform(i) - 1);
    return v;
}

struct Case {
    index_t m, n, k;
};

// C = alpha op(A) op(B) + beta C against a triple loop in long double; the
// tolerance scales with k and with sum |alpha a b| + |beta c|.
template <typename T>
void check_gemm(GemmFn<T> gemm, const std::string& set) {
    // The last case has a long k and a small C: with 2 or more threads it
    // is split over k (hot_kernels_impl.h, gemm_split_k).
    const Case cases[] = {{1, 1, 1},     {7, 5, 3}, {37, 23, 19},
                          {65, 33, 129}, {3, 70, 1}, {20, 12, 9000}};
    const double eps = std::numeric_limits<T>::epsilon();
    std::uint64_t seed = 1;
    for (const Case& c : cases) {
        for (int ta = 0; ta < 2; ++ta) {
            for (int tb = 0; tb < 2; ++tb) {
                for (T beta : {T(0), T(1), T(0.5)}) {
                    const T alpha = T(1.25);
                    // Stored shapes, with leading dimensions padded by 3.
                    index_t ar = ta ? c.k : c.m, ac = ta ? c.m : c.k;
                    index_t br = tb ? c.n : c.k, bc = tb ? c.k : c.n;
                    index_t lda = ar + 3, ldb = br + 2, ldc = c.m + 1;
                    auto a = random_matrix<T>(lda * ac, seed++);
                    auto b = random_matrix<T>(ldb * bc, seed++);
                    auto c0 = random_matrix<T>(ldc * c.n, seed++);
                    auto out = c0;
                    if (beta == T(0)) {
                        // BLAS: beta 0 means C is not read at all.
                        for (index_t j = 0; j < c.n; ++j)
                            for (index_t i = 0; i < c.m; ++i)
                                out[i + j * ldc] =
                                    std::numeric_limits<T>::quiet_NaN();
                    }
                    gemm(ta, tb, c.m, c.n, c.k, alpha, a.data(), lda,
                         b.data(), ldb, beta, out.data(), ldc);
                    int bad = 0;
                    for (index_t j = 0; j < c.n; ++j) {
                        for (index_t i = 0; i < c.m; ++i) {
                            long double s = 0, mag = 0;
                            for (index_t p = 0; p < c.k; ++p) {
                                T av = ta ? a[p + i * lda] : a[i + p * lda];
                                T bv = tb ? b[j + p * ldb] : b[p + j * ldb];
                                s += (long double)av * bv;
                                mag += std::abs((long double)av * bv);
                            }
                            long double want = alpha * s;
                            if (beta != T(0)) want += beta * c0[i + j * ldc];
                            mag = std::abs(alpha) * mag +
                                  std::abs(beta * c0[i + j * ldc]);
                            double tol = 4 * (c.k + 2) * eps * double(mag);
                            double err = std::abs(double(out[i + j * ldc] -
                                                         want));
                            if (!(err <= tol) && bad++ < 3) {
                                ADD_FAILURE()
                                    << set << " gemm ta=" << ta
                                    << " tb=" << tb << " beta=" << beta
                                    << " m,n,k=" << c.m << "," << c.n << ","
                                    << c.k << " at (" << i << "," << j
                                    << "): " << out[i + j * ldc] << " vs "
                                    << double(want);
                            }
                        }
                    }
                    // Padding rows of C (between m and ldc) stay untouched.
                    for (index_t j = 0; j < c.n; ++j)
                        EXPECT_EQ(std::memcmp(&out[c.m + j * ldc],
                                              &c0[c.m + j * ldc], sizeof(T)),
                                  0);
                }
            }
        }
    }
}

TEST(HotKernels, GenericGemmMatchesTripleLoop) {
    check_gemm<float>(&generic::gemm<float>, "generic");
    check_gemm<double>(&generic::gemm<double>, "generic");
}

#ifdef EXPRAE_HAVE_AVX2
TEST(HotKernels, Avx2GemmMatchesTripleLoop) {
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        GTEST_SKIP() << "this CPU has no AVX2+FMA";
    check_gemm<float>(&avx2::gemm<float>, "avx2");
    check_gemm<double>(&avx2::gemm<double>, "avx2");
}
#endif

TEST(HotKernels, DispatchedGemmMatchesTripleLoop) {
    check_gemm<float>(&gemm<float>, hot_kernel_set());
    check_gemm<double>(&gemm<double>, hot_kernel_set());
}

// With two threads a long-k product is split over k into per-thread
// results added in order: still right, and the same on every call.
TEST(HotKernels, GemmSplitOverTheInnerDimensionOnTwoThreads) {
    int before = num_threads();
    set_num_threads(2);
    check_gemm<float>(&gemm<float>, hot_kernel_set());
    check_gemm<double>(&gemm<double>, hot_kernel_set());
    index_t m = 20, n = 12, k = 9000;
    auto a = random_matrix<float>(m * k, 7);
    auto b = random_matrix<float>(n * k, 8);
    std::vector<float> c1(m * n), c2(m * n);
    gemm<float>(false, true, m, n, k, 1.0f, a.data(), m, b.data(), n, 0.0f,
                c1.data(), m);
    gemm<float>(false, true, m, n, k, 1.0f, a.data(), m, b.data(), n, 0.0f,
                c2.data(), m);
    EXPECT_EQ(c1, c2);
    set_num_threads(before);
}

TEST(HotKernels, DispatcherPicksAvx2WhenBuiltAndSupported) {
    std::string set = hot_kernel_set();
#if defined(EXPRAE_HAVE_AVX2)
    bool cpu_has = __builtin_cpu_supports("avx2") &&
                   __builtin_cpu_supports("fma");
    EXPECT_EQ(set, cpu_has ? "avx2+fma" : "generic");
#else
    EXPECT_EQ(set, "generic");
#endif
    std::printf("[hot kernels] dispatcher chose %s\n", set.c_str());
}

#ifdef EXPRAE_HAVE_AVX2
TEST(HotKernels, Avx2AndGenericAdamAgree) {
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        GTEST_SKIP() << "this CPU has no AVX2+FMA";
    const index_t n = 1001;
    AdamStep s{1e-3, 0.9, 0.999, 1e-8, 0.01, true, 0.1, 0.001, 0.5};
    auto w1 = random_matrix<float>(n, 1), g = random_matrix<float>(n, 2);
    auto m1 = random_matrix<float>(n, 3), v1 = random_matrix<float>(n, 4);
    for (float& v : v1) v = v * v;
    auto w2 = w1, m2 = m1, v2 = v1;
    generic::adam_update<float>(s, n, w1.data(), g.data(), m1.data(),
                                v1.data());
    avx2::adam_update<float>(s, n, w2.data(), g.data(), m2.data(), v2.data());
    for (index_t i = 0; i < n; ++i) {
        EXPECT_NEAR(w1[i], w2[i], 1e-6) << i;
        EXPECT_NEAR(m1[i], m2[i], 1e-6) << i;
        EXPECT_NEAR(v1[i], v2[i], 1e-6) << i;
    }
}
#endif

}  // namespace
}  // namespace cpu
}  // namespace exprae
