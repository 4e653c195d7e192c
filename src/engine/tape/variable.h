// A Variable is a tensor that may take part in differentiation: its value,
// its gradient (allocated when first needed) and whether it wants one.
#pragma once

#include <memory>

#include "tensor/tensor.h"

namespace exprae {

struct VariableData {
    Tensor value;
    Tensor grad;
    bool requires_grad = false;
};

class Variable {
public:
    Variable() = default;
    explicit Variable(Tensor value, bool requires_grad = false)
        : data_(std::make_shared<VariableData>()) {
        data_->value = std::move(value);
        data_->requires_grad = requires_grad;
    }

    bool defined() const { return data_ != nullptr; }
    const Tensor& value() const { return data_->value; }
    Tensor& value() { return data_->value; }
    const Tensor& grad() const { return data_->grad; }
    bool requires_grad() const { return data_->requires_grad; }
    // Gives this variable a gradient buffer of its own (for example a view
    // into a model's gradient block); backward rules then add into it.
    void set_grad(Tensor grad) const { data_->grad = std::move(grad); }

    // Where a backward rule writes this variable's gradient. When no buffer
    // exists yet, one is allocated and *accumulate is false, so the rule may
    // overwrite it; otherwise the rule must add (*accumulate is true).
    Tensor& grad_target(bool* accumulate) const;

private:
    std::shared_ptr<VariableData> data_;
};

}  // namespace exprae
