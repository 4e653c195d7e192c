#include "tensor/allocator.h"

#include <cstdlib>
#include <fstream>
#include <limits>

#include "errors.h"

namespace exprae {

std::size_t CachingAllocator::round_up(std::size_t bytes) const {
    std::size_t g = system_.granularity;
    if (bytes == 0) bytes = 1;
    return (bytes + g - 1) / g * g;
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
    void* ptr = system_.allocate(bytes);
    if (ptr == nullptr) {
        empty_cache();
        ptr = system_.allocate(bytes);
    }
    if (ptr == nullptr) throw OutOfMemory(system_.out_of_memory(bytes));
    return ptr;
}

void CachingAllocator::release(void* ptr, std::size_t bytes) noexcept {
    if (ptr == nullptr) return;
    bytes = round_up(bytes);
    std::lock_guard<std::mutex> lock(mutex_);
    free_blocks_.emplace(bytes, ptr);
    cached_bytes_ += bytes;
}

void CachingAllocator::empty_cache() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (system_.synchronize != nullptr) system_.synchronize();
    for (auto& block : free_blocks_) system_.free(block.second);
    free_blocks_.clear();
    cached_bytes_ = 0;
}

CachingAllocator::~CachingAllocator() {
    for (auto& block : free_blocks_) system_.free(block.second);
}

namespace {
// 64-byte alignment suits AVX-512 loads and keeps blocks off shared lines.
constexpr std::size_t kHostAlignment = 64;
// Blocks from this size up are checked against the memory left (reading
// /proc/meminfo costs far less than filling such a block).
constexpr std::size_t kCheckedBytes = std::size_t(16) << 20;

// Linux grants more memory than it has (overcommit) and kills the process
// that touches too much of it, R with it: a block larger than the memory
// left is refused here instead, as if the system had none.
void* host_allocate(std::size_t bytes) {
    if (bytes >= kCheckedBytes && bytes > host_memory_available())
        return nullptr;
    return std::aligned_alloc(kHostAlignment, bytes);
}
void host_free(void* ptr) { std::free(ptr); }
std::string host_out_of_memory(std::size_t bytes) {
    std::string left;
    std::size_t available = host_memory_available();
    if (available != std::numeric_limits<std::size_t>::max())
        left = " with " + std::to_string(available >> 20) + " MiB left";
    return "out of host memory: asked for " + std::to_string(bytes >> 20) +
           " MiB" + left;
}
}  // namespace

std::size_t host_memory_available() {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::size_t kib = 0, total = 0;
    bool found = false;  // kernels before 3.14 have no MemAvailable
    while (meminfo >> key >> kib) {
        if (key == "MemAvailable:" || key == "SwapFree:") total += kib;
        if (key == "MemAvailable:") found = true;
        meminfo.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    }
    return found ? total << 10 : std::numeric_limits<std::size_t>::max();
}

CachingAllocator& host_allocator() {
    static CachingAllocator allocator(SystemMemory{
        host_allocate, host_free, nullptr, host_out_of_memory,
        kHostAlignment});
    return allocator;
}

}  // namespace exprae
