#include "tensor/allocator.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

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
// /proc/meminfo and a few cgroup files costs far less than filling such a
// block).
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

// A count from a file, the largest size_t where it does not fit (32 bits).
std::size_t as_size(unsigned long long value) {
    return static_cast<std::size_t>(std::min<unsigned long long>(
        value, std::numeric_limits<std::size_t>::max()));
}

// The first number in a file; false where there is none (a missing file,
// or "max", cgroup v2's word for no limit).
bool read_bytes(const std::string& path, std::size_t* bytes) {
    std::ifstream in(path);
    unsigned long long value = 0;
    if (!(in >> value)) return false;
    *bytes = as_size(value);
    return true;
}

// The sum of the values of `keys` in a memory.stat file (0 for a key that
// is not there).
std::size_t stat_bytes(const std::string& path,
                       const std::vector<std::string>& keys) {
    std::ifstream in(path);
    std::string name;
    unsigned long long value = 0, total = 0;
    while (in >> name >> value)
        if (std::find(keys.begin(), keys.end(), name) != keys.end())
            total += value;
    return as_size(total);
}

bool names_memory(const std::string& controllers) {
    std::istringstream list(controllers);
    std::string controller;
    while (std::getline(list, controller, ','))
        if (controller == "memory") return true;
    return false;
}

// Limits from here up mean none (v1 writes no limit as 2^63 less a page,
// v2 as "max"): such a cgroup's usage and cache are not read.
constexpr unsigned long long kNoLimit = 1ull << 62;

// The room under the limit of the cgroup at `path` below `mount` and of
// each one above it, the least of them. A cgroup counts the file cache
// that the kernel would drop before killing (active and inactive files)
// as used; that is not counted here. Swap is not counted either: a
// cgroup that may swap is held to its memory limit.
std::size_t cgroup_room(const std::string& mount, std::string path,
                        bool v1) {
    const std::string limit_file = v1 ? "memory.limit_in_bytes" : "memory.max";
    const std::string usage_file =
        v1 ? "memory.usage_in_bytes" : "memory.current";
    const std::vector<std::string> cache_keys =
        v1 ? std::vector<std::string>{"total_active_file",
                                      "total_inactive_file"}
           : std::vector<std::string>{"active_file", "inactive_file"};
    std::size_t room = std::numeric_limits<std::size_t>::max();
    for (;;) {
        std::string dir = mount + (path == "/" ? "" : path);
        std::size_t limit = 0, usage = 0;
        if (read_bytes(dir + "/" + limit_file, &limit) && limit < kNoLimit &&
            read_bytes(dir + "/" + usage_file, &usage)) {
            std::size_t cache = stat_bytes(dir + "/memory.stat", cache_keys);
            std::size_t used = usage > cache ? usage - cache : 0;
            room = std::min(room, limit > used ? limit - used : 0);
        }
        std::size_t slash = path.rfind('/');
        if (path.empty() || path == "/" || slash == std::string::npos) break;
        path = slash == 0 ? "/" : path.substr(0, slash);
    }
    return room;
}

std::size_t meminfo_available() {
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
}  // namespace

std::size_t cgroup_memory_available(const std::string& self_cgroup,
                                    const std::string& root) {
    std::size_t room = std::numeric_limits<std::size_t>::max();
    std::istringstream lines(self_cgroup);
    std::string line;
    while (std::getline(lines, line)) {
        // "hierarchy:controllers:path"; v2's one line has no controllers
        std::size_t first = line.find(':');
        std::size_t second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos)
            continue;
        std::string controllers = line.substr(first + 1, second - first - 1);
        std::string path = line.substr(second + 1);
        if (names_memory(controllers))
            room = std::min(room, cgroup_room(root + "/memory", path, true));
        else if (controllers.empty())
            room = std::min(room, cgroup_room(root, path, false));
    }
    return room;
}

std::size_t host_memory_available() {
    std::ifstream self("/proc/self/cgroup");
    std::stringstream cgroups;
    cgroups << self.rdbuf();
    return std::min(meminfo_available(),
                    cgroup_memory_available(cgroups.str(), "/sys/fs/cgroup"));
}

CachingAllocator& host_allocator() {
    static CachingAllocator allocator(SystemMemory{
        host_allocate, host_free, nullptr, host_out_of_memory,
        kHostAlignment});
    return allocator;
}

}  // namespace exprae
