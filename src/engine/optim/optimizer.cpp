#include "optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

OptimizerKind parse_optimizer(const std::string& name) {
    if (name == "adam") return OptimizerKind::adam;
    if (name == "adamw") return OptimizerKind::adamw;
    if (name == "sgd") return OptimizerKind::sgd;
    throw BadArgument("unknown optimizer '" + name +
                      "' (adam, adamw, sgd)");
}

Optimizer::Optimizer(ParameterBlock& params, const OptimizerOptions& options)
    : params_(params), options_(options) {
    const Tensor& w = params_.values();
    first_ = Tensor::zeros(w.rows(), 1, w.dtype(), w.device());
    if (options_.kind != OptimizerKind::sgd)
        second_ = Tensor::zeros(w.rows(), 1, w.dtype(), w.device());
}

void Optimizer::step(double lr, double grad_scale, double clip_norm) {
    ++steps_;
    const Tensor& w = params_.values();
    if (w.device() != first_.device()) {
        throw BadArgument("optimizer: the parameters moved to another "
                          "device after the optimizer was made");
    }
    UpdateStep s;
    s.sgd = options_.kind == OptimizerKind::sgd;
    s.lr = lr;
    s.beta1 = options_.beta1;
    s.beta2 = options_.beta2;
    s.eps = options_.eps;
    double t = static_cast<double>(steps_);
    s.bias1 = 1.0 - std::pow(options_.beta1, t);
    s.bias2 = 1.0 - std::pow(options_.beta2, t);
    s.momentum = options_.momentum;
    s.weight_decay = options_.weight_decay;
    s.decoupled = options_.kind == OptimizerKind::adamw;
    s.grad_scale = grad_scale;
    s.clip_norm = clip_norm;
    kernels<OptimizerKernels>("optimizer", w.device())
        .update(s, w, params_.grads(), first_, second_);
}

double gradient_norm(const ParameterBlock& params) {
    const Tensor& g = params.grads();
    Tensor total = Tensor::empty(1, 1, DType::f64, g.device());
    backend_for(g).sum_squares(g, total);
    return std::sqrt(total.at(0));
}

}  // namespace exprae
