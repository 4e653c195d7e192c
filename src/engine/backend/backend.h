// The one interface behind every op: the CPU backend (cpu/backend.cpp) and
// the CUDA backend (cuda/backend.cu) implement it, and an op picks the
// backend of its input's device once per call (a virtual call per op, never
// per element). Tensors are handles, so outputs are const references too.
// All tensors of one call live on the backend's device, except where a
// method says otherwise. Shapes: features x samples, column-major.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ops/elementwise.h"
#include "ops/likelihood.h"
#include "tensor/tensor.h"

namespace exprae {

// One optimizer update of a whole parameter block.
struct UpdateStep {
    bool sgd = false;
    double lr = 1e-3;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // Adam
    double bias1 = 1.0, bias2 = 1.0;                // 1 - beta^t
    double momentum = 0.0;                          // SGD
    double weight_decay = 0.0;
    bool decoupled = false;                         // AdamW
    double grad_scale = 1.0;
    // > 0: the gradient is first scaled down to this global norm at most;
    // the backend computes the norm where the gradient lives, so a GPU
    // clips without a round trip to the host.
    double clip_norm = 0.0;
};

// The tensors of a count likelihood (see cpu/count_nll.h); undefined
// tensors are inputs the likelihood does not use or outputs nobody wants.
struct CountNllTensors {
    Tensor eta, log_theta, pi_logit, log_sf, x;  // log_theta rows x 1 or x n
    Tensor d_eta, d_log_theta, d_pi_logit;       // rows x n each
};

class Backend {
public:
    virtual ~Backend() = default;
    virtual Device device() const = 0;

    // ---- memory ----------------------------------------------------------
    virtual void* allocate(std::size_t bytes) = 0;
    virtual void release(void* ptr, std::size_t bytes) = 0;
    // dst <- src, same shape and dtype; either may be on the host.
    virtual void copy(const Tensor& dst, const Tensor& src) = 0;
    virtual void fill(const Tensor& t, double value) = 0;

    // ---- elementwise (same shapes) ---------------------------------------
    // y = f(x)
    virtual void unary_forward(const Unary& f, const Tensor& x,
                               const Tensor& y) = 0;
    // dx (+)= dy * f'(x, y)
    virtual void unary_backward(const Unary& f, const Tensor& x,
                                const Tensor& y, const Tensor& dy,
                                const Tensor& dx, bool acc) = 0;
    // out (+)= alpha * a
    virtual void axpy(double alpha, const Tensor& a, const Tensor& out,
                      bool acc) = 0;
    // out (+)= a * b
    virtual void multiply(const Tensor& a, const Tensor& b,
                          const Tensor& out, bool acc) = 0;

    // ---- columns and matrices --------------------------------------------
    // z (rows x n) += b (rows x 1) in every column, then y = f(z) (y may
    // be z): a dense layer's bias and activation in one pass.
    virtual void bias_activation(const Unary& f, const Tensor& b,
                                 const Tensor& z, const Tensor& y) = 0;
    // out (rows x 1) (+)= sum over the columns of x (rows x n)
    virtual void row_sums(const Tensor& x, const Tensor& out, bool acc) = 0;
    // Rows [offset, offset + part.rows()) of whole <-> part; to_part picks
    // the direction, acc adds (to_part only).
    virtual void copy_rows(const Tensor& whole, index_t offset,
                           const Tensor& part, bool to_part, bool acc) = 0;
    // c = alpha op(a) op(b) + beta c (BLAS conventions, contiguous tensors)
    virtual void gemm(bool trans_a, bool trans_b, double alpha,
                      const Tensor& a, const Tensor& b, double beta,
                      const Tensor& c) = 0;

