// The op sparse_linear (ops/sparse_linear.cpp) and its kernels
// (cpu/sparse_linear.cpp; no GPU kernels: a GPU takes the dense input).
#pragma once

#include <memory>

#include "ops/unary.h"
#include "tape/tape.h"
#include "tensor/sparse_columns.h"
#include "tensor/tensor.h"

namespace exprae {

// linear() on an input given sparse: y (out x n) = f(w (out x in) x + b)
// with x = s + offset 1^T (tensor/sparse_columns.h), which needs no
// gradient. A first layer on single-cell counts (90-95% zeros) multiplies
// only the non-zeros, forward and for w's gradient.
Variable sparse_linear(std::shared_ptr<const SparseColumns> x,
                       const Variable& w, const Variable& b,
                       const Unary& activation = Unary{});

struct SparseLinearKernels {
    // z (out x n) = w s
    void (*product)(const Tensor& w, const SparseColumns& s, const Tensor& z);
    // dw = dz s^T, or dw += dz s^T when acc
    void (*product_t)(const Tensor& dz, const SparseColumns& s, bool acc,
                      const Tensor& dw);
};

}  // namespace exprae
