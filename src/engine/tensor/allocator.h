// The one caching allocator, for host and device memory alike: a training
// step asks for the same block sizes every minibatch, so freed blocks are
// kept by size and handed out again instead of going back to the system.
// Each device gives it the system calls below it (SystemMemory): the host
// aligned_alloc/free, CUDA cudaMalloc/cudaFree (cuda/device.cpp).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

namespace exprae {

struct SystemMemory {
    // A new block, or nullptr when the system has no memory left (other
    // failures throw).
    void* (*allocate)(std::size_t bytes);
    void (*free)(void* ptr);
    // Called before cached blocks go back to the system, so that work
    // still queued on them finishes first (null: nothing to wait for).
    void (*synchronize)();
    // The message of the OutOfMemory thrown when even an empty cache does
    // not make room for `bytes`.
    std::string (*out_of_memory)(std::size_t bytes);
    std::size_t granularity;  // block sizes are multiples of this
};

class CachingAllocator {
public:
    explicit CachingAllocator(SystemMemory system) : system_(system) {}
    ~CachingAllocator();
    CachingAllocator(const CachingAllocator&) = delete;
    CachingAllocator& operator=(const CachingAllocator&) = delete;

    // Out of memory: the cache is emptied and the allocation tried once
    // more, then OutOfMemory says how much was asked for.
    void* allocate(std::size_t bytes);
    // Never throws (called from destructors).
    void release(void* ptr, std::size_t bytes) noexcept;
    // Returns every cached block to the system.
    void empty_cache();
    std::size_t cached_bytes() const { return cached_bytes_; }

private:
    std::size_t round_up(std::size_t bytes) const;

    SystemMemory system_;
    std::multimap<std::size_t, void*> free_blocks_;
    std::size_t cached_bytes_ = 0;
    std::mutex mutex_;
};

// Bytes of host memory that can still be used (Linux: MemAvailable plus
// SwapFree, and no more than the room under the memory limit of the
// process's cgroup, as containers and batch schedulers set); the largest
// size_t where the system does not say.
std::size_t host_memory_available();

// The room under the memory limits of the cgroups named in `self_cgroup`
// (the text of /proc/self/cgroup) and of those above them, with cgroup
// file systems mounted at `root` (v1's memory controller at root/memory,
// v2 at root): the least of limit less usage, the file cache that could
// be dropped not counted as usage, nor swap as room; the largest size_t
// where none is set.
std::size_t cgroup_memory_available(const std::string& self_cgroup,
                                    const std::string& root);

// The allocator of host memory (64-byte aligned blocks). A large block
// that is more than host_memory_available() throws OutOfMemory rather
// than being granted by an overcommitting system and killing the process
// when it is filled.
CachingAllocator& host_allocator();

}  // namespace exprae
