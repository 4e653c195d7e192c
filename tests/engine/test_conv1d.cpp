// conv1d: y (C_out, L_out, n) = f(b + w * im2col(x)), x (C_in, L, n),
// against a direct convolution written from the definition (TensorFlow's
// "same" rule recomputed here, not taken from the op).
#include <string>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/conv1d.h"

namespace exprae {
namespace {

struct Case {
    index_t cin, cout, width, length, n;
    Conv1dOptions opt;
};

Conv1dOptions options(index_t stride, index_t dilation, bool same) {
    Conv1dOptions o;
    o.stride = stride;
    o.dilation = dilation;
    o.same = same;
    return o;
}

std::string name_of(const Case& c) {
    return "conv1d C_in " + std::to_string(c.cin) + " C_out " +
           std::to_string(c.cout) + " width " + std::to_string(c.width) +
           " L " + std::to_string(c.length) + " stride " +
           std::to_string(c.opt.stride) + " dilation " +
           std::to_string(c.opt.dilation) + (c.opt.same ? " same" : " valid");
}

// Valid and same, strides, dilations, an even width, width 1 (conv1d is
// linear() there), a filter longer than the input under "same", a stride
// past the filter's span (positions no output reads).
const std::vector<Case> kCases = {
    {4, 3, 5, 12, 3, options(1, 1, false)},
    {4, 3, 5, 12, 3, options(1, 1, true)},
    {3, 2, 4, 11, 2, options(1, 1, true)},
    {4, 5, 3, 13, 2, options(2, 1, false)},
    {4, 5, 3, 13, 2, options(2, 1, true)},
    {2, 3, 3, 14, 2, options(1, 2, false)},
    {2, 3, 3, 14, 2, options(1, 2, true)},
    {3, 4, 4, 17, 2, options(3, 2, true)},
    {2, 2, 3, 10, 2, options(4, 3, true)},
    {5, 2, 1, 9, 3, options(1, 1, false)},
    {5, 2, 1, 9, 3, options(2, 1, true)},
    {1, 1, 7, 7, 1, options(1, 1, false)},
    {4, 2, 6, 3, 2, options(1, 1, true)},
    {2, 2, 2, 9, 2, options(5, 1, false)},
};

// The span, output length and left padding, from the definition.
struct Layout {
    index_t span, out, pad_left;
};

Layout layout_of(index_t length, index_t width, const Conv1dOptions& o) {
    index_t span = o.dilation * (width - 1) + 1;
    if (!o.same) return {span, (length - span) / o.stride + 1, 0};
    index_t out = (length + o.stride - 1) / o.stride;
    index_t total = (out - 1) * o.stride + span - length;
    return {span, out, total > 0 ? total / 2 : 0};
}

// x(c, s, j), 0 outside [0, L)
double x_at(const Tensor& x, index_t c, index_t s, index_t j) {
    index_t L = x.dim(1);
    return s >= 0 && s < L ? x.at(c, s + L * j) : 0.0;
}

// y(o, p, j) by the direct sum
double direct(const Tensor& x, const Tensor& w, const Tensor& b,
              index_t width, const Conv1dOptions& o, index_t out,
              index_t p, index_t j, bool relu) {
    Layout lay = layout_of(x.dim(1), width, o);
    index_t C = x.dim(0);
    double z = b.at(out);
    for (index_t k = 0; k < width; ++k) {
        index_t s = p * o.stride + k * o.dilation - lay.pad_left;
        for (index_t c = 0; c < C; ++c)
            z += w.at(out, c + C * k) * x_at(x, c, s, j);
    }
    return relu && z < 0 ? 0.0 : z;
}

struct Inputs {
    Tensor x, w, b;
};

Inputs inputs_of(const Case& c, std::uint64_t seed,
                 DType dt = DType::f64) {
    return {test::normal(Shape{c.cin, c.length, c.n}, seed, 0, 1, dt),
            test::normal(c.cout, c.cin * c.width, seed + 1, 0, 0.5, dt),
            test::normal(c.cout, 1, seed + 2, 0, 1, dt)};
}

test::OpFn conv_of(const Case& c, const Unary& f = Unary()) {
    return [c, f](const std::vector<Variable>& v) {
        return conv1d(v[0], v[1], v[2], c.width, c.opt, f);
    };
}

void expect_direct(const Case& c, const Inputs& in, bool relu,
                   double rtol) {
    Unary f = relu ? Unary{"relu", 0.0} : Unary();
    Variable y = conv1d(Variable(in.x), Variable(in.w), Variable(in.b),
                        c.width, c.opt, f);
    Layout lay = layout_of(c.length, c.width, c.opt);
    ASSERT_EQ(y.value().shape_string(),
              Shape({c.cout, lay.out, c.n}).str()) << name_of(c);
    ASSERT_EQ(y.value().dtype(), in.x.dtype());
    test::expect_matches(
        y.value(),
        [&](index_t o, index_t q) {
            return direct(in.x, in.w, in.b, c.width, c.opt, o,
                          q % lay.out, q / lay.out, relu);
        },
        rtol, name_of(c) + " " + dtype_name(in.x.dtype()));
}

TEST(Conv1d, ForwardMatchesDirectConvolution) {
    std::uint64_t seed = 100;
    for (const Case& c : kCases) {
        for (DType dt : {DType::f64, DType::f32}) {
            expect_direct(c, inputs_of(c, seed, dt), false,
                          test::forward_tolerance(dt) * 10);
        }
        expect_direct(c, inputs_of(c, seed), true, 1e-12);
        seed += 10;
    }
}

// Output lengths and the left padding, worked by hand for a one-channel
// input 1..L and a filter with a single tap set to 1.
TEST(Conv1d, SamePaddingFollowsTensorFlow) {
    struct Hand {
        index_t length, width, stride, tap;
        std::vector<double> want;
    };
    const std::vector<Hand> hands = {
        {5, 3, 1, 0, {0, 1, 2, 3, 4}},   // pad 1 + 1
        {5, 3, 1, 2, {2, 3, 4, 5, 0}},
        {5, 4, 1, 0, {0, 1, 2, 3, 4}},   // pad 1 + 2: more on the right
        {5, 4, 1, 3, {3, 4, 5, 0, 0}},
        {5, 3, 2, 1, {1, 3, 5}},         // pad 1 + 1
        {6, 3, 2, 1, {2, 4, 6}},         // pad 0 + 1
        {2, 5, 1, 0, {0, 0}},            // pad 2 + 2, filter > input
        {2, 5, 1, 2, {1, 2}},
    };
    for (const Hand& h : hands) {
        Tensor x = Tensor::empty(Shape{1, h.length, 1}, DType::f64);
        for (index_t s = 0; s < h.length; ++s) x.set(0, s, s + 1.0);
        Tensor w = Tensor::zeros(1, h.width, DType::f64);
        w.set(0, h.tap, 1.0);
        Variable y = conv1d(Variable(x), Variable(w),
                            Variable(Tensor::zeros(1, 1, DType::f64)),
                            h.width, options(h.stride, 1, true));
        EXPECT_EQ(test::to_vector(y.value()), h.want)
            << "L " << h.length << " width " << h.width << " stride "
            << h.stride << " tap " << h.tap;
    }
}

TEST(Conv1d, WindowsAreWhatTheWeightsMultiply) {
    // conv1d(x, w, 0) = w * conv1d_windows(x) for every case: the windows
    // hold each output position's taps, padding included
    for (const Case& c : kCases) {
        SCOPED_TRACE(name_of(c));
        Tensor x = test::normal(Shape{c.cin, c.length, c.n}, 81);
        Tensor w = test::normal(c.cout, c.cin * c.width, 82);
        Tensor y = conv1d(Variable(x), Variable(w),
                          Variable(Tensor::zeros(c.cout, 1, DType::f64)),
                          c.width, c.opt)
                       .value();
        Tensor cols = conv1d_windows(x, c.width, c.opt);
        index_t out = conv1d_output_length(c.length, c.width, c.opt);
        const Shape want{c.cin * c.width, out, c.n};
        ASSERT_EQ(cols.shape_string(), want.str());
        Tensor flat = cols.reshape(Shape{c.cin * c.width, out * c.n});
        test::expect_matches(
            y.reshape(Shape{c.cout, out * c.n}),
            [&](index_t o, index_t col) {
                double sum = 0;
                for (index_t r = 0; r < c.cin * c.width; ++r)
                    sum += w.at(o, r) * flat.at(r, col);
                return sum;
            },
            1e-12, "y = w * windows");
    }
    EXPECT_THROW(conv1d_windows(Tensor::zeros(4, 9, DType::f64), 3,
                                options(1, 1, false)),
                 BadArgument);
}

TEST(Conv1d, OutputLengthRule) {
    struct Row {
        index_t length, width, stride, dilation;
        bool same;
        index_t want;
    };
    const std::vector<Row> rows = {
        {10, 3, 1, 1, false, 8}, {10, 3, 2, 1, false, 4},
        {10, 3, 1, 2, false, 6}, {10, 3, 3, 2, false, 2},
        {5, 5, 1, 1, false, 1},  {9, 2, 5, 1, false, 2},
        {10, 3, 1, 1, true, 10}, {10, 3, 3, 1, true, 4},
        {7, 4, 2, 1, true, 4},   {1, 9, 1, 1, true, 1},
        {3, 6, 1, 1, true, 3},   {1000, 19, 1, 1, true, 1000},
        {1000, 8, 3, 4, true, 334},
    };
    for (const Row& r : rows) {
        EXPECT_EQ(conv1d_output_length(r.length, r.width,
                                       options(r.stride, r.dilation,
                                               r.same)),
                  r.want)
            << "L " << r.length << " width " << r.width << " stride "
            << r.stride << " dilation " << r.dilation << " same " << r.same;
    }
    // Filters longer than the input: the message names both lengths.
    try {
        conv1d_output_length(6, 3, options(1, 3, false));
        ADD_FAILURE() << "a filter spanning 7 of 6 positions was accepted";
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("spans 7"), std::string::npos) << m;
        EXPECT_NE(m.find("6 positions"), std::string::npos) << m;
    }
    EXPECT_THROW(conv1d_output_length(4, 5, Conv1dOptions()), BadArgument);
    EXPECT_THROW(conv1d_output_length(0, 1, options(1, 1, true)),
                 BadArgument);
    EXPECT_THROW(conv1d_output_length(10, 3, options(0, 1, false)),
                 BadArgument);
    EXPECT_THROW(conv1d_output_length(10, 3, options(1, 0, true)),
                 BadArgument);
    EXPECT_THROW(conv1d_output_length(10, 0, Conv1dOptions()), BadArgument);
}

TEST(Conv1d, ErrorsThrow) {
    Variable x(Tensor::zeros(Shape{4, 12, 2}, DType::f64));
    Variable w(Tensor::zeros(3, 4 * 5, DType::f64));
    Variable b(Tensor::zeros(3, 1, DType::f64));
    EXPECT_NO_THROW(conv1d(x, w, b, 5, Conv1dOptions()));
    // The filter longer than the input.
    Variable short_x(Tensor::zeros(Shape{4, 4, 2}, DType::f64));
    EXPECT_THROW(conv1d(short_x, w, b, 5, Conv1dOptions()), BadArgument);
    EXPECT_THROW(conv1d(x, w, b, 5, options(1, 3, false)), BadArgument);
    // w's columns not C_in * width.
    Variable w_bad(Tensor::zeros(3, 4 * 5 + 1, DType::f64));
    try {
        conv1d(x, w_bad, b, 5, Conv1dOptions());
        ADD_FAILURE() << "w of 21 columns accepted for 4 channels x 5 taps";
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("3 x 21"), std::string::npos) << m;
        EXPECT_NE(m.find("4 * 5"), std::string::npos) << m;
    }
    EXPECT_THROW(conv1d(x, w, b, 4, Conv1dOptions()), BadArgument);
    // x must be 3-D, even for one sample.
    Variable x2(Tensor::zeros(4, 12, DType::f64));
    EXPECT_THROW(conv1d(x2, w, b, 5, Conv1dOptions()), BadArgument);
    Variable x4(Tensor::zeros(Shape{4, 12, 2, 1}, DType::f64));
    EXPECT_THROW(conv1d(x4, w, b, 5, Conv1dOptions()), BadArgument);
    // Stride, dilation, width below 1.
    EXPECT_THROW(conv1d(x, w, b, 5, options(0, 1, false)), BadArgument);
    EXPECT_THROW(conv1d(x, w, b, 5, options(1, 0, true)), BadArgument);
    EXPECT_THROW(conv1d(x, w, b, 0, Conv1dOptions()), BadArgument);
    // b not C_out x 1; dtypes that differ.
    Variable b_bad(Tensor::zeros(2, 1, DType::f64));
    EXPECT_THROW(conv1d(x, w, b_bad, 5, Conv1dOptions()), BadArgument);
    Variable w32(Tensor::zeros(3, 4 * 5, DType::f32));
    EXPECT_THROW(conv1d(x, w32, b, 5, Conv1dOptions()), BadArgument);
    EXPECT_EQ(Tape::current().size(), 0u);
}

