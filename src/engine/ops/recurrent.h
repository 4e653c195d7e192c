// What the recurrent ops gru (ops/gru.h) and lstm (ops/lstm.h) share: the
// weights of one direction, the options, and (below the public part) the
// kernels of one time step and the sequence loop of ops/recurrent.cpp.
#pragma once

#include "math/recurrent.h"
#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// One direction's weights, gates stacked in rows in PyTorch's order (GRU:
// r, z, n; LSTM: i, f, g, o), G = 3 (GRU) or 4 (LSTM):
struct RecurrentWeights {
    Variable w_input;   // (G*H) x C
    Variable w_hidden;  // (G*H) x H
    Variable b_input;   // (G*H) x 1
    Variable b_hidden;  // (G*H) x 1
};

struct RecurrentOptions {
    bool return_sequences = false;  // false: the last state (H or 2H) x n;
                                    // true: (H or 2H, L, n)
};

// ---- shared by gru and lstm, not for models -------------------------------

// One step of one direction, as the op hands it to a device's kernels:
// the tensors of math/recurrent.h's StepData (undefined: null there).
struct RecurrentStep {
    index_t hidden = 0, samples = 0, positions = 0;
    index_t step = 0, position = 0;
    index_t out_rows = 0, out_offset = 0;
    Tensor w_hidden;  // G H x H
    Tensor xp, hp, b_input, b_hidden, saved, states, cells, out;
    Tensor dy_seq, dh, dc, dxp, dhp;
};

// The raw pointers of a step, for a device's kernels (T: the dtype).
template <typename T>
rnn::StepData<T> step_data(const RecurrentStep& st) {
    auto p = [](const Tensor& t) {
        return t.defined() ? t.data<T>() : nullptr;
    };
    rnn::StepData<T> d;
    d.H = st.hidden;
    d.n = st.samples;
    d.L = st.positions;
    d.s = st.step;
    d.p = st.position;
    d.out_rows = st.out_rows;
    d.out_offset = st.out_offset;
    d.xp = p(st.xp);
    d.hp = p(st.hp);
    d.b_in = p(st.b_input);
    d.b_hid = p(st.b_hidden);
    d.saved = p(st.saved);
    d.states = p(st.states);
    d.cells = p(st.cells);
    d.out = p(st.out);
    d.dy_seq = p(st.dy_seq);
    d.dh = p(st.dh);
    d.dc = p(st.dc);
    d.dxp = p(st.dxp);
    d.dhp = p(st.dhp);
    return d;
}

// One step of one direction (math/recurrent.h has the formulas). gru and
// lstm register a set each under their own name (cpu/gru.cpp,
// cuda/gru.cu, ...). The step's GEMM is the kernels' too, so that the CPU
// can split it with the gates by samples, one parallel region per step.
struct RecurrentKernels {
    // hp = W_hidden h_s (states block s), then the fused gate kernel.
    void (*forward_step)(const RecurrentStep& step);
    // The fused gate-gradient kernel, then (step > 0: the initial state is
    // a constant) dh += W_hidden^T dhp_s.
    void (*backward_step)(const RecurrentStep& step);
};

// What tells the cells apart in the sequence loop.
struct RecurrentCell {
    const char* op;   // "gru" or "lstm": the kernels' name, and in errors
    int gates;        // G
    int saved_gates;  // rows of saved activations per step, in units of H
    bool cell_state;  // the LSTM's c
};

// The whole op (ops/recurrent.cpp); gru() and lstm() name their cell.
Variable recurrent(const RecurrentCell& cell, const Variable& x,
                   const RecurrentWeights& forward,
                   const RecurrentWeights* backward,
                   const RecurrentOptions& opt);

}  // namespace exprae
