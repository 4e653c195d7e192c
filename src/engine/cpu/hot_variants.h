// The compiled sets of hot kernels (hot_generic.cpp, hot_avx2.cpp,
// hot_avx512.cpp), declared for the dispatcher and for tests that check
// each set directly.
#pragma once

#include "cpu/hot_kernels.h"

#define EXPRAE_DECLARE_HOT(ns)                                              \
    namespace ns {                                                          \
    template <typename T>                                                   \
    void gemm(bool, bool, index_t, index_t, index_t, T, const T*, index_t,  \
              const T*, index_t, T, T*, index_t);                           \
    template <typename T>                                                   \
    void adam_update(const AdamStep&, index_t, T*, const T*, T*, T*);       \
    template <typename T>                                                   \
    void sgd_update(const SgdStep&, index_t, T*, const T*, T*);             \
    template <typename T>                                                   \
    void sparse_product(const T*, index_t, const SparseColumns&, index_t,   \
                        index_t, T*, index_t);                              \
    template <typename T>                                                   \
    void sparse_product_t(const T*, index_t, const SparseColumns&, index_t, \
                          index_t, bool, T*, index_t);                      \
    template <typename T>                                                   \
    void log1p_standardize(index_t, const double*, double, const double*,   \
                           const double*, T*);                              \
    template <typename T>                                                   \
    void count_nll_columns(Likelihood, const nll::CountNllArgs<T>&, index_t, \
                           index_t, double*);                               \
    }

namespace exprae {
namespace cpu {
EXPRAE_DECLARE_HOT(generic)
#ifdef EXPRAE_HAVE_AVX2
EXPRAE_DECLARE_HOT(avx2)
#endif
#ifdef EXPRAE_HAVE_AVX512
EXPRAE_DECLARE_HOT(avx512)
#endif
}  // namespace cpu
}  // namespace exprae

#undef EXPRAE_DECLARE_HOT