TEST(Conv1d, GradcheckAllInputs) {
    const std::vector<Case> cases = {
        {3, 2, 4, 9, 2, options(1, 1, false)},
        {3, 2, 4, 9, 2, options(1, 1, true)},
        {2, 3, 3, 11, 2, options(2, 1, true)},
        {2, 2, 3, 10, 2, options(1, 2, false)},
        {2, 2, 3, 10, 2, options(2, 2, true)},
        {3, 2, 1, 6, 2, options(1, 1, false)},
        {2, 2, 2, 9, 2, options(5, 1, false)},
    };
    std::uint64_t seed = 300;
    for (const Case& c : cases) {
        Inputs in = inputs_of(c, seed += 10);
        test::expect_gradcheck(name_of(c), conv_of(c), {in.x, in.w, in.b},
                               {true, true, true});
    }
}

TEST(Conv1d, GradcheckWithFusedRelu) {
    const std::vector<Case> cases = {
        {3, 4, 5, 12, 2, options(1, 1, true)},
        {2, 3, 3, 13, 2, options(2, 2, false)},
        {4, 2, 4, 10, 1, options(3, 1, true)},
    };
    std::uint64_t seed = 400;
    for (const Case& c : cases) {
        Inputs in = inputs_of(c, seed += 10);
        test::expect_gradcheck(name_of(c) + " + relu",
                               conv_of(c, Unary{"relu", 0.0}),
                               {in.x, in.w, in.b}, {true, true, true});
    }
}

