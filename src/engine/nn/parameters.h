// All tensors of one kind (weights, or running statistics) of a model in one
// contiguous block, with a second block for their gradients, so that zeroing
// the gradients is one memset and the optimizer runs one fused loop.
#pragma once

#include <string>
#include <vector>

#include "tape/variable.h"

namespace exprae {

class ParameterBlock {
public:
    // Declares a rows x cols tensor; returns its slot. Call before allocate().
    int declare(const std::string& name, index_t rows, index_t cols);
    // Allocates the block (and the gradient block when with_grad).
    void allocate(DType dtype, bool with_grad);

    int count() const { return static_cast<int>(names_.size()); }
    const std::string& name(int slot) const { return names_[slot]; }
    index_t total_size() const { return total_; }
    // Slot `slot` as a variable whose value and gradient are views into
    // the blocks (requires_grad when the block has gradients).
    const Variable& variable(int slot) const { return variables_[slot]; }
    Tensor& values() { return values_; }
    const Tensor& values() const { return values_; }
    Tensor& grads() { return grads_; }
    const Tensor& grads() const { return grads_; }
    // Finds a slot by name, -1 if absent.
    int find(const std::string& name) const;

    void zero_grad();
    // Moves both blocks to `device`; the slots' variables follow.
    void to(Device device);
    Device device() const { return values_.device(); }

private:
    void make_variables(bool with_grad);

    std::vector<std::string> names_;
    std::vector<index_t> rows_, cols_, offsets_;
    std::vector<Variable> variables_;
    index_t total_ = 0;
    Tensor values_, grads_;
};

}  // namespace exprae
