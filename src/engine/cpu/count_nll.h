// Negative log-likelihoods of counts, element by element, with their
// derivatives: Poisson, negative binomial (NB) and zero-inflated NB. The
// arithmetic is in double whatever the tensor type, in the log-space forms
// that stay finite (log-sum-exp, softplus), so float32 training does not
// overflow for large means or dispersions.
//   mu = exp(lm), theta = exp(lt), pi = sigmoid(g)
#pragma once

#include <cmath>
#include <vector>

#include "cpu/parallel.h"
#include "ops/likelihood.h"

namespace exprae {
namespace cpu {

// log Gamma(x) for x > 0: shifted up to x >= 7, then Stirling's series
// (relative error ~1e-15). Our own because std::lgamma writes the global
// `signgam` and is therefore not safe inside OpenMP loops.
inline double log_gamma(double x) {
    double shift = 0.0;
    if (x < 7.0) {
        double p = 1.0;
        while (x < 7.0) p *= x++;
        shift = -std::log(p);
    }
    double z = 1.0 / (x * x);
    double series = (1.0 / 12 - z * (1.0 / 360 - z * (1.0 / 1260 -
                     z * (1.0 / 1680 - z / 1188)))) / x;
    return shift + (x - 0.5) * std::log(x) - x +
           0.91893853320467274178 + series;  // 0.5 log(2 pi)
}

// d/dx log Gamma(x) for x > 0: recurrence up to x >= 6, asymptotic series.
inline double digamma(double x) {
    double r = 0.0;
    while (x < 6.0) r -= 1.0 / x++;
    double f = 1.0 / (x * x);
    return r + std::log(x) - 0.5 / x -
           f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 -
           f * (1.0 / 240 - f / 132))));
}

inline double log_sum_exp(double a, double b) {
    double m = a > b ? a : b;
    return m + std::log1p(std::exp(-std::fabs(a - b)));
}

// log(1 + exp(x)) without overflow
inline double softplus1(double x) {
    return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// One element's NLL and its derivatives in lm, lt and g.
struct NllElement {
    double nll = 0, d_lm = 0, d_lt = 0, d_g = 0;
};

inline NllElement poisson_element(double x, double lm) {
    NllElement e;
    double mu = std::exp(lm);
    e.nll = mu - x * lm + log_gamma(x + 1.0);
    e.d_lm = mu - x;
    return e;
}

inline NllElement nb_element(double x, double lm, double lt) {
    NllElement e;
    double theta = std::exp(lt);
    double log_tm = log_sum_exp(lt, lm);       // log(theta + mu)
    double w_theta = std::exp(lt - log_tm);    // theta / (theta + mu)
    double w_mu = std::exp(lm - log_tm);       // mu / (theta + mu)
    e.nll = -(log_gamma(x + theta) - log_gamma(theta) - log_gamma(x + 1.0) +
              theta * (lt - log_tm) + x * (lm - log_tm));
    // d nll / d lm = theta (mu - x) / (theta + mu), written so that a huge
    // mu does not overflow
    e.d_lm = theta * w_mu - x * w_theta;
    // d nll / d lt = -theta [psi(x + theta) - psi(theta) + lt - log(theta +
    // mu) + 1 - (x + theta) / (theta + mu)]; 1 - theta/(theta+mu) = w_mu
    double x_share = x * std::exp(-log_tm);    // x / (theta + mu)
    e.d_lt = -theta * (digamma(x + theta) - digamma(theta) + lt - log_tm +
                       w_mu - x_share);
    return e;
}

inline NllElement zinb_element(double x, double lm, double lt, double g) {
    double log_pi = -softplus1(-g);       // log sigmoid(g)
    double log_1mpi = -softplus1(g);      // log (1 - sigmoid(g))
    double pi = std::exp(log_pi);
    if (x > 0) {
        NllElement e = nb_element(x, lm, lt);
        e.nll -= log_1mpi;
        e.d_g = pi;
        return e;
    }
    // x = 0: p = pi + (1 - pi) NB(0), log NB(0) = theta (lt - log(theta+mu))
    NllElement e;
    double theta = std::exp(lt);
    double log_tm = log_sum_exp(lt, lm);
    double nb0 = theta * (lt - log_tm);
    double b = log_1mpi + nb0;
    double lp = log_sum_exp(log_pi, b);
    double w_a = std::exp(log_pi - lp), w_b = std::exp(b - lp);
    double w_mu = std::exp(lm - log_tm);  // mu / (theta + mu)
    e.nll = -lp;
    e.d_g = -(w_a * (1.0 - pi) - w_b * pi);
    e.d_lm = w_b * theta * w_mu;                      // -w_b d nb0 / d lm
    e.d_lt = -w_b * theta * (lt - log_tm + w_mu);     // -w_b d nb0 / d lt
    return e;
}

inline NllElement count_element(Likelihood lk, double x, double lm, double lt,
                                double g) {
    switch (lk) {
    case Likelihood::poisson: return poisson_element(x, lm);
    case Likelihood::nb: return nb_element(x, lm, lt);
    case Likelihood::zinb: return zinb_element(x, lm, lt, g);
    case Likelihood::gaussian: break;
    }
    NllElement e;  // gaussian: 0.5 (x - lm)^2, lm being the prediction
    double d = lm - x;
    e.nll = 0.5 * d * d;
    e.d_lm = d;
    return e;
}

// Inputs and outputs of one pass over a genes x n block; null pointers
// are inputs the likelihood does not use or outputs nobody wants.
template <typename T>
struct CountNllArgs {
    index_t rows = 0, cols = 0;
    const T* eta = nullptr;
    const T* log_theta = nullptr;
    bool theta_per_gene = false;  // log_theta is rows x 1
    const T* pi_logit = nullptr;
    const T* log_sf = nullptr;    // 1 x cols; null = 0
    const T* x = nullptr;
    T* d_eta = nullptr;           // rows x cols each
    T* d_log_theta = nullptr;
    T* d_pi_logit = nullptr;
    double* elements = nullptr;   // rows x cols NLL values
};

// Sum of the NLL over all elements; fills the requested outputs.
template <typename T>
double count_nll(Likelihood lk, const CountNllArgs<T>& a) {
    std::vector<double> col_sum(a.cols, 0.0);
    parallel_for(a.cols, 8, [&](index_t lo, index_t hi) {
        for (index_t j = lo; j < hi; ++j) {
            double off = a.log_sf ? static_cast<double>(a.log_sf[j]) : 0.0;
            double total = 0.0;
            for (index_t i = 0; i < a.rows; ++i) {
                index_t k = j * a.rows + i;
                double lt = a.log_theta
                    ? static_cast<double>(a.log_theta[a.theta_per_gene ? i : k])
                    : 0.0;
                double g = a.pi_logit ? static_cast<double>(a.pi_logit[k]) : 0;
                NllElement e = count_element(
                    lk, static_cast<double>(a.x[k]),
                    static_cast<double>(a.eta[k]) + off, lt, g);
                total += e.nll;
                if (a.elements) a.elements[k] = e.nll;
                if (a.d_eta) a.d_eta[k] = static_cast<T>(e.d_lm);
                if (a.d_log_theta) a.d_log_theta[k] = static_cast<T>(e.d_lt);
                if (a.d_pi_logit) a.d_pi_logit[k] = static_cast<T>(e.d_g);
            }
            col_sum[j] = total;
        }
    });
    double total = 0.0;
    for (double s : col_sum) total += s;
    return total;
}

}  // namespace cpu
}  // namespace exprae