// The network's input needs no gradient: w and b are still right, x gets
// none, and no col2im step is recorded (the tape holds linear's alone).
TEST(Conv1d, InputWithoutGradientSkipsCol2im) {
    Case c{4, 3, 5, 12, 2, options(2, 1, true)};
    Inputs in = inputs_of(c, 500);
    test::expect_gradcheck(name_of(c) + " (x constant)", conv_of(c),
                           {in.x, in.w, in.b}, {false, true, true});
    Tape::current().clear();
    Variable x(in.x, false), w(in.w, true), b(in.b, true);
    Variable y = conv1d(x, w, b, c.width, c.opt);
    EXPECT_EQ(Tape::current().size(), 1u);
    Tape::current().backward(sum(y));
    EXPECT_FALSE(x.grad().defined());
    EXPECT_TRUE(w.grad().defined());

    Variable xg(in.x, true);
    conv1d(xg, w, b, c.width, c.opt);
    EXPECT_EQ(Tape::current().size(), 2u);  // im2col's step and linear's
    Tape::current().clear();
    {
        NoGradGuard no_grad;
        conv1d(xg, w, b, c.width, c.opt);
    }
    EXPECT_EQ(Tape::current().size(), 0u);
    // Only x needs a gradient.
    test::expect_gradcheck(name_of(c) + " (x alone)", conv_of(c),
                           {in.x, in.w, in.b}, {true, false, false});
}

