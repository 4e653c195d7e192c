// An autoencoder built from a ModelSpec: its weights live in one
// ParameterBlock, its batch-norm running statistics in a second one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/model_spec.h"
#include "nn/parameters.h"

namespace exprae {

// How a forward pass runs: training (batch statistics, dropout on) or
// inference, and where dropout draws its numbers.
struct ForwardMode {
    bool training = false;
    std::uint64_t seed = 0;
    std::uint64_t step = 0;  // minibatch counter; each step draws new masks
};

// Slots of one layer's tensors in a model's blocks (-1 where unused).
struct LayerSlots {
    int weight = -1, bias = -1, gamma = -1, beta = -1;
    int running_mean = -1, running_var = -1;
};

class Model {
public:
    Model(const ModelSpec& spec, DType dtype);

    const ModelSpec& spec() const { return spec_; }
    DType dtype() const { return dtype_; }
    ParameterBlock& parameters() { return params_; }
    ParameterBlock& buffers() { return buffers_; }

    // He-normal weights before relu-like activations, Glorot-normal before
    // the others; zero biases; unit gamma; running variance 1.
    void initialize(std::uint64_t seed);

    // x: n_input x n -> latent x n
    Variable encode(const Variable& x, const ForwardMode& mode);
    // z: latent x n -> n_input x n
    Variable decode(const Variable& z, const ForwardMode& mode);

private:
    void declare(const std::vector<LayerSpec>& layers, const std::string& part,
                 index_t n_in, std::vector<LayerSlots>& slots);
    Variable run(const std::vector<LayerSpec>& layers,
                 const std::vector<LayerSlots>& slots, Variable h,
                 const ForwardMode& mode, std::uint64_t layer_offset);
    Variable apply_layer(const LayerSpec& layer, const LayerSlots& slots,
                         const Variable& h, const ForwardMode& mode,
                         std::uint64_t layer_id);

    ModelSpec spec_;
    DType dtype_;
    ParameterBlock params_;
    ParameterBlock buffers_;
    std::vector<LayerSlots> encoder_slots_, decoder_slots_;
};

Variable activate(const Variable& x, Activation activation);

}  // namespace exprae
