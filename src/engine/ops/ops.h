// Every differentiable op of the engine. Each is defined in ops/<name>.cpp
// with its shape checks, its forward kernel call and its backward rule.
// Shapes: features x samples (a minibatch is a set of columns).
#pragma once

#include <cstdint>

#include "ops/elementwise.h"
#include "tape/tape.h"

namespace exprae {

// y (out x n) = f(w (out x in) * x (in x n) + b (out x 1)), f an
// activation fused into the layer (identity by default)
Variable linear(const Variable& x, const Variable& w, const Variable& b,
                const Unary& activation = Unary{});
// a + b, same shape; or b (rows x 1) added to every column of a
Variable add(const Variable& a, const Variable& b);
// a * b elementwise, same shape
Variable mul(const Variable& a, const Variable& b);
// alpha * x
Variable scale(const Variable& x, double alpha);

// Elementwise activations and functions, shape preserved.
Variable relu(const Variable& x);
Variable leaky_relu(const Variable& x, double slope = 0.01);
Variable elu(const Variable& x, double alpha = 1.0);
Variable tanh(const Variable& x);
Variable sigmoid(const Variable& x);
Variable softplus(const Variable& x);
Variable exp(const Variable& x);
Variable log(const Variable& x);

// Reductions over all elements, 1 x 1.
Variable sum(const Variable& x);
Variable mean(const Variable& x);
// mean((pred - target)^2) over all elements, 1 x 1; target gets no gradient.
Variable mse_loss(const Variable& pred, const Variable& target);

// Count likelihoods (see ops/likelihood.h): the mean over all genes x n
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

// KL(N(mu, exp(logvar)) || N(0, 1)) summed over rows, averaged over the
// columns (samples), 1 x 1.
Variable kl_normal(const Variable& mu, const Variable& logvar);

// [a; b]: a (p x n) over b (q x n) -> (p + q) x n.
Variable concat_rows(const Variable& a, const Variable& b);

// Inverted dropout: keeps each element with probability 1 - rate and scales
// it by 1 / (1 - rate). Draws element i of call `counter` from the
// (seed, dropout) stream, so a GPU kernel can draw the same mask.
Variable dropout(const Variable& x, double rate, std::uint64_t seed,
                 std::uint64_t counter);

// Per-feature normalisation over the minibatch (x: features x n). In
// training it uses batch statistics and updates running_mean/running_var
// (features x 1, no gradient); in inference it uses the running values.
Variable batch_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, Tensor& running_mean,
                    Tensor& running_var, bool training,
                    double momentum = 0.1, double eps = 1e-5);

// Per-sample normalisation over features (x: features x n), then
// gamma * xhat + beta with gamma, beta features x 1.
Variable layer_norm(const Variable& x, const Variable& gamma,
                    const Variable& beta, double eps = 1e-5);

}  // namespace exprae
