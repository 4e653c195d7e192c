// ModelSpec validation, parameter layout and names, initialisation.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "nn/model.h"
#include "ops/ops.h"
#include "test_util.h"

namespace exprae {
namespace {

// 10 -> dense 8 relu, batchnorm, dropout, dense 3 | dense 8 tanh,
// layernorm, dense 10
ModelSpec mixed_spec() {
    ModelSpec s;
    s.n_input = 10;
    s.encoder = {LayerSpec::dense(8, "relu"), LayerSpec::norm(LayerKind::batch_norm),
                 LayerSpec::dropout(0.2), LayerSpec::dense(3)};
    s.decoder = {LayerSpec::dense(8, "tanh"), LayerSpec::norm(LayerKind::layer_norm),
                 LayerSpec::dense(10)};
    return s;
}

TEST(ModelSpec, ValidSpecPasses) {
    EXPECT_NO_THROW(validate(mixed_spec()));
    EXPECT_EQ(latent_size(mixed_spec()), 3);
}

TEST(ModelSpec, ValidationErrors) {
    auto expect_invalid = [](ModelSpec s, const char* why) {
        EXPECT_THROW(validate(s), std::invalid_argument) << why;
        EXPECT_THROW(Model(s, DType::f32), std::invalid_argument) << why;
    };
    ModelSpec s = mixed_spec();
    s.n_input = 0;
    expect_invalid(s, "no input features");
    s = mixed_spec();
    s.encoder.clear();
    expect_invalid(s, "empty encoder");
    s = mixed_spec();
    s.decoder.clear();
    expect_invalid(s, "empty decoder");
    s = mixed_spec();
    s.encoder.push_back(LayerSpec::dropout(0.1));
    expect_invalid(s, "encoder not ending in dense");
    s = mixed_spec();
    s.decoder.push_back(LayerSpec::norm(LayerKind::layer_norm));
    expect_invalid(s, "decoder not ending in dense");
    s = mixed_spec();
    s.encoder[0].units = 0;
    expect_invalid(s, "zero units");
    s = mixed_spec();
    s.encoder[2].rate = 1.0;
    expect_invalid(s, "dropout rate 1");
    s = mixed_spec();
    s.encoder[2].rate = -0.5;
    expect_invalid(s, "negative dropout rate");
    s = mixed_spec();
    s.decoder.back().units = 9;
    expect_invalid(s, "decoder output != input size");
}

TEST(ModelSpec, ErrorMessagesNameTheProblem) {
    ModelSpec s = mixed_spec();
    s.decoder.back().units = 9;
    try {
        validate(s);
        FAIL() << "no error";
    } catch (const std::invalid_argument& e) {
        std::string msg = e.what();
        EXPECT_NE(msg.find("9"), std::string::npos) << msg;
        EXPECT_NE(msg.find("10"), std::string::npos) << msg;
    }
}

TEST(ModelSpec, ParseNames) {
    EXPECT_EQ(parse_layer_kind("dense"), LayerKind::dense);
    EXPECT_EQ(parse_layer_kind("dropout"), LayerKind::dropout);
    EXPECT_EQ(parse_layer_kind("batchnorm"), LayerKind::batch_norm);
    EXPECT_EQ(parse_layer_kind("layernorm"), LayerKind::layer_norm);
    EXPECT_THROW(parse_layer_kind("conv"), std::invalid_argument);
    EXPECT_EQ(activation("leaky_relu").name, "leaky_relu");
    EXPECT_EQ(activation("softplus").name, "softplus");
    EXPECT_THROW(activation("gelu"), std::invalid_argument);
}

TEST(Model, ParameterNamesShapesAndLayout) {
    Model m(mixed_spec(), DType::f32);
    ParameterBlock& p = m.parameters();
    struct Expect {
        const char* name;
        index_t rows, cols;
    };
    const Expect want[] = {
        {"encoder.1.weight", 8, 10}, {"encoder.1.bias", 8, 1},
        {"encoder.2.gamma", 8, 1},   {"encoder.2.beta", 8, 1},
        {"encoder.4.weight", 3, 8},  {"encoder.4.bias", 3, 1},
        {"decoder.1.weight", 8, 3},  {"decoder.1.bias", 8, 1},
        {"decoder.2.gamma", 8, 1},   {"decoder.2.beta", 8, 1},
        {"decoder.3.weight", 10, 8}, {"decoder.3.bias", 10, 1},
    };
    ASSERT_EQ(p.count(), 12);
    index_t offset = 0;
    for (int s = 0; s < p.count(); ++s) {
        EXPECT_EQ(p.name(s), want[s].name);
        EXPECT_EQ(p.find(want[s].name), s);
        const Variable& v = p.variable(s);
        EXPECT_EQ(v.value().rows(), want[s].rows) << want[s].name;
        EXPECT_EQ(v.value().cols(), want[s].cols) << want[s].name;
        EXPECT_TRUE(v.requires_grad());
        // Contiguous, in declaration order, inside the one block.
        EXPECT_EQ(v.value().data<float>(),
                  p.values().data<float>() + offset);
        EXPECT_EQ(v.grad().data<float>(), p.grads().data<float>() + offset);
        offset += want[s].rows * want[s].cols;
    }
    EXPECT_EQ(p.total_size(), offset);
    EXPECT_EQ(p.find("encoder.3.weight"), -1);  // dropout has none
    ParameterBlock& b = m.buffers();
    ASSERT_EQ(b.count(), 2);
    EXPECT_EQ(b.name(0), "encoder.2.running_mean");
    EXPECT_EQ(b.name(1), "encoder.2.running_var");
    EXPECT_FALSE(b.variable(0).requires_grad());
}

TEST(Model, InitialisationValues) {
    Model m(mixed_spec(), DType::f64);
    m.initialize(3);
    ParameterBlock& p = m.parameters();
    for (const char* name : {"encoder.1.bias", "decoder.3.bias",
                             "encoder.2.beta", "decoder.2.beta"}) {
        const Tensor& t = p.variable(p.find(name)).value();
        for (index_t k = 0; k < t.size(); ++k) EXPECT_EQ(t.at(k), 0.0) << name;
    }
    for (const char* name : {"encoder.2.gamma", "decoder.2.gamma"}) {
        const Tensor& t = p.variable(p.find(name)).value();
        for (index_t k = 0; k < t.size(); ++k) EXPECT_EQ(t.at(k), 1.0) << name;
    }
    const Tensor& rm = m.buffers().variable(0).value();
    const Tensor& rv = m.buffers().variable(1).value();
    for (index_t k = 0; k < rm.size(); ++k) {
        EXPECT_EQ(rm.at(k), 0.0);
        EXPECT_EQ(rv.at(k), 1.0);
    }
}

// Sample mean and standard deviation of a weight matrix.
void moments(const Tensor& w, double& mean, double& sd) {
    double s1 = 0, s2 = 0;
    for (index_t k = 0; k < w.size(); ++k) {
        s1 += w.at(k);
        s2 += w.at(k) * w.at(k);
    }
    mean = s1 / w.size();
    sd = std::sqrt(s2 / w.size() - mean * mean);
}

TEST(Model, InitialisationIsHeBeforeReluAndGlorotOtherwise) {
    ModelSpec s;
    s.n_input = 300;
    s.encoder = {LayerSpec::dense(200, "relu"), LayerSpec::dense(100, "tanh")};
    s.decoder = {LayerSpec::dense(300)};
    Model m(s, DType::f32);
    m.initialize(11);
    ParameterBlock& p = m.parameters();
    double mean, sd;
    // He: sd = sqrt(2 / fan_in); 60,000 draws -> sd within ~1%.
    moments(p.variable(p.find("encoder.1.weight")).value(), mean, sd);
    EXPECT_NEAR(mean, 0.0, 0.02 * std::sqrt(2.0 / 300));
    EXPECT_NEAR(sd, std::sqrt(2.0 / 300), 0.03 * std::sqrt(2.0 / 300));
    // Glorot: sd = sqrt(2 / (fan_in + fan_out)).
    moments(p.variable(p.find("encoder.2.weight")).value(), mean, sd);
    EXPECT_NEAR(sd, std::sqrt(2.0 / 300), 0.03 * std::sqrt(2.0 / 300));
    moments(p.variable(p.find("decoder.1.weight")).value(), mean, sd);
    EXPECT_NEAR(sd, std::sqrt(2.0 / 400), 0.03 * std::sqrt(2.0 / 400));
}

TEST(Model, InitialisationIsSeeded) {
    Model a(mixed_spec(), DType::f32), b(mixed_spec(), DType::f32);
    a.initialize(5);
    b.initialize(5);
    EXPECT_TRUE(test::same_bits(a.parameters().values(),
                                b.parameters().values()));
    b.initialize(6);
    EXPECT_FALSE(test::same_bits(a.parameters().values(),
                                 b.parameters().values()));
    // Re-initialising resets everything, whatever the weights were.
    b.parameters().values().fill(7.0);
    b.initialize(5);
    EXPECT_TRUE(test::same_bits(a.parameters().values(),
                                b.parameters().values()));
}

TEST(Model, EncodeDecodeShapesAndInputCheck) {
    Model m(mixed_spec(), DType::f32);
    m.initialize(1);
    Variable x(test::normal(10, 6, 2, 0, 1, DType::f32), false);
    ForwardMode train{true, 9, 0};
    Variable z = m.encode(x, train);
    EXPECT_EQ(z.value().rows(), 3);
    EXPECT_EQ(z.value().cols(), 6);
    Variable y = m.decode(z, train);
    EXPECT_EQ(y.value().rows(), 10);
    EXPECT_EQ(y.value().cols(), 6);
    Tape::current().clear();
    Variable wrong(Tensor::zeros(9, 6, DType::f32), false);
    EXPECT_THROW(m.encode(wrong, ForwardMode{}), std::invalid_argument);
}

TEST(Model, BackwardFillsTheGradientBlock) {
    Model m(mixed_spec(), DType::f64);
    m.initialize(1);
    Variable x(test::normal(10, 6, 3), false);
    ForwardMode train{true, 9, 0};
    m.parameters().zero_grad();
    Variable loss = mse_loss(m.decode(m.encode(x, train), train), x);
    Tape::current().backward(loss);
    const Tensor& g = m.parameters().grads();
    // Every weight of the last decoder layer gets a gradient.
    ParameterBlock& p = m.parameters();
    const Tensor& dw = p.variable(p.find("decoder.3.weight")).grad();
    double norm = 0;
    for (index_t k = 0; k < dw.size(); ++k) norm += dw.at(k) * dw.at(k);
    EXPECT_GT(norm, 0.0);
    m.parameters().zero_grad();
    for (index_t k = 0; k < g.size(); ++k) EXPECT_EQ(g.at(k), 0.0);
}

TEST(Model, ActivateAppliesEachActivation) {
    Tensor x = test::from_values(2, 1, {-1.0, 2.0});
    auto at0 = [&](const std::string& a) {
        return activate(Variable(x), a).value().at(0);
    };
    EXPECT_EQ(at0("linear"), -1.0);
    EXPECT_EQ(at0("relu"), 0.0);
    EXPECT_DOUBLE_EQ(at0("leaky_relu"), -0.01);
    EXPECT_DOUBLE_EQ(at0("elu"), std::expm1(-1.0));
    EXPECT_DOUBLE_EQ(at0("tanh"), std::tanh(-1.0));
    EXPECT_DOUBLE_EQ(at0("sigmoid"), 1 / (1 + std::exp(1.0)));
    EXPECT_DOUBLE_EQ(at0("softplus"), std::log1p(std::exp(-1.0)));
}

}  // namespace
}  // namespace exprae
