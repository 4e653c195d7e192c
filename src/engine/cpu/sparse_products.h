// The products with a sparse minibatch (cpu/hot_kernels.h:
// sparse_product, sparse_product_t), one of the hot kernels (included by
// hot_kernels_impl.h, so compiled once per instruction set).
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <type_traits>
#include <vector>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

#include "cpu/hot_kernels.h"

namespace exprae {
namespace cpu {
namespace EXPRAE_HOT_NS {

// The sparse products, one result column (z) or one sparse column (dw) at
// a time: each non-zero adds a scaled column of w (or of dz) to the
// result, rows r0..r1. Columns of w are contiguous (column-major), so each
// non-zero reads r1 - r0 values in a row.
//
// Where AVX2 is compiled in, float rows go in blocks of kSparseRows, the
// block of one result column held in eight registers while its terms are
// added (sparse_block): for z, column j of z over column j's non-zeros,
// reading w's rows; for dw, feature i's column of dw over the columns
// where feature i is non-zero, reading dz's rows. The rows read are
// packed first (64 x 2000 floats of w, 512 KB for the reference network,
// which then stays in the L2 cache over all columns). The rows left over,
// and doubles, take Eigen's vector code.
template <typename T>
using VecMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstVecMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

#if defined(__AVX2__) && defined(__FMA__)
constexpr index_t kSparseRows = 64;

// Rows r..r+64 of the n columns of src (ld apart) one after the other:
// columns a power of two times 256 bytes apart (ld = 512 units) would
// crowd their blocks into a few of the cache's sets.
inline void pack_rows(const float* src, index_t ld, index_t n, index_t r,
                      std::vector<float>& packed) {
    packed.resize(static_cast<std::size_t>(n * kSparseRows));
    for (index_t c = 0; c < n; ++c) {
        std::copy(src + c * ld + r, src + c * ld + r + kSparseRows,
                  packed.data() + c * kSparseRows);
    }
}

// For each result column o < n_out: out[r..r+64, o] (+)= the sum over
// p in start[o]..start[o+1] of value[p] * packed block index[p].
template <typename I, typename V>
void sparse_block(const std::vector<float>& packed, index_t n_out,
                  const index_t* start, const I* index, const V* value,
                  bool acc, float* out, index_t ld_out, index_t r) {
    for (index_t o = 0; o < n_out; ++o) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0,
               a5 = a0, a6 = a0, a7 = a0;
        for (index_t p = start[o]; p < start[o + 1]; ++p) {
            const float* b = packed.data() + index[p] * kSparseRows;
            const __m256 v = _mm256_set1_ps(static_cast<float>(value[p]));
            a0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b), a0);
            a1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 8), a1);
            a2 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 16), a2);
            a3 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 24), a3);
            a4 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 32), a4);
            a5 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 40), a5);
            a6 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 48), a6);
            a7 = _mm256_fmadd_ps(v, _mm256_loadu_ps(b + 56), a7);
        }
        float* q = out + o * ld_out + r;
        if (acc) {
            a0 = _mm256_add_ps(a0, _mm256_loadu_ps(q));
            a1 = _mm256_add_ps(a1, _mm256_loadu_ps(q + 8));
            a2 = _mm256_add_ps(a2, _mm256_loadu_ps(q + 16));
            a3 = _mm256_add_ps(a3, _mm256_loadu_ps(q + 24));
            a4 = _mm256_add_ps(a4, _mm256_loadu_ps(q + 32));
            a5 = _mm256_add_ps(a5, _mm256_loadu_ps(q + 40));
            a6 = _mm256_add_ps(a6, _mm256_loadu_ps(q + 48));
            a7 = _mm256_add_ps(a7, _mm256_loadu_ps(q + 56));
        }
        _mm256_storeu_ps(q, a0);
        _mm256_storeu_ps(q + 8, a1);
        _mm256_storeu_ps(q + 16, a2);
        _mm256_storeu_ps(q + 24, a3);
        _mm256_storeu_ps(q + 32, a4);
        _mm256_storeu_ps(q + 40, a5);
        _mm256_storeu_ps(q + 48, a6);
        _mm256_storeu_ps(q + 56, a7);
    }
}

