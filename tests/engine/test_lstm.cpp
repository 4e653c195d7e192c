// lstm over a whole sequence (x: channels x positions x samples), uni- and
// bidirectional, the last state or every position's, against PyTorch's
// formulas written out step by step below.
#include <cmath>
#include <string>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/lstm.h"

namespace exprae {
namespace {

using test::OpFn;

constexpr index_t kGates = 4;

// One direction's w_input, w_hidden, b_input, b_hidden.
std::vector<Tensor> direction(index_t C, index_t H, std::uint64_t seed) {
    return {test::normal(kGates * H, C, seed, 0.0, 0.5),
            test::normal(kGates * H, H, seed + 1, 0.0, 0.5),
            test::normal(kGates * H, 1, seed + 2, 0.0, 0.5),
            test::normal(kGates * H, 1, seed + 3, 0.0, 0.5)};
}

// x, the forward direction's four weights, then (bidirectional) the
// backward direction's.
std::vector<Tensor> inputs(index_t C, index_t H, index_t L, index_t n,
                           bool bidirectional, std::uint64_t seed) {
    std::vector<Tensor> in = {test::normal(Shape{C, L, n}, seed)};
    for (int d = 0; d < (bidirectional ? 2 : 1); ++d) {
        for (const Tensor& t : direction(C, H, seed + 10 * (d + 1)))
            in.push_back(t);
    }
    return in;
}

RecurrentWeights weights(const std::vector<Variable>& v, int d) {
    return {v[1 + 4 * d], v[2 + 4 * d], v[3 + 4 * d], v[4 + 4 * d]};
}

OpFn lstm_op(bool bidirectional, bool sequences) {
    return [=](const std::vector<Variable>& v) {
        RecurrentWeights fw = weights(v, 0);
        RecurrentWeights bw = bidirectional ? weights(v, 1) : fw;
        RecurrentOptions opt;
        opt.return_sequences = sequences;
        return lstm(v[0], fw, bidirectional ? &bw : nullptr, opt);
    };
}

double sig(double a) { return 1.0 / (1.0 + std::exp(-a)); }

// PyTorch's LSTM, one sample and one position at a time; the output in
// column-major order: (rows, L, n) or rows x n.
std::vector<double> reference(const std::vector<Tensor>& in,
                              bool sequences) {
    const Tensor& x = in[0];
    index_t C = x.dim(0), L = x.dim(1), n = x.dim(2);
    index_t H = in[2].dim(1);
    int dirs = in.size() > 5 ? 2 : 1;
    index_t R = dirs * H;
    std::vector<double> out(sequences ? R * L * n : R * n);
    for (int d = 0; d < dirs; ++d) {
        const Tensor &wi = in[1 + 4 * d], &wh = in[2 + 4 * d],
                     &bi = in[3 + 4 * d], &bh = in[4 + 4 * d];
        for (index_t j = 0; j < n; ++j) {
            std::vector<double> h(H, 0.0), c(H, 0.0);
            for (index_t s = 0; s < L; ++s) {
                index_t p = d == 0 ? s : L - 1 - s;
                std::vector<double> a(4 * H);
                for (index_t q = 0; q < 4 * H; ++q) {
                    a[q] = bi.at(q) + bh.at(q);
                    for (index_t ch = 0; ch < C; ++ch)
                        a[q] += wi.at(q, ch) * x.at(ch + C * (p + L * j));
                    for (index_t k = 0; k < H; ++k) a[q] += wh.at(q, k) * h[k];
                }
                for (index_t k = 0; k < H; ++k) {
                    double i = sig(a[k]), f = sig(a[H + k]);
                    double g = std::tanh(a[2 * H + k]), o = sig(a[3 * H + k]);
                    c[k] = f * c[k] + i * g;
                    h[k] = o * std::tanh(c[k]);
                    if (sequences) out[d * H + k + R * (p + L * j)] = h[k];
                }
            }
            if (!sequences)
                for (index_t k = 0; k < H; ++k) out[d * H + k + R * j] = h[k];
        }
    }
    return out;
}

void expect_forward(index_t L, bool bidirectional, bool sequences) {
    std::vector<Tensor> in64 = inputs(3, 4, L, 3, bidirectional, 5 + L);
    std::vector<double> want = reference(in64, sequences);
    index_t R = bidirectional ? 8 : 4;
    std::string shape = sequences
        ? std::to_string(R) + " x " + std::to_string(L) + " x 3"
        : std::to_string(R) + " x 3";
    for (DType dt : {DType::f64, DType::f32}) {
        std::vector<Variable> v;
        for (const Tensor& t : in64) v.emplace_back(test::to_dtype(t, dt));
        Tensor y = lstm_op(bidirectional, sequences)(v).value();
        ASSERT_EQ(y.shape_string(), shape);
        EXPECT_EQ(y.dtype(), dt);
        std::string what = std::string(dtype_name(dt)) + " L=" +
                           std::to_string(L) +
                           (bidirectional ? " bidirectional" : "") +
                           (sequences ? " sequences" : " last");
        test::expect_matches(
            y, [&](index_t i, index_t j) { return want[i + y.rows() * j]; },
            dt == DType::f64 ? 1e-12 : 1e-5, what);
    }
}

TEST(Lstm, ForwardMatchesReference) {
    for (index_t L : {1, 6})
        for (bool bi : {false, true})
            for (bool seq : {false, true}) expect_forward(L, bi, seq);
}

// The last state is the sequence's last position (forward rows) and its
// first (backward rows), as PyTorch's h_n.
TEST(Lstm, LastStateIsTheSequenceEnds) {
    std::vector<Tensor> in = inputs(2, 3, 4, 2, true, 77);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    Tensor last = lstm_op(true, false)(v).value();
    Tensor seq = lstm_op(true, true)(v).value();
    for (index_t j = 0; j < 2; ++j) {
        for (index_t k = 0; k < 3; ++k) {
            EXPECT_EQ(last.at(k, j), seq.at(k + 6 * (3 + 4 * j)));
            EXPECT_EQ(last.at(3 + k, j), seq.at(3 + k + 6 * (0 + 4 * j)));
        }
    }
}

TEST(Lstm, RecordsOneBackwardAndNoneWithoutGrad) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, true, 3);
    Tape::current().clear();
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t, true);
    Variable y = lstm_op(true, true)(v);
    EXPECT_EQ(Tape::current().size(), 1u);
    Tape::current().clear();
    {
        NoGradGuard guard;
        Variable z = lstm_op(true, true)(v);
        EXPECT_EQ(Tape::current().size(), 0u);
        EXPECT_TRUE(test::same_bits(z.value(), y.value()));
    }
}

