// The hot kernels (cpu/hot_kernels.h): GEMM in all four transpose
// combinations against a naive triple loop, in float and double, with
// beta 0 (C is overwritten, even when it holds NaN) and beta 1 (C is
// accumulated into), for odd sizes and leading dimensions larger than the
// matrices. Both compiled sets are checked directly, then the dispatcher.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
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
    // is split over k (hot_kernels_impl.h, gemm_split_k). The AVX-512
    // build takes the shapes its blocks fit (cpu/gemm_avx512.h, fits():
    // from {65, 33, 129} on), and the two before the last cross its blocks
    // of 256 rows and depths and of 1536 columns, with edges in every
    // direction.
    const Case cases[] = {{1, 1, 1},      {7, 5, 3},       {37, 23, 19},
                          {65, 33, 129},  {3, 70, 1},      {290, 29, 531},
                          {45, 1550, 17}, {20, 12, 9000}};
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

#ifdef EXPRAE_HAVE_AVX512
bool cpu_has_avx512() {
    return __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

TEST(HotKernels, Avx512GemmMatchesTripleLoop) {
    if (!cpu_has_avx512()) GTEST_SKIP() << "this CPU has no AVX-512";
    check_gemm<float>(&avx512::gemm<float>, "avx512");
    check_gemm<double>(&avx512::gemm<double>, "avx512");
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

TEST(HotKernels, CpuidFamilyAddsTheExtendedFamily) {
    EXPECT_EQ(cpuid_family(0x00A10F11u), 0x19u);  // Zen 4 (EPYC Genoa)
    EXPECT_EQ(cpuid_family(0x00B00F21u), 0x1Au);  // Zen 5 (EPYC Turin)
    EXPECT_EQ(cpuid_family(0x00800F11u), 0x17u);  // Zen 1
    EXPECT_EQ(cpuid_family(0x000806F8u), 0x6u);   // Intel Sapphire Rapids
}

TEST(HotKernels, DispatcherPicksTheWidestSetThatRunsAtFullWidth) {
    if (std::getenv("EXPRAE_CPU_KERNELS"))
        GTEST_SKIP() << "EXPRAE_CPU_KERNELS caps the choice";
    std::string set = hot_kernel_set();
#if defined(EXPRAE_HAVE_AVX512)
    // AMD's AVX-512 before Zen 5 runs on 256-bit units: AVX2 is chosen there
    if (cpu_has_avx512() && !amd_avx512_half_width())
        EXPECT_EQ(set, "avx512");
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        EXPECT_EQ(set, "avx2+fma");
    else EXPECT_EQ(set, "generic");
#elif defined(EXPRAE_HAVE_AVX2)
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

// The count likelihoods' vector kernel against the scalar one, element by
// element and in every output: counts with zeros, large counts beyond the
// log-factorial table, non-integer counts, extreme means, dispersions and
// zero-inflation logits and a NaN (these go to the scalar code inside the
// vector kernel; each in a group of four and of eight lanes that no other
// one sends there), per-gene and per-element dispersions, a row count that
// is not a multiple of four or eight, float and double.
template <typename T>
void check_count_nll(Likelihood lk, bool per_gene) {
    const index_t rows = 37, cols = 6, n = rows * cols;
    Philox rng(7, 0xc0);
    std::vector<T> eta(n), x(n), lt(per_gene ? rows : n), pl(n), sf(cols);
    for (index_t k = 0; k < n; ++k) {
        double mean = 3 * rng.normal(3 * k);
        eta[k] = T(mean);
        double u = rng.uniform(3 * k + 1);
        x[k] = T(u < 0.4 ? 0 : std::floor(std::exp(mean) * 2 * u));
        pl[k] = T(2 * rng.normal(3 * k + 2));
    }
    for (index_t i = 0; i < index_t(lt.size()); ++i)
        lt[i] = T(1.5 * rng.normal(5 * n + i));
    for (index_t j = 0; j < cols; ++j) sf[j] = T(0.3 * rng.normal(7 * n + j));
    x[3] = T(2.5);        x[9] = T(5000);      x[90] = T(1023);
    eta[41] = T(800);     eta[42] = T(-800);   eta[91] = T(-650);
    lt[1] = T(25);        lt[2] = T(-25);      pl[44] = T(900);
    pl[45] = T(-30);      eta[45] = T(8);      x[45] = T(0);
    eta[130] = T(std::numeric_limits<double>::quiet_NaN());
    nll::CountNllArgs<T> a;
    a.rows = rows;
    a.cols = cols;
    a.eta = eta.data();
    a.x = x.data();
    a.log_sf = sf.data();
    if (lk != Likelihood::poisson) {
        a.log_theta = lt.data();
        a.theta_per_gene = per_gene;
    }
    if (lk == Likelihood::zinb) a.pi_logit = pl.data();
    struct Outputs {
        std::vector<T> d_eta, d_lt, d_pl;
        std::vector<double> elements, sums;
    };
    auto run = [&](decltype(&generic::count_nll_columns<T>) fn) {
        Outputs o{std::vector<T>(n), std::vector<T>(n), std::vector<T>(n),
                  std::vector<double>(n), std::vector<double>(cols)};
        nll::CountNllArgs<T> b = a;
        b.d_eta = o.d_eta.data();
        if (lk != Likelihood::poisson) b.d_log_theta = o.d_lt.data();
        if (lk == Likelihood::zinb) b.d_pi_logit = o.d_pl.data();
        b.elements = o.elements.data();
        fn(lk, b, 0, cols, o.sums.data());
        return o;
    };
    Outputs s = run(&generic::count_nll_columns<T>);
    std::vector<Outputs> wide{run(&avx2::count_nll_columns<T>)};
#ifdef EXPRAE_HAVE_AVX512
    // The AVX-512 build runs the same vector code; it must agree too.
    if (cpu_has_avx512()) wide.push_back(run(&avx512::count_nll_columns<T>));
#endif
    const double tol = std::is_same<T, float>::value ? 2e-6 : 1e-9;
    auto same = [&](double p, double q) {
        if (std::isnan(p) || std::isnan(q))
            return std::isnan(p) && std::isnan(q);
        if (p == q) return true;  // infinities too
        return std::fabs(p - q) <= tol * (1 + std::fabs(p));
    };
    for (const Outputs& v : wide) {
        for (index_t k = 0; k < n; ++k) {
            EXPECT_TRUE(same(s.elements[k], v.elements[k]))
                << k << ": " << s.elements[k] << " vs " << v.elements[k];
            EXPECT_TRUE(same(s.d_eta[k], v.d_eta[k]))
                << k << ": " << s.d_eta[k] << " vs " << v.d_eta[k];
            EXPECT_TRUE(same(s.d_lt[k], v.d_lt[k]))
                << k << ": " << s.d_lt[k] << " vs " << v.d_lt[k];
            EXPECT_TRUE(same(s.d_pl[k], v.d_pl[k]))
                << k << ": " << s.d_pl[k] << " vs " << v.d_pl[k];
        }
        for (index_t j = 0; j < cols; ++j)
            EXPECT_TRUE(same(s.sums[j], v.sums[j])) << j;
    }
}

TEST(HotKernels, VectorAndGenericCountLikelihoodsAgree) {
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        GTEST_SKIP() << "this CPU has no AVX2+FMA";
    for (Likelihood lk :
         {Likelihood::poisson, Likelihood::nb, Likelihood::zinb}) {
        for (bool per_gene : {true, false}) {
            SCOPED_TRACE(std::string(likelihood_name(lk)) +
                         (per_gene ? ", per gene" : ", per element"));
            check_count_nll<float>(lk, per_gene);
            check_count_nll<double>(lk, per_gene);
        }
    }
}

// The vector exp (cpu/simd_math.h, Estrin's form) to a few units in
// the last place: a Poisson pass on zero counts writes d_eta = exp(eta),
// in double, over the fast range |eta| <= 700; four lanes (AVX2) and,
// where the CPU has it, eight (AVX-512).
TEST(HotKernels, VectorExpIsWithinAFewUlpsOfStdExp) {
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        GTEST_SKIP() << "this CPU has no AVX2+FMA";
    const index_t rows = 4096;
    std::vector<double> eta(rows), x(rows, 0.0), d_eta(rows);
    Philox rng(11, 0xe0);
    for (index_t i = 0; i < rows; ++i)
        eta[i] = i < 8 ? -700 + 200.0 * i : 1400 * rng.uniform(i) - 700;
    nll::CountNllArgs<double> a;
    a.rows = rows;
    a.cols = 1;
    a.eta = eta.data();
    a.x = x.data();
    a.d_eta = d_eta.data();
    std::vector<decltype(&avx2::count_nll_columns<double>)> sets{
        &avx2::count_nll_columns<double>};
#ifdef EXPRAE_HAVE_AVX512
    if (cpu_has_avx512()) sets.push_back(&avx512::count_nll_columns<double>);
#endif
    for (auto pass : sets) {
        double sum = 0;
        pass(Likelihood::poisson, a, 0, 1, &sum);
        for (index_t i = 0; i < rows; ++i) {
            double want = std::exp(eta[i]);
            EXPECT_LE(std::fabs(d_eta[i] - want), 4 * 2.3e-16 * want)
                << "exp(" << eta[i] << ")";
        }
    }
}

// log1p of a column of counts, standardised: the vector loop against the
// scalar one, with zeros, large values, a negative value and a NaN (the
// scalar loop takes over from there) and a length not a multiple of four
// or eight.
template <typename F, typename D>
void check_log1p_standardize(F vec_float, D vec_double) {
    const index_t n = 103;
    auto center = random_matrix<double>(n, 11);
    auto inv_scale = random_matrix<double>(n, 12);
    auto u = random_matrix<double>(n, 13);
    std::vector<double> x(n);
    for (index_t r = 0; r < n; ++r)
        x[r] = u[r] < 0 ? 0 : std::floor(std::exp(12 * u[r]));
    x[5] = 1e-300;
    x[6] = 1e290;
    for (int bad = 0; bad < 2; ++bad) {
        std::vector<double> y = x;
        if (bad) {
            y[61] = -0.5;
            y[62] = std::numeric_limits<double>::quiet_NaN();
        }
        std::vector<float> f1(n), f2(n);
        std::vector<double> d1(n), d2(n);
        generic::log1p_standardize<float>(n, y.data(), 0.7, center.data(),
                                          inv_scale.data(), f1.data());
        vec_float(n, y.data(), 0.7, center.data(), inv_scale.data(),
                  f2.data());
        generic::log1p_standardize<double>(n, y.data(), 0.7, center.data(),
                                           inv_scale.data(), d1.data());
        vec_double(n, y.data(), 0.7, center.data(), inv_scale.data(),
                   d2.data());
        // null center and inv_scale: 0 and 1
        std::vector<double> p1(n), p2(n);
        generic::log1p_standardize<double>(n, y.data(), 0.7, nullptr,
                                           nullptr, p1.data());
        vec_double(n, y.data(), 0.7, nullptr, nullptr, p2.data());
        for (index_t r = 0; r < n; ++r) {
            if (bad && r == 62) continue;
            double want = y[r] == 0 ? 0.0 : std::log1p(0.7 * y[r]);
            EXPECT_NEAR(p1[r], want, 1e-15 * (1 + std::fabs(want))) << r;
            EXPECT_NEAR(p2[r], want, 1e-14 * (1 + std::fabs(want))) << r;
        }
        for (index_t r = 0; r < n; ++r) {
            if (bad && r == 62) {
                EXPECT_TRUE(std::isnan(d2[r]) && std::isnan(f2[r]));
                continue;
            }
            EXPECT_NEAR(f1[r], f2[r], 1e-6 * (1 + std::fabs(f1[r]))) << r;
            EXPECT_NEAR(d1[r], d2[r], 1e-14 * (1 + std::fabs(d1[r]))) << r;
        }
    }
}

TEST(HotKernels, VectorAndGenericLog1pStandardizeAgree) {
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        GTEST_SKIP() << "this CPU has no AVX2+FMA";
    check_log1p_standardize(&avx2::log1p_standardize<float>,
                            &avx2::log1p_standardize<double>);
#ifdef EXPRAE_HAVE_AVX512
    if (cpu_has_avx512())
        check_log1p_standardize(&avx512::log1p_standardize<float>,
                                &avx512::log1p_standardize<double>);
#endif
}
#endif


// The sparse products of one kernel set on rows r0..r1 of a 150-row
// result (two register blocks of 64 rows and 19 left over from r0 = 3),
// against the sums written out, for z = w s and for dw = dz s^T both
// overwriting (rows outside r0..r1 untouched) and adding.
template <typename T>
void check_sparse_products(
    void (*product)(const T*, index_t, const SparseColumns&, index_t,
                    index_t, T*, index_t),
    void (*product_t)(const T*, index_t, const SparseColumns&, index_t,
                      index_t, bool, T*, index_t),
    const std::string& set) {
    SCOPED_TRACE(set + (std::is_same<T, float>::value ? " float" : " double"));
    const index_t m = 152, k = 23, n = 9, r0 = 3, r1 = 150;
    auto u = random_matrix<double>(k * n, 21);
    SparseColumns s;
    s.rows = k;
    s.cols = n;
    s.start.push_back(0);
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < k; ++i) {
            if (u[i + j * k] < 0.4) continue;  // about 70% zeros
            s.row.push_back(static_cast<int>(i));
            s.value.push_back(3 * u[i + j * k]);
        }
        s.start.push_back(s.nnz());
    }
    auto w = random_matrix<T>(m * k, 22);
    auto dz = random_matrix<T>(m * n, 23);
    const T sentinel = T(7);
    std::vector<T> z(m * n, sentinel), dw(m * k, sentinel);
    product(w.data(), m, s, r0, r1, z.data(), m);
    product_t(dz.data(), m, s, r0, r1, false, dw.data(), m);
    std::vector<T> dw2 = dw;
    product_t(dz.data(), m, s, r0, r1, true, dw2.data(), m);
    const double tol = std::is_same<T, float>::value ? 1e-5 : 1e-13;
    for (index_t r = 0; r < m; ++r) {
        bool inside = r >= r0 && r < r1;
        for (index_t j = 0; j < n; ++j) {
            double want = 0;
            for (index_t p = s.start[j]; p < s.start[j + 1]; ++p)
                want += s.value[p] * w[r + s.row[p] * m];
            if (!inside) want = sentinel;
            EXPECT_NEAR(z[r + j * m], want, tol * (1 + std::fabs(want)))
                << "z " << r << ", " << j;
        }
        for (index_t i = 0; i < k; ++i) {
            double want = 0;
            for (index_t j = 0; j < n; ++j)
                for (index_t p = s.start[j]; p < s.start[j + 1]; ++p)
                    if (s.row[p] == i) want += s.value[p] * dz[r + j * m];
            if (!inside) want = sentinel;
            double twice = inside ? 2 * want : want;
            EXPECT_NEAR(dw[r + i * m], want, tol * (1 + std::fabs(want)))
                << "dw " << r << ", " << i;
            EXPECT_NEAR(dw2[r + i * m], twice, tol * (1 + std::fabs(twice)))
                << "dw added " << r << ", " << i;
        }
    }
}

TEST(HotKernels, SparseProductsOfEachSetMatchTheSums) {
    check_sparse_products<float>(&generic::sparse_product<float>,
                                 &generic::sparse_product_t<float>, "generic");
    check_sparse_products<double>(&generic::sparse_product<double>,
                                  &generic::sparse_product_t<double>,
                                  "generic");
#ifdef EXPRAE_HAVE_AVX2
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        check_sparse_products<float>(&avx2::sparse_product<float>,
                                     &avx2::sparse_product_t<float>, "avx2");
        check_sparse_products<double>(&avx2::sparse_product<double>,
                                      &avx2::sparse_product_t<double>, "avx2");
    }
#endif
#ifdef EXPRAE_HAVE_AVX512
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")) {
        check_sparse_products<float>(&avx512::sparse_product<float>,
                                     &avx512::sparse_product_t<float>,
                                     "avx512");
    }
#endif
}

}  // namespace
}  // namespace cpu
}  // namespace exprae
