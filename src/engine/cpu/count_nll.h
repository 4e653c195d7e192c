// The CPU pass of the count likelihoods over a genes x n block; the
// element math is shared with the GPU (ops/count_nll_math.h).
#pragma once

#include <vector>

#include "cpu/parallel.h"
#include "ops/count_nll_math.h"
#include "tensor/tensor.h"

namespace exprae {
namespace cpu {

using nll::CountNllArgs;

// The inputs of a pass from tensors (undefined ones: not used); the
// outputs are left for the caller to point at.
template <typename T>
CountNllArgs<T> count_nll_args(const Tensor& eta, const Tensor& log_theta,
                               const Tensor& pi_logit, const Tensor& log_sf,
                               const Tensor& x) {
    auto ptr = [](const Tensor& v) -> const T* {
        return v.defined() ? v.data<T>() : nullptr;
    };
    CountNllArgs<T> a;
    a.rows = eta.rows();
    a.cols = eta.cols();
    a.eta = eta.data<T>();
    a.log_theta = ptr(log_theta);
    a.theta_per_gene = log_theta.defined() && log_theta.cols() == 1 &&
                       a.cols != 1;
    a.pi_logit = ptr(pi_logit);
    a.log_sf = ptr(log_sf);
    a.x = x.data<T>();
    return a;
}

// Sum of the NLL over all elements; fills the requested outputs.
template <typename T>
double count_nll(Likelihood lk, const CountNllArgs<T>& a) {
    std::vector<double> col_sum(a.cols, 0.0);
    parallel_for(a.cols, 8, [&](index_t lo, index_t hi) {
        for (index_t j = lo; j < hi; ++j) {
            double total = 0.0;
            for (index_t i = 0; i < a.rows; ++i) {
                double v = nll::count_nll_at(lk, a, i, j);
                total += v;
                if (a.elements) a.elements[j * a.rows + i] = v;
            }
            col_sum[j] = total;
        }
    });
    double total = 0.0;
    for (double s : col_sum) total += s;
    return total;
}

}  // namespace cpu
}  // namespace exprae
