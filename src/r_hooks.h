// The training loop's hooks under R: the progress callback, Ctrl-C checks
// that never jump over C++ frames, and log lines kept for the R layer.
#pragma once

#include <Rcpp.h>

#include <string>
#include <vector>

#include "train/hooks.h"

namespace exprae {

class RHooks : public Hooks {
public:
    explicit RHooks(SEXP callback) : callback_(callback) {}
    void on_epoch_end(const EpochRecord& record, int epochs) override;
    bool interrupted() override;
    void log(const std::string& message) override { log_.push_back(message); }
    const std::vector<std::string>& messages() const { return log_; }

private:
    SEXP callback_;
    bool interrupted_ = false;
    std::vector<std::string> log_;
};

}  // namespace exprae
