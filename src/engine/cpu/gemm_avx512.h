// Single-precision GEMM with AVX-512 for the hot kernels' AVX-512 build
// (hot_avx512.cpp). RcppEigen's Eigen 3.3.9 keeps its AVX2 kernels even
// when -mavx512f is given, and crashes with EIGEN_ENABLE_AVX512 (see
// bench/RESULTS.md, 2026-11-30 18:30), so this build carries its own:
// the BLIS scheme of packed panels and a register-blocked micro-kernel.
//   C (m x n) = alpha op(A) op(B) + beta C, column-major, one thread.
// op(A) is packed into panels of kMr rows, op(B) into panels of kNr
// columns (both zero-padded at the edges), kKc deep, so the micro-kernel
// streams both from contiguous memory whatever the transposes; it holds a
// kMr x kNr block of C in 24 of the 32 vector registers.
#pragma once

#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "tensor/tensor.h"

namespace exprae {
namespace cpu {
namespace avx512_gemm {

constexpr index_t kMr = 32;   // two vectors of 16 floats
constexpr index_t kNr = 12;   // 2 x 12 accumulators
constexpr index_t kKc = 256;  // depth of a packed block: B's panel in L1
constexpr index_t kMc = 256;  // rows of A packed at once: L2
constexpr index_t kNc = 1536; // columns of B packed at once

// dst[q * ldd + r] = src[r * lds + q] for r, q < 8: eight rows of 8
// floats transposed in registers.
inline void transpose_8x8(const float* src, index_t lds, float* dst,
                          index_t ldd) {
    __m256 r[8], t[8];
    for (int q = 0; q < 8; ++q) r[q] = _mm256_loadu_ps(src + q * lds);
    for (int q = 0; q < 8; q += 2) {
        t[q] = _mm256_unpacklo_ps(r[q], r[q + 1]);
        t[q + 1] = _mm256_unpackhi_ps(r[q], r[q + 1]);
    }
    for (int q = 0; q < 8; q += 4) {
        r[q] = _mm256_shuffle_ps(t[q], t[q + 2], 0x44);
        r[q + 1] = _mm256_shuffle_ps(t[q], t[q + 2], 0xEE);
        r[q + 2] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0x44);
        r[q + 3] = _mm256_shuffle_ps(t[q + 1], t[q + 3], 0xEE);
    }
    for (int q = 0; q < 4; ++q) {
        t[q] = _mm256_permute2f128_ps(r[q], r[q + 4], 0x20);
        t[q + 4] = _mm256_permute2f128_ps(r[q], r[q + 4], 0x31);
    }
    for (int q = 0; q < 8; ++q) _mm256_storeu_ps(dst + q * ldd, t[q]);
}

// Rows i0..i0+mr of op(A), columns p0..p0+kc, into dst as kc groups of kMr
// (rows beyond mr are zero).
inline void pack_a_panel(bool trans, const float* a, index_t lda,
                         index_t i0, index_t mr, index_t p0, index_t kc,
                         float* dst) {
    if (!trans) {
        // op(A)(i, p) = a[i + p lda]: a column of the panel is contiguous
        __mmask16 m0 = static_cast<__mmask16>(
            mr >= 16 ? 0xFFFF : (1u << mr) - 1);
        __mmask16 m1 = static_cast<__mmask16>(
            mr >= 32 ? 0xFFFF : mr <= 16 ? 0 : (1u << (mr - 16)) - 1);
        for (index_t p = 0; p < kc; ++p) {
            const float* src = a + i0 + (p0 + p) * lda;
            _mm512_storeu_ps(dst + p * kMr, _mm512_maskz_loadu_ps(m0, src));
            _mm512_storeu_ps(dst + p * kMr + 16,
                             _mm512_maskz_loadu_ps(m1, src + 16));
        }
        return;
    }
    // op(A)(i, p) = a[p + i lda]: rows of op(A) are contiguous; full
    // panels go through 8 x 8 transposes in registers, the rest (edge
    // rows, the last p % 8) element by element.
    index_t p8 = mr == kMr ? kc / 8 * 8 : 0;
    for (index_t i = 0; i < kMr; i += 8) {
        for (index_t p = 0; p < p8; p += 8)
            transpose_8x8(a + p0 + p + (i0 + i) * lda, lda,
                          dst + p * kMr + i, kMr);
    }
    for (index_t i = 0; i < kMr; ++i) {
        if (i < mr) {
            const float* src = a + p0 + (i0 + i) * lda;
            for (index_t p = p8; p < kc; ++p) dst[p * kMr + i] = src[p];
        } else {
            for (index_t p = p8; p < kc; ++p) dst[p * kMr + i] = 0.0f;
        }
    }
}

// dst[q * ldd + r] = src[r * lds + q] for r < 4, q < 8.
inline void transpose_4x8(const float* src, index_t lds, float* dst,
                          index_t ldd) {
    for (int half = 0; half < 8; half += 4) {
        __m128 r0 = _mm_loadu_ps(src + half);
        __m128 r1 = _mm_loadu_ps(src + lds + half);
        __m128 r2 = _mm_loadu_ps(src + 2 * lds + half);
        __m128 r3 = _mm_loadu_ps(src + 3 * lds + half);
        _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
        _mm_storeu_ps(dst + half * ldd, r0);
        _mm_storeu_ps(dst + (half + 1) * ldd, r1);
        _mm_storeu_ps(dst + (half + 2) * ldd, r2);
        _mm_storeu_ps(dst + (half + 3) * ldd, r3);
    }
}

// Columns j0..j0+nr of op(B), rows p0..p0+kc, into dst as kc groups of kNr.
inline void pack_b_panel(bool trans, const float* b, index_t ldb,
                         index_t j0, index_t nr, index_t p0, index_t kc,
                         float* dst) {
    static_assert(kNr == 12, "the packing below moves 8 + 4 columns");
    if (trans) {
        // op(B)(p, j) = b[j + p ldb]: a group of the panel is contiguous
        for (index_t p = 0; p < kc; ++p) {
            const float* src = b + j0 + (p0 + p) * ldb;
            float* out = dst + p * kNr;
            if (nr == kNr) {
                _mm256_storeu_ps(out, _mm256_loadu_ps(src));
                _mm_storeu_ps(out + 8, _mm_loadu_ps(src + 8));
                continue;
            }
            for (index_t j = 0; j < nr; ++j) out[j] = src[j];
            for (index_t j = nr; j < kNr; ++j) out[j] = 0.0f;
        }
        return;
    }
    // op(B)(p, j) = b[p + j ldb]: columns of B are contiguous; a full
    // panel goes through 8 x 8 and 4 x 8 transposes in registers.
    index_t p8 = nr == kNr ? kc / 8 * 8 : 0;
    const float* col = b + p0 + j0 * ldb;
    for (index_t p = 0; p < p8; p += 8) {
        transpose_8x8(col + p, ldb, dst + p * kNr, kNr);
        transpose_4x8(col + p + 8 * ldb, ldb, dst + p * kNr + 8, kNr);
    }
    for (index_t j = 0; j < kNr; ++j) {
        for (index_t p = p8; p < kc; ++p)
            dst[p * kNr + j] = j < nr ? col[p + j * ldb] : 0.0f;
    }
}

// C block (mr x nr of it stored) = alpha * Ap Bp + beta * C; with beta 0,
// C is not read (BLAS: it may hold NaN).
inline void micro_kernel(index_t kc, const float* ap, const float* bp,
                         float alpha, float beta, float* c, index_t ldc,
                         index_t mr, index_t nr) {
    __m512 acc0[kNr], acc1[kNr];
#pragma GCC unroll 12
    for (index_t j = 0; j < kNr; ++j) {
        acc0[j] = _mm512_setzero_ps();
        acc1[j] = _mm512_setzero_ps();
    }
    for (index_t p = 0; p < kc; ++p) {
        __m512 a0 = _mm512_loadu_ps(ap + p * kMr);
        __m512 a1 = _mm512_loadu_ps(ap + p * kMr + 16);
        const float* bj = bp + p * kNr;
#pragma GCC unroll 12
        for (index_t j = 0; j < kNr; ++j) {
            __m512 bv = _mm512_set1_ps(bj[j]);
            acc0[j] = _mm512_fmadd_ps(a0, bv, acc0[j]);
            acc1[j] = _mm512_fmadd_ps(a1, bv, acc1[j]);
        }
    }
    __mmask16 m0 = static_cast<__mmask16>(mr >= 16 ? 0xFFFF
                                                   : (1u << mr) - 1);
    __mmask16 m1 = static_cast<__mmask16>(
        mr >= 32 ? 0xFFFF : mr <= 16 ? 0 : (1u << (mr - 16)) - 1);
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
#pragma GCC unroll 12
    for (index_t j = 0; j < kNr; ++j) {
        if (j >= nr) break;
        float* cj = c + j * ldc;
        __m512 r0 = _mm512_mul_ps(va, acc0[j]);
        __m512 r1 = _mm512_mul_ps(va, acc1[j]);
        if (beta != 0.0f) {
            r0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cj), r0);
            r1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cj + 16), r1);
        }
        _mm512_mask_storeu_ps(cj, m0, r0);
        _mm512_mask_storeu_ps(cj + 16, m1, r1);
    }
}

