// sparse_linear: linear() on an input given as its non-zeros plus an
// offset per feature, against linear() on the same input dense: the
// output and the gradients of w and b, with and without the offset and a
// fused activation, in float and double; and the shape checks.
#include "test_util.h"

#include <memory>

#include "ops/ops.h"

namespace exprae {
namespace {

// A k x n block with about 70% zeros, as non-zeros and offset and as the
// dense tensor they stand for.
struct Block {
    std::shared_ptr<SparseColumns> sparse = std::make_shared<SparseColumns>();
    Tensor dense;
};

Block block(index_t k, index_t n, bool with_offset, DType dt) {
    Block b;
    Tensor u = test::uniform(k, n, 0, 1, 41);
    Tensor v = test::normal(k, n, 42);
    Tensor o = test::normal(k, 1, 43);
    SparseColumns& s = *b.sparse;
    s.rows = k;
    s.cols = n;
    s.start.push_back(0);
    if (with_offset) s.offset = test::to_vector(o);
    b.dense = Tensor::empty(k, n, dt);
    for (index_t j = 0; j < n; ++j) {
        for (index_t i = 0; i < k; ++i) {
            bool nonzero = u.at(i, j) < 0.3;
            double x = nonzero ? v.at(i, j) : 0.0;
            if (nonzero) {
                s.row.push_back(static_cast<int>(i));
                s.value.push_back(x);
            }
            b.dense.set(i, j, x + (with_offset ? o.at(i) : 0.0));
        }
        s.start.push_back(s.nnz());
    }
    return b;
}

TEST(SparseLinear, MatchesLinearOnTheDenseInput) {
    const index_t k = 37, out = 70, n = 11;  // out split over threads
    for (DType dt : {DType::f64, DType::f32}) {
        for (bool with_offset : {false, true}) {
            for (const char* act : {"linear", "relu"}) {
                SCOPED_TRACE(std::string(dtype_name(dt)) + ", " + act +
                             (with_offset ? ", offset" : ""));
                Block x = block(k, n, with_offset, dt);
                Tensor w0 = test::normal(out, k, 44, 0, 1, dt);
                Tensor b0 = test::normal(out, 1, 45, 0, 1, dt);
                Tensor weights = test::normal(out, n, 46, 0, 1, dt);
                Unary f = activation(act);
                Variable w1(w0.clone(), true), b1(b0.clone(), true);
                Variable y1 = linear(Variable(x.dense), w1, b1, f);
                Tape::current().backward(sum(mul(y1, Variable(weights))));
                Variable w2(w0.clone(), true), b2(b0.clone(), true);
                Variable y2 = sparse_linear(x.sparse, w2, b2, f);
                Tape::current().backward(sum(mul(y2, Variable(weights))));
                double tol = dt == DType::f64 ? 1e-12 : 1e-5;
                test::expect_tensor_near(y2.value(), y1.value(), tol, "y");
                test::expect_tensor_near(w2.grad(), w1.grad(), tol, "dw");
                test::expect_tensor_near(b2.grad(), b1.grad(), tol, "db");
            }
        }
    }
}

TEST(SparseLinear, AddsIntoExistingGradients) {
    // A second pass accumulates, as linear() does.
    Block x = block(9, 5, true, DType::f64);
    Variable w(test::normal(4, 9, 47), true), b(test::normal(4, 1, 48), true);
    Tape::current().backward(sum(sparse_linear(x.sparse, w, b)));
    Tensor once = w.grad().clone();
    Tape::current().backward(sum(sparse_linear(x.sparse, w, b)));
    test::expect_matches(
        w.grad(), [&](index_t i, index_t j) { return 2 * once.at(i, j); },
        1e-12, "dw after two passes");
}

TEST(SparseLinear, RejectsMismatchedShapes) {
    Block x = block(9, 5, true, DType::f64);
    Variable w(test::normal(4, 8, 49), true), b(test::normal(4, 1, 50), true);
    EXPECT_THROW(sparse_linear(x.sparse, w, b), BadArgument);
    Variable w9(test::normal(4, 9, 51), true);
    Variable b3(test::normal(3, 1, 52), true);
    EXPECT_THROW(sparse_linear(x.sparse, w9, b3), BadArgument);
    auto broken = std::make_shared<SparseColumns>(*x.sparse);
    broken->offset.pop_back();
    EXPECT_THROW(sparse_linear(broken, w9, b), BadArgument);
}

}  // namespace
}  // namespace exprae
