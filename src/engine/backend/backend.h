// What every op shares on a device: memory, copies, fills, GEMM (plain and
// strided-batched) and the generic elementwise and reduction helpers. The
// CPU backend (cpu/backend.cpp) and the CUDA backend (cuda/backend.cpp)
// implement it. Nothing here is named after an op: an op's own kernels
// live in its files and reach their device through backend/registry.h.
// An op picks the backend of its input's device once per call (a virtual
// call per op, never per element). Tensors are handles, so outputs are
// const references too. All tensors of one call live on the backend's
// device, except where a method says otherwise. Methods that take a
// "matrix" use the tensor's matrix view (tensor/shape.h): rows() x cols().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "errors.h"
#include "tensor/tensor.h"

namespace exprae {

class Backend {
public:
    virtual ~Backend() = default;
    virtual Device device() const = 0;

    // ---- memory, copies, fills -----------------------------------------
    virtual void* allocate(std::size_t bytes) = 0;
    virtual void release(void* ptr, std::size_t bytes) = 0;
    // dst <- src, same size and dtype; either may be on the host.
    virtual void copy(const Tensor& dst, const Tensor& src) = 0;
    virtual void fill(const Tensor& t, double value) = 0;
    // t[k] = normal(base + k) of the (seed, stream) Philox stream
    // (random/philox.h: the same numbers on every device)
    virtual void fill_normal(std::uint64_t seed, std::uint64_t stream,
                             std::uint64_t base, const Tensor& t) = 0;
    // Rows [offset, offset + part.rows()) of the matrix whole <-> part;
    // to_part picks the direction, acc adds (to_part only).
    virtual void copy_rows(const Tensor& whole, index_t offset,
                           const Tensor& part, bool to_part, bool acc) = 0;
    // out[, k] = whole[, columns[k]] (matrices with as many rows). The
    // column numbers are a float32 tensor on this device (a minibatch's
    // upload carries them with the rest), exact below 2^24.
    virtual void gather_columns(const Tensor& whole, const Tensor& columns,
                                const Tensor& out) = 0;

    // ---- matrix products -------------------------------------------------
    // c = alpha op(a) op(b) + beta c (BLAS conventions, matrix views)
    virtual void gemm(bool trans_a, bool trans_b, double alpha,
                      const Tensor& a, const Tensor& b, double beta,
                      const Tensor& c) = 0;
    // The same for each index i of the last dimension of 3-D tensors:
    // c[, , i] = alpha op(a[, , i]) op(b[, , i]) + beta c[, , i]
    virtual void gemm_batched(bool trans_a, bool trans_b, double alpha,
                              const Tensor& a, const Tensor& b, double beta,
                              const Tensor& c) = 0;

    // ---- generic elementwise (same sizes) --------------------------------
    // out (+)= alpha * a
    virtual void axpy(double alpha, const Tensor& a, const Tensor& out,
                      bool acc) = 0;
    // out (+)= factor * s * a, s a one-element tensor on the device (a
    // loss's gradient), so that no step waits to read it
    virtual void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                             const Tensor& out, bool acc) = 0;
    // out (+)= factor * s everywhere
    virtual void broadcast_scalar(const Tensor& s, double factor,
                                  const Tensor& out, bool acc) = 0;
    // out (+)= a * b
    virtual void multiply(const Tensor& a, const Tensor& b,
                          const Tensor& out, bool acc) = 0;

    // ---- reductions, accumulated in double -------------------------------
    // out (rows x 1) (+)= sum over the columns of the matrix x
    virtual void row_sums(const Tensor& x, const Tensor& out, bool acc) = 0;
    // out (one element) = factor * sum(x)
    virtual void sum_all(const Tensor& x, double factor,
                         const Tensor& out) = 0;
    // out (one element, float64) = sum(x^2)
    virtual void sum_squares(const Tensor& x, const Tensor& out) = 0;

    // ---- training data ---------------------------------------------------
    // Host tensors of one minibatch -> tensors on this device. The CUDA
    // backend copies them through pinned memory on a copy stream while the
    // previous step computes; end_step() marks where the step's work ends,
    // so that its buffers are reused only once the step is done.
    virtual std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) = 0;
    virtual void end_step() {}
};

// The backend of a device; the CUDA one throws DeviceError where it is not
// built in or no GPU can be used.
Backend& backend_for(Device device);
inline Backend& backend_for(const Tensor& t) {
    return backend_for(t.device());
}

// What the CUDA side of this build can do, for cudaAvailable() and the
// device list of the R layer.
struct CudaDeviceInfo {
    int index = 0;
    std::string name;
    double memory_bytes = 0;
    int major = 0, minor = 0;
    int multiprocessors = 0;
};
struct CudaInfo {
    bool built = false;     // compiled with CUDA
    bool available = false; // built, a driver and at least one GPU
    std::string reason;     // why not, when !available
    int driver_version = 0, runtime_version = 0;  // e.g. 13000
    std::vector<CudaDeviceInfo> devices;
};
CudaInfo cuda_info();

// Makes GPU `index` the device of the CUDA backend (before any tensor is
// put there); throws naming the index and the devices there are.
void select_cuda_device(int index);
// TF32 tensor-core GEMMs (precision = "tf32") or plain float32.
void set_cuda_tf32(bool on);
// Free memory of the CUDA backend's GPU in bytes (0 without one); what
// cached blocks of exprae's own allocator hold counts as taken.
double cuda_free_memory();

}  // namespace exprae
