// The CUDA kernels of a recurrent op's time step, for any cell of
// math/recurrent.h: one step's GEMM (cuBLAS, through the backend) and
// fused gate or gate-gradient math, one thread per hidden unit and
// sample; each thread owns its outputs (no sums, so results repeat bit
// for bit). cuda/gru.cu and cuda/lstm.cu register them for their cell.
#pragma once

#include "backend/backend.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/recurrent.h"

namespace exprae {
namespace cuda {

template <typename Cell>
__global__ void step_forward_kernel(rnn::StepData<float> d) {
    EXPRAE_GRID_STRIDE(i, d.H * d.n) Cell::forward(d, i % d.H, i / d.H);
}

template <typename Cell>
__global__ void step_backward_kernel(rnn::StepData<float> d) {
    EXPRAE_GRID_STRIDE(i, d.H * d.n) Cell::backward(d, i % d.H, i / d.H);
}

// f32() throws for float64 tensors: the CUDA backend computes in float32.
inline rnn::StepData<float> device_step(const RecurrentStep& st) {
    f32(st.states);
    return step_data<float>(st);
}

template <typename Cell>
void recurrent_forward_step(const RecurrentStep& st) {
    index_t size = st.hidden * st.samples;
    if (size == 0) return;
    index_t H = st.hidden, n = st.samples;
    backend_for(Device::cuda)
        .gemm(false, false, 1.0, st.w_hidden,
              st.states.view(H * n * st.step, H, n), 0.0, st.hp);
    step_forward_kernel<Cell>
        <<<blocks_for(size), kThreads, 0, compute_stream()>>>(
            device_step(st));
    CUDA_CHECK_LAUNCH();
}

template <typename Cell>
void recurrent_backward_step(const RecurrentStep& st) {
    index_t size = st.hidden * st.samples;
    if (size == 0) return;
    step_backward_kernel<Cell>
        <<<blocks_for(size), kThreads, 0, compute_stream()>>>(
            device_step(st));
    CUDA_CHECK_LAUNCH();
    // The initial state is a constant: no gradient before step 0.
    if (st.step == 0) return;
    index_t G = st.w_hidden.rows(), n = st.samples;
    backend_for(Device::cuda)
        .gemm(true, false, 1.0, st.w_hidden,
              st.dhp.view(G * n * st.step, G, n), 1.0, st.dh);
}

}  // namespace cuda
}  // namespace exprae
