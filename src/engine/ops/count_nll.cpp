// poisson_nll, nb_nll, zinb_nll: the mean over all elements of the count
// negative log-likelihood (constants included) -> 1 x 1.
//   d eta += dy * dnll/dlm / size; d log_theta likewise (summed over the
//   columns when log_theta is genes x 1); d pi_logit likewise.
// The forward pass computes the element derivatives alongside the values
// (they share every expensive term), and the backward rule scales them.
#include "ops/count_nll.h"

#include "backend/backend.h"
#include "backend/registry.h"

namespace exprae {

namespace {

const CountNllKernels& kernels_on(Device device) {
    return kernels<CountNllKernels>("count_nll", device);
}

// Shape checks shared by the ops and nll_elements().
void check_inputs(const char* op, Likelihood lk, const Tensor& eta,
                  const Tensor& log_theta, const Tensor& pi_logit,
                  const Tensor& log_sf, const Tensor& x) {
    check_same_shape(op, eta, x);
    check_same_dtype(op, eta, x);
    if (eta.size() == 0) throw BadArgument(std::string(op) + ": empty input");
    if (has_dispersion(lk)) {
        check_same_dtype(op, eta, log_theta);
        if (!(log_theta.rows() == eta.rows() &&
              (log_theta.cols() == eta.cols() || log_theta.cols() == 1))) {
            throw BadArgument(
                std::string(op) + ": log_theta must be " + eta.shape_string() +
                " or a column of its rows, got " + log_theta.shape_string());
        }
    }
    if (lk == Likelihood::zinb) {
        check_same_shape(op, eta, pi_logit);
        check_same_dtype(op, eta, pi_logit);
    }
    if (log_sf.defined()) {
        check_same_dtype(op, eta, log_sf);
        if (log_sf.rows() != 1 || log_sf.cols() != eta.cols()) {
            throw BadArgument(
                std::string(op) + ": log_sf must be 1 x " +
                std::to_string(eta.cols()) + ", got " + log_sf.shape_string());
        }
    }
}

// Adds dy / size * element_grad into v's gradient (row sums when v is a
// column broadcast over the element grid).
void accumulate(const Variable& v, const Tensor& element_grad,
                const Tensor& dy) {
    if (!v.requires_grad()) return;
    Backend& be = backend_for(element_grad);
    double per_element = 1.0 / static_cast<double>(element_grad.size());
    bool acc = false;
    Tensor& d = v.grad_target(&acc);
    if (d.size() == element_grad.size()) {
        be.scaled_axpy(dy, per_element, element_grad, d, acc);
        return;
    }
    Tensor sums = Tensor::empty(d.rows(), 1, d.dtype(), d.device());
    be.row_sums(element_grad, sums, false);
    be.scaled_axpy(dy, per_element, sums, d, acc);
}

Variable count_loss(const char* op, Likelihood lk, const Variable& eta,
                    const Variable& log_theta, const Variable& pi_logit,
                    const Tensor& log_sf, const Tensor& x) {
    const Tensor& ev = eta.value();
    Tensor lt = has_dispersion(lk) ? log_theta.value() : Tensor();
    Tensor pl = lk == Likelihood::zinb ? pi_logit.value() : Tensor();
    check_inputs(op, lk, ev, lt, pl, log_sf, x);
    bool grad_theta = lt.defined() && log_theta.requires_grad();
    bool grad_pi = pl.defined() && pi_logit.requires_grad();
    bool requires = eta.requires_grad() || grad_theta || grad_pi;
    Tape& tape = Tape::current();
    bool record = tape.enabled() && requires;
    CountNllTensors t;
    t.eta = ev;
    t.log_theta = lt;
    t.pi_logit = pl;
    t.log_sf = log_sf;
    t.x = x;
    auto element_grid = [&]() { return Tensor::empty_like(ev); };
    if (record) {
        t.d_eta = element_grid();
        if (grad_theta) t.d_log_theta = element_grid();
        if (grad_pi) t.d_pi_logit = element_grid();
    }
    Tensor y = Tensor::empty(1, 1, ev.dtype(), ev.device());
    kernels_on(ev.device()).nll(lk, t, y);
    Variable out(y, requires);
    if (!record) return out;
    tape.record([eta, log_theta, pi_logit, out, t]() {
        const Tensor& dy = out.grad();
        if (!dy.defined()) return;
        accumulate(eta, t.d_eta, dy);
        if (t.d_log_theta.defined()) accumulate(log_theta, t.d_log_theta, dy);
        if (t.d_pi_logit.defined()) accumulate(pi_logit, t.d_pi_logit, dy);
    });
    return out;
}

}  // namespace

Variable poisson_nll(const Variable& eta, const Tensor& log_sf,
                     const Tensor& x) {
    return count_loss("poisson_nll", Likelihood::poisson, eta, Variable(),
                      Variable(), log_sf, x);
}

Variable nb_nll(const Variable& eta, const Variable& log_theta,
                const Tensor& log_sf, const Tensor& x) {
    return count_loss("nb_nll", Likelihood::nb, eta, log_theta, Variable(),
                      log_sf, x);
}

Variable zinb_nll(const Variable& eta, const Variable& log_theta,
                  const Variable& pi_logit, const Tensor& log_sf,
                  const Tensor& x) {
    return count_loss("zinb_nll", Likelihood::zinb, eta, log_theta, pi_logit,
                      log_sf, x);
}

Tensor nll_elements(Likelihood lk, const Tensor& eta, const Tensor& log_theta,
                    const Tensor& pi_logit, const Tensor& log_sf,
                    const Tensor& x) {
    Tensor lt = has_dispersion(lk) ? log_theta : Tensor();
    Tensor pl = lk == Likelihood::zinb ? pi_logit : Tensor();
    Tensor sf = is_count(lk) ? log_sf : Tensor();
    check_inputs("nll_elements", lk, eta, lt, pl, sf, x);
    for (const Tensor& t : {eta, lt, pl, sf, x}) {
        if (t.defined() && t.device() != Device::cpu) {
            throw BadArgument("nll_elements: tensors must be on the CPU");
        }
    }
    CountNllTensors t;
    t.eta = eta;
    t.log_theta = lt;
    t.pi_logit = pl;
    t.log_sf = sf;
    t.x = x;
    t.elements = Tensor::empty(eta.rows(), eta.cols(), DType::f64);
    Tensor mean = Tensor::empty(1, 1, eta.dtype());
    kernels_on(Device::cpu).nll(lk, t, mean);
    return t.elements;
}

}  // namespace exprae
