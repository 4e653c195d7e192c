// The per-element math of one step of gru and lstm (ops/gru.cpp,
// ops/lstm.cpp), compiled for the CPU (cpu/gru.cpp, cpu/lstm.cpp) and the
// GPU (cuda/gru.cu, cuda/lstm.cu), so that both devices run one copy of the
// formulas. A step's kernel calls the element function for every hidden
// unit k and sample j; each call owns its outputs (no sums, no races).
//
// Layouts (column-major, first index fastest):
//   sample-major, as the caller's tensors: xp, dxp (G H, L, n), out and
//     dy_seq (out_rows, L, n): element (r, position p, sample j).
//   step-major, internal: saved (S H, n, L), dhp (G H, n, L), states and
//     cells (H, n, L + 1): element (r, sample j, step s), so that one step
//     is one contiguous (rows x n) block, the operand of the per-step GEMM.
//   states[., ., 0] = 0 (the initial state), states[., ., s + 1] = the
//     state after step s; cells the same for the LSTM's cell state.
#pragma once

#include <cmath>

#include "math/host_device.h"
#include "tensor/shape.h"

namespace exprae {
namespace rnn {

// Pointers of one direction at one step; a null pointer is "not wanted"
// (or, for dy_seq, a zero gradient). Plain data, passed by value to a GPU.
template <typename T>
struct StepData {
    index_t H = 0, n = 0, L = 0;  // hidden units, samples, positions
    index_t s = 0, p = 0;         // the step, and the position it reads
    index_t out_rows = 0, out_offset = 0;  // rows of out/dy_seq; ours start
    // forward
    const T* xp = nullptr;     // W_input x, all positions (no bias)
    const T* hp = nullptr;     // G H x n: W_hidden h_prev (no bias)
    const T* b_in = nullptr;   // G H
    const T* b_hid = nullptr;  // G H
    T* saved = nullptr;        // activations backward needs (null: none)
    T* states = nullptr;
    T* cells = nullptr;        // LSTM only
    T* out = nullptr;          // every position's state (null: not asked)
    // backward
    const T* dy_seq = nullptr;  // gradient of out (return_sequences)
    T* dh = nullptr;   // H x n: d(state after step s) in, d(state before) out
    T* dc = nullptr;   // H x n: the same for the LSTM's cell state
    T* dxp = nullptr;  // gradient of the input pre-activations
    T* dhp = nullptr;  // gradient of the hidden products (W_hidden h_prev)

