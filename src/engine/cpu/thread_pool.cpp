#include "cpu/thread_pool.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

namespace exprae {
namespace cpu {

namespace {

using Clock = std::chrono::steady_clock;

// How long an idle worker looks for the next job before it sleeps: long
// enough to span the gap between the regions of one training step, short
// enough not to take much from other processes when training stops.
constexpr auto kIdleSpin = std::chrono::microseconds(50);

// True on the pool's threads, and on a caller while it runs a job: a
// parallel_for inside a part runs on its own thread (as a nested OpenMP
// region did), since the pool has one job at a time.
thread_local bool t_in_pool = false;

class Pool {
public:
    void run(int parts, int workers, void (*part)(void*, int), void* ctx);

private:
    // The job's claim counter: generation in the high 32 bits, the next
    // part to claim in the low 32, so that a claim can only succeed in the
    // generation the claimer read the job of.
    static std::uint64_t generation(std::uint64_t s) { return s >> 32; }
    // The generation after g, wrapping to 0 after 2^32 - 1 jobs.
    static std::uint64_t after(std::uint64_t g) {
        return (g + 1) & 0xffffffffu;
    }
    static std::uint32_t next_part(std::uint64_t s) {
        return static_cast<std::uint32_t>(s);
    }

    void grow(int workers);
    void worker();
    // Claims and runs parts of generation g until none is left.
    void work_on(std::uint64_t g, void (*part)(void*, int), void* ctx,
                 int parts);
    void record(std::exception_ptr e);

    std::atomic<bool> busy_{false};  // a job is running
    std::atomic<std::uint64_t> state_{0};
    std::atomic<int> done_{0};
    // The current job, written with state_'s new generation under mutex_.
    void (*part_)(void*, int) = nullptr;
    void* ctx_ = nullptr;
    int parts_ = 0;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

// A thread that cannot be started (a process or memory limit) leaves the
// work to the threads there are, the caller at least.
void Pool::grow(int workers) {
    try {
        while (static_cast<int>(threads_.size()) < workers)
            threads_.emplace_back([this] { worker(); });
    } catch (const std::system_error&) {
    }
}

void Pool::record(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = e;
}

void Pool::work_on(std::uint64_t g, void (*part)(void*, int), void* ctx,
                   int parts) {
    std::uint64_t s = state_.load(std::memory_order_acquire);
    while (generation(s) == g && next_part(s) < static_cast<unsigned>(parts)) {
        if (!state_.compare_exchange_weak(s, s + 1,
                                          std::memory_order_acq_rel)) {
            continue;  // s was reloaded
        }
        try {
            part(ctx, static_cast<int>(next_part(s)));
        } catch (...) {
            record(std::current_exception());
        }
        done_.fetch_add(1, std::memory_order_acq_rel);
        s = state_.load(std::memory_order_acquire);
    }
}

void Pool::worker() {
    t_in_pool = true;
    std::uint64_t seen = 0;
    for (;;) {
        auto until = Clock::now() + kIdleSpin;
        while (generation(state_.load(std::memory_order_acquire)) == seen &&
               Clock::now() < until) {
            std::this_thread::yield();
        }
        void (*part)(void*, int) = nullptr;
        void* ctx = nullptr;
        int parts = 0;
        {
            // The job's fields and its generation, read together: run()
            // writes them together under the same lock.
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] {
                return generation(state_.load(std::memory_order_relaxed)) !=
                       seen;
            });
            seen = generation(state_.load(std::memory_order_relaxed));
            part = part_;
            ctx = ctx_;
            parts = parts_;
        }
        work_on(seen, part, ctx, parts);
    }
}

void Pool::run(int parts, int workers, void (*part)(void*, int), void* ctx) {
    if (t_in_pool || busy_.exchange(true, std::memory_order_acquire)) {
        // Nested, or another thread's job is running: this thread alone.
        for (int p = 0; p < parts; ++p) part(ctx, p);
        return;
    }
    struct Release {
        std::atomic<bool>& busy;
        ~Release() {
            t_in_pool = false;
            busy.store(false, std::memory_order_release);
        }
    } release{busy_};
    t_in_pool = true;
    grow(workers);
    std::uint64_t g = after(generation(state_.load(std::memory_order_relaxed)));
    {
        std::lock_guard<std::mutex> lock(mutex_);
        part_ = part;
        ctx_ = ctx;
        parts_ = parts;
        error_ = nullptr;
        done_.store(0, std::memory_order_relaxed);
        state_.store(g << 32, std::memory_order_release);
    }
    wake_.notify_all();
    work_on(g, part, ctx, parts);
    // Only parts that a worker has claimed and not finished are left.
    while (done_.load(std::memory_order_acquire) < parts)
        std::this_thread::yield();
    std::exception_ptr e;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        e = error_;
    }
    if (e) std::rethrow_exception(e);
}

// One pool per process, never destroyed (its threads may sleep in it until
// the process ends). A child made by fork() (parallel::mclapply) has none
// of the parent's threads, and maybe a mutex locked by one of them: it gets
// a pool of its own.
Pool& pool() {
    static Pool* p = nullptr;
    static pid_t owner = 0;
    pid_t me = getpid();
    if (p == nullptr || owner != me) {
        p = new Pool();
        owner = me;
    }
    return *p;
}

}  // namespace

void run_parts(int parts, int workers, void (*part)(void*, int), void* ctx) {
    if (parts <= 0) return;
    if (parts == 1 || workers <= 0) {
        for (int p = 0; p < parts; ++p) part(ctx, p);
        return;
    }
    pool().run(parts, workers, part, ctx);
}

}  // namespace cpu
}  // namespace exprae
