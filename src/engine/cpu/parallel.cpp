#include "cpu/parallel.h"

namespace exprae {
namespace cpu {

namespace {
int g_threads = 1;
}

int num_threads() { return g_threads; }

void set_num_threads(int n) { g_threads = n < 1 ? 1 : n; }

}  // namespace cpu
}  // namespace exprae
