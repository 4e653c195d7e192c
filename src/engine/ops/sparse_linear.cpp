// sparse_linear: linear() (ops/linear.cpp) with a sparse input x = s +
// offset 1^T that needs no gradient:
//   z = w s + (b + w offset) 1^T,   y = f(z)
//   dz = dy * f'(z, y)
//   dw += dz s^T + rowsum(dz) offset^T    db += rowsum(dz)
// The offset (the centring of the input) is folded into the bias, so the
// products touch only the non-zeros of s.
#include "ops/sparse_linear.h"

#include <string>
#include <utility>

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

namespace {

const SparseLinearKernels& kernels_on(Device device) {
    return kernels<SparseLinearKernels>("sparse_linear", device);
}

void check_sparse_linear(const SparseColumns& x, const Tensor& w,
                         const Tensor& b) {
    bool offset_ok = x.offset.empty() ||
                     static_cast<index_t>(x.offset.size()) == x.rows;
    bool start_ok = static_cast<index_t>(x.start.size()) == x.cols + 1 &&
                    x.start.back() == x.nnz() &&
                    x.row.size() == x.value.size();
    if (w.ndim() != 2 || w.cols() != x.rows || b.ndim() != 2 ||
        b.rows() != w.rows() || b.cols() != 1 || !offset_ok || !start_ok) {
        throw BadArgument(
            "sparse_linear: expected w (out x in), a sparse x (in x n) and "
            "b (out x 1), got w " + w.shape_string() + ", x " +
            std::to_string(x.rows) + " x " + std::to_string(x.cols) +
            ", b " + b.shape_string());
    }
    check_same_dtype("sparse_linear", w, b);
}

// The offset as a column of w's type, or undefined without one.
Tensor offset_column(const SparseColumns& x, const Tensor& w) {
    if (x.offset.empty()) return Tensor();
    Tensor o = Tensor::empty(x.rows, 1, w.dtype(), w.device());
    for (index_t r = 0; r < x.rows; ++r) o.set(r, 0, x.offset[r]);
    return o;
}

void sparse_linear_backward(const SparseColumns& x, const Tensor& offset,
                            const Variable& w, const Variable& b,
                            const Tensor& dz) {
    Backend& be = backend_for(dz);
    bool acc = false;
    if (w.requires_grad()) {
        Tensor& dw = w.grad_target(&acc);
        kernels_on(dz.device()).product_t(dz, x, acc, dw);
        if (offset.defined()) {
            Tensor sums = Tensor::empty(dz.rows(), 1, dz.dtype(), dz.device());
            be.row_sums(dz, sums, false);
            be.gemm(false, true, 1.0, sums, offset, 1.0, dw);
        }
    }
    if (b.requires_grad()) {
        Tensor& db = b.grad_target(&acc);
        be.row_sums(dz, db, acc);
    }
}

}  // namespace

Variable sparse_linear(std::shared_ptr<const SparseColumns> x,
                       const Variable& w, const Variable& b,
                       const Unary& activation) {
    const Tensor& wv = w.value();
    check_sparse_linear(*x, wv, b.value());
    Tensor z = Tensor::empty(wv.rows(), x->cols, wv.dtype(), wv.device());
    kernels_on(wv.device()).product(wv, *x, z);
    Tensor offset = offset_column(*x, wv);
    Tensor bias = b.value();
    if (offset.defined()) {
        bias = b.value().clone();
        backend_for(wv).gemm(false, false, 1.0, wv, offset, 1.0, bias);
    }
    Tensor y = fused_bias_activation(activation, bias, z);
    bool needs = w.requires_grad() || b.requires_grad();
    Variable result(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return result;
    if (activation.is_identity()) z = Tensor();  // y is z; keep one handle
    tape.record([x = std::move(x), offset, w, b, result, z, activation]() {
        const Tensor& dy = result.grad();
        if (!dy.defined()) return;
        sparse_linear_backward(*x, offset, w, b,
                               fused_grad(activation, z, result.value(), dy));
    });
    return result;
}

}  // namespace exprae
