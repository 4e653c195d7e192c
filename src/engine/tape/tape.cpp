#include "tape/tape.h"

#include <stdexcept>

namespace exprae {

Tensor& Variable::grad_target(bool* accumulate) const {
    *accumulate = data_->grad.defined();
    if (!*accumulate) {
        const Tensor& v = data_->value;
        data_->grad = Tensor::empty_like(v);
    }
    return data_->grad;
}

Tape& Tape::current() {
    thread_local Tape tape;
    return tape;
}

void Tape::record(std::function<void()> backward_rule) {
    rules_.push_back(std::move(backward_rule));
}

void Tape::backward(const Variable& loss) {
    if (loss.value().size() != 1) {
        clear();
        throw BadArgument(
            "backward() needs a scalar (1 x 1) loss, got " +
            loss.value().shape_string());
    }
    bool accumulate = false;
    Tensor& seed = loss.grad_target(&accumulate);
    seed.fill(1.0);
    // Rules are moved out first so that an exception leaves a clean tape.
    std::vector<std::function<void()>> rules;
    rules.swap(rules_);
    for (auto it = rules.rbegin(); it != rules.rend(); ++it) (*it)();
}

}  // namespace exprae
