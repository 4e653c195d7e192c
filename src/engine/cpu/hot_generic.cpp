// The hot kernels with the compiler's default instruction set.
#define EXPRAE_HOT_NS generic
#include "cpu/hot_kernels_impl.h"
