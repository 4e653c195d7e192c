// Threads: exactly as many as the user asked for, never more than there are
// processors; without OpenMP (the compiler's, which also vectorises the
// loops below) everything runs on the calling thread. The threads are the
// engine's own pool (cpu/thread_pool.h), not an OpenMP team.
#pragma once

#include <algorithm>
#include <type_traits>

#include "cpu/thread_pool.h"
#include "tensor/tensor.h"

#ifdef _OPENMP
#include <omp.h>
#endif

// Before an elementwise loop: vectorise it. R compiles packages at -O2,
// where GCC only vectorises loops that need no run-time checks, so the
// loops over a tensor's elements ran one element at a time (and a ReLU's
// derivative as a mispredicted branch per element). With OpenMP the
// compiler is told the iterations are independent; without it, nothing.
// A loop with a comparison (relu's derivative, a running maximum) also
// needs EXPRAE_NO_TRAPPING_MATH in its file (below).
#ifdef _OPENMP
#define EXPRAE_SIMD _Pragma("omp simd")
#else
#define EXPRAE_SIMD
#endif

// At the top of a kernel file (after its includes): GCC turns a
// comparison inside a loop into a vector select only when it may assume
// that floating-point operations do not trap (-fno-trapping-math). The
// engine never enables floating-point traps, so this changes no result.
#if defined(__GNUC__) && !defined(__clang__)
#define EXPRAE_NO_TRAPPING_MATH _Pragma("GCC optimize(\"no-trapping-math\")")
#else
#define EXPRAE_NO_TRAPPING_MATH
#endif

namespace exprae {
namespace cpu {

int num_threads();
// Clamped to [1, number of processors]; without OpenMP always 1.
void set_num_threads(int n);

// Runs f(begin, end) over [0, n) in contiguous chunks, one per thread, when
// n is larger than `grain` (below that, threads cost more than they save).
// The chunks depend on the thread count only, never on which thread runs
// which: results are the same however busy the machine is.
template <typename F>
void parallel_for(index_t n, index_t grain, F&& f) {
    int threads = num_threads();
    if (threads > 1 && n > grain) {
        struct Chunks {
            std::remove_reference_t<F>* f;
            index_t n, chunk;
        } job{&f, n, (n + threads - 1) / threads};
        run_parts(threads, threads - 1, [](void* ctx, int t) {
            auto* c = static_cast<Chunks*>(ctx);
            index_t begin = std::min(c->n, t * c->chunk);
            index_t end = std::min(c->n, begin + c->chunk);
            if (begin < end) (*c->f)(begin, end);
        }, &job);
        return;
    }
    f(index_t{0}, n);
}

// Elementwise loops below this many elements stay on one thread.
constexpr index_t kElementwiseGrain = 1 << 15;

}  // namespace cpu
}  // namespace exprae
