// sparse_linear's CPU kernels (ops/sparse_linear.h): the hot kernel set's
// sparse products, the result's rows split over the threads (so no two
// threads add into the same column of dw).
#include "backend/registry.h"
#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"
#include "ops/sparse_linear.h"

namespace exprae {
namespace {

void product(const Tensor& w, const SparseColumns& s, const Tensor& z) {
    dispatch(w.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::parallel_for(w.rows(), 64, [&](index_t r0, index_t r1) {
            cpu::sparse_product(w.data<T>(), w.rows(), s, r0, r1,
                                z.data<T>(), z.rows());
        });
    });
}

void product_t(const Tensor& dz, const SparseColumns& s, bool acc,
               const Tensor& dw) {
    dispatch(dz.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::parallel_for(dz.rows(), 64, [&](index_t r0, index_t r1) {
            cpu::sparse_product_t(dz.data<T>(), dz.rows(), s, r0, r1, acc,
                                  dw.data<T>(), dw.rows());
        });
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(SparseLinearKernels, "sparse_linear", Device::cpu,
                        &product, &product_t);

}  // namespace exprae
