// CPU-vs-CUDA parity of every op, forward and backward, in float32: each
// case runs the op on both devices from the same inputs and compares the
// output and the gradients of L = sum(y * R) (R fixed, random) with
// ||gpu - cpu|| / ||cpu|| <= 1e-5. Each case runs twice, the second time
// into gradient buffers that already hold 0.5, so that the accumulating
// branch of every CUDA backward kernel is compared too. Skips without a
// GPU.
#include <functional>
#include <vector>

#include "cuda_test_util.h"
#include "ops/ops.h"
#include "optim/optimizer.h"
#include "test_util.h"

namespace exprae {
namespace {

using OpFn = std::function<Variable(const std::vector<Variable>&)>;

struct Result {
    Tensor y;
    std::vector<Tensor> grads;
};

// r: the fixed weights of L; made on the first run from y's shape.
Result run_on(Device device, const OpFn& f, const std::vector<Tensor>& in,
              const std::vector<bool>& rg, Tensor& r, double preset) {
    Tape::current().clear();
    std::vector<Variable> vars;
    for (std::size_t k = 0; k < in.size(); ++k) {
        vars.emplace_back(in[k].to(device), rg[k]);
        if (rg[k] && preset != 0.0) {
            vars.back().set_grad(Tensor::full(in[k].rows(), in[k].cols(),
                                              preset, DType::f32, device));
        }
    }
    Variable y = f(vars);
    Result out{y.value(), {}};
    if (!r.defined()) {
        r = test::normal(y.value().rows(), y.value().cols(), 99, 0.0, 1.0,
                         DType::f32);
    }
    if (!y.requires_grad()) return out;
    Tape::current().backward(sum(mul(y, Variable(r.to(device)))));
    for (std::size_t k = 0; k < in.size(); ++k)
        out.grads.push_back(rg[k] ? vars[k].grad() : Tensor());
    return out;
}

// Inputs are float64 tensors from test_util.h, used in float32.
void expect_op_parity(const char* name, const OpFn& f,
                      const std::vector<Tensor>& in64,
                      const std::vector<bool>& rg,
                      double tol = test::kParityTolerance) {
    std::vector<Tensor> in;
    for (const Tensor& t : in64) in.push_back(test::to_dtype(t, DType::f32));
    Tensor r;
    for (double preset : {0.0, 0.5}) {
        Result cpu = run_on(Device::cpu, f, in, rg, r, preset);
        Result gpu = run_on(Device::cuda, f, in, rg, r, preset);
        std::string what = std::string(name) + (preset ? " (accumulate)" : "");
        test::expect_parity(gpu.y, cpu.y, what + " forward", tol);
        ASSERT_EQ(gpu.grads.size(), cpu.grads.size());
        for (std::size_t k = 0; k < cpu.grads.size(); ++k) {
            if (!cpu.grads[k].defined()) continue;
            test::expect_parity(gpu.grads[k], cpu.grads[k],
                                what + " gradient of input " +
                                    std::to_string(k + 1), tol);
        }
    }
}

class CudaParity : public ::testing::Test {
protected:
    void SetUp() override { EXPRAE_SKIP_WITHOUT_GPU(); }
};

TEST_F(CudaParity, Linear) {
    std::vector<Tensor> in = {test::normal(13, 9, 1), test::normal(7, 13, 2),
                              test::normal(7, 1, 3)};
    expect_op_parity("linear", [](const std::vector<Variable>& v) {
        return linear(v[0], v[1], v[2]);
    }, in, {true, true, true});
    // The reference network's widest layer: cuBLAS at a real size.
    expect_op_parity("linear 2000 -> 512", [](const std::vector<Variable>& v) {
        return linear(v[0], v[1], v[2]);
    }, {test::uniform(2000, 256, 0, 1, 4), test::normal(512, 2000, 5, 0, 0.03),
        test::normal(512, 1, 6)}, {false, true, true});
    // Odd sizes: the bias gradient's row sums end in a partial block of
    // rows (70 = 2 x 32 + 6) and of column lanes (33 = 4 x 8 + 1).
    expect_op_parity("linear 45 -> 70", [](const std::vector<Variable>& v) {
        return linear(v[0], v[1], v[2]);
    }, {test::normal(45, 33, 37), test::normal(70, 45, 38),
        test::normal(70, 1, 39)}, {true, true, true});
}

TEST_F(CudaParity, LinearWithFusedActivations) {
    std::vector<Tensor> in = {test::normal(11, 17, 7), test::normal(6, 11, 8),
                              test::normal(6, 1, 9)};
    for (UnaryKind k : {UnaryKind::relu, UnaryKind::leaky_relu,
                        UnaryKind::elu, UnaryKind::tanh, UnaryKind::sigmoid,
                        UnaryKind::softplus}) {
        Unary act{k, k == UnaryKind::leaky_relu ? 0.01 : 1.0};
        expect_op_parity("linear + activation",
                         [act](const std::vector<Variable>& v) {
            return linear(v[0], v[1], v[2], act);
        }, in, {true, true, true});
    }
}

TEST_F(CudaParity, AddMulScale) {
    Tensor a = test::normal(8, 12, 10), b = test::normal(8, 12, 11);
    auto two = [](Variable (*op)(const Variable&, const Variable&)) {
        return [op](const std::vector<Variable>& v) { return op(v[0], v[1]); };
    };
    expect_op_parity("add", two(add), {a, b}, {true, true});
    expect_op_parity("add broadcast", two(add), {a, test::normal(8, 1, 12)},
                     {true, true});
    expect_op_parity("mul", two(mul), {a, b}, {true, true});
    expect_op_parity("scale", [](const std::vector<Variable>& v) {
        return scale(v[0], -1.7);
    }, {a}, {true});
}

TEST_F(CudaParity, ElementwiseFunctions) {
    Tensor x = test::away_from_zero(9, 14, 0.05, 3.0, 13);
    using Fn = Variable (*)(const Variable&);
    for (Fn f : {static_cast<Fn>(relu), static_cast<Fn>(tanh),
                 static_cast<Fn>(sigmoid), static_cast<Fn>(softplus),
                 static_cast<Fn>(exp)}) {
        expect_op_parity("unary", [f](const std::vector<Variable>& v) {
            return f(v[0]);
        }, {x}, {true});
    }
    expect_op_parity("leaky_relu", [](const std::vector<Variable>& v) {
        return leaky_relu(v[0], 0.2);
    }, {x}, {true});
    expect_op_parity("elu", [](const std::vector<Variable>& v) {
        return elu(v[0], 0.7);
    }, {x}, {true});
    expect_op_parity("log", [](const std::vector<Variable>& v) {
        return log(v[0]);
    }, {test::uniform(9, 14, 0.1, 5.0, 14)}, {true});
}

TEST_F(CudaParity, ReductionsAndMse) {
    Tensor x = test::normal(300, 70, 15);
    expect_op_parity("sum", [](const std::vector<Variable>& v) {
        return sum(v[0]);
    }, {x}, {true});
    expect_op_parity("mean", [](const std::vector<Variable>& v) {
        return mean(v[0]);
    }, {x}, {true});
    expect_op_parity("mse_loss", [](const std::vector<Variable>& v) {
        return mse_loss(v[0], v[1]);
    }, {x, test::normal(300, 70, 16)}, {true, false});
}

// Past the launch limits: more elements than one pass of a reduction's
// fixed grid (256 blocks x 256 threads) and of an elementwise grid (8192 x
// 256), so that every grid-stride loop goes round more than once, with a
// partial last block; the row sums take 38 blocks of rows.
TEST_F(CudaParity, LargeTensorsCoverTheGridStrideLoops) {
    Tensor x = test::normal(1201, 1901, 41);  // 2,283,101 elements
    expect_op_parity("sum (large)", [](const std::vector<Variable>& v) {
        return sum(v[0]);
    }, {x}, {true});
    expect_op_parity("add broadcast (large)",
                     [](const std::vector<Variable>& v) {
        return add(v[0], v[1]);
    }, {x, test::normal(1201, 1, 42)}, {true, true});
    expect_op_parity("tanh (large)", [](const std::vector<Variable>& v) {
        return tanh(v[0]);
    }, {x}, {true});
    expect_op_parity("mse_loss (large)", [](const std::vector<Variable>& v) {
        return mse_loss(v[0], v[1]);
    }, {x, test::normal(1201, 1901, 43)}, {true, false});
    expect_op_parity("kl_normal (large)", [](const std::vector<Variable>& v) {
        return kl_normal(v[0], v[1]);
    }, {x, test::normal(1201, 1901, 44, 0.0, 0.5)}, {true, true});
}

TEST_F(CudaParity, DropoutDrawsTheSameMask) {
    Tensor x = test::away_from_zero(40, 33, 0.5, 2.0, 17);
    expect_op_parity("dropout", [](const std::vector<Variable>& v) {
        return dropout(v[0], 0.3, 42, 7);
    }, {x}, {true});
    // The same elements are dropped, not merely a similar number.
    Tensor x32 = test::to_dtype(x, DType::f32);
    Tensor cpu = dropout(Variable(x32), 0.3, 42, 7).value();
    Tensor gpu = dropout(Variable(x32.to(Device::cuda)), 0.3, 42, 7)
                     .value().host();
    for (index_t k = 0; k < cpu.size(); ++k)
        ASSERT_EQ(cpu.at(k) == 0.0, gpu.at(k) == 0.0) << "element " << k;
}

// f features x n samples, in training and in inference.
void expect_batch_norm_parity(index_t f, index_t n) {
    Tensor x = test::normal(f, n, 18, 0.5, 2.0);
    for (bool training : {true, false}) {
        Tensor rm_cpu = test::to_dtype(test::normal(f, 1, 19), DType::f32);
        Tensor rv_cpu = test::to_dtype(test::uniform(f, 1, 0.5, 2, 20),
                                       DType::f32);
        Tensor rm_gpu = rm_cpu.to(Device::cuda), rv_gpu = rv_cpu.to(
                                                     Device::cuda);
        auto op = [&, training](const std::vector<Variable>& v) {
            bool gpu = v[0].value().device() == Device::cuda;
            return batch_norm(v[0], v[1], v[2], gpu ? rm_gpu : rm_cpu,
                              gpu ? rv_gpu : rv_cpu, training);
        };
        expect_op_parity("batch_norm", op,
                         {x, test::normal(f, 1, 21), test::normal(f, 1, 22)},
                         {true, true, true});
        test::expect_parity(rm_gpu, rm_cpu, "running mean");
        test::expect_parity(rv_gpu, rv_cpu, "running variance");
    }
}

// A block takes 32 features: 21 is one partial block, 70 three blocks,
// the last partial; 30 and 45 samples end the 8 column lanes unevenly.
TEST_F(CudaParity, BatchNormTrainingAndInference) {
    expect_batch_norm_parity(21, 30);
    expect_batch_norm_parity(70, 45);
}

// One warp per sample, 8 per block: 12 and 45 samples end in a partial
// block; 37 and 70 features take a warp's lanes round 2 and 3 times.
TEST_F(CudaParity, LayerNorm) {
    for (index_t f : {index_t{37}, index_t{70}}) {
        index_t n = f == 37 ? 12 : 45;
        expect_op_parity("layer_norm", [](const std::vector<Variable>& v) {
            return layer_norm(v[0], v[1], v[2]);
        }, {test::normal(f, n, 23, 1.0, 3.0), test::normal(f, 1, 24),
            test::normal(f, 1, 25)}, {true, true, true});
    }
}

// g genes x n samples of counts, a third of them 0.
void expect_count_parity(index_t g, index_t n) {
    Tensor counts = test::to_dtype(test::uniform(g, n, 0, 40, 26), DType::f32);
    for (index_t k = 0; k < counts.size(); ++k)
        counts.set(k, 0, k % 3 == 0 ? 0.0 : std::floor(counts.at(k)));
    Tensor sf = test::to_dtype(test::normal(1, n, 27, 0, 0.3), DType::f32);
    auto on = [](const Tensor& t, const Variable& like) {
        return t.to(like.value().device());
    };
    Tensor eta = test::normal(g, n, 28, 1.0, 1.0);
    expect_op_parity("poisson_nll", [&](const std::vector<Variable>& v) {
        return poisson_nll(v[0], on(sf, v[0]), on(counts, v[0]));
    }, {eta}, {true});
    for (index_t theta_cols : {index_t{1}, n}) {
        Tensor lt = test::normal(g, theta_cols, 29, 0.5, 1.0);
        expect_op_parity("nb_nll", [&](const std::vector<Variable>& v) {
            return nb_nll(v[0], v[1], on(sf, v[0]), on(counts, v[0]));
        }, {eta, lt}, {true, true});
        expect_op_parity("zinb_nll", [&](const std::vector<Variable>& v) {
            return zinb_nll(v[0], v[1], v[2], on(sf, v[0]),
                            on(counts, v[0]));
        }, {eta, lt, test::normal(g, n, 30)}, {true, true, true});
    }
}

// 345 elements (2 blocks); 90,300, more than one pass of the NLL kernel's
// 256 x 256 grid.
TEST_F(CudaParity, CountLikelihoods) {
    expect_count_parity(23, 15);
    expect_count_parity(300, 301);
}

TEST_F(CudaParity, KlNormalAndConcatRows) {
    expect_op_parity("kl_normal", [](const std::vector<Variable>& v) {
        return kl_normal(v[0], v[1]);
    }, {test::normal(5, 40, 31), test::normal(5, 40, 32, 0.0, 0.5)},
       {true, true});
    expect_op_parity("concat_rows", [](const std::vector<Variable>& v) {
        return concat_rows(v[0], v[1]);
    }, {test::normal(6, 9, 33), test::normal(3, 9, 34)}, {true, true});
}

TEST_F(CudaParity, NormalDrawsMatchTheCpu) {
    Tensor cpu = Tensor::empty(31, 17, DType::f32);
    Tensor gpu = Tensor::empty(31, 17, DType::f32, Device::cuda);
    backend_for(Device::cpu).normal(5, kStreamLatent, 3ull << 32, cpu);
    backend_for(Device::cuda).normal(5, kStreamLatent, 3ull << 32, gpu);
    test::expect_parity(gpu, cpu, "Philox normal draws", 1e-6);
}

TEST_F(CudaParity, OptimizersWithAndWithoutClipping) {
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