// dx of L = sum(y * R) against its direct formula, at sizes where several
// threads split the columns of im2col and col2im.
TEST(Conv1d, InputGradientMatchesDirectFormulaOnLargeInput) {
    const std::vector<Case> cases = {
        {4, 6, 5, 400, 8, options(1, 1, true)},
        {4, 6, 7, 300, 6, options(2, 3, true)},
        {8, 3, 3, 200, 5, options(3, 1, false)},
    };
    std::uint64_t seed = 600;
    for (const Case& c : cases) {
        Inputs in = inputs_of(c, seed += 10);
        expect_direct(c, in, false, 1e-12);
        Variable x(in.x, true), w(in.w), b(in.b);
        Variable y = conv1d(x, w, b, c.width, c.opt);
        Tensor r = test::normal(y.value().shape(), seed + 5);
        Tape::current().backward(sum(mul(y, Variable(r))));
        Layout lay = layout_of(c.length, c.width, c.opt);
        test::expect_matches(
            x.grad(),
            [&](index_t ch, index_t q) {
                index_t s = q % c.length, j = q / c.length;
                double g = 0.0;
                for (index_t p = 0; p < lay.out; ++p) {
                    for (index_t k = 0; k < c.width; ++k) {
                        if (p * c.opt.stride + k * c.opt.dilation -
                                lay.pad_left != s)
                            continue;
                        for (index_t o = 0; o < c.cout; ++o)
                            g += in.w.at(o, ch + c.cin * k) *
                                 r.at(o, p + lay.out * j);
                    }
                }
                return g;
            },
            1e-12, name_of(c) + " dx");
    }
}

