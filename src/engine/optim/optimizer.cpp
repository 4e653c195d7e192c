#include "optim/optimizer.h"

#include <cmath>
#include <stdexcept>

#include "cpu/hot_kernels.h"
#include "cpu/reduce.h"

namespace exprae {

OptimizerKind parse_optimizer(const std::string& name) {
    if (name == "adam") return OptimizerKind::adam;
    if (name == "adamw") return OptimizerKind::adamw;
    if (name == "sgd") return OptimizerKind::sgd;
    throw std::invalid_argument("unknown optimizer '" + name +
                                "' (adam, adamw, sgd)");
}

Optimizer::Optimizer(ParameterBlock& params, const OptimizerOptions& options)
    : params_(params), options_(options) {
    const Tensor& w = params_.values();
    first_ = Tensor::zeros(w.rows(), 1, w.dtype());
    if (options_.kind != OptimizerKind::sgd)
        second_ = Tensor::zeros(w.rows(), 1, w.dtype());
}

void Optimizer::step(double lr, double grad_scale) {
    ++steps_;
    Tensor& w = params_.values();
    const Tensor& g = params_.grads();
    index_t n = w.size();
    dispatch(w.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if (options_.kind == OptimizerKind::sgd) {
            cpu::SgdStep s{lr, options_.momentum, options_.weight_decay,
                           grad_scale};
            cpu::sgd_update<T>(s, n, w.data<T>(), g.data<T>(),
                               first_.data<T>());
            return;
        }
        double t = static_cast<double>(steps_);
        cpu::AdamStep s{lr, options_.beta1, options_.beta2, options_.eps,
                        options_.weight_decay,
                        options_.kind == OptimizerKind::adamw,
                        1.0 - std::pow(options_.beta1, t),
                        1.0 - std::pow(options_.beta2, t), grad_scale};
        cpu::adam_update<T>(s, n, w.data<T>(), g.data<T>(), first_.data<T>(),
                            second_.data<T>());
    });
}

double gradient_norm(const ParameterBlock& params) {
    const Tensor& g = params.grads();
    return dispatch(g.dtype(), [&](auto tag) {
        using T = decltype(tag);
        const T* d = g.data<T>();
        double total = 0.0;
        for (index_t i = 0; i < g.size(); ++i) total += double(d[i]) * d[i];
        return std::sqrt(total);
    });
}

}  // namespace exprae
