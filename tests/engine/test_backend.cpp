// What every op shares: the backend's strided-batched GEMM and normal
// draws, the kernel registry, and the one caching allocator.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "backend/backend.h"
#include "backend/registry.h"
#include "cuda_test_util.h"
#include "ops/unary.h"
#include "random/philox.h"
#include "tensor/allocator.h"
#include "test_util.h"

namespace exprae {
namespace {

// c[, , i] = alpha op(a[, , i]) op(b[, , i]) + beta c[, , i], by loops.
double batched_ref(bool ta, bool tb, const Tensor& a, const Tensor& b,
                   const Tensor& c0, double alpha, double beta, index_t i,
                   index_t r, index_t col) {
    index_t k = ta ? a.dim(0) : a.dim(1);
    index_t sa = a.dim(0) * a.dim(1), sb = b.dim(0) * b.dim(1);
    double s = 0.0;
    for (index_t p = 0; p < k; ++p) {
        double av = ta ? a.at(p + r * a.dim(0) + i * sa)
                       : a.at(r + p * a.dim(0) + i * sa);
        double bv = tb ? b.at(col + p * b.dim(0) + i * sb)
                       : b.at(p + col * b.dim(0) + i * sb);
        s += av * bv;
    }
    return alpha * s + beta * c0.at(r + col * c0.dim(0) +
                                    i * c0.dim(0) * c0.dim(1));
}

TEST(Backend, GemmBatchedMatchesLoopsInEveryTransposition) {
    const index_t m = 4, n = 3, k = 5, batch = 3;
    for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
            Tensor a = test::normal(ta ? Shape{k, m, batch}
                                       : Shape{m, k, batch}, 1);
            Tensor b = test::normal(tb ? Shape{n, k, batch}
                                       : Shape{k, n, batch}, 2);
            Tensor c0 = test::normal(Shape{m, n, batch}, 3);
            Tensor c = c0.clone();
            backend_for(Device::cpu).gemm_batched(ta, tb, 0.5, a, b, 2.0, c);
            for (index_t i = 0; i < batch; ++i)
                for (index_t col = 0; col < n; ++col)
                    for (index_t r = 0; r < m; ++r)
                        EXPECT_NEAR(c.at(r + col * m + i * m * n),
                                    batched_ref(ta, tb, a, b, c0, 0.5, 2.0,
                                                i, r, col),
                                    1e-12);
        }
    }
}

TEST(Backend, MissingKernelSaysWhichOpAndDevice) {
    try {
        kernels<UnaryKernels>("no_such_op", Device::cpu);
        FAIL() << "no exception";
    } catch (const DeviceError& e) {
        EXPECT_STREQ(e.what(), "op no_such_op has no kernel on device cpu");
    }
    // Every elementwise function has a CPU kernel set.
    for (const std::string& op : KernelRegistry<UnaryKernels>::ops())
        EXPECT_NO_THROW(kernels<UnaryKernels>(op, Device::cpu)) << op;
}

TEST(Backend, ActivationsAreRegisteredOnce) {
    std::vector<std::string> names = activation_names();
    for (const char* a : {"linear", "relu", "leaky_relu", "elu", "tanh",
                          "sigmoid", "softplus"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), a), names.end()) << a;
    }
    EXPECT_TRUE(activation("linear").is_identity());
    EXPECT_EQ(activation("leaky_relu").param, 0.01);
    try {
        activation("gelu");
        FAIL() << "no exception";
    } catch (const BadArgument& e) {
        EXPECT_NE(std::string(e.what()).find("'gelu'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("softplus"), std::string::npos);
    }
}

// A system whose memory runs out after a budget, to see the allocator
// reuse blocks, retry after emptying its cache, and then give up.
int g_live_blocks = 0;
int g_budget = 0;
void* tiny_allocate(std::size_t bytes) {
    if (g_live_blocks >= g_budget) return nullptr;
    ++g_live_blocks;
    return std::malloc(bytes);
}
void tiny_free(void* p) {
    --g_live_blocks;
    std::free(p);
}
std::string tiny_oom(std::size_t bytes) {
    return "tiny: " + std::to_string(bytes);
}

TEST(CachingAllocator, ReusesFreedBlocksAndRetriesOnceWhenFull) {
    g_live_blocks = 0;
    g_budget = 2;
    {
        CachingAllocator a(SystemMemory{tiny_allocate, tiny_free, nullptr,
                                        tiny_oom, 64});
        void* p = a.allocate(100);  // a 128-byte block
        a.release(p, 100);
        EXPECT_EQ(a.cached_bytes(), 128u);
        EXPECT_EQ(a.allocate(120), p);  // same rounded size: reused
        void* q = a.allocate(1000);
        a.release(q, 1000);
        // The budget is spent; the cached block goes back and the
        // allocation succeeds on the second try.
        void* r = a.allocate(5000);
        EXPECT_NE(r, nullptr);
        EXPECT_EQ(a.cached_bytes(), 0u);
        try {
            a.allocate(64);
            FAIL() << "no exception";
        } catch (const OutOfMemory& e) {
            EXPECT_STREQ(e.what(), "tiny: 64");
        }
        a.release(p, 100);
        a.release(r, 5000);
    }
    EXPECT_EQ(g_live_blocks, 0);  // the destructor returned the cache
}

// A host tensor of `asked` bytes is refused with OutOfMemory saying how
// much memory is left; it is never filled.
void expect_host_refuses(std::size_t asked) {
    try {
        Tensor t = Tensor::empty(static_cast<index_t>(asked >> 2), 1,
                                 DType::f32);
        FAIL() << "granted " << (asked >> 20) << " MiB";
    } catch (const OutOfMemory& e) {
        EXPECT_NE(std::string(e.what()).find("MiB left"), std::string::npos)
            << e.what();
    }
}

// More than the memory left is refused with OutOfMemory. Linux would
// grant it (it refuses only more than RAM and swap together): 512 MiB
// filled first make the request less than that, so the test fails if the
// check is gone, and the refused block is never filled, so the test
// cannot exhaust the machine even then.
TEST(CachingAllocator, HostRefusesMoreThanTheMemoryLeft) {
    if (host_memory_available() == std::numeric_limits<std::size_t>::max())
        GTEST_SKIP() << "the system does not say how much memory is left";
    Tensor filled = Tensor::zeros(index_t(1) << 27, 1, DType::f32);
    std::size_t asked = host_memory_available() + (std::size_t(128) << 20);
    expect_host_refuses(asked);
    Tensor small = Tensor::zeros(1000, 1000, DType::f32);  // still works
    EXPECT_EQ(small.at(999, 999), 0.0);
    EXPECT_EQ(filled.at(0, 0), 0.0);
}

// Writes `text` to `dir`/`name`, making `dir` first.
void write_file(const std::filesystem::path& dir, const std::string& name,
                const std::string& text) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << text;
}

