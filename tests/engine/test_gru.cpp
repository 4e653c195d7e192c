// gru over a whole sequence (x: channels x positions x samples), uni- and
// bidirectional, the last state or every position's, against PyTorch's
// formulas written out step by step below.
#include <cmath>
#include <string>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/gru.h"

namespace exprae {
namespace {

using test::OpFn;

constexpr index_t kGates = 3;

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

OpFn gru_op(bool bidirectional, bool sequences) {
    return [=](const std::vector<Variable>& v) {
        RecurrentWeights fw = weights(v, 0);
        RecurrentWeights bw = bidirectional ? weights(v, 1) : fw;
        RecurrentOptions opt;
        opt.return_sequences = sequences;
        return gru(v[0], fw, bidirectional ? &bw : nullptr, opt);
    };
}

double sig(double a) { return 1.0 / (1.0 + std::exp(-a)); }

// PyTorch's GRU, one sample and one position at a time; the output in
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
            std::vector<double> h(H, 0.0);
            for (index_t s = 0; s < L; ++s) {
                index_t p = d == 0 ? s : L - 1 - s;
                std::vector<double> a(3 * H), b(3 * H);
                for (index_t q = 0; q < 3 * H; ++q) {
                    a[q] = bi.at(q);
                    b[q] = bh.at(q);
                    for (index_t c = 0; c < C; ++c)
                        a[q] += wi.at(q, c) * x.at(c + C * (p + L * j));
                    for (index_t k = 0; k < H; ++k) b[q] += wh.at(q, k) * h[k];
                }
                for (index_t k = 0; k < H; ++k) {
                    double r = sig(a[k] + b[k]);
                    double z = sig(a[H + k] + b[H + k]);
                    double nn = std::tanh(a[2 * H + k] + r * b[2 * H + k]);
                    h[k] = (1 - z) * nn + z * h[k];
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
        Tensor y = gru_op(bidirectional, sequences)(v).value();
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

TEST(Gru, ForwardMatchesReference) {
    for (index_t L : {1, 6})
        for (bool bi : {false, true})
            for (bool seq : {false, true}) expect_forward(L, bi, seq);
}

// The last state is the sequence's last position (forward rows) and its
// first (backward rows), as PyTorch's h_n.
TEST(Gru, LastStateIsTheSequenceEnds) {
    std::vector<Tensor> in = inputs(2, 3, 4, 2, true, 77);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    Tensor last = gru_op(true, false)(v).value();
    Tensor seq = gru_op(true, true)(v).value();
    for (index_t j = 0; j < 2; ++j) {
        for (index_t k = 0; k < 3; ++k) {
            EXPECT_EQ(last.at(k, j), seq.at(k + 6 * (3 + 4 * j)));
            EXPECT_EQ(last.at(3 + k, j), seq.at(3 + k + 6 * (0 + 4 * j)));
        }
    }
}

TEST(Gru, RecordsOneBackwardAndNoneWithoutGrad) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, true, 3);
    Tape::current().clear();
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t, true);
    Variable y = gru_op(true, true)(v);
    EXPECT_EQ(Tape::current().size(), 1u);
    Tape::current().clear();
    {
        NoGradGuard guard;
        Variable z = gru_op(true, true)(v);
        EXPECT_EQ(Tape::current().size(), 0u);
        EXPECT_TRUE(test::same_bits(z.value(), y.value()));
    }
}

TEST(Gru, Gradcheck) {
    for (bool bi : {false, true}) {
        for (bool seq : {false, true}) {
            std::vector<Tensor> in = inputs(3, 4, 5, 2, bi, bi ? 41 : 31);
            std::vector<bool> rg(in.size(), true);
            std::string name = std::string("gru") +
                               (bi ? " bidirectional" : "") +
                               (seq ? " sequences" : " last");
            test::expect_gradcheck(name, gru_op(bi, seq), in, rg);
        }
    }
}

TEST(Gru, GradcheckLengthOneAndWeightsOnly) {
    std::vector<Tensor> in = inputs(3, 4, 1, 2, true, 51);
    std::vector<bool> rg(in.size(), true);
    test::expect_gradcheck("gru L=1", gru_op(true, false), in, rg);
    rg[0] = false;
    in = inputs(3, 4, 5, 2, true, 52);
    test::expect_gradcheck("gru weights only", gru_op(true, true), in, rg);
}

TEST(Gru, Float32BackwardMatchesFloat64) {
    for (bool bi : {false, true}) {
        std::vector<Tensor> in = inputs(5, 6, 9, 4, bi, 61);
        std::vector<bool> rg(in.size(), true);
        test::expect_float32_backward(gru_op(bi, true), in, rg, 1e-4);
        test::expect_float32_backward(gru_op(bi, false), in, rg, 1e-4);
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

TEST(Gru, ShapeErrorsThrow) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, true, 71);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    RecurrentWeights fw = weights(v, 0), bw = weights(v, 1);
    RecurrentOptions opt;
    EXPECT_NO_THROW(gru(v[0], fw, &bw, opt));
    // x of 2 dimensions
    Variable x2(Tensor::zeros(3, 10, DType::f64));
    expect_bad([&] { gru(x2, fw, nullptr, opt); }, {"gru", "3 x 10"});
    // w_input of the wrong columns: 12 x 2 where 12 x 3 is wanted
    RecurrentWeights bad = fw;
    bad.w_input = Variable(Tensor::zeros(12, 2, DType::f64));
    expect_bad([&] { gru(v[0], bad, nullptr, opt); },
               {"gru", "w_input", "12 x 3", "12 x 2"});
    // w_hidden of LSTM shape (16 x 4)
    bad = fw;
    bad.w_hidden = Variable(Tensor::zeros(16, 4, DType::f64));
    expect_bad([&] { gru(v[0], bad, nullptr, opt); },
               {"gru", "w_hidden", "16 x 4"});
    bad = fw;
    bad.b_input = Variable(Tensor::zeros(12, 2, DType::f64));
    expect_bad([&] { gru(v[0], bad, nullptr, opt); },
               {"b_input", "12 x 1", "12 x 2"});
    bad = fw;
    bad.b_hidden = Variable(Tensor::zeros(11, 1, DType::f64));
    expect_bad([&] { gru(v[0], bad, nullptr, opt); },
               {"b_hidden", "12 x 1", "11 x 1"});
    // directions of different hidden units
    std::vector<Tensor> w5 = direction(3, 5, 72);
    RecurrentWeights other{Variable(w5[0]), Variable(w5[1]), Variable(w5[2]),
                           Variable(w5[3])};
    expect_bad([&] { gru(v[0], fw, &other, opt); }, {"12 x 4", "15 x 5"});
    // a backward direction of the wrong shape
    bad = bw;
    bad.w_input = Variable(Tensor::zeros(12, 4, DType::f64));
    expect_bad([&] { gru(v[0], fw, &bad, opt); }, {"backward", "12 x 4"});
    // no positions
    Variable x0(Tensor::zeros(Shape{3, 0, 2}, DType::f64));
    EXPECT_THROW(gru(x0, fw, nullptr, opt), BadArgument);
}

TEST(Gru, DtypeMismatchThrows) {
    std::vector<Tensor> in = inputs(3, 4, 5, 2, false, 81);
    std::vector<Variable> v;
    for (const Tensor& t : in) v.emplace_back(t);
    RecurrentWeights fw = weights(v, 0);
    fw.w_hidden = Variable(test::to_dtype(in[2], DType::f32));
    EXPECT_THROW(gru(v[0], fw, nullptr, RecurrentOptions()), BadArgument);
}

// float32 on both devices; the recurrence carries GEMM rounding through
// the positions, so the tolerance is a little above the default.
TEST(Gru, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    for (bool bi : {false, true}) {
        for (bool seq : {false, true}) {
            std::vector<Tensor> in = inputs(4, 32, 17, 7, bi, 91);
            std::vector<bool> rg(in.size(), true);
            test::expect_op_parity(std::string("gru") + (bi ? " bi" : "") +
                                       (seq ? " sequences" : " last"),
                                   gru_op(bi, seq), in, rg, 1e-4);
        }
    }
}

}  // namespace
}  // namespace exprae
