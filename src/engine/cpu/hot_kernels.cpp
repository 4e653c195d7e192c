// Picks the AVX-512 build of the hot kernels when the CPU has AVX-512
// (F, DQ, BW, VL) at full width, else the AVX2+FMA build when it has
// both, else the generic one.
#include "cpu/hot_kernels.h"
#include "cpu/hot_variants.h"

#include <cstdlib>
#include <cstring>
#if (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
#include <cpuid.h>
#endif

namespace exprae {
namespace cpu {

namespace {
// The environment variable EXPRAE_CPU_KERNELS = "avx512", "avx2" or
// "generic" sets the choice (a set the CPU lacks falls back to the next
// narrower one), read once: to reproduce on one CPU what another
// computed, and to time the sets against each other in one run (bench/).
enum class Wanted { automatic, avx512, avx2, generic };

Wanted wanted() {
    static const Wanted w = [] {
        const char* v = std::getenv("EXPRAE_CPU_KERNELS");
        if (v == nullptr) return Wanted::automatic;
        if (std::strcmp(v, "avx512") == 0) return Wanted::avx512;
        if (std::strcmp(v, "avx2") == 0) return Wanted::avx2;
        if (std::strcmp(v, "generic") == 0) return Wanted::generic;
        return Wanted::automatic;
    }();
    return w;
}

bool use_avx2() {
#if defined(EXPRAE_HAVE_AVX2) && (defined(__GNUC__) || defined(__clang__))
    static const bool yes = wanted() != Wanted::generic &&
                            __builtin_cpu_supports("avx2") &&
                            __builtin_cpu_supports("fma");
    return yes;
#else
    return false;
#endif
}

// The compiler's check includes the operating system's support for the
// AVX-512 registers. Left to itself the dispatcher skips AVX-512 where it
// runs at half width (amd_avx512_half_width()).
bool use_avx512() {
#if defined(EXPRAE_HAVE_AVX512) && (defined(__GNUC__) || defined(__clang__))
    static const bool yes =
        use_avx2() && __builtin_cpu_supports("avx512f") &&
        __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") &&
        (wanted() == Wanted::avx512 ||
         (wanted() == Wanted::automatic && !amd_avx512_half_width()));
    return yes;
#else
    return false;
#endif
}
}  // namespace

#ifdef EXPRAE_HAVE_AVX512
#define EXPRAE_PICK_512(fn, ...) \
    use_avx512() ? avx512::fn(__VA_ARGS__) :
#else
#define EXPRAE_PICK_512(fn, ...)
#endif
#ifdef EXPRAE_HAVE_AVX2
#define EXPRAE_PICK_256(fn, ...) use_avx2() ? avx2::fn(__VA_ARGS__) :
#else
#define EXPRAE_PICK_256(fn, ...)
#endif
#define EXPRAE_PICK(fn, ...)                                        \
    (EXPRAE_PICK_512(fn, __VA_ARGS__) EXPRAE_PICK_256(fn, __VA_ARGS__) \
         generic::fn(__VA_ARGS__))

template <typename T>
void gemm(bool trans_a, bool trans_b, index_t m, index_t n, index_t k,
          T alpha, const T* a, index_t lda, const T* b, index_t ldb, T beta,
          T* c, index_t ldc) {
    EXPRAE_PICK(gemm<T>, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
}

template <typename T>
void adam_update(const AdamStep& s, index_t n, T* w, const T* g, T* m,
                 T* v) {
    EXPRAE_PICK(adam_update<T>, s, n, w, g, m, v);
}

template <typename T>
void sgd_update(const SgdStep& s, index_t n, T* w, const T* g, T* velocity) {
    EXPRAE_PICK(sgd_update<T>, s, n, w, g, velocity);
}

template <typename T>
void sparse_product(const T* w, index_t ldw, const SparseColumns& s,
                    index_t r0, index_t r1, T* z, index_t ldz) {
    EXPRAE_PICK(sparse_product<T>, w, ldw, s, r0, r1, z, ldz);
}

template <typename T>
void sparse_product_t(const T* dz, index_t lddz, const SparseColumns& s,
                      index_t r0, index_t r1, bool acc, T* dw,
                      index_t lddw) {
    EXPRAE_PICK(sparse_product_t<T>, dz, lddz, s, r0, r1, acc, dw, lddw);
}

template <typename T>
void log1p_standardize(index_t n, const double* x, double a,
                       const double* center, const double* inv_scale,
                       T* out) {
    EXPRAE_PICK(log1p_standardize<T>, n, x, a, center, inv_scale, out);
}

template <typename T>
void count_nll_columns(Likelihood lk, const nll::CountNllArgs<T>& a,
                       index_t lo, index_t hi, double* col_sum) {
    EXPRAE_PICK(count_nll_columns<T>, lk, a, lo, hi, col_sum);
}

// Zen 4 (family 0x19) runs AVX-512 on 256-bit units, where the AVX2 build
// trained the reference network faster (0.86x with AVX-512, bench/RESULTS.md
// 2026-12-01); Zen 5 (family 0x1A) runs it at full width, 1.42x the AVX2
// build (2026-12-03; an EPYC, the only Zen 5 measured: mobile Zen 5 parts
// are said to have 256-bit units, and EXPRAE_CPU_KERNELS=avx2 sets them).
unsigned cpuid_family(unsigned eax) {
    unsigned family = (eax >> 8) & 0xfu;
    if (family == 0xfu) family += (eax >> 20) & 0xffu;
    return family;
}

bool amd_avx512_half_width() {
#if (defined(__GNUC__) || defined(__clang__)) && \
    (defined(__x86_64__) || defined(__i386__))
    if (!__builtin_cpu_is("amd")) return false;
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return true;
    return cpuid_family(eax) < 0x1au;
#else
    return false;
#endif
}

const char* hot_kernel_set() {
    if (use_avx512()) return "avx512";
    return use_avx2() ? "avx2+fma" : "generic";
}

template void gemm<float>(bool, bool, index_t, index_t, index_t, float,
                          const float*, index_t, const float*, index_t, float,
                          float*, index_t);
template void gemm<double>(bool, bool, index_t, index_t, index_t, double,
                           const double*, index_t, const double*, index_t,
                           double, double*, index_t);
template void adam_update<float>(const AdamStep&, index_t, float*,
                                 const float*, float*, float*);
template void adam_update<double>(const AdamStep&, index_t, double*,
                                  const double*, double*, double*);
template void sgd_update<float>(const SgdStep&, index_t, float*, const float*,
                                float*);
template void sgd_update<double>(const SgdStep&, index_t, double*,
                                 const double*, double*);
template void sparse_product<float>(const float*, index_t,
                                   const SparseColumns&, index_t, index_t,
                                   float*, index_t);
template void sparse_product<double>(const double*, index_t,
                                    const SparseColumns&, index_t, index_t,
                                    double*, index_t);
template void sparse_product_t<float>(const float*, index_t,
                                     const SparseColumns&, index_t, index_t,
                                     bool, float*, index_t);
template void sparse_product_t<double>(const double*, index_t,
                                      const SparseColumns&, index_t,
                                      index_t, bool, double*, index_t);
template void log1p_standardize<float>(index_t, const double*, double,
                                      const double*, const double*, float*);
template void log1p_standardize<double>(index_t, const double*, double,
                                       const double*, const double*,
                                       double*);
template void count_nll_columns<float>(Likelihood,
                                      const nll::CountNllArgs<float>&,
                                      index_t, index_t, double*);
template void count_nll_columns<double>(Likelihood,
                                       const nll::CountNllArgs<double>&,
                                       index_t, index_t, double*);

}  // namespace cpu
}  // namespace exprae
