// lstm's CUDA kernels (ops/lstm.h): one step's GEMM (cuBLAS, through the
// backend) and fused gate or gate-gradient math (math/recurrent.h), one
// thread per hidden unit and sample; each thread owns its outputs (no
// sums, so results repeat bit for bit).
#include "backend/backend.h"
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/recurrent.h"

namespace exprae {
namespace cuda {
namespace {

__global__ void lstm_forward_kernel(rnn::StepData<float> d) {
    EXPRAE_GRID_STRIDE(i, d.H * d.n) rnn::lstm_forward(d, i % d.H, i / d.H);
}

__global__ void lstm_backward_kernel(rnn::StepData<float> d) {
    EXPRAE_GRID_STRIDE(i, d.H * d.n) rnn::lstm_backward(d, i % d.H, i / d.H);
}

// f32() throws for float64 tensors: the CUDA backend computes in float32.
rnn::StepData<float> device_step(const RecurrentStep& st) {
    f32(st.states);
    return step_data<float>(st);
}

void forward_step(const RecurrentStep& st) {
    index_t size = st.hidden * st.samples;
    if (size == 0) return;
    index_t H = st.hidden, n = st.samples;
    backend_for(Device::cuda)
        .gemm(false, false, 1.0, st.w_hidden,
              st.states.view(H * n * st.step, H, n), 0.0, st.hp);
    lstm_forward_kernel<<<blocks_for(size), kThreads, 0, compute_stream()>>>(
        device_step(st));
    CUDA_CHECK_LAUNCH();
}

void backward_step(const RecurrentStep& st) {
    index_t size = st.hidden * st.samples;
    if (size == 0) return;
    lstm_backward_kernel<<<blocks_for(size), kThreads, 0, compute_stream()>>>(
        device_step(st));
    CUDA_CHECK_LAUNCH();
    // The initial state is a constant: no gradient before step 0.
    if (st.step == 0) return;
    index_t G = st.w_hidden.rows(), n = st.samples;
    backend_for(Device::cuda)
        .gemm(true, false, 1.0, st.w_hidden,
              st.dhp.view(G * n * st.step, G, n), 1.0, st.dh);
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(RecurrentKernels, "lstm", Device::cuda,
                        &cuda::forward_step, &cuda::backward_step);

}  // namespace exprae