TEST(Lstm, Gradcheck) {
    for (bool bi : {false, true}) {
        for (bool seq : {false, true}) {
            std::vector<Tensor> in = inputs(3, 4, 5, 2, bi, bi ? 41 : 31);
            std::vector<bool> rg(in.size(), true);
            std::string name = std::string("lstm") +
                               (bi ? " bidirectional" : "") +
                               (seq ? " sequences" : " last");
            test::expect_gradcheck(name, lstm_op(bi, seq), in, rg);
        }
    }
}

TEST(Lstm, GradcheckLengthOneAndWeightsOnly) {
    std::vector<Tensor> in = inputs(3, 4, 1, 2, true, 51);
    std::vector<bool> rg(in.size(), true);
    test::expect_gradcheck("lstm L=1", lstm_op(true, false), in, rg);
    rg[0] = false;
    in = inputs(3, 4, 5, 2, true, 52);
    test::expect_gradcheck("lstm weights only", lstm_op(true, true), in, rg);
}

TEST(Lstm, Float32BackwardMatchesFloat64) {
    for (bool bi : {false, true}) {
        std::vector<Tensor> in = inputs(5, 6, 9, 4, bi, 61);
        std::vector<bool> rg(in.size(), true);
        test::expect_float32_backward(lstm_op(bi, true), in, rg, 1e-4);
        test::expect_float32_backward(lstm_op(bi, false), in, rg, 1e-4);
    }
}

