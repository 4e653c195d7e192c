// linear: z (out x n) = w (out x in) * x (in x n) + b (out x 1), then
// y = f(z) for a fused activation f (identity by default: y = z). x may
// have more dimensions: (in, positions, n) gives (out, positions, n), the
// layer applied at every position.
//   dz = dy * f'(z, y)
//   dw += dz x^T    db += rowsum(dz)    dx += w^T dz
// Fusing the activation saves a pass over z and, on a GPU, a launch. The
// products are the backend's GEMM; the bias and activation kernels are
// the activation's own (ops/unary.h).
#include "ops/linear.h"

#include <string>

#include "backend/backend.h"
#include "ops/unary.h"

namespace exprae {

namespace {
void check_linear(const Tensor& x, const Tensor& w, const Tensor& b) {
    if (w.ndim() != 2 || w.cols() != x.rows() || b.ndim() != 2 ||
        b.rows() != w.rows() || b.cols() != 1) {
        throw BadArgument(
            "linear: expected w (out x in), x (in x n), b (out x 1), got w " +
            w.shape_string() + ", x " + x.shape_string() + ", b " +
            b.shape_string());
    }
    check_same_dtype("linear", x, w);
    check_same_dtype("linear", w, b);
}

void linear_backward(const Variable& x, const Variable& w, const Variable& b,
                     const Tensor& dz) {
    Backend& be = backend_for(dz);
    bool acc = false;
    if (w.requires_grad()) {
        Tensor& dw = w.grad_target(&acc);
        be.gemm(false, true, 1.0, dz, x.value(), acc ? 1.0 : 0.0, dw);
    }
    if (b.requires_grad()) {
        Tensor& db = b.grad_target(&acc);
        be.row_sums(dz, db, acc);
    }
    // The network's input needs no gradient: skipping it saves a third of
    // the first layer's backward work.
    if (x.requires_grad()) {
        Tensor& dx = x.grad_target(&acc);
        be.gemm(true, false, 1.0, w.value(), dz, acc ? 1.0 : 0.0, dx);
    }
}
}  // namespace

Variable linear(const Variable& x, const Variable& w, const Variable& b,
                const Unary& activation) {
    const Tensor& xv = x.value();
    const Tensor& wv = w.value();
    check_linear(xv, wv, b.value());
    Tensor z = Tensor::empty(xv.shape().with(0, wv.rows()), xv.dtype(),
                             xv.device());
    backend_for(xv).gemm(false, false, 1.0, wv, xv, 0.0, z);
    Tensor y = fused_bias_activation(activation, b.value(), z);
    bool needs = x.requires_grad() || w.requires_grad() || b.requires_grad();
    Variable result(y, needs);
    Tape& tape = Tape::current();
    if (!tape.enabled() || !needs) return result;
    if (activation.is_identity()) z = Tensor();  // y is z; keep one handle
    tape.record([x, w, b, result, z, activation]() {
        const Tensor& dy = result.grad();
        if (!dy.defined()) return;
        linear_backward(x, w, b,
                        fused_grad(activation, z, result.value(), dy));
    });
    return result;
}

}  // namespace exprae
