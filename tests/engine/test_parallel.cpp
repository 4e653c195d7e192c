// cpu/parallel.h: the thread count is clamped, and parallel_for covers
// every index exactly once whatever the thread count; cpu/thread_pool.h:
// every part of every job runs once, also when jobs follow each other at
// once, nest, come from two threads or throw.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cpu/parallel.h"
#include "cpu/thread_pool.h"

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

// Back-to-back jobs are where a worker could claim a part of the wrong job.
TEST(ThreadPool, EveryPartOfEveryJobRunsOnce) {
    std::vector<std::atomic<int>> hits(4);
    for (int job = 0; job < 20000; ++job) {
        int parts = 2 + job % 3;
        for (auto& h : hits) h.store(0);
        cpu::run_parts(parts, 3, [](void* ctx, int p) {
            // Long enough (~1 us) that the workers claim parts too.
            volatile double x = 0;
            for (int k = 0; k < 300; ++k) x = x + k;
            static_cast<std::vector<std::atomic<int>>*>(ctx)->at(p)++;
        }, &hits);
        for (int p = 0; p < 4; ++p)
            ASSERT_EQ(hits[p].load(), p < parts ? 1 : 0) << "job " << job;
    }
}

TEST(ThreadPool, NestedAndConcurrentParallelForsCoverEveryIndex) {
    cpu::set_num_threads(2);
    auto nested = [] {
        std::vector<int> hits(64 * 64, 0);
        cpu::parallel_for(64, 1, [&](index_t lo, index_t hi) {
            for (index_t i = lo; i < hi; ++i) {
                cpu::parallel_for(64, 1, [&](index_t a, index_t b) {
                    for (index_t j = a; j < b; ++j) ++hits[i * 64 + j];
                });
            }
        });
        for (int h : hits) EXPECT_EQ(h, 1);
    };
    nested();
    std::thread other([&] {
        for (int k = 0; k < 200; ++k) nested();
    });
    for (int k = 0; k < 200; ++k) nested();
    other.join();
}

TEST(ThreadPool, AnExceptionInAPartReachesTheCallerAndThePoolGoesOn) {
    std::atomic<int> ran{0};
    struct Ctx {
        std::atomic<int>* ran;
    } ctx{&ran};
    auto throwing = [](void* c, int p) {
        static_cast<Ctx*>(c)->ran->fetch_add(1);
        if (p == 1) throw std::runtime_error("part 1 failed");
    };
    EXPECT_THROW(cpu::run_parts(3, 2, throwing, &ctx), std::runtime_error);
    EXPECT_EQ(ran.load(), 3);  // the other parts still ran
    cpu::set_num_threads(2);
    std::vector<int> hits(1000, 0);
    cpu::parallel_for(1000, 10, [&](index_t lo, index_t hi) {
        for (index_t i = lo; i < hi; ++i) ++hits[i];
    });
    for (int h : hits) EXPECT_EQ(h, 1);
}

}  // namespace
}  // namespace exprae
