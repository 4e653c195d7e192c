// inner_products: y (s x t) = a^T b with a (k x s) and b (k x t), one
// matrix product on any device (the backend's gemm):
//   da += b dy^T; db += a dy
// Used for the latent's pairwise squared distances (train/batch_mmd.cpp).
#include "ops/inner_products.h"

#include "backend/backend.h"

namespace exprae {

Variable inner_products(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_dtype("inner_products", av, bv);
    if (av.ndim() != 2 || bv.ndim() != 2 || av.rows() != bv.rows()) {
        throw BadArgument(
            "inner_products: a and b must be matrices with as many rows, "
            "got a " + av.shape_string() + ", b " + bv.shape_string());
    }
    Tensor y = Tensor::empty(av.cols(), bv.cols(), av.dtype(), av.device());
    backend_for(av).gemm(true, false, 1.0, av, bv, 0.0, y);
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        Backend& be = backend_for(dy);
        bool acc = false;
        if (a.requires_grad()) {
            Tensor& da = a.grad_target(&acc);
            be.gemm(false, true, 1.0, b.value(), dy, acc ? 1.0 : 0.0, da);
        }
        if (b.requires_grad()) {
            Tensor& db = b.grad_target(&acc);
            be.gemm(false, false, 1.0, a.value(), dy, acc ? 1.0 : 0.0, db);
        }
    });
    return out;
}

}  // namespace exprae
