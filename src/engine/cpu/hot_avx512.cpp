// The hot kernels built with AVX-512 (-mavx512f -mavx512dq -mavx512bw
// -mavx512vl on top of -mavx2 -mfma; see Makevars.in and CMakeLists):
// single-precision GEMM by cpu/gemm_avx512.h, the count likelihoods' pass
// and log1p of counts on eight lanes (cpu/simd_math.h), the rest as in the
// AVX2 build. Eigen's namespace is renamed as in hot_avx2.cpp, so that these
// instances of its templates stay apart from the other builds'.
#define Eigen EigenAVX512
#define EXPRAE_HOT_NS avx512
#include "cpu/hot_kernels_impl.h"
