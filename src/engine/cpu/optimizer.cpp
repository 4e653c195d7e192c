// The optimizer's CPU kernel (optim/optimizer.h): gradient clipping, then
// the fused Adam or SGD loop of the hot kernels (cpu/hot_kernels.h).
#include <cmath>

#include "backend/backend.h"
#include "backend/registry.h"
#include "cpu/hot_kernels.h"
#include "optim/optimizer.h"

namespace exprae {
namespace {

void update(const UpdateStep& s, const Tensor& w, const Tensor& g,
            const Tensor& m, const Tensor& v) {
    double scale = s.grad_scale;
    if (s.clip_norm > 0) {
        Tensor ss = Tensor::empty(1, 1, DType::f64);
        backend_for(Device::cpu).sum_squares(g, ss);
        double norm = std::sqrt(ss.data<double>()[0]);
        if (norm > s.clip_norm) scale *= s.clip_norm / norm;
    }
    dispatch(w.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if (s.sgd) {
            cpu::SgdStep k{s.lr, s.momentum, s.weight_decay, scale};
            cpu::sgd_update<T>(k, w.size(), w.data<T>(), g.data<T>(),
                               m.data<T>());
            return;
        }
        cpu::AdamStep k{s.lr, s.beta1, s.beta2, s.eps, s.weight_decay,
                        s.decoupled, s.bias1, s.bias2, scale};
        cpu::adam_update<T>(k, w.size(), w.data<T>(), g.data<T>(),
                            m.data<T>(), v.data<T>());
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(OptimizerKernels, "optimizer", Device::cpu, &update);

}  // namespace exprae
