// cpu/parallel.h: the thread count is clamped, and parallel_for covers
// every index exactly once whatever the thread count.
#include <gtest/gtest.h>

#include <vector>

#include "cpu/parallel.h"

namespace exprae {
namespace {

TEST(Parallel, ThreadCountIsClampedToProcessors) {
    cpu::set_num_threads(1000000);
    EXPECT_GE(cpu::num_threads(), 1);
#ifdef _OPENMP
    EXPECT_LE(cpu::num_threads(), omp_get_num_procs());
#else
    EXPECT_EQ(cpu::num_threads(), 1);
#endif
    cpu::set_num_threads(0);
    EXPECT_EQ(cpu::num_threads(), 1);
    cpu::set_num_threads(2);
}

TEST(Parallel, ForCoversEveryIndexOnce) {
    for (int threads : {1, 2}) {
        cpu::set_num_threads(threads);
        std::vector<int> hits(1000, 0);
        cpu::parallel_for(1000, 10, [&](index_t lo, index_t hi) {
            for (index_t i = lo; i < hi; ++i) ++hits[i];
        });
        for (int h : hits) EXPECT_EQ(h, 1);
    }
    cpu::set_num_threads(2);
}

}  // namespace
}  // namespace exprae
