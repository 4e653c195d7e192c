// The kernels of the count likelihoods (ops/count_nll.cpp: poisson_nll,
// nb_nll, zinb_nll, nll_elements) on one device: cpu/count_nll.cpp and
// cuda/count_nll.cu register a set each; the element math they share is
// math/count_nll.h.
#pragma once

#include "math/count_nll.h"
#include "ops/likelihood.h"
#include "tape/tape.h"
#include "tensor/tensor.h"

namespace exprae {

// Count likelihoods (ops/likelihood.h): the mean over all genes x n
// elements of the negative log-likelihood of counts x (no gradient), with
// mean mu = exp(eta + log_sf[j]) (log_sf 1 x n, no gradient; undefined =
// 0), theta = exp(log_theta) (genes x n, or genes x 1 for every sample) and
// zero-inflation pi = sigmoid(pi_logit). Constants included, so the value
// is -log dpois / dnbinom exactly. 1 x 1.
Variable poisson_nll(const Variable& eta, const Tensor& log_sf,
                     const Tensor& x);
Variable nb_nll(const Variable& eta, const Variable& log_theta,
                const Tensor& log_sf, const Tensor& x);
Variable zinb_nll(const Variable& eta, const Variable& log_theta,
                  const Variable& pi_logit, const Tensor& log_sf,
                  const Tensor& x);

// The tensors of one pass; undefined tensors are inputs the likelihood
// does not use or outputs nobody wants. All genes x n, except log_theta
// (genes x n or genes x 1) and log_sf (1 x n).
struct CountNllTensors {
    Tensor eta, log_theta, pi_logit, log_sf, x;
    Tensor d_eta, d_log_theta, d_pi_logit;  // element derivatives
    Tensor elements;                        // element NLLs, float64
};

struct CountNllKernels {
    // out (one element) = mean element NLL; fills the requested outputs.
    void (*nll)(Likelihood lk, const CountNllTensors& t, const Tensor& out);
};

// The pointers of a pass (math/count_nll.h) from its tensors, for the
// kernels of every device.
template <typename T>
nll::CountNllArgs<T> count_nll_args(const CountNllTensors& t) {
    auto ptr = [](const Tensor& v) {
        return v.defined() ? v.data<T>() : nullptr;
    };
    nll::CountNllArgs<T> a;
    a.rows = t.eta.rows();
    a.cols = t.eta.cols();
    a.eta = t.eta.data<T>();
    a.log_theta = ptr(t.log_theta);
    a.theta_per_gene = t.log_theta.defined() && t.log_theta.cols() == 1 &&
                       a.cols != 1;
    a.pi_logit = ptr(t.pi_logit);
    a.log_sf = ptr(t.log_sf);
    a.x = t.x.data<T>();
    a.d_eta = ptr(t.d_eta);
    a.d_log_theta = ptr(t.d_log_theta);
    a.d_pi_logit = ptr(t.d_pi_logit);
    a.elements = t.elements.defined() ? t.elements.data<double>() : nullptr;
    return a;
}

}  // namespace exprae
