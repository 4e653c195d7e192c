#include "tensor/allocator.h"

#include <cstdlib>
#include <new>
#include <string>

namespace exprae {

namespace {
// 64-byte alignment suits AVX-512 loads and keeps blocks off shared lines.
constexpr std::size_t kAlignment = 64;

std::size_t round_up(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}
}  // namespace

CachingAllocator& CachingAllocator::host() {
    static CachingAllocator instance;
    return instance;
}

void* CachingAllocator::allocate(std::size_t bytes) {
    bytes = round_up(bytes);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = free_blocks_.find(bytes);
        if (it != free_blocks_.end()) {
            void* ptr = it->second;
            free_blocks_.erase(it);
            cached_bytes_ -= bytes;
            return ptr;
        }
    }
    void* ptr = std::aligned_alloc(kAlignment, bytes);
    if (ptr == nullptr) {
        empty_cache();
        ptr = std::aligned_alloc(kAlignment, bytes);
    }
    if (ptr == nullptr) {
        throw std::bad_alloc();
    }
    return ptr;
}

void CachingAllocator::release(void* ptr, std::size_t bytes) {
    if (ptr == nullptr) return;
    bytes = round_up(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    free_blocks_.emplace(bytes, ptr);
    cached_bytes_ += bytes;
}

void CachingAllocator::empty_cache() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& block : free_blocks_) std::free(block.second);
    free_blocks_.clear();
    cached_bytes_ = 0;
}

CachingAllocator::~CachingAllocator() {
    for (auto& block : free_blocks_) std::free(block.second);
}

}  // namespace exprae