// A cgroup's memory limit bounds the memory left: the least room under
// the process's cgroup and those above it, page cache it could drop not
// counted as used, for cgroup v1 (memory controller, as Slurm and older
// Docker set) and v2. The files are written to a scratch tree in their
// kernels' formats.
TEST(CachingAllocator, CgroupLimitsBoundTheMemoryLeft) {
    namespace fs = std::filesystem;
    const std::size_t mib = std::size_t(1) << 20;
    const std::size_t none = std::numeric_limits<std::size_t>::max();
    fs::path root = fs::temp_directory_path() /
                    ("exprae-cgroup-" + std::to_string(::getpid()));
    fs::remove_all(root);
    auto mb = [&](std::size_t n) { return std::to_string(n * mib) + "\n"; };

    // v1: job limit 1000 MiB, 700 used of which 150 droppable cache;
    // the step below it has a looser limit; the root is unlimited.
    fs::path v1 = root / "memory";
    write_file(v1, "memory.limit_in_bytes", "9223372036854771712\n");
    write_file(v1, "memory.usage_in_bytes", mb(5000));
    write_file(v1 / "slurm/job_7", "memory.limit_in_bytes", mb(1000));
    write_file(v1 / "slurm/job_7", "memory.usage_in_bytes", mb(700));
    write_file(v1 / "slurm/job_7", "memory.stat",
               "cache 1\ninactive_file 5\ntotal_active_file " +
                   std::to_string(50 * mib) + "\ntotal_inactive_file " +
                   std::to_string(100 * mib) + "\n");
    write_file(v1 / "slurm/job_7/step_0", "memory.limit_in_bytes", mb(2000));
    write_file(v1 / "slurm/job_7/step_0", "memory.usage_in_bytes", mb(650));
    std::string self_v1 =
        "5:cpu,cpuacct:/slurm/job_7/step_0\n"
        "4:memory:/slurm/job_7/step_0\n0::/\n";
    EXPECT_EQ(cgroup_memory_available(self_v1, root.string()), 450 * mib);

    // v2: "max" is no limit; the parent's 400 MiB left (800 less 500
    // used, of which 100 droppable cache) bound the child.
    write_file(root / "app", "memory.max", mb(800));
    write_file(root / "app", "memory.current", mb(500));
    write_file(root / "app", "memory.stat",
               "anon 1\nactive_file " + std::to_string(40 * mib) +
                   "\ninactive_file " + std::to_string(60 * mib) + "\n");
    write_file(root / "app/worker", "memory.max", "max\n");
    write_file(root / "app/worker", "memory.current", mb(450));
    write_file(root / "app/worker", "memory.stat", "inactive_file 0\n");
    EXPECT_EQ(cgroup_memory_available("0::/app/worker\n", root.string()),
              400 * mib);
    // usage above the limit leaves no room rather than wrapping around
    write_file(root / "app", "memory.current", mb(1000));
    EXPECT_EQ(cgroup_memory_available("0::/app/worker\n", root.string()),
              0u);

    // No limit anywhere, no cgroup files, or no /proc/self/cgroup text.
    EXPECT_EQ(cgroup_memory_available("0::/elsewhere\n",
                                      (root / "absent").string()), none);
    EXPECT_EQ(cgroup_memory_available("", root.string()), none);
    // an unlimited root (v1 writes a huge number, not "max")
    EXPECT_EQ(cgroup_memory_available("4:memory:/\n", root.string()), none);
    fs::remove_all(root);
}