TEST(Conv1d, Float32MatchesFloat64) {
    const std::vector<Case> cases = {
        {4, 5, 5, 20, 3, options(1, 1, true)},
        {3, 4, 3, 17, 2, options(2, 2, false)},
    };
    std::uint64_t seed = 700;
    for (const Case& c : cases) {
        Inputs in = inputs_of(c, seed += 10);
        Variable y64 = conv1d(Variable(in.x), Variable(in.w),
                              Variable(in.b), c.width, c.opt);
        Inputs in32{test::to_dtype(in.x, DType::f32),
                    test::to_dtype(in.w, DType::f32),
                    test::to_dtype(in.b, DType::f32)};
        Variable y32 = conv1d(Variable(in32.x), Variable(in32.w),
                              Variable(in32.b), c.width, c.opt);
        EXPECT_EQ(y32.value().dtype(), DType::f32);
        test::expect_tensor_near(y32.value(), y64.value(), 1e-5,
                                 name_of(c) + " forward");
        test::expect_float32_backward(conv_of(c, Unary{"relu", 0.0}),
                                      {in.x, in.w, in.b},
                                      {true, true, true});
    }
}

TEST(Conv1d, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    std::uint64_t seed = 800;
    for (const Case& c : kCases) {
        Inputs in = inputs_of(c, seed += 10);
        test::expect_op_parity(name_of(c), conv_of(c), {in.x, in.w, in.b},
                               {true, true, true}, test::kParityTolerance);
        test::expect_op_parity(name_of(c) + " + relu (x constant)",
                               conv_of(c, Unary{"relu", 0.0}),
                               {in.x, in.w, in.b}, {false, true, true},
                               test::kParityTolerance);
    }
    // A first layer on DNA (one-hot width 4, 1000 bp) and a dilated
    // second one, at the sizes the sequence models use.
    const std::vector<Case> real = {
        {4, 64, 19, 1000, 8, options(1, 1, true)},
        {64, 32, 9, 250, 8, options(1, 2, true)},
        {32, 16, 5, 250, 8, options(2, 1, false)},
    };
    for (const Case& c : real) {
        Inputs in = inputs_of(c, seed += 10);
        test::expect_op_parity(name_of(c), conv_of(c, Unary{"relu", 0.0}),
                               {in.x, in.w, in.b}, {true, true, true},
                               test::kParityTolerance);
    }
}

// col2im gathers with one writer per element: the same dx, bit for bit,
// on every run.
TEST(Conv1d, CudaInputGradientIsDeterministic) {
    EXPRAE_SKIP_WITHOUT_GPU();
    Case c{16, 8, 9, 500, 8, options(1, 2, true)};
    Inputs in = inputs_of(c, 900, DType::f32);
    Tensor r;
    Tensor first;
    for (int run = 0; run < 3; ++run) {
        Variable x(in.x.to(Device::cuda), true);
        Variable y = conv1d(x, Variable(in.w.to(Device::cuda)),
                            Variable(in.b.to(Device::cuda)), c.width, c.opt);
        if (!r.defined())
            r = test::normal(y.value().shape(), 901, 0, 1, DType::f32);
        Tape::current().backward(sum(mul(y, Variable(r.to(Device::cuda)))));
        Tensor dx = x.grad().host();
        if (run == 0) first = dx;
        else EXPECT_TRUE(test::same_bits(dx, first)) << "run " << run;
    }
}

}  // namespace
}  // namespace exprae
