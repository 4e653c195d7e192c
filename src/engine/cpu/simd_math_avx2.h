// exp, log, log1p and log Gamma with digamma on four doubles at a time
// (AVX2 + FMA), for the count likelihoods' vector kernel
// (cpu/count_nll_columns.h). Included only where -mavx2 -mfma is on.
// Accurate to a few units in the last place of a double (exp, log) and
// ~1e-12 absolute (log Gamma, digamma: the same series as math/count_nll.h),
// far below the float32 the results are stored in. The callers keep the
// arguments in range (see each function); outside it they go to the
// scalar code.
#pragma once

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

namespace exprae {
namespace cpu {
namespace simd {

using V = __m256d;

inline V set(double v) { return _mm256_set1_pd(v); }
inline V add(V a, V b) { return _mm256_add_pd(a, b); }
inline V sub(V a, V b) { return _mm256_sub_pd(a, b); }
inline V mul(V a, V b) { return _mm256_mul_pd(a, b); }
inline V div(V a, V b) { return _mm256_div_pd(a, b); }
inline V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
inline V max(V a, V b) { return _mm256_max_pd(a, b); }
inline V abs(V a) { return _mm256_andnot_pd(set(-0.0), a); }
// mask ? a : b, mask from a comparison
inline V select(V mask, V a, V b) { return _mm256_blendv_pd(b, a, mask); }
inline V less(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
inline V less_equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
inline V equal(V a, V b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
inline bool any(V mask) { return _mm256_movemask_pd(mask) != 0; }
inline bool all(V mask) { return _mm256_movemask_pd(mask) == 0xF; }

// e^x for |x| <= 700: x = k ln 2 + r, |r| <= ln(2) / 2, e^r by its Taylor
// series to r^12 (error < 2e-16), 2^k put into the exponent bits.
inline V exp(V x) {
    V k = _mm256_round_pd(mul(x, set(1.4426950408889634)),
                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    // ln 2 in two parts (Cephes) so that k ln 2 is exact enough
    V r = _mm256_fnmadd_pd(k, set(6.93145751953125e-1), x);
    r = _mm256_fnmadd_pd(k, set(1.42860682030941723212e-6), r);
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
    __m256i k64 = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k));
    __m256i scaled = _mm256_add_epi64(_mm256_castpd_si256(p),
                                      _mm256_slli_epi64(k64, 52));
    return _mm256_castsi256_pd(scaled);
}

// log x for positive, normal, finite x: x = 2^e m with m in [sqrt(1/2),
// sqrt(2)), log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172, by its
// series to s^19 (error < 1e-17). exp and log in Estrin's form are
// within 3 units in the last place of std::exp and std::log (2 million
// random arguments over their ranges).
inline V log(V x) {
    const __m256i mantissa = _mm256_set1_epi64x(0x000FFFFFFFFFFFFFLL);
    const __m256i one = _mm256_set1_epi64x(0x3FF0000000000000LL);
    __m256i bits = _mm256_castpd_si256(x);
    V m = _mm256_castsi256_pd(
        _mm256_or_si256(_mm256_and_si256(bits, mantissa), one));
    // the biased exponent as a double: its bits or'ed into 2^52's
    __m256i e_bits = _mm256_or_si256(_mm256_srli_epi64(bits, 52),
                                     _mm256_set1_epi64x(0x4330000000000000LL));
    V e = sub(_mm256_castsi256_pd(e_bits), set(4503599627370496.0 + 1023));
    V big = _mm256_cmp_pd(m, set(1.4142135623730951), _CMP_GT_OQ);
    m = select(big, mul(m, set(0.5)), m);
    e = add(e, _mm256_and_pd(big, set(1.0)));
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
        V low = less(z, seven);
        if (!any(low)) break;
        shifted = true;
        num = select(low, fma(num, z, den), num);
        den = select(low, mul(den, z), den);
        product = select(low, mul(product, z), product);
        z = select(low, add(z, one), z);
    }
    V lz = log(z), inv = div(one, z), f = mul(inv, inv);
    V lg_series = fma(f, set(-1.0 / 1188), set(1.0 / 1680));
    lg_series = _mm256_fnmadd_pd(f, lg_series, set(1.0 / 1260));
    lg_series = _mm256_fnmadd_pd(f, lg_series, set(1.0 / 360));
    lg_series = _mm256_fnmadd_pd(f, lg_series, set(1.0 / 12));
    lgamma = fma(sub(z, set(0.5)), lz,
                 add(sub(set(0.91893853320467274178), z),
                     mul(lg_series, inv)));
    V dg_series = fma(f, set(-1.0 / 132), set(1.0 / 240));
    dg_series = _mm256_fnmadd_pd(f, dg_series, set(1.0 / 252));
    dg_series = _mm256_fnmadd_pd(f, dg_series, set(1.0 / 120));
    dg_series = _mm256_fnmadd_pd(f, dg_series, set(1.0 / 12));
    digamma = sub(_mm256_fnmadd_pd(set(0.5), inv, lz), mul(f, dg_series));
    if (shifted) {
        lgamma = sub(lgamma, log(product));
        digamma = sub(digamma, div(num, den));
    }
}

}  // namespace simd
}  // namespace cpu
}  // namespace exprae
#endif
