#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

namespace {
int g_threads = 1;
}

int num_threads() { return g_threads; }

// Never more threads than processors: asking OpenMP for, say, a million
// threads would exhaust memory for their stacks and crash the process.
void set_num_threads(int n) {
    int limit = 1;
#ifdef _OPENMP
    limit = omp_get_num_procs();
#endif
    g_threads = n < 1 ? 1 : (n > limit ? limit : n);
}

}  // namespace cpu
}  // namespace exprae