    EXPRAE_HD index_t seq(index_t r, index_t j) const {  // sample-major
        return r + out_rows * (p + L * j);
    }
    EXPRAE_HD index_t gate_in(index_t g, index_t rows, index_t k,
                              index_t j) const {  // xp, dxp
        return g * H + k + rows * (p + L * j);
    }
    EXPRAE_HD index_t gate_step(index_t g, index_t rows, index_t k,
                                index_t j) const {  // saved, dhp
        return g * H + k + rows * (j + n * s);
    }
    EXPRAE_HD index_t state(index_t k, index_t j, index_t block) const {
        return k + H * (j + n * block);
    }
};

// Each a single exp, branch-free: std::tanh costs several times as much
// on the CPU (glibc's tanhf goes through expm1f), and these are most of a
// step's elementwise work. An overflowing exp gives inf, and the formulas
// then their limits (0 and -1), never NaN; near 0 the tanh is exact to an
// absolute rounding error of 1, all a gate's value needs.
template <typename T> EXPRAE_HD T sigmoid(T x) {
    return T(1) / (T(1) + std::exp(-x));
}
template <typename T> EXPRAE_HD T tanh(T x) {
    return T(2) / (T(1) + std::exp(T(-2) * x)) - T(1);
}

// ---- GRU (gates r, z, n; saved: r, z, n, hn = W_hn h + b_hn) ------------

template <typename T>
EXPRAE_HD void gru_forward(const StepData<T>& d, index_t k, index_t j) {
    const index_t G = 3 * d.H;
    T a[3], b[3];
    for (index_t g = 0; g < 3; ++g) {
        a[g] = d.xp[d.gate_in(g, G, k, j)] + d.b_in[g * d.H + k];
        b[g] = d.hp[g * d.H + k + G * j] + d.b_hid[g * d.H + k];
    }
    T r = sigmoid(a[0] + b[0]);
    T z = sigmoid(a[1] + b[1]);
    T nn = rnn::tanh(a[2] + r * b[2]);
    T h = d.states[d.state(k, j, d.s)];
    T h_new = (T(1) - z) * nn + z * h;
    d.states[d.state(k, j, d.s + 1)] = h_new;
    if (d.out) d.out[d.seq(d.out_offset + k, j)] = h_new;
    if (d.saved) {
        const index_t S = 4 * d.H;
        d.saved[d.gate_step(0, S, k, j)] = r;
        d.saved[d.gate_step(1, S, k, j)] = z;
        d.saved[d.gate_step(2, S, k, j)] = nn;
        d.saved[d.gate_step(3, S, k, j)] = b[2];
    }
}

// dh' (the state's gradient, carried plus this position's output's) ->
// the pre-activation gradients and the direct part of dh_prev, dh' z; the
// caller adds W_hidden^T dhp by GEMM.
template <typename T>
EXPRAE_HD void gru_backward(const StepData<T>& d, index_t k, index_t j) {
    const index_t G = 3 * d.H, S = 4 * d.H;
    T dh = d.dh[k + d.H * j];
    if (d.dy_seq) dh += d.dy_seq[d.seq(d.out_offset + k, j)];
    T r = d.saved[d.gate_step(0, S, k, j)];
    T z = d.saved[d.gate_step(1, S, k, j)];
    T nn = d.saved[d.gate_step(2, S, k, j)];
    T hn = d.saved[d.gate_step(3, S, k, j)];
    T h = d.states[d.state(k, j, d.s)];
    T dn = dh * (T(1) - z) * (T(1) - nn * nn);
    T dz = dh * (h - nn) * z * (T(1) - z);
    T dr = dn * hn * r * (T(1) - r);
    d.dxp[d.gate_in(0, G, k, j)] = dr;
    d.dxp[d.gate_in(1, G, k, j)] = dz;
    d.dxp[d.gate_in(2, G, k, j)] = dn;
    d.dhp[d.gate_step(0, G, k, j)] = dr;
    d.dhp[d.gate_step(1, G, k, j)] = dz;
    d.dhp[d.gate_step(2, G, k, j)] = dn * r;
    d.dh[k + d.H * j] = dh * z;
}

// ---- LSTM (gates i, f, g, o; saved: i, f, g, o) --------------------------

template <typename T>
EXPRAE_HD void lstm_forward(const StepData<T>& d, index_t k, index_t j) {
    const index_t G = 4 * d.H;
    T a[4];
    for (index_t g = 0; g < 4; ++g) {
        a[g] = d.xp[d.gate_in(g, G, k, j)] + d.b_in[g * d.H + k] +
               d.hp[g * d.H + k + G * j] + d.b_hid[g * d.H + k];
    }
    T i = sigmoid(a[0]), f = sigmoid(a[1]), g = rnn::tanh(a[2]),
      o = sigmoid(a[3]);
    T c = f * d.cells[d.state(k, j, d.s)] + i * g;
    T h_new = o * rnn::tanh(c);
    d.cells[d.state(k, j, d.s + 1)] = c;
    d.states[d.state(k, j, d.s + 1)] = h_new;
    if (d.out) d.out[d.seq(d.out_offset + k, j)] = h_new;
    if (d.saved) {
        d.saved[d.gate_step(0, G, k, j)] = i;
        d.saved[d.gate_step(1, G, k, j)] = f;
        d.saved[d.gate_step(2, G, k, j)] = g;
        d.saved[d.gate_step(3, G, k, j)] = o;
    }
}

// dh', dc' -> the pre-activation gradients (the same for both products),
// dc = dc' f and dh = 0 (the caller adds W_hidden^T dhp by GEMM).
template <typename T>
EXPRAE_HD void lstm_backward(const StepData<T>& d, index_t k, index_t j) {
    const index_t G = 4 * d.H;
    T dh = d.dh[k + d.H * j];
    if (d.dy_seq) dh += d.dy_seq[d.seq(d.out_offset + k, j)];
    T i = d.saved[d.gate_step(0, G, k, j)];
    T f = d.saved[d.gate_step(1, G, k, j)];
    T g = d.saved[d.gate_step(2, G, k, j)];
    T o = d.saved[d.gate_step(3, G, k, j)];
    T tc = rnn::tanh(d.cells[d.state(k, j, d.s + 1)]);
    T c_prev = d.cells[d.state(k, j, d.s)];
    T dc = d.dc[k + d.H * j] + dh * o * (T(1) - tc * tc);
    T pre[4] = {dc * g * i * (T(1) - i), dc * c_prev * f * (T(1) - f),
                dc * i * (T(1) - g * g), dh * tc * o * (T(1) - o)};
    for (index_t q = 0; q < 4; ++q) {
        d.dxp[d.gate_in(q, G, k, j)] = pre[q];
        d.dhp[d.gate_step(q, G, k, j)] = pre[q];
    }
    d.dc[k + d.H * j] = dc * f;
    d.dh[k + d.H * j] = T(0);
}

// The cells by name, for the step kernels both devices share
// (cpu/recurrent_kernels.h, cuda/recurrent_kernels.cuh): what differs
// between gru and lstm is only which of the functions above a thread runs.
struct GruCell {
    template <typename T>
    EXPRAE_HD static void forward(const StepData<T>& d, index_t k,
                                  index_t j) {
        gru_forward(d, k, j);
    }
    template <typename T>
    EXPRAE_HD static void backward(const StepData<T>& d, index_t k,
                                   index_t j) {
        gru_backward(d, k, j);
    }
};

struct LstmCell {
    template <typename T>
    EXPRAE_HD static void forward(const StepData<T>& d, index_t k,
                                  index_t j) {
        lstm_forward(d, k, j);
    }
    template <typename T>
    EXPRAE_HD static void backward(const StepData<T>& d, index_t k,
                                   index_t j) {
        lstm_backward(d, k, j);
    }
};

}  // namespace rnn
}  // namespace exprae
