// How the training loop talks to its caller (R, the standalone tests, the
// benchmarks): progress, interrupt checks and log lines, nothing else.
#pragma once

#include <string>

namespace exprae {

struct EpochRecord {
    int epoch = 0;
    double loss = 0.0;
    double val_loss = 0.0;  // NaN without a validation set
    double seconds = 0.0;   // since training started
    double learning_rate = 0.0;
};

class Hooks {
public:
    virtual ~Hooks() = default;
    virtual void on_epoch_end(const EpochRecord& record, int epochs) {
        (void)record;
        (void)epochs;
    }
    // Checked between minibatches; true stops training with the weights
    // reached so far.
    virtual bool interrupted() { return false; }
    virtual void log(const std::string& message) { (void)message; }
};

}  // namespace exprae
