// The CPU pass of the count likelihoods over a genes x n block; the
// element math is shared with the GPU (ops/count_nll_math.h).
#pragma once

#include <vector>

#include "cpu/parallel.h"
#include "ops/count_nll_math.h"
#include "tensor/tensor.h"

namespace exprae {
namespace cpu {

// Inputs and outputs of one pass over a genes x n block; null pointers
// are inputs the likelihood does not use or outputs nobody wants.
template <typename T>
struct CountNllArgs {
    index_t rows = 0, cols = 0;
    const T* eta = nullptr;
    const T* log_theta = nullptr;
    bool theta_per_gene = false;  // log_theta is rows x 1
    const T* pi_logit = nullptr;
    const T* log_sf = nullptr;    // 1 x cols; null = 0
    const T* x = nullptr;
    T* d_eta = nullptr;           // rows x cols each
    T* d_log_theta = nullptr;
    T* d_pi_logit = nullptr;
    double* elements = nullptr;   // rows x cols NLL values
};

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
            double off = a.log_sf ? static_cast<double>(a.log_sf[j]) : 0.0;
            double total = 0.0;
            for (index_t i = 0; i < a.rows; ++i) {
                index_t k = j * a.rows + i;
                double lt = a.log_theta
                    ? static_cast<double>(a.log_theta[a.theta_per_gene ? i : k])
                    : 0.0;
                double g = a.pi_logit ? static_cast<double>(a.pi_logit[k]) : 0;
                nll::NllElement e = nll::count_element(
                    lk, static_cast<double>(a.x[k]),
                    static_cast<double>(a.eta[k]) + off, lt, g);
                total += e.nll;
                if (a.elements) a.elements[k] = e.nll;
                if (a.d_eta) a.d_eta[k] = static_cast<T>(e.d_lm);
                if (a.d_log_theta) a.d_log_theta[k] = static_cast<T>(e.d_lt);
                if (a.d_pi_logit) a.d_pi_logit[k] = static_cast<T>(e.d_g);
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
