// The sequence loop that gru (ops/gru.cpp) and lstm (ops/lstm.cpp) share:
// one op per layer and minibatch, forward and backward through time, one
// tape record for the whole sequence. Per direction:
//   forward:  XP = W_input x            one GEMM over all L n columns
//             per step s (position p), the kernels' forward_step:
//               HP = W_hidden h_s  (GEMM, G H x n), the fused gate kernel
//   backward: per step, last to first, the kernels' backward_step:
//               the fused gate-gradient kernel -> dXP(p), dHP(s), the
//               direct part of dh_prev (and dc),
//               dh_prev += W_hidden^T dHP(s)  (GEMM)
//             then over all steps at once:
//             dW_hidden += dHP h_prev^T   db_hidden += rowsum(dHP)
//             dW_input  += dXP x^T        db_input  += rowsum(dXP)
//             dx        += W_input^T dXP
// Layout: x stays as the caller gave it, (C, L, n). The GEMMs over all
// positions (XP, dW_input, dx) do not care in which order the L n columns
// come, so they run on x's own matrix view and XP, dXP are (G H, L, n);
// only the per-step GEMMs need a step's n columns contiguous, and their
// operands (states, dHP) are the op's own buffers, kept step-major
// (rows, n, L). The gate kernels read and write the strided position p of
// XP, dXP and the output directly: they touch each element once anyway, so
// this costs no transpose of x or of dx (math/recurrent.h has the layouts).
#include "ops/recurrent.h"

#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