    // ---- scalar results (1 x 1 tensors that stay on the device) ----------
    // out = factor * sum(x)
    virtual void sum_all(const Tensor& x, double factor,
                         const Tensor& out) = 0;
    // out (+)= factor * s * a, s a 1 x 1 tensor (a loss's gradient)
    virtual void scaled_axpy(const Tensor& s, double factor, const Tensor& a,
                             const Tensor& out, bool acc) = 0;
    // dx (+)= factor * s everywhere
    virtual void broadcast_scalar(const Tensor& s, double factor,
                                  const Tensor& dx, bool acc) = 0;
    // out = mean((p - t)^2); dp (+)= 2 (p - t) dy / size
    virtual void mse_forward(const Tensor& p, const Tensor& t,
                             const Tensor& out) = 0;
    virtual void mse_backward(const Tensor& p, const Tensor& t,
                              const Tensor& dy, const Tensor& dp,
                              bool acc) = 0;
    // out = 0.5 sum(exp(lv) + mu^2 - 1 - lv) / cols;
    // dmu (+)= dy mu / cols; dlv (+)= dy 0.5 (exp(lv) - 1) / cols
    virtual void kl_forward(const Tensor& mu, const Tensor& lv,
                            const Tensor& out) = 0;
    virtual void kl_logvar_backward(const Tensor& lv, const Tensor& dy,
                                    const Tensor& dlv, bool acc) = 0;
    // out = mean element NLL; fills the requested derivatives (cpu/
    // count_nll.h has the math)
    virtual void count_nll(Likelihood lk, const CountNllTensors& t,
                           const Tensor& out) = 0;
    // out (1 x 1, float64) = sum(g^2)
    virtual void sum_squares(const Tensor& g, const Tensor& out) = 0;

    // ---- random numbers (random/philox.h, identical on every device) -----
    // mask[i] = 1 / (1 - rate) if uniform(counter * 2^32 + i) >= rate else 0
    virtual void dropout_mask(std::uint64_t seed, std::uint64_t counter,
                              double rate, const Tensor& mask) = 0;
    // out[k] = normal(base + k) of the (seed, stream) Philox stream
    virtual void normal(std::uint64_t seed, std::uint64_t stream,
                        std::uint64_t base, const Tensor& out) = 0;

    // ---- normalisation (x: features x n) ---------------------------------
    // Per-feature statistics over the batch (training: updates the running
    // ones with momentum, the variance unbiased) or the running ones;
    // xhat = (x - mean) inv_std, y = gamma xhat + beta.
    virtual void batch_norm_forward(const Tensor& x, const Tensor& gamma,
                                    const Tensor& beta,
                                    const Tensor& running_mean,
                                    const Tensor& running_var, bool training,
                                    double momentum, double eps,
                                    const Tensor& inv_std, const Tensor& xhat,
                                    const Tensor& y) = 0;
    // Gradients into dx, dgamma, dbeta; undefined ones are skipped.
    virtual void batch_norm_backward(const Tensor& dy, const Tensor& xhat,
                                     const Tensor& inv_std,
                                     const Tensor& gamma, bool batch_stats,
                                     const Tensor& dx, bool acc_dx,
                                     const Tensor& dgamma, bool acc_gamma,
                                     const Tensor& dbeta, bool acc_beta) = 0;
    // Per-sample statistics over the features; inv_std is 1 x n.
    virtual void layer_norm_forward(const Tensor& x, const Tensor& gamma,
                                    const Tensor& beta, double eps,
                                    const Tensor& xhat, const Tensor& inv_std,
                                    const Tensor& y) = 0;
    virtual void layer_norm_backward_input(const Tensor& dy,
                                           const Tensor& xhat,
                                           const Tensor& inv_std,
                                           const Tensor& gamma,
                                           const Tensor& dx, bool acc) = 0;

    // ---- optimizer -------------------------------------------------------
    // One fused update of the block w with gradient g; m is Adam's first
    // moment or SGD's velocity, v Adam's second moment (undefined for SGD).
    virtual void optimizer_update(const UpdateStep& s, const Tensor& w,
                                  const Tensor& g, const Tensor& m,
                                  const Tensor& v) = 0;

    // ---- training data ---------------------------------------------------
    // Host tensors of one minibatch -> tensors on this device. The CUDA
    // backend copies them through pinned memory on a copy stream while the
    // previous step computes; end_step() marks where the step's work ends,
    // so that its buffers are reused only once the step is done.
    virtual std::vector<Tensor> upload_batch(
        const std::vector<Tensor>& host) = 0;
    virtual void end_step() {}
};

// The backend of a device; the CUDA one throws where it is not built in
// or no GPU can be used.
Backend& backend_for(Device device);
inline Backend& backend_for(const Tensor& t) {
    return backend_for(t.device());
}

// What the CUDA side of this build can do, for cudaAvailable() and the
// device list of the R layer.
struct CudaDeviceInfo {
    int index = 0;
    std::string name;
    double memory_bytes = 0, free_bytes = 0;
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

// Thrown when the GPU's memory is exhausted even after the cache of freed
// blocks was emptied; the R glue gives it its own error class.
class DeviceOutOfMemory : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace exprae