// The BadArgument of a call whose message must contain every `parts`.
void expect_bad(const std::function<void()>& call,
                std::initializer_list<const char*> parts) {
    try {
        call();
        ADD_FAILURE() << "no BadArgument";
    } catch (const BadArgument& e) {
        std::string msg = e.what();
        for (const char* p : parts)
            EXPECT_NE(msg.find(p), std::string::npos) << msg << " / " << p;
    }
}

TEST(Lstm, ShapeErrorsThrow) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, true, 71);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    RecurrentWeights fw = weights(v, 0), bw = weights(v, 1);
    RecurrentOptions opt;
    EXPECT_NO_THROW(lstm(v[0], fw, &bw, opt));
    // x of 2 dimensions
    Variable x2(Tensor::zeros(3, 10, DType::f64));
    expect_bad([&] { lstm(x2, fw, nullptr, opt); }, {"lstm", "3 x 10"});
    // w_input of the wrong columns: 16 x 2 where 16 x 3 is wanted
    RecurrentWeights bad = fw;
    bad.w_input = Variable(Tensor::zeros(16, 2, DType::f64));
    expect_bad([&] { lstm(v[0], bad, nullptr, opt); },
               {"lstm", "w_input", "16 x 3", "16 x 2"});
    // w_hidden of GRU shape (12 x 4)
    bad = fw;
    bad.w_hidden = Variable(Tensor::zeros(12, 4, DType::f64));
    expect_bad([&] { lstm(v[0], bad, nullptr, opt); },
               {"lstm", "w_hidden", "12 x 4"});
    bad = fw;
    bad.b_input = Variable(Tensor::zeros(16, 2, DType::f64));
    expect_bad([&] { lstm(v[0], bad, nullptr, opt); },
               {"b_input", "16 x 1", "16 x 2"});
    bad = fw;
    bad.b_hidden = Variable(Tensor::zeros(15, 1, DType::f64));
    expect_bad([&] { lstm(v[0], bad, nullptr, opt); },
               {"b_hidden", "16 x 1", "15 x 1"});
    // directions of different hidden units
    std::vector<Tensor> w5 = direction(3, 5, 72);
    RecurrentWeights other{Variable(w5[0]), Variable(w5[1]), Variable(w5[2]),
                           Variable(w5[3])};
    expect_bad([&] { lstm(v[0], fw, &other, opt); }, {"16 x 4", "20 x 5"});
    // a backward direction of the wrong shape
    bad = bw;
    bad.w_input = Variable(Tensor::zeros(16, 4, DType::f64));
    expect_bad([&] { lstm(v[0], fw, &bad, opt); }, {"backward", "16 x 4"});
    // no positions
    Variable x0(Tensor::zeros(Shape{3, 0, 2}, DType::f64));
    EXPECT_THROW(lstm(x0, fw, nullptr, opt), BadArgument);
}

TEST(Lstm, DtypeMismatchThrows) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, false, 81);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    RecurrentWeights fw = weights(v, 0);
    fw.w_hidden = Variable(test::to_dtype(in[2], DType::f32));
    EXPECT_THROW(lstm(v[0], fw, nullptr, RecurrentOptions()), BadArgument);
}

// float32 on both devices; the recurrence carries GEMM rounding through
// the positions, so the tolerance is a little above the default.
TEST(Lstm, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    for (bool bi : {false, true}) {
        for (bool seq : {false, true}) {
            std::vector<Tensor> in = inputs(4, 32, 17, 7, bi, 91);
            std::vector<bool> rg(in.size(), true);
            test::expect_op_parity(std::string("lstm") + (bi ? " bi" : "") +
                                       (seq ? " sequences" : " last"),
                                   lstm_op(bi, seq), in, rg, 1e-4);
        }
    }
}

}  // namespace
}  // namespace exprae