namespace {

std::string shape_of(index_t rows, index_t cols) {
    return std::to_string(rows) + " x " + std::to_string(cols);
}

void check_matrix(const RecurrentCell& cell, const char* dir,
                  const char* what, const Tensor& t, index_t rows,
                  index_t cols, const char* meaning) {
    if (t.ndim() != 2 || t.rows() != rows || t.cols() != cols) {
        throw BadArgument(std::string(cell.op) + ": " + dir + " " + what +
                          " must be " + shape_of(rows, cols) + " (" +
                          meaning + "), got " + t.shape_string());
    }
}

// The hidden units of one direction's weights (w_hidden's columns), after
// checking every shape against them, x and the cell's gate count.
index_t check_direction(const RecurrentCell& cell, const Tensor& x,
                        const RecurrentWeights& w, const char* dir) {
    for (const Variable* v : {&w.w_input, &w.w_hidden, &w.b_input,
                              &w.b_hidden}) {
        if (!v->defined()) {
            throw BadArgument(std::string(cell.op) + ": the " + dir +
                              " direction's weights are not all set");
        }
        check_same_dtype(cell.op, x, v->value());
    }
    const Tensor& wh = w.w_hidden.value();
    index_t H = wh.ndim() == 2 ? wh.cols() : 0;
    std::string gh = std::to_string(cell.gates) + "*H";
    if (wh.ndim() != 2 || H < 1 || wh.rows() != cell.gates * H) {
        throw BadArgument(std::string(cell.op) + ": " + dir + " w_hidden " +
                          "must be (" + gh + ") x H, got " +
                          wh.shape_string());
    }
    index_t G = cell.gates * H;
    check_matrix(cell, dir, "w_input", w.w_input.value(), G, x.dim(0),
                 (gh + " x C, x " + x.shape_string()).c_str());
    check_matrix(cell, dir, "b_input", w.b_input.value(), G, 1,
                 (gh + " x 1").c_str());
    check_matrix(cell, dir, "b_hidden", w.b_hidden.value(), G, 1,
                 (gh + " x 1").c_str());
    return H;
}

index_t check_recurrent(const RecurrentCell& cell, const Tensor& x,
                        const RecurrentWeights& fw,
                        const RecurrentWeights* bw) {
    if (x.ndim() != 3 || x.dim(1) < 1) {
        throw BadArgument(std::string(cell.op) + ": x must be (channels, "
                          "positions, samples) with at least one position, "
                          "got " + x.shape_string());
    }
    index_t H = check_direction(cell, x, fw, "forward");
    if (bw == nullptr) return H;
    index_t Hb = check_direction(cell, x, *bw, "backward");
    if (Hb != H) {
        throw BadArgument(std::string(cell.op) + ": both directions need "
                          "the same hidden units; forward w_hidden " +
                          fw.w_hidden.value().shape_string() +
                          ", backward w_hidden " +
                          bw->w_hidden.value().shape_string());
    }
    return H;
}

bool wants_grad(const RecurrentWeights& w) {
    return w.w_input.requires_grad() || w.w_hidden.requires_grad() ||
           w.b_input.requires_grad() || w.b_hidden.requires_grad();
}

// One direction: its weights, where its rows and positions go, and what
// its forward pass keeps for backward.
struct Direction {
    RecurrentWeights w;
    bool reverse = false;
    index_t offset = 0;  // its first row of the output
    Tensor saved, states, cells;
};

// The step arguments every step of a direction shares.
RecurrentStep step_frame(const Tensor& x, index_t H, index_t out_rows,
                         const Direction& d) {
    RecurrentStep st;
    st.hidden = H;
    st.positions = x.dim(1);
    st.samples = x.dim(2);
    st.out_rows = out_rows;
    st.out_offset = d.offset;
    st.w_hidden = d.w.w_hidden.value();
    st.b_input = d.w.b_input.value();
    st.b_hidden = d.w.b_hidden.value();
    st.saved = d.saved;
    st.states = d.states;
    st.cells = d.cells;
    return st;
}

void set_step(RecurrentStep& st, const Direction& d, index_t s) {
    st.step = s;
    st.position = d.reverse ? st.positions - 1 - s : s;
}

// (rows, n, blocks), block 0 zero when `zero_first`
Tensor step_major(index_t rows, index_t n, index_t blocks, const Tensor& x,
                  bool zero_first) {
    Tensor t = Tensor::empty(Shape{rows, n, blocks}, x.dtype(), x.device());
    if (zero_first) backend_for(x).fill(t.view(0, rows, n), 0.0);
    return t;
}

void forward_direction(const RecurrentCell& cell, Direction& d,
                       const Tensor& x, bool keep, const Tensor& y,
                       bool sequences) {
    Backend& be = backend_for(x);
    const Tensor& wh = d.w.w_hidden.value();
    index_t H = wh.cols(), G = cell.gates * H;
    index_t L = x.dim(1), n = x.dim(2);
    d.states = step_major(H, n, L + 1, x, true);
    if (cell.cell_state) d.cells = step_major(H, n, L + 1, x, true);
    if (keep) d.saved = step_major(cell.saved_gates * H, n, L, x, false);
    RecurrentStep st = step_frame(x, H, y.rows(), d);
    st.xp = Tensor::empty(Shape{G, L, n}, x.dtype(), x.device());
    be.gemm(false, false, 1.0, d.w.w_input.value(), x, 0.0, st.xp);
    st.hp = Tensor::empty(G, n, x.dtype(), x.device());
    if (sequences) st.out = y;
    const auto& k = kernels<RecurrentKernels>(cell.op, x.device());
    for (index_t s = 0; s < L; ++s) {
        set_step(st, d, s);
        k.forward_step(st);
    }
    if (!sequences)
        be.copy_rows(y, d.offset, d.states.view(L * H * n, H, n), false,
                     false);
}

// v's gradient (+)= op(a) op(b)
void add_product(const Variable& v, bool ta, bool tb, const Tensor& a,
                 const Tensor& b) {
    if (!v.requires_grad()) return;
    bool acc = false;
    Tensor& g = v.grad_target(&acc);
    backend_for(a).gemm(ta, tb, 1.0, a, b, acc ? 1.0 : 0.0, g);
}

void add_row_sums(const Variable& v, const Tensor& a) {
    if (!v.requires_grad()) return;
    bool acc = false;
    Tensor& g = v.grad_target(&acc);
    backend_for(a).row_sums(a, g, acc);
}

void backward_direction(const RecurrentCell& cell, const Direction& d,
                        const Variable& x, const Tensor& dy,
                        bool sequences) {
    const Tensor& xv = x.value();
    Backend& be = backend_for(xv);
    const Tensor& wh = d.w.w_hidden.value();
    index_t H = wh.cols(), G = cell.gates * H;
    index_t L = xv.dim(1), n = xv.dim(2);
    RecurrentStep st = step_frame(xv, H, dy.rows(), d);
    st.dxp = Tensor::empty(Shape{G, L, n}, xv.dtype(), xv.device());
    st.dhp = Tensor::empty(Shape{G, n, L}, xv.dtype(), xv.device());
    st.dh = Tensor::empty(H, n, xv.dtype(), xv.device());
    if (sequences) {
        st.dy_seq = dy;
        be.fill(st.dh, 0.0);
    } else {
        be.copy_rows(dy, d.offset, st.dh, true, false);
    }
    if (cell.cell_state) {
        st.dc = Tensor::empty(H, n, xv.dtype(), xv.device());
        be.fill(st.dc, 0.0);
    }
    const auto& k = kernels<RecurrentKernels>(cell.op, xv.device());
    for (index_t s = L - 1; s >= 0; --s) {
        set_step(st, d, s);
        k.backward_step(st);
    }
    Tensor dhp = st.dhp.view(0, G, n * L);
    add_product(d.w.w_hidden, false, true, dhp,
                d.states.view(0, H, n * L));
    add_row_sums(d.w.b_hidden, dhp);
    add_product(d.w.w_input, false, true, st.dxp, xv);
    add_row_sums(d.w.b_input, st.dxp);
    add_product(x, true, false, d.w.w_input.value(), st.dxp);
}

}  // namespace

Variable recurrent(const RecurrentCell& cell, const Variable& x,
                   const RecurrentWeights& forward,
                   const RecurrentWeights* backward,
                   const RecurrentOptions& opt) {
    const Tensor& xv = x.value();
    index_t H = check_recurrent(cell, xv, forward, backward);
    std::vector<Direction> dirs(backward ? 2 : 1);
    dirs[0].w = forward;
    if (backward) {
        dirs[1].w = *backward;
        dirs[1].reverse = true;
        dirs[1].offset = H;
    }
    index_t rows = H * static_cast<index_t>(dirs.size());
    bool seq = opt.return_sequences;
    Tensor y = seq ? Tensor::empty(Shape{rows, xv.dim(1), xv.dim(2)},
                                   xv.dtype(), xv.device())
                   : Tensor::empty(rows, xv.dim(2), xv.dtype(), xv.device());
    bool needs = x.requires_grad() || wants_grad(forward) ||
                 (backward && wants_grad(*backward));
    Tape& tape = Tape::current();
    bool keep = needs && tape.enabled();
    for (Direction& d : dirs) forward_direction(cell, d, xv, keep, y, seq);
    Variable out(y, needs);
    if (!keep) return out;
    tape.record([cell, x, dirs, out, seq]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        for (const Direction& d : dirs)
            backward_direction(cell, d, x, dy, seq);
    });
    return out;
}

}  // namespace exprae