// Under a cgroup memory limit (a container, a batch job), a block that
// fits in the machine's memory but not under the limit is refused: the
// kernel would grant it and then kill the process as it is filled. Runs
// only where such a limit binds, as it does when this binary is started
// inside a memory-limited cgroup.
TEST(CachingAllocator, HostRefusesMoreThanTheCgroupLimitLeaves) {
    // cached blocks count as used; the allocator would free them to retry
    host_allocator().empty_cache();
    std::ifstream self("/proc/self/cgroup");
    std::stringstream text;
    text << self.rdbuf();
    std::size_t room = cgroup_memory_available(text.str(), "/sys/fs/cgroup");
    std::size_t asked = room + (std::size_t(128) << 20);
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    std::size_t total_kib = 0;
    meminfo >> key >> total_kib;  // the first line is MemTotal
    if (room == std::numeric_limits<std::size_t>::max() ||
        asked >= (total_kib << 10) / 2)
        GTEST_SKIP() << "no cgroup memory limit below half the machine's";
    EXPECT_LE(host_memory_available(), room + (std::size_t(64) << 20));
    expect_host_refuses(asked);
}

TEST(Backend, CudaNormalDrawsAndBatchedGemmMatchTheCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Tensor cpu = Tensor::empty(31, 17, DType::f32);
    Tensor gpu = Tensor::empty(31, 17, DType::f32, Device::cuda);
    backend_for(Device::cpu).fill_normal(5, kStreamLatent, 3ull << 32, cpu);
    backend_for(Device::cuda).fill_normal(5, kStreamLatent, 3ull << 32, gpu);
    test::expect_parity(gpu, cpu, "Philox normal draws", 1e-6);
    Tensor a = test::to_dtype(test::normal(Shape{9, 7, 5}, 1), DType::f32);
    Tensor b = test::to_dtype(test::normal(Shape{6, 7, 5}, 2), DType::f32);
    Tensor c = Tensor::zeros(Shape{9, 6, 5}, DType::f32);
    Tensor c_gpu = Tensor::zeros(Shape{9, 6, 5}, DType::f32, Device::cuda);
    backend_for(Device::cpu).gemm_batched(false, true, 1.0, a, b, 0.0, c);
    backend_for(Device::cuda).gemm_batched(false, true, 1.0,
                                           a.to(Device::cuda),
                                           b.to(Device::cuda), 0.0, c_gpu);
    test::expect_parity(c_gpu, c, "strided-batched GEMM");
}

TEST(Backend, GatherColumnsCopiesTheNamedColumns) {
    Tensor whole = test::normal(5, 9, 3);
    Tensor cols = test::from_values(1, 4, {8, 0, 3, 3});
    Tensor out = Tensor::empty(5, 4, DType::f64);
    backend_for(Device::cpu).gather_columns(whole, cols, out);
    const index_t pick[] = {8, 0, 3, 3};
    for (index_t k = 0; k < 4; ++k) {
        for (index_t i = 0; i < 5; ++i)
            EXPECT_EQ(out.at(i + 5 * k), whole.at(i + 5 * pick[k]));
    }
}

// Row sums over many columns split the columns into chunks on a GPU (and
// add the chunks' sums in a second kernel); gathered columns are copies.
TEST(Backend, CudaRowSumsOverManyColumnsAndGatheredColumnsMatchTheCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    for (index_t cols : {index_t{100}, index_t{5000}, index_t{70000}}) {
        Tensor x = test::to_dtype(test::normal(37, cols, 7), DType::f32);
        Tensor cpu = test::to_dtype(test::normal(37, 1, 8), DType::f32);
        Tensor gpu = cpu.to(Device::cuda);
        backend_for(Device::cpu).row_sums(x, cpu, true);
        backend_for(Device::cuda).row_sums(x.to(Device::cuda), gpu, true);
        test::expect_parity(gpu, cpu, "row sums over " +
                                          std::to_string(cols) + " columns");
    }
    Tensor whole = test::to_dtype(test::normal(300, 50, 9), DType::f32);
    Tensor cols = test::to_dtype(test::from_values(1, 3, {49, 0, 7}),
                                 DType::f32);
    Tensor cpu = Tensor::empty(300, 3, DType::f32);
    Tensor gpu = Tensor::empty(300, 3, DType::f32, Device::cuda);
    backend_for(Device::cpu).gather_columns(whole, cols, cpu);
    backend_for(Device::cuda).gather_columns(whole.to(Device::cuda),
                                             cols.to(Device::cuda), gpu);
    test::expect_parity(gpu, cpu, "gathered columns", 0.0);
}

}  // namespace
}  // namespace exprae
