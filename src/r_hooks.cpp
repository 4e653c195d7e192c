#include "r_hooks.h"

namespace exprae {

namespace {
void check_interrupt(void*) { R_CheckUserInterrupt(); }
}  // namespace

bool RHooks::interrupted() {
    // R_ToplevelExec returns FALSE when the check jumped (Ctrl-C): the jump
    // stops there instead of unwinding through the engine's frames.
    if (!interrupted_ && R_ToplevelExec(check_interrupt, nullptr) == FALSE)
        interrupted_ = true;
    return interrupted_;
}

void RHooks::on_epoch_end(const EpochRecord& r, int epochs) {
    if (Rf_isNull(callback_)) return;
    try {
        Rcpp::Function f(callback_);
        f(r.epoch, epochs, r.loss, std::isnan(r.val_loss) ? NA_REAL
                                                          : r.val_loss);
    } catch (Rcpp::internal::InterruptedException&) {
        interrupted_ = true;  // Ctrl-C during the progress bar
    }
}

}  // namespace exprae
