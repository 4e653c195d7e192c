// poisson_nll, nb_nll, zinb_nll: the mean over all elements of the count
// negative log-likelihood (constants included) -> 1 x 1.
//   d eta += dy * dnll/dlm / size; d log_theta likewise (summed over the
//   columns when log_theta is genes x 1); d pi_logit likewise.
// The forward pass computes the element derivatives alongside the values
// (they share every expensive term), and the backward rule scales them.
#include "cpu/count_nll.h"
#include "cpu/map.h"
#include "cpu/reduce.h"
#include "ops/likelihood.h"
#include "ops/ops.h"

namespace exprae {

Likelihood parse_likelihood(const std::string& name) {
    if (name == "gaussian") return Likelihood::gaussian;
    if (name == "poisson") return Likelihood::poisson;
    if (name == "nb") return Likelihood::nb;
    if (name == "zinb") return Likelihood::zinb;
    throw std::invalid_argument("likelihood must be 'gaussian', 'poisson', "
                                "'nb' or 'zinb', got '" + name + "'");
}

const char* likelihood_name(Likelihood likelihood) {
    switch (likelihood) {
    case Likelihood::gaussian: return "gaussian";
    case Likelihood::poisson: return "poisson";
    case Likelihood::nb: return "nb";
    case Likelihood::zinb: return "zinb";
    }
    return "gaussian";
}

bool is_count(Likelihood likelihood) {
    return likelihood != Likelihood::gaussian;
}

bool has_dispersion(Likelihood likelihood) {
    return likelihood == Likelihood::nb || likelihood == Likelihood::zinb;
}

namespace {

// Shape checks shared by the ops and nll_elements().
void check_inputs(const char* op, Likelihood lk, const Tensor& eta,
                  const Tensor& log_theta, const Tensor& pi_logit,
                  const Tensor& log_sf, const Tensor& x) {
    check_same_shape(op, eta, x);
    check_same_dtype(op, eta, x);
    if (eta.size() == 0) throw std::invalid_argument(std::string(op) +
                                                     ": empty input");
    if (has_dispersion(lk)) {
        check_same_dtype(op, eta, log_theta);
        if (!(log_theta.rows() == eta.rows() &&
              (log_theta.cols() == eta.cols() || log_theta.cols() == 1))) {
            throw std::invalid_argument(
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
            throw std::invalid_argument(
                std::string(op) + ": log_sf must be 1 x " +
                std::to_string(eta.cols()) + ", got " + log_sf.shape_string());
        }
    }
}

template <typename T>
cpu::CountNllArgs<T> args_for(const Tensor& eta, const Tensor& log_theta,
                              const Tensor& pi_logit, const Tensor& log_sf,
                              const Tensor& x) {
    cpu::CountNllArgs<T> a;
    a.rows = eta.rows();
    a.cols = eta.cols();
    a.eta = eta.data<T>();
    if (log_theta.defined()) {
        a.log_theta = log_theta.data<T>();
        a.theta_per_gene = log_theta.cols() == 1 && eta.cols() != 1;
    }
    if (pi_logit.defined()) a.pi_logit = pi_logit.data<T>();
    if (log_sf.defined()) a.log_sf = log_sf.data<T>();
    a.x = x.data<T>();
    return a;
}

// Adds dy / size * element_grad into v's gradient (row sums when v is a
// column broadcast over the element grid).
template <typename T>
void accumulate(const Variable& v, const Tensor& element_grad, T factor) {
    if (!v.requires_grad()) return;
    bool acc = false;
    Tensor& d = v.grad_target(&acc);
    if (d.size() == element_grad.size()) {
        cpu::axpy<T>(d.size(), factor, element_grad.data<T>(), d.data<T>(),
                     acc);
        return;
    }
    Tensor sums = Tensor::empty(d.rows(), 1, d.dtype());
    cpu::row_sums<T>(element_grad.rows(), element_grad.cols(),
                     element_grad.data<T>(), sums.data<T>(), false);
    cpu::axpy<T>(d.size(), factor, sums.data<T>(), d.data<T>(), acc);
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
    Tensor d_eta, d_lt, d_pi;
    if (record) {
        d_eta = Tensor::empty(ev.rows(), ev.cols(), ev.dtype());
        if (grad_theta) d_lt = Tensor::empty(ev.rows(), ev.cols(), ev.dtype());
        if (grad_pi) d_pi = Tensor::empty(ev.rows(), ev.cols(), ev.dtype());
    }
    Tensor y = Tensor::empty(1, 1, ev.dtype());
    dispatch(ev.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::CountNllArgs<T> a = args_for<T>(ev, lt, pl, log_sf, x);
        if (d_eta.defined()) a.d_eta = d_eta.data<T>();
        if (d_lt.defined()) a.d_log_theta = d_lt.data<T>();
        if (d_pi.defined()) a.d_pi_logit = d_pi.data<T>();
        y.data<T>()[0] = static_cast<T>(cpu::count_nll(lk, a) /
                                        static_cast<double>(ev.size()));
    });
    Variable out(y, requires);
    if (!record) return out;
    tape.record([eta, log_theta, pi_logit, out, d_eta, d_lt, d_pi]() {
        if (!out.grad().defined()) return;
        dispatch(d_eta.dtype(), [&](auto tag) {
            using T = decltype(tag);
            T factor = out.grad().data<T>()[0] / static_cast<T>(d_eta.size());
            accumulate<T>(eta, d_eta, factor);
            if (d_lt.defined()) accumulate<T>(log_theta, d_lt, factor);
            if (d_pi.defined()) accumulate<T>(pi_logit, d_pi, factor);
        });
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
    Tensor out = Tensor::empty(eta.rows(), eta.cols(), DType::f64);
    dispatch(eta.dtype(), [&](auto tag) {
        using T = decltype(tag);
        cpu::CountNllArgs<T> a = args_for<T>(eta, lt, pl, sf, x);
        a.elements = out.data<double>();
        cpu::count_nll(lk, a);
    });
    return out;
}

}  // namespace exprae
