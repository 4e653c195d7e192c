// layer_norm per sample over features (x: features x n), then
// gamma * xhat + beta with gamma, beta features x 1
#include "cuda_test_util.h"
#include "gradcheck.h"

namespace exprae {
namespace {

constexpr double kEps = 1e-5;

Variable layer_norm_of(const std::vector<Variable>& v) {
    return layer_norm(v[0], v[1], v[2]);
}

std::vector<Tensor> inputs(index_t f, index_t n, std::uint64_t seed) {
    return {test::normal(f, n, seed, 0.5, 2.0), test::normal(f, 1, seed + 1),
            test::normal(f, 1, seed + 2)};
}

TEST(LayerNorm, ForwardMatchesReference) {
    const index_t f = 6, n = 5;
    for (DType dt : {DType::f64, DType::f32}) {
        std::vector<Tensor> in = inputs(f, n, 1);
        Tensor x = test::to_dtype(in[0], dt), g = test::to_dtype(in[1], dt),
               b = test::to_dtype(in[2], dt);
        Variable y = layer_norm(Variable(x), Variable(g), Variable(b));
        ASSERT_TRUE(y.value().same_shape(x));
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                double m = 0, v = 0;
                for (index_t r = 0; r < f; ++r) m += x.at(r, j) / f;
                for (index_t r = 0; r < f; ++r)
                    v += (x.at(r, j) - m) * (x.at(r, j) - m) / f;
                return g.at(i) * (x.at(i, j) - m) / std::sqrt(v + kEps) +
                       b.at(i);
            },
            dt == DType::f64 ? 1e-12 : 1e-5, dtype_name(dt));
    }
}

TEST(LayerNorm, HandComputedColumn) {
    // x = 1 2 3 6: mean 3, variance 3.5; gamma 1, beta 0.
    Tensor x = test::from_values(4, 1, {1, 2, 3, 6});
    Variable y = layer_norm(Variable(x),
                            Variable(Tensor::full(4, 1, 1.0, DType::f64)),
                            Variable(Tensor::zeros(4, 1, DType::f64)));
    double s = std::sqrt(3.5 + kEps);
    EXPECT_NEAR(y.value().at(0), -2.0 / s, 1e-14);
    EXPECT_NEAR(y.value().at(3), 3.0 / s, 1e-14);
}

TEST(LayerNorm, Gradcheck) {
    test::expect_gradcheck("layer_norm", layer_norm_of, inputs(5, 4, 11),
                           {true, true, true});
    test::expect_gradcheck("layer_norm (x only)", layer_norm_of,
                           inputs(5, 4, 21), {true, false, false});
}

TEST(LayerNorm, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(layer_norm_of, inputs(6, 5, 31),
                                  {true, true, true}, 2e-4);
}

TEST(LayerNorm, ShapeErrorsThrow) {
    Variable x(Tensor::zeros(4, 6, DType::f64));
    Variable g(Tensor::zeros(4, 1, DType::f64));
    Variable b(Tensor::zeros(4, 1, DType::f64));
    EXPECT_THROW(layer_norm(x, Variable(Tensor::zeros(6, 1, DType::f64)), b),
                 std::invalid_argument);
    EXPECT_THROW(layer_norm(x, g, Variable(Tensor::zeros(4, 2, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(layer_norm(x, Variable(Tensor::zeros(1, 4, DType::f64)), b),
                 std::invalid_argument);
    EXPECT_NO_THROW(layer_norm(x, g, b));
}

TEST(LayerNorm, DtypeMismatchThrows) {
    Variable x(Tensor::zeros(4, 6, DType::f64));
    Variable g(Tensor::zeros(4, 1, DType::f32));
    Variable b(Tensor::zeros(4, 1, DType::f64));
    EXPECT_THROW(layer_norm(x, g, b), std::invalid_argument);
    EXPECT_THROW(layer_norm(x, b, g), std::invalid_argument);
}

// (channels, positions, samples): each position of each sample normalised
// over its channels.
TEST(LayerNorm, GradcheckOn3dInput) {
    test::expect_gradcheck("layer_norm (3-D)", layer_norm_of,
                           {test::normal(Shape{4, 3, 5}, 61, 1.0, 2.0),
                            test::normal(4, 1, 62), test::normal(4, 1, 63)},
                           {true, true, true});
}

// One warp per sample, 8 per block: 12 and 45 samples end in a partial
// block; 37 and 70 features take a warp's lanes round 2 and 3 times.
TEST(LayerNorm, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    for (index_t f : {index_t{37}, index_t{70}}) {
        index_t n = f == 37 ? 12 : 45;
        test::expect_op_parity("layer_norm", layer_norm_of,
                               {test::normal(f, n, 23, 1.0, 3.0),
                                test::normal(f, 1, 24),
                                test::normal(f, 1, 25)},
                               {true, true, true}, test::kParityTolerance);
    }
}

}  // namespace
}  // namespace exprae
