// EXPRAE_HD marks code that both the C++ compiler and nvcc compile, once
// for the CPU and once for the GPU (the elementwise math, Philox, the count
// likelihoods), so that the two backends share one copy of the formulas.
#pragma once

#ifdef __CUDACC__
#define EXPRAE_HD __host__ __device__
#else
#define EXPRAE_HD
#endif
