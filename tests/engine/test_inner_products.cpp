// inner_products: a^T b with a (k x s), b (k x t) -> s x t
#include "cuda_test_util.h"
#include "gradcheck.h"
#include "ops/inner_products.h"

namespace exprae {
namespace {

using test::expect_gradcheck;

Variable products_of(const std::vector<Variable>& v) {
    return inner_products(v[0], v[1]);
}

TEST(InnerProducts, MatchesTheSumsOfProducts) {
    for (DType dt : {DType::f64, DType::f32}) {
        const index_t k = 6, s = 4, t = 9;
        Tensor a = test::normal(k, s, 1, 0, 1, dt);
        Tensor b = test::normal(k, t, 2, 0, 1, dt);
        Variable y = inner_products(Variable(a), Variable(b));
        ASSERT_EQ(y.value().rows(), s);
        ASSERT_EQ(y.value().cols(), t);
        test::expect_matches(
            y.value(),
            [&](index_t i, index_t j) {
                double sum = 0.0;
                for (index_t r = 0; r < k; ++r) sum += a.at(r, i) * b.at(r, j);
                return sum;
            },
            test::forward_tolerance(dt), dtype_name(dt));
    }
}

TEST(InnerProducts, HandComputedValue) {
    // column-major: a = [1 3; 2 4], b = [5; 6]
    Tensor a = test::from_values(2, 2, {1, 2, 3, 4});
    Tensor b = test::from_values(2, 1, {5, 6});
    Variable y = inner_products(Variable(a), Variable(b));
    EXPECT_EQ(test::to_vector(y.value()), (std::vector<double>{17, 39}));
}

TEST(InnerProducts, Gradcheck) {
    std::vector<Tensor> in = {test::normal(5, 3, 11), test::normal(5, 7, 12)};
    expect_gradcheck("inner_products", products_of, in, {true, true});
    expect_gradcheck("inner_products (a only)", products_of, in,
                     {true, false});
    expect_gradcheck("inner_products (b only)", products_of, in,
                     {false, true});
}

TEST(InnerProducts, GramMatrixOfOneVariable) {
    // a^T a: both gradients land in the same buffer, 2 a dy (dy symmetric)
    Variable a(test::normal(3, 4, 13), true);
    Tape::current().backward(sum(inner_products(a, a)));
    test::expect_matches(
        a.grad(),
        [&](index_t r, index_t) {
            double sum = 0.0;
            for (index_t j = 0; j < 4; ++j) sum += a.value().at(r, j);
            return 2.0 * sum;
        },
        1e-12, "d(a^T a)");
}

TEST(InnerProducts, Float32BackwardMatchesFloat64) {
    test::expect_float32_backward(
        products_of, {test::normal(4, 5, 18), test::normal(4, 3, 19)},
        {true, true});
}

TEST(InnerProducts, ShapeErrorsThrow) {
    Variable a(Tensor::zeros(4, 5, DType::f64));
    EXPECT_NO_THROW(inner_products(a, Variable(Tensor::zeros(4, 2, DType::f64))));
    EXPECT_THROW(inner_products(a, Variable(Tensor::zeros(3, 5, DType::f64))),
                 std::invalid_argument);
    EXPECT_THROW(inner_products(a, Variable(Tensor::zeros(4, 5, DType::f32))),
                 std::invalid_argument);
    EXPECT_THROW(inner_products(Variable(Tensor::zeros(Shape{4, 2, 3},
                                                       DType::f64)),
                                a),
                 std::invalid_argument);
}

TEST(InnerProducts, CudaMatchesCpu) {
    EXPRAE_SKIP_WITHOUT_GPU();
    test::expect_op_parity("inner_products", products_of,
                           {test::normal(8, 6, 33), test::normal(8, 11, 34)},
                           {true, true}, test::kParityTolerance);
}

}  // namespace
}  // namespace exprae
