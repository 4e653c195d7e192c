// The autograd tape: each differentiable op records its backward rule as it
// runs. Ops record in execution order, so walking the tape in reverse visits
// every node after all of its consumers, which is a valid topological order.
#pragma once

#include <functional>
#include <vector>

#include "tape/variable.h"

namespace exprae {

class Tape {
public:
    // The tape of this thread; ops record into it.
    static Tape& current();

    bool enabled() const { return enabled_; }
    // True when an op on these inputs must record a backward rule.
    bool should_record(const Variable& a) const {
        return enabled_ && a.requires_grad();
    }
    bool should_record(const Variable& a, const Variable& b) const {
        return enabled_ && (a.requires_grad() || b.requires_grad());
    }
    void record(std::function<void()> backward_rule);

    // Seeds d(loss)/d(loss) = 1, runs every rule in reverse, clears the tape.
    void backward(const Variable& loss);
    // Drops recorded rules without running them (e.g. after an error).
    void clear() { rules_.clear(); }
    std::size_t size() const { return rules_.size(); }

private:
    friend class NoGradGuard;
    std::vector<std::function<void()>> rules_;
    bool enabled_ = true;
};

// While alive, nothing is recorded (inference and validation).
class NoGradGuard {
public:
    NoGradGuard() : previous_(Tape::current().enabled_) {
        Tape::current().enabled_ = false;
    }
    ~NoGradGuard() { Tape::current().enabled_ = previous_; }
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool previous_;
};

}  // namespace exprae
