#include "nn/parameters.h"

#include <stdexcept>

namespace exprae {

int ParameterBlock::declare(const std::string& name, index_t rows,
                            index_t cols) {
    if (values_.defined()) {
        throw std::logic_error("ParameterBlock: declare after allocate");
    }
    names_.push_back(name);
    rows_.push_back(rows);
    cols_.push_back(cols);
    offsets_.push_back(total_);
    total_ += rows * cols;
    return count() - 1;
}

void ParameterBlock::allocate(DType dtype, bool with_grad) {
    // A block of size zero still gets storage so views are well defined.
    values_ = Tensor::zeros(total_ > 0 ? total_ : 1, 1, dtype);
    if (with_grad) grads_ = Tensor::zeros(total_ > 0 ? total_ : 1, 1, dtype);
    make_variables(with_grad);
}

void ParameterBlock::to(Device device) {
    if (!values_.defined() || device == values_.device()) return;
    values_ = values_.to(device);
    if (grads_.defined()) grads_ = grads_.to(device);
    make_variables(grads_.defined());
}

void ParameterBlock::make_variables(bool with_grad) {
    variables_.clear();
    for (int s = 0; s < count(); ++s) {
        Variable v(values_.view(offsets_[s], rows_[s], cols_[s]), with_grad);
        if (with_grad) v.set_grad(grads_.view(offsets_[s], rows_[s], cols_[s]));
        variables_.push_back(v);
    }
}

int ParameterBlock::find(const std::string& name) const {
    for (int s = 0; s < count(); ++s)
        if (names_[s] == name) return s;
    return -1;
}

void ParameterBlock::zero_grad() {
    if (grads_.defined()) grads_.fill(0.0);
}

}  // namespace exprae