// s by rows (features) instead of by columns: for feature i, the columns
// where it is non-zero and the values there.
struct SparseRows {
    std::vector<index_t> start;  // rows + 1
    std::vector<index_t> col;
    std::vector<float> value;
    explicit SparseRows(const SparseColumns& s)
        : start(s.rows + 1, 0), col(s.nnz()), value(s.nnz()) {
        for (index_t p = 0; p < s.nnz(); ++p) ++start[s.row[p] + 1];
        for (index_t i = 0; i < s.rows; ++i) start[i + 1] += start[i];
        std::vector<index_t> next(start.begin(), start.end() - 1);
        for (index_t j = 0; j < s.cols; ++j) {
            for (index_t p = s.start[j]; p < s.start[j + 1]; ++p) {
                index_t q = next[s.row[p]]++;
                col[q] = j;
                value[q] = static_cast<float>(s.value[p]);
            }
        }
    }
};
#endif

// The first of rows r0..r1 that the register blocks above leave over.
template <typename T>
index_t sparse_blocks_end(index_t r0, index_t r1) {
#if defined(__AVX2__) && defined(__FMA__)
    if (std::is_same<T, float>::value)
        return r0 + (r1 - r0) / kSparseRows * kSparseRows;
#endif
    (void)r1;
    return r0;
}

template <typename T>
void sparse_product(const T* w, index_t ldw, const SparseColumns& s,
                    index_t r0, index_t r1, T* z, index_t ldz) {
    index_t r = sparse_blocks_end<T>(r0, r1);
#if defined(__AVX2__) && defined(__FMA__)
    if constexpr (std::is_same<T, float>::value) {
        std::vector<float> packed;
        for (index_t b = r0; b < r; b += kSparseRows) {
            pack_rows(w, ldw, s.rows, b, packed);
            sparse_block(packed, s.cols, s.start.data(), s.row.data(),
                         s.value.data(), false, z, ldz, b);
        }
    }
#endif
    const index_t len = r1 - r;
    if (len == 0) return;
    for (index_t j = 0; j < s.cols; ++j) {
        VecMap<T> zj(z + j * ldz + r, len);
        zj.setZero();
        for (index_t k = s.start[j]; k < s.start[j + 1]; ++k)
            zj += T(s.value[k]) * ConstVecMap<T>(w + s.row[k] * ldw + r, len);
    }
}

template <typename T>
void sparse_product_t(const T* dz, index_t lddz, const SparseColumns& s,
                      index_t r0, index_t r1, bool acc, T* dw,
                      index_t lddw) {
    index_t r = sparse_blocks_end<T>(r0, r1);
#if defined(__AVX2__) && defined(__FMA__)
    if constexpr (std::is_same<T, float>::value) {
        if (r > r0) {
            const SparseRows by_row(s);
            std::vector<float> packed;
            for (index_t b = r0; b < r; b += kSparseRows) {
                pack_rows(dz, lddz, s.cols, b, packed);
                sparse_block(packed, s.rows, by_row.start.data(),
                             by_row.col.data(), by_row.value.data(), acc, dw,
                             lddw, b);
            }
        }
    }
#endif
    const index_t len = r1 - r;
    if (len == 0) return;
    if (!acc) {
        for (index_t c = 0; c < s.rows; ++c)
            VecMap<T>(dw + c * lddw + r, len).setZero();
    }
    for (index_t j = 0; j < s.cols; ++j) {
        ConstVecMap<T> dzj(dz + j * lddz + r, len);
        for (index_t k = s.start[j]; k < s.start[j + 1]; ++k)
            VecMap<T>(dw + s.row[k] * lddw + r, len) += T(s.value[k]) * dzj;
    }
}

}  // namespace EXPRAE_HOT_NS
}  // namespace cpu
}  // namespace exprae
