// The likelihoods a decoder's output can be scored with, and the
// per-element negative log-likelihood without the tape (for reconstruction
// errors of a fitted model). The differentiable losses are in ops.h.
#pragma once

#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace exprae {

enum class Likelihood { gaussian, poisson, nb, zinb };

// The names the R layer uses, from one table (ops/likelihood.cpp);
// parse_likelihood() throws BadArgument naming the bad value.
Likelihood parse_likelihood(const std::string& name);
const char* likelihood_name(Likelihood likelihood);
std::vector<std::string> likelihood_names();
bool is_count(Likelihood likelihood);
bool has_dispersion(Likelihood likelihood);

// genes x n float64 matrix of element NLLs. Count likelihoods: x are the
// counts, mu = exp(eta + log_sf[j]); log_theta genes x n or genes x 1;
// pi_logit genes x n (zinb). Gaussian: 0.5 (x - eta)^2. Inputs a
// likelihood does not use may be undefined Tensors; log_sf may be too.
// CPU tensors only.
Tensor nll_elements(Likelihood likelihood, const Tensor& eta,
                    const Tensor& log_theta, const Tensor& pi_logit,
                    const Tensor& log_sf, const Tensor& x);

}  // namespace exprae
