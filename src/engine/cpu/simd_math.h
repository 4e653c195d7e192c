// exp, log, log1p and log Gamma with digamma on a vector of doubles, for
// the count likelihoods' vector kernel (cpu/count_nll_columns.h) and the
// log1p of count input (cpu/hot_kernels_impl.h): four at a time where
// AVX2 + FMA is compiled in, eight where AVX-512 (F, DQ) is. The math is
// written once, on the few primitives below, so the two widths compute
// the same values lane for lane. Accurate to a few units in the last place
// of a double (exp, log) and ~1e-12 absolute (log Gamma, digamma: the same
// series as math/count_nll.h), far below the float32 the results are
// stored in. The callers keep the arguments in range (see each function);
// outside it they go to the scalar code.
//
// In namespace EXPRAE_HOT_NS (see hot_kernels_impl.h): each build has its
// own definitions, so that no inline function compiled for AVX-512 can
// stand in for the AVX2 build's at link time.
#pragma once

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace exprae {
namespace cpu {
namespace EXPRAE_HOT_NS {
namespace simd {

#if defined(__AVX512F__) && defined(__AVX512DQ__)
// Eight lanes; a comparison gives a bit mask (M).
using V = __m512d;
using M = __mmask8;
constexpr int kLanes = 8;
// GCC 12's plain forms of some of these intrinsics start from an
// undefined register and warn so (-Wuninitialized); the zero-masked forms
// with every lane set are the same instructions without the warning.
constexpr M kAll = 0xFF;

inline V set(double v) { return _mm512_set1_pd(v); }
inline V add(V a, V b) { return _mm512_add_pd(a, b); }
inline V sub(V a, V b) { return _mm512_sub_pd(a, b); }
inline V mul(V a, V b) { return _mm512_mul_pd(a, b); }
inline V div(V a, V b) { return _mm512_div_pd(a, b); }
inline V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
inline V fnma(V a, V b, V c) { return _mm512_fnmadd_pd(a, b, c); }
inline V fms(V a, V b, V c) { return _mm512_fmsub_pd(a, b, c); }
inline V max(V a, V b) { return _mm512_maskz_max_pd(kAll, a, b); }
inline V min(V a, V b) { return _mm512_maskz_min_pd(kAll, a, b); }
inline V abs(V a) { return _mm512_andnot_pd(set(-0.0), a); }
inline V truncate(V a) {
    return _mm512_maskz_roundscale_pd(kAll, a,
                                      _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}
inline V round(V a) {
    return _mm512_maskz_roundscale_pd(
        kAll, a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline M less(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
inline M less_equal(V a, V b) {
    return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ);
}
inline M equal(V a, V b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
inline M not_equal(V a, V b) {
    return _mm512_cmp_pd_mask(a, b, _CMP_NEQ_OQ);
}
inline M both(M a, M b) { return static_cast<M>(a & b); }
inline M negate(M a) { return static_cast<M>(~a); }
inline bool any(M mask) { return mask != 0; }
inline bool all(M mask) { return mask == 0xFF; }
// mask ? a : b; mask ? a : 0
inline V select(M mask, V a, V b) { return _mm512_mask_blend_pd(mask, b, a); }
inline V keep(M mask, V a) { return _mm512_maskz_mov_pd(mask, a); }

inline V load(const double* p) { return _mm512_loadu_pd(p); }
inline V load(const float* p) {
    return _mm512_maskz_cvtps_pd(kAll, _mm256_loadu_ps(p));
}
inline void store(double* p, V v) { _mm512_storeu_pd(p, v); }
inline void store(float* p, V v) {
    _mm256_storeu_ps(p, _mm512_maskz_cvtpd_ps(kAll, v));
}
inline double sum(V v) {
    alignas(64) double lanes[8];
    _mm512_store_pd(lanes, v);
    double total = 0;
    for (double lane : lanes) total += lane;
    return total;
}

// table[x] for whole x in the table's range
inline V look_up(const double* table, V x) {
    return _mm512_mask_i32gather_pd(set(0.0), kAll,
                                    _mm512_maskz_cvttpd_epi32(kAll, x), table,
                                    8);
}
// p 2^k for whole k, where the result is a normal number
inline V times_power_of_two(V p, V k) {
    __m512i k64 = _mm512_maskz_cvtepi32_epi64(
        kAll, _mm512_maskz_cvtpd_epi32(kAll, k));
    return _mm512_castsi512_pd(_mm512_add_epi64(
        _mm512_castpd_si512(p), _mm512_maskz_slli_epi64(kAll, k64, 52)));
}
// x = 2^e m, m in [1, 2), for positive normal x; e as a double
inline void split_exponent(V x, V& m, V& e) {
    const __m512i mantissa = _mm512_set1_epi64(0x000FFFFFFFFFFFFFLL);
    const __m512i one = _mm512_set1_epi64(0x3FF0000000000000LL);
    __m512i bits = _mm512_castpd_si512(x);
    m = _mm512_castsi512_pd(
        _mm512_or_si512(_mm512_and_si512(bits, mantissa), one));
    // the biased exponent as a double: its bits or'ed into 2^52's
    __m512i e_bits = _mm512_or_si512(_mm512_maskz_srli_epi64(kAll, bits, 52),
                                     _mm512_set1_epi64(0x4330000000000000LL));
    e = sub(_mm512_castsi512_pd(e_bits), set(4503599627370496.0 + 1023));
}
#else
// Four lanes; a comparison gives a lane of all ones or all zeros (M).
using V = __m256d;
using M = __m256d;
constexpr int kLanes = 4;

inline V set(double v) { return _mm256_set1_pd(v); }
inline V add(V a, V b) { return _mm256_add_pd(a, b); }
inline V sub(V a, V b) { return _mm256_sub_pd(a, b); }
inline V mul(V a, V b) { return _mm256_mul_pd(a, b); }
inline V div(V a, V b) { return _mm256_div_pd(a, b); }
inline V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
inline V fnma(V a, V b, V c) { return _mm256_fnmadd_pd(a, b, c); }
inline V fms(V a, V b, V c) { return _mm256_fmsub_pd(a, b, c); }
inline V max(V a, V b) { return _mm256_max_pd(a, b); }
inline V min(V a, V b) { return _mm256_min_pd(a, b); }
inline V abs(V a) { return _mm256_andnot_pd(set(-0.0), a); }
inline V truncate(V a) {
    return _mm256_round_pd(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}
inline V round(V a) {
    return _mm256_round_pd(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline M less(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
inline M less_equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
inline M equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
inline M not_equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_NEQ_OQ); }
inline M both(M a, M b) { return _mm256_and_pd(a, b); }
inline M negate(M a) {
    return _mm256_andnot_pd(a, _mm256_castsi256_pd(_mm256_set1_epi64x(-1)));
}
inline bool any(M mask) { return _mm256_movemask_pd(mask) != 0; }
inline bool all(M mask) { return _mm256_movemask_pd(mask) == 0xF; }
// mask ? a : b; mask ? a : 0
inline V select(M mask, V a, V b) { return _mm256_blendv_pd(b, a, mask); }
inline V keep(M mask, V a) { return _mm256_and_pd(mask, a); }

inline V load(const double* p) { return _mm256_loadu_pd(p); }
inline V load(const float* p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
inline void store(double* p, V v) { _mm256_storeu_pd(p, v); }
inline void store(float* p, V v) { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
inline double sum(V v) {
    alignas(32) double lanes[4];
    _mm256_store_pd(lanes, v);
    return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// table[x] for whole x in the table's range
inline V look_up(const double* table, V x) {
    // the masked form with an explicit source: the plain one reads an
    // undefined register (and GCC 12 warns so)
    V all_lanes = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
    return _mm256_mask_i32gather_pd(set(0.0), table, _mm256_cvttpd_epi32(x),
                                    all_lanes, 8);
}
// p 2^k for whole k, where the result is a normal number
inline V times_power_of_two(V p, V k) {
    __m256i k64 = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k));
    return _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(p),
                                                _mm256_slli_epi64(k64, 52)));
}
// x = 2^e m, m in [1, 2), for positive normal x; e as a double
inline void split_exponent(V x, V& m, V& e) {
    const __m256i mantissa = _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL);
    const __m256i one = _mm256_set1_epi64x(0x3FF0000000000000LL);
    __m256i bits = _mm256_castpd_si256(x);
    m = _mm256_castsi256_pd(
        _mm256_or_si256(_mm256_and_si256(bits, mantissa), one));
    // the biased exponent as a double: its bits or'ed into 2^52's
    __m256i e_bits = _mm256_or_si256(_mm256_srli_epi64(bits, 52),
                                     _mm256_set1_epi64x(0x4330000000000000LL));
    e = sub(_mm256_castsi256_pd(e_bits), set(4503599627370496.0 + 1023));
}
#endif

// e^x for |x| <= 700: x = k ln 2 + r, |r| <= ln(2) / 2, e^r by its Taylor
// series to r^12 (error < 2e-16), 2^k put into the exponent bits.
inline V exp(V x) {
    V k = round(mul(x, set(1.4426950408889634)));
    // ln 2 in two parts (Cephes) so that k ln 2 is exact enough
    V r = fnma(k, set(6.93145751953125e-1), x);
    r = fnma(k, set(1.42860682030941723212e-6), r);
    // 1 + r + r^2/2! + ... + r^12/12! in Estrin's form: pairs of terms,
    // then pairs of pairs by r^2, r^4 and r^8, four multiply-adds deep
    // instead of Horner's twelve, so that the chains of neighbouring
    // groups overlap (with log's series so written, the NB pass went from
    // 14.2 to 11.0 ns an element, bench/build/count_nll_kernel)
    V r2 = mul(r, r), r4 = mul(r2, r2), r8 = mul(r4, r4);
    V p01 = add(set(1.0), r);
    V p23 = fma(r, set(1.0 / 6), set(0.5));
    V p45 = fma(r, set(1.0 / 120), set(1.0 / 24));
    V p67 = fma(r, set(1.0 / 5040), set(1.0 / 720));
    V p89 = fma(r, set(1.0 / 362880), set(1.0 / 40320));
    V p1011 = fma(r, set(1.0 / 39916800), set(1.0 / 3628800));
    V p0_3 = fma(p23, r2, p01), p4_7 = fma(p67, r2, p45);
    V p8_11 = fma(p1011, r2, p89);
    V p0_7 = fma(p4_7, r4, p0_3);
    V p8_12 = fma(set(1.0 / 479001600), r4, p8_11);  // 1 / 12!
    V p = fma(p8_12, r8, p0_7);
    return times_power_of_two(p, k);
}

// log x for positive, normal, finite x: x = 2^e m with m in [sqrt(1/2),
// sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its
// series to s^19 (error < 1e-17). exp and log in Estrin's form are
// within 3 units in the last place of std::exp and std::log (2 million
// random arguments over their ranges).
inline V log(V x) {
    V m, e;
    split_exponent(x, m, e);
    M big = less(set(1.4142135623730951), m);
    m = select(big, mul(m, set(0.5)), m);
    e = add(e, keep(big, set(1.0)));
    V s = div(sub(m, set(1.0)), add(m, set(1.0)));
    V z = mul(s, s);
    // sum of z^j / (2j + 1), j = 0..9, in Estrin's form (see exp)
    V z2 = mul(z, z), z4 = mul(z2, z2), z8 = mul(z4, z4);
    V a01 = fma(z, set(1.0 / 3), set(1.0));
    V a23 = fma(z, set(1.0 / 7), set(1.0 / 5));
    V a45 = fma(z, set(1.0 / 11), set(1.0 / 9));
    V a67 = fma(z, set(1.0 / 15), set(1.0 / 13));
    V a89 = fma(z, set(1.0 / 19), set(1.0 / 17));
    V a0_7 = fma(fma(a67, z2, a45), z4, fma(a23, z2, a01));
    V p = fma(a89, z8, a0_7);
    return fma(e, set(0.69314718055994530942), mul(add(s, s), p));
}

// log(1 + u) for 0 <= u <= 1e300, without losing a small u to the
// rounding of 1 + u.
inline V log1p(V u) {
    V w = add(set(1.0), u);
    return sub(log(w), div(sub(sub(w, set(1.0)), u), w));
}

// log Gamma(z) and digamma(z) for z > 0 (z normal and finite), together:
// lanes below 7 are shifted up (log Gamma(z) = log Gamma(z + n) - log of
// the product z (z + 1) ..., digamma(z) = digamma(z + n) - the sum of their
// reciprocals, kept as one fraction so that it costs one division), then
// Stirling's series as in math/count_nll.h.
inline void log_gamma_digamma(V z, V& lgamma, V& digamma) {
    const V seven = set(7.0), one = set(1.0);
    V product = one, num = set(0.0), den = one;
    bool shifted = false;
    for (int step = 0; step < 7; ++step) {
        M low = less(z, seven);
        if (!any(low)) break;
        shifted = true;
        num = select(low, fma(num, z, den), num);
        den = select(low, mul(den, z), den);
        product = select(low, mul(product, z), product);
        z = select(low, add(z, one), z);
    }
    V lz = log(z), inv = div(one, z), f = mul(inv, inv);
    V lg_series = fma(f, set(-1.0 / 1188), set(1.0 / 1680));
    lg_series = fnma(f, lg_series, set(1.0 / 1260));
    lg_series = fnma(f, lg_series, set(1.0 / 360));
    lg_series = fnma(f, lg_series, set(1.0 / 12));
    lgamma = fma(sub(z, set(0.5)), lz,
                 add(sub(set(0.91893853320467274178), z),
                     mul(lg_series, inv)));
    V dg_series = fma(f, set(-1.0 / 132), set(1.0 / 240));
    dg_series = fnma(f, dg_series, set(1.0 / 252));
    dg_series = fnma(f, dg_series, set(1.0 / 120));
    dg_series = fnma(f, dg_series, set(1.0 / 12));
    digamma = sub(fnma(set(0.5), inv, lz), mul(f, dg_series));
    if (shifted) {
        lgamma = sub(lgamma, log(product));
        digamma = sub(digamma, div(num, den));
    }
}

}  // namespace simd
}  // namespace EXPRAE_HOT_NS
}  // namespace cpu
}  // namespace exprae
#endif