// Whether the kernel's blocks fit C well enough: a C of few rows (a
// 10-unit latent layer's product) would leave most of every 32-row block
// padding, where Eigen's narrower blocks waste less. The share of useful
// work in the padded blocks must be at least 60%.
inline bool fits(index_t m, index_t n) {
    index_t mp = (m + kMr - 1) / kMr * kMr, np = (n + kNr - 1) / kNr * kNr;
    return 10 * static_cast<double>(m) * n >=
           6 * static_cast<double>(mp) * np;
}

// C = beta C (k = 0 or alpha = 0), without reading C when beta is 0.
inline void scale_c(index_t m, index_t n, float beta, float* c,
                    index_t ldc) {
    for (index_t j = 0; j < n; ++j)
        for (index_t i = 0; i < m; ++i)
            c[i + j * ldc] = beta == 0.0f ? 0.0f : beta * c[i + j * ldc];
}

inline void sgemm(bool trans_a, bool trans_b, index_t m, index_t n,
                  index_t k, float alpha, const float* a, index_t lda,
                  const float* b, index_t ldb, float beta, float* c,
                  index_t ldc) {
    if (m == 0 || n == 0) return;
    if (k == 0 || alpha == 0.0f) return scale_c(m, n, beta, c, ldc);
    // Per thread: each of the engine's threads runs its own product.
    thread_local std::vector<float> pa, pb;
    pa.resize(static_cast<std::size_t>(kMc) * kKc);
    pb.resize(static_cast<std::size_t>(kNc + kNr) * kKc);
    for (index_t jc = 0; jc < n; jc += kNc) {
        index_t nc = std::min(kNc, n - jc);
        for (index_t pc = 0; pc < k; pc += kKc) {
            index_t kc = std::min(kKc, k - pc);
            // After the first block of k, C holds the partial sum.
            float beta_k = pc == 0 ? beta : 1.0f;
            for (index_t jr = 0; jr < nc; jr += kNr) {
                pack_b_panel(trans_b, b, ldb, jc + jr,
                             std::min(kNr, nc - jr), pc, kc,
                             pb.data() + jr * kc);
            }
            for (index_t ic = 0; ic < m; ic += kMc) {
                index_t mc = std::min(kMc, m - ic);
                for (index_t ir = 0; ir < mc; ir += kMr) {
                    pack_a_panel(trans_a, a, lda, ic + ir,
                                 std::min(kMr, mc - ir), pc, kc,
                                 pa.data() + ir * kc);
                }
                for (index_t jr = 0; jr < nc; jr += kNr) {
                    for (index_t ir = 0; ir < mc; ir += kMr) {
                        micro_kernel(kc, pa.data() + ir * kc,
                                     pb.data() + jr * kc, alpha, beta_k,
                                     c + (ic + ir) + (jc + jr) * ldc, ldc,
                                     std::min(kMr, mc - ir),
                                     std::min(kNr, nc - jr));
                    }
                }
            }
        }
    }
}

}  // namespace avx512_gemm
}  // namespace cpu
}  // namespace exprae
