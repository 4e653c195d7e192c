// Adam, AdamW and SGD with momentum over a model's whole parameter block:
// each step is one fused loop (cpu/optimizer.cpp) or kernel
// (cuda/optimizer.cu) over every weight; the per-element math they share
// is optim/update_math.h. Make the optimizer after the model is on its
// device: its state lives beside the weights.
#pragma once

#include <string>

#include "nn/parameters.h"

namespace exprae {

// One optimizer update of a whole parameter block.
struct UpdateStep {
    bool sgd = false;
    double lr = 1e-3;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // Adam
    double bias1 = 1.0, bias2 = 1.0;                // 1 - beta^t
    double momentum = 0.0;                          // SGD
    double weight_decay = 0.0;
    bool decoupled = false;                         // AdamW
    double grad_scale = 1.0;
    // > 0: the gradient is first scaled down to this global norm at most;
    // the kernel computes the norm where the gradient lives, so a GPU
    // clips without a round trip to the host.
    double clip_norm = 0.0;
};

// The optimizer's kernel on one device (cpu/optimizer.cpp,
// cuda/optimizer.cu): one fused update of the block w with gradient g;
// m is Adam's first moment or SGD's velocity, v Adam's second moment
// (undefined for SGD).
struct OptimizerKernels {
    void (*update)(const UpdateStep& s, const Tensor& w, const Tensor& g,
                   const Tensor& m, const Tensor& v);
};

enum class OptimizerKind { adam, adamw, sgd };

OptimizerKind parse_optimizer(const std::string& name);

struct OptimizerOptions {
    OptimizerKind kind = OptimizerKind::adam;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0;  // L2 for adam/sgd, decoupled for adamw
    double momentum = 0.9;      // sgd only
};

class Optimizer {
public:
    Optimizer(ParameterBlock& params, const OptimizerOptions& options);
    // One update at learning rate lr; gradients are scaled by grad_scale
    // first and, with clip_norm > 0, scaled down to that global norm (the
    // norm is computed on the gradient's device, with no host round trip).
    void step(double lr, double grad_scale = 1.0, double clip_norm = 0.0);
    long steps() const { return steps_; }

private:
    ParameterBlock& params_;
    OptimizerOptions options_;
    Tensor first_;   // Adam m, or SGD velocity
    Tensor second_;  // Adam v
    long steps_ = 0;
};

// sqrt(sum of squared gradients) over the block.
double gradient_norm(const ParameterBlock& params);

}  // namespace exprae
