// global_avg_pool: (channels, positions, samples) -> (channels, samples),
// each channel's mean over all positions.
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/global_avg_pool.h"

namespace exprae {
namespace {

Variable global_avg_of(const std::vector<Variable>& v) {
    return global_avg_pool(v[0]);
}

TEST(GlobalAvgPool, ForwardMatchesReference) {
    std::uint64_t seed = 1;
    for (const Shape& s : {Shape{3, 7, 2}, Shape{1, 1, 4}, Shape{5, 20, 3},
                           Shape{2, 9, 1}}) {
        Tensor x64 = test::normal(s, seed++, 0.5, 2.0);
        for (DType dt : {DType::f64, DType::f32}) {
            Tensor x = test::to_dtype(x64, dt);
            Variable y = global_avg_pool(Variable(x));
            ASSERT_EQ(y.value().ndim(), 2);
            ASSERT_EQ(y.value().shape_string(),
                      Shape({s[0], s[2]}).str());
            test::expect_matches(
                y.value(),
                [&](index_t c, index_t n) {
                    double total = 0.0;
                    for (index_t l = 0; l < s[1]; ++l)
                        total += x.at(c, l + s[1] * n);
                    return total / s[1];
                },
                test::forward_tolerance(dt), dtype_name(dt));
        }
    }
}

// dx(c, l, s) = dy(c, s) / L at every position.
TEST(GlobalAvgPool, GradientSpreadsEvenly) {
    Tensor x = test::from_values(2, 4, {1, 2, 3, 4, 5, 6, 7, 8})
                   .reshape(Shape{2, 4, 1});
    Variable xv(x, true);
    Variable y = global_avg_pool(xv);
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{4, 5}));
    Tape::current().backward(
        sum(mul(y, Variable(test::from_values(2, 1, {4, 8})))));
    EXPECT_EQ(test::to_vector(xv.grad()),
              (std::vector<double>{1, 2, 1, 2, 1, 2, 1, 2}));
}

TEST(GlobalAvgPool, Gradcheck) {
    test::expect_gradcheck("global_avg_pool", global_avg_of,
                           {test::normal(Shape{4, 9, 3}, 11)}, {true});
    test::expect_gradcheck("global_avg_pool one position", global_avg_of,
                           {test::normal(Shape{3, 1, 2}, 12)}, {true});
}

TEST(GlobalAvgPool, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(global_avg_of,
                                  {test::normal(Shape{6, 17, 4}, 21)},
                                  {true});
}

TEST(GlobalAvgPool, BadShapesThrow) {
    EXPECT_THROW(global_avg_pool(Variable(Tensor::zeros(3, 10, DType::f64))),
                 BadArgument);
    EXPECT_THROW(global_avg_pool(
                     Variable(Tensor::zeros(Shape{3, 5, 2, 2}, DType::f64))),
                 BadArgument);
    EXPECT_THROW(global_avg_pool(
                     Variable(Tensor::zeros(Shape{3, 0, 2}, DType::f64))),
                 BadArgument);  // no positions
    try {
        global_avg_pool(Variable(Tensor::zeros(Shape{3, 0, 2}, DType::f64)));
    } catch (const BadArgument& e) {
        std::string m = e.what();
        EXPECT_NE(m.find("global_avg_pool"), std::string::npos) << m;
        EXPECT_NE(m.find("3 x 0 x 2"), std::string::npos) << m;
    }
}

// Sums in double in the same order on both devices.
TEST(GlobalAvgPool, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    std::uint64_t seed = 41;
    for (const Shape& s : {Shape{16, 200, 5}, Shape{33, 1000, 9},
                           Shape{300, 1, 2}}) {
        test::expect_op_parity("global_avg_pool", global_avg_of,
                               {test::normal(s, seed++, 0.5, 2.0)}, {true},
                               1e-6);
    }
}

}  // namespace
}  // namespace exprae
