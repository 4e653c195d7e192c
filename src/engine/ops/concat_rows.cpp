// concat_rows: [a; b] with a (p x n) and b (q x n) -> (p + q) x n.
//   da += dy[0:p, ]; db += dy[p:p+q, ]
// Used to append a batch one-hot under an encoder's input or a latent.
#include <algorithm>

#include "ops/ops.h"

namespace exprae {

namespace {
// Copies rows [offset, offset + part.rows()) of every column between
// `whole` and `part`; to_part selects the direction, acc adds.
template <typename T>
void copy_rows(const Tensor& whole, index_t offset, const Tensor& part,
               bool to_part, bool acc) {
    index_t p = part.rows(), r = whole.rows();
    T* w = whole.data<T>();
    T* s = part.data<T>();
    for (index_t j = 0; j < whole.cols(); ++j) {
        T* wc = w + j * r + offset;
        T* sc = s + j * p;
        if (!to_part) {
            std::copy(sc, sc + p, wc);
        } else if (acc) {
            for (index_t i = 0; i < p; ++i) sc[i] += wc[i];
        } else {
            std::copy(wc, wc + p, sc);
        }
    }
}
}  // namespace

Variable concat_rows(const Variable& a, const Variable& b) {
    const Tensor& av = a.value();
    const Tensor& bv = b.value();
    check_same_dtype("concat_rows", av, bv);
    if (av.cols() != bv.cols()) {
        throw std::invalid_argument(
            "concat_rows: a and b need the same number of columns, got a " +
            av.shape_string() + ", b " + bv.shape_string());
    }
    Tensor y = Tensor::empty(av.rows() + bv.rows(), av.cols(), av.dtype());
    dispatch(av.dtype(), [&](auto tag) {
        using T = decltype(tag);
        copy_rows<T>(y, 0, av, false, false);
        copy_rows<T>(y, av.rows(), bv, false, false);
    });
    Variable out(y, a.requires_grad() || b.requires_grad());
    Tape& tape = Tape::current();
    if (!tape.should_record(a, b)) return out;
    tape.record([a, b, out]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        dispatch(dy.dtype(), [&](auto tag) {
            using T = decltype(tag);
            bool acc = false;
            if (a.requires_grad()) {
                Tensor& da = a.grad_target(&acc);
                copy_rows<T>(dy, 0, da, true, acc);
            }
            if (b.requires_grad()) {
                Tensor& db = b.grad_target(&acc);
                copy_rows<T>(dy, a.value().rows(), db, true, acc);
            }
        });
    });
    return out;
}

}  // namespace exprae
