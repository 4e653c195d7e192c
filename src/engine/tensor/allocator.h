// Caching allocator for host memory: a training step asks for the same block
// sizes every minibatch, so freed blocks are kept by size and handed out
// again instead of going back to the system allocator.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>

namespace exprae {

class CachingAllocator {
public:
    static CachingAllocator& host();

    void* allocate(std::size_t bytes);
    void release(void* ptr, std::size_t bytes);
    // Returns every cached block to the system.
    void empty_cache();
    std::size_t cached_bytes() const { return cached_bytes_; }

    ~CachingAllocator();

private:
    CachingAllocator() = default;
    std::multimap<std::size_t, void*> free_blocks_;
    std::size_t cached_bytes_ = 0;
    std::mutex mutex_;
};

}  // namespace exprae
