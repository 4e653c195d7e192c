// The CPU kernels of a recurrent op's time step, for any cell of
// math/recurrent.h (rnn::GruCell, rnn::LstmCell): one step's GEMM and
// fused gate math. A sample's gates need only its own column of W_hidden
// h (and give only their own column of dh), so each thread takes a block
// of samples and does both, the GEMM on its columns: one parallel region
// per step, no barrier between the product and the gates. cpu/gru.cpp and
// cpu/lstm.cpp register them for their cell.
#pragma once

#include <algorithm>

#include "backend/backend.h"
#include "cpu/parallel.h"
#include "ops/recurrent.h"

namespace exprae {
namespace cpu {

// Samples per thread in one step. A step is small (a GRU of 32 units on
// 128 samples: 0.4 M multiply-adds, some 20 microseconds), and a model
// runs hundreds of them per minibatch, each a fork and join of the
// threads: on a machine whose cores are busy, OpenMP's spinning threads
// then wait for each other at every step (20-100x slower, bench/
// sequence.R). So a step is split only when each thread gets about a
// million multiply-adds (rows = G H gates by H, per sample).
inline index_t step_grain(index_t H, index_t rows) {
    return std::max<index_t>(1, (index_t{1} << 20) /
                                    std::max<index_t>(1, rows * H));
}

// Columns [lo, hi) of a step's (rows x n) block of a step-major buffer.
inline Tensor step_columns(const Tensor& t, index_t rows, index_t n,
                           index_t s, index_t lo, index_t hi) {
    return t.view(rows * (lo + n * s), rows, hi - lo);
}

template <typename Cell>
void recurrent_forward_step(const RecurrentStep& st) {
    Backend& be = backend_for(Device::cpu);
    index_t H = st.hidden, G = st.w_hidden.rows(), n = st.samples;
    dispatch(st.states.dtype(), [&](auto tag) {
        using T = decltype(tag);
        rnn::StepData<T> d = step_data<T>(st);
        index_t grain = step_grain(H, G);
        cpu::parallel_for(n, grain, [&](index_t lo, index_t hi) {
            be.gemm(false, false, 1.0, st.w_hidden,
                    step_columns(st.states, H, n, st.step, lo, hi), 0.0,
                    step_columns(st.hp, G, n, 0, lo, hi));
            for (index_t j = lo; j < hi; ++j)
                for (index_t k = 0; k < H; ++k) Cell::forward(d, k, j);
        });
    });
}

template <typename Cell>
void recurrent_backward_step(const RecurrentStep& st) {
    Backend& be = backend_for(Device::cpu);
    index_t H = st.hidden, G = st.w_hidden.rows(), n = st.samples;
    dispatch(st.states.dtype(), [&](auto tag) {
        using T = decltype(tag);
        rnn::StepData<T> d = step_data<T>(st);
        index_t grain = step_grain(H, G);
        cpu::parallel_for(n, grain, [&](index_t lo, index_t hi) {
            for (index_t j = lo; j < hi; ++j)
                for (index_t k = 0; k < H; ++k) Cell::backward(d, k, j);
            if (st.step == 0) return;
            be.gemm(true, false, 1.0, st.w_hidden,
                    step_columns(st.dhp, G, n, st.step, lo, hi), 1.0,
                    step_columns(st.dh, H, n, 0, lo, hi));
        });
    });
}

}  // namespace cpu
}  // namespace exprae
