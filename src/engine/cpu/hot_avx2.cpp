// The hot kernels built with -mavx2 -mfma (see Makevars.in and CMakeLists).
// Renaming Eigen's namespace keeps these template instances apart from the
// generic ones: same-named inline functions compiled with different flags
// would otherwise be merged by the linker, and one set would win silently.
#define Eigen EigenAVX2
#define EXPRAE_HOT_NS avx2
#include "cpu/hot_kernels_impl.h"
