// Every differentiable op of the engine. Each is defined in ops/<name>.cpp
// with its shape checks, its forward kernel call and its backward rule.
// Shapes: features x samples (a minibatch is a set of columns).
#pragma once

#include <cstdint>

#include "tape/tape.h"

namespace exprae {

// y (out x n) = w (out x in) * x (in x n) + b (out x 1)
Variable linear(const Variable& x, const Variable& w, const Variable& b);
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
