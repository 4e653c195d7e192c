// Adam, AdamW and SGD: one fused update over a whole ParameterBlock,
// checked against a scalar reference written from the published rules
// (PyTorch's torch.optim.Adam / AdamW / SGD with dampening 0).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cuda_test_util.h"
#include "optim/optimizer.h"
#include "test_util.h"

namespace exprae {
namespace {

// A block with three slots of different shapes, as a model has.
struct Block {
    ParameterBlock params;
    explicit Block(DType dt) {
        params.declare("a.weight", 2, 3);
        params.declare("a.bias", 2, 1);
        params.declare("b.gamma", 4, 1);
        params.allocate(dt, true);
        // Weights and gradients of mixed signs and sizes.
        for (index_t k = 0; k < params.total_size(); ++k) {
            params.values().set(k, 0, 0.3 * std::sin(1.0 + k));
            params.grads().set(k, 0, 0.5 * std::cos(2.0 * k) + 0.01 * k);
        }
    }
};

// Scalar reference of one step of each optimizer.
struct Reference {
    OptimizerOptions o;
    std::vector<double> w, m, v;
    long t = 0;

    void adam_step(const std::vector<double>& g, double lr, double scale) {
        ++t;
        double b1t = 1 - std::pow(o.beta1, t), b2t = 1 - std::pow(o.beta2, t);
        for (std::size_t i = 0; i < w.size(); ++i) {
            double gi = g[i] * scale;
            if (o.kind == OptimizerKind::adamw)
                w[i] *= 1 - lr * o.weight_decay;
            else
                gi += o.weight_decay * w[i];
            m[i] = o.beta1 * m[i] + (1 - o.beta1) * gi;
            v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi;
            double mhat = m[i] / b1t, vhat = v[i] / b2t;
            w[i] -= lr * mhat / (std::sqrt(vhat) + o.eps);
        }
    }
    void sgd_step(const std::vector<double>& g, double lr, double scale) {
        for (std::size_t i = 0; i < w.size(); ++i) {
            double gi = g[i] * scale + o.weight_decay * w[i];
            m[i] = o.momentum * m[i] + gi;
            w[i] -= lr * m[i];
        }
    }
};

void expect_steps_match(const OptimizerOptions& o, DType dt, double lr,
                        double grad_scale, double rtol) {
    Block blk(dt);
    Reference ref{o, test::to_vector(blk.params.values()), {}, {}};
    ref.m.assign(ref.w.size(), 0.0);
    ref.v.assign(ref.w.size(), 0.0);
    Optimizer opt(blk.params, o);
    for (int step = 0; step < 3; ++step) {
        std::vector<double> g = test::to_vector(blk.params.grads());
        opt.step(lr, grad_scale);
        if (o.kind == OptimizerKind::sgd)
            ref.sgd_step(g, lr, grad_scale);
        else
            ref.adam_step(g, lr, grad_scale);
        // New gradients for the next step.
        for (index_t k = 0; k < blk.params.total_size(); ++k)
            blk.params.grads().set(k, 0, std::sin(3.0 * k + step));
        std::vector<double> w = test::to_vector(blk.params.values());
        for (std::size_t i = 0; i < w.size(); ++i)
            EXPECT_NEAR(w[i], ref.w[i],
                        rtol * std::max(1.0, std::abs(ref.w[i])))
                << "step " << step + 1 << " element " << i;
    }
    EXPECT_EQ(opt.steps(), 3);
}

TEST(Optimizer, AdamFirstStepHandComputed) {
    // Step 1: mhat = g, vhat = g^2, so w -= lr * g / (|g| + eps).
    ParameterBlock p;
    p.declare("w", 3, 1);
    p.allocate(DType::f64, true);
    p.values().copy_from(test::from_values(3, 1, {1.0, -2.0, 0.5}));
    p.grads().copy_from(test::from_values(3, 1, {0.2, -4.0, 1e-3}));
    OptimizerOptions o;  // adam, 0.9, 0.999, 1e-8
    Optimizer opt(p, o);
    opt.step(0.1);
    EXPECT_NEAR(p.values().at(0), 1.0 - 0.1 * 0.2 / (0.2 + 1e-8), 1e-15);
    EXPECT_NEAR(p.values().at(1), -2.0 + 0.1 * 4.0 / (4.0 + 1e-8), 1e-15);
    EXPECT_NEAR(p.values().at(2), 0.5 - 0.1 * 1e-3 / (1e-3 + 1e-8), 1e-15);
}

TEST(Optimizer, SgdFirstStepHandComputed) {
    // Step 1 of SGD with momentum: velocity = g + wd w, w -= lr velocity.
    ParameterBlock p;
    p.declare("w", 2, 1);
    p.allocate(DType::f64, true);
    p.values().copy_from(test::from_values(2, 1, {1.0, -2.0}));
    p.grads().copy_from(test::from_values(2, 1, {0.5, 0.25}));
    OptimizerOptions o;
    o.kind = OptimizerKind::sgd;
    o.weight_decay = 0.1;
    Optimizer opt(p, o);
    opt.step(0.2);
    EXPECT_NEAR(p.values().at(0), 1.0 - 0.2 * (0.5 + 0.1), 1e-15);
    EXPECT_NEAR(p.values().at(1), -2.0 - 0.2 * (0.25 - 0.2), 1e-15);
    // Step 2, same gradient: velocity = 0.9 v1 + g + wd w1.
    double w1 = 1.0 - 0.2 * 0.6, v1 = 0.6;
    opt.step(0.2);
    EXPECT_NEAR(p.values().at(0), w1 - 0.2 * (0.9 * v1 + 0.5 + 0.1 * w1),
                1e-15);
}

TEST(Optimizer, AdamMatchesReference) {
    OptimizerOptions o;
    expect_steps_match(o, DType::f64, 0.01, 1.0, 1e-14);
    expect_steps_match(o, DType::f32, 0.01, 1.0, 1e-6);
}

TEST(Optimizer, AdamWithL2MatchesReference) {
    OptimizerOptions o;
    o.weight_decay = 0.05;
    o.beta1 = 0.8;
    o.beta2 = 0.99;
    expect_steps_match(o, DType::f64, 0.02, 1.0, 1e-14);
}

TEST(Optimizer, AdamWMatchesReference) {
    OptimizerOptions o;
    o.kind = OptimizerKind::adamw;
    o.weight_decay = 0.1;
    expect_steps_match(o, DType::f64, 0.01, 1.0, 1e-14);
    expect_steps_match(o, DType::f32, 0.01, 1.0, 1e-6);
}

TEST(Optimizer, SgdMatchesReference) {
    OptimizerOptions o;
    o.kind = OptimizerKind::sgd;
    o.momentum = 0.9;
    o.weight_decay = 0.01;
    expect_steps_match(o, DType::f64, 0.1, 1.0, 1e-14);
    expect_steps_match(o, DType::f32, 0.1, 1.0, 1e-6);
}

TEST(Optimizer, GradScaleScalesGradientsFirst) {
    OptimizerOptions adam;
    adam.weight_decay = 0.01;
    expect_steps_match(adam, DType::f64, 0.01, 0.25, 1e-14);
    OptimizerOptions sgd;
    sgd.kind = OptimizerKind::sgd;
    expect_steps_match(sgd, DType::f64, 0.1, 0.25, 1e-14);
}

TEST(Optimizer, OneFusedStepUpdatesEverySlotInPlace) {
    // The slots' variables are views into the block: one step over the
    // block must move each of them, and only through the block.
    Block blk(DType::f64);
    std::vector<Tensor> before;
    for (int s = 0; s < blk.params.count(); ++s)
        before.push_back(blk.params.variable(s).value().clone());
    OptimizerOptions o;
    o.kind = OptimizerKind::sgd;
    o.momentum = 0.0;
    Optimizer opt(blk.params, o);
    opt.step(0.5);
    for (int s = 0; s < blk.params.count(); ++s) {
        const Variable& v = blk.params.variable(s);
        for (index_t k = 0; k < v.value().size(); ++k)
            EXPECT_DOUBLE_EQ(v.value().at(k),
                             before[s].at(k) - 0.5 * v.grad().at(k))
                << blk.params.name(s) << " element " << k;
    }
}

TEST(Optimizer, GradientNorm) {
    ParameterBlock p;
    p.declare("a", 2, 1);
    p.declare("b", 1, 1);
    p.allocate(DType::f32, true);
    p.grads().copy_from(test::from_values(3, 1, {3.0, 0.0, 4.0}, DType::f32));
    EXPECT_DOUBLE_EQ(gradient_norm(p), 5.0);
    p.zero_grad();
    EXPECT_EQ(gradient_norm(p), 0.0);
}

TEST(Optimizer, ParseNames) {
    EXPECT_EQ(parse_optimizer("adam"), OptimizerKind::adam);
    EXPECT_EQ(parse_optimizer("adamw"), OptimizerKind::adamw);
    EXPECT_EQ(parse_optimizer("sgd"), OptimizerKind::sgd);
    EXPECT_THROW(parse_optimizer("rmsprop"), std::invalid_argument);
}

TEST(Optimizer, CudaMatchesCpuWithAndWithoutClipping) {
    EXPRAE_SKIP_WITHOUT_GPU();
    for (OptimizerKind kind : {OptimizerKind::adam, OptimizerKind::adamw,
                               OptimizerKind::sgd}) {
        for (double clip : {0.0, 0.5}) {
            ParameterBlock blocks[2];
            Tensor w0 = test::to_dtype(test::normal(1000, 1, 35), DType::f32);
            Tensor g0 = test::to_dtype(test::normal(1000, 1, 36), DType::f32);
            OptimizerOptions o;
            o.kind = kind;
            o.weight_decay = 0.01;
            for (int d = 0; d < 2; ++d) {
                blocks[d].declare("w", 1000, 1);
                blocks[d].allocate(DType::f32, true);
                blocks[d].values().copy_from(w0);
                blocks[d].grads().copy_from(g0);
                blocks[d].to(d == 0 ? Device::cpu : Device::cuda);
                Optimizer opt(blocks[d], o);
                for (int s = 0; s < 3; ++s) opt.step(1e-2, 1.0, clip);
            }
            test::expect_parity(blocks[1].values(), blocks[0].values(),
                                "optimizer update");
        }
    }
}

}  // namespace
}  // namespace exprae
