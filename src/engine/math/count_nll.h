// Negative log-likelihoods of counts, element by element, with their
// derivatives: Poisson, negative binomial (NB) and zero-inflated NB. The
// arithmetic is in double whatever the tensor type, in the log-space forms
// that stay finite (log-sum-exp, softplus), so float32 training does not
// overflow for large means or dispersions. Compiled for the CPU
// (cpu/count_nll.cpp) and the GPU (cuda/count_nll.cu) alike.
//   mu = exp(lm), theta = exp(lt), pi = sigmoid(g)
#pragma once

#include <cmath>
#include <cstdint>

#include "math/host_device.h"
#include "ops/likelihood.h"

namespace exprae {
namespace nll {

// log Gamma(x) for x > 0: shifted up to x >= 7, then Stirling's series
// (relative error ~1e-15). Our own because std::lgamma writes the global
// `signgam` and is therefore not safe inside OpenMP loops.
EXPRAE_HD inline double log_gamma(double x) {
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
EXPRAE_HD inline double digamma(double x) {
    double r = 0.0;
    while (x < 6.0) r -= 1.0 / x++;
    double f = 1.0 / (x * x);
    return r + std::log(x) - 0.5 / x -
           f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 -
           f * (1.0 / 240 - f / 132))));
}

// log(x!) of a count: on the CPU a table for the small integers every count
// matrix is full of (kept in cpu/count_nll.cpp, also read by the vector
// kernel), log_gamma otherwise (a GPU computes it: no table).
constexpr int kLogFactorialTable = 1024;
const double* log_factorial_table();  // log(k!) for k < kLogFactorialTable

EXPRAE_HD inline double log_factorial(double x) {
#ifdef __CUDA_ARCH__
    return log_gamma(x + 1.0);
#else
    if (x >= 0 && x < kLogFactorialTable && x == std::floor(x))
        return log_factorial_table()[static_cast<int>(x)];
    return log_gamma(x + 1.0);
#endif
}

// log Gamma(x + theta) - log Gamma(theta) and psi(x + theta) - psi(theta).
// For a small integer x they are a log of a product and a sum of x terms
// (a tenth of the cost, and no cancellation between large values).
EXPRAE_HD inline void gamma_differences(double x, double theta,
                                        double& lg, double& dg) {
    if (x <= 32 && theta < 1e9 && x == std::floor(x)) {
        double product = 1.0, sum = 0.0;
        for (double k = 0; k < x; ++k) {
            product *= theta + k;
            sum += 1.0 / (theta + k);
        }
        lg = std::log(product);
        dg = sum;
        return;
    }
    lg = log_gamma(x + theta) - log_gamma(theta);
    dg = digamma(x + theta) - digamma(theta);
}

EXPRAE_HD inline double log_sum_exp(double a, double b) {
    double m = a > b ? a : b;
    return m + std::log1p(std::exp(-std::fabs(a - b)));
}

// One element's NLL and its derivatives in lm, lt and g.
struct NllElement {
    double nll = 0, d_lm = 0, d_lt = 0, d_g = 0;
};

EXPRAE_HD inline NllElement poisson_element(double x, double lm) {
    NllElement e;
    double mu = std::exp(lm);
    e.nll = mu - x * lm + log_factorial(x);
    e.d_lm = mu - x;
    return e;
}

// theta, log(theta + mu) and the shares theta / (theta + mu), mu / (theta +
// mu): directly while mu and theta are representable (always, from float32
// outputs), in log space beyond.
struct NbTerms {
    double theta, log_tm, w_theta, w_mu, inv_tm;
    EXPRAE_HD NbTerms(double lm, double lt) : theta(std::exp(lt)) {
        if (lm < 700 && lt < 700) {
            double mu = std::exp(lm), tm = theta + mu;
            log_tm = std::log(tm);
            w_theta = theta / tm;
            w_mu = mu / tm;
            inv_tm = 1.0 / tm;
        } else {
            log_tm = log_sum_exp(lt, lm);
            w_theta = std::exp(lt - log_tm);
            w_mu = std::exp(lm - log_tm);
            inv_tm = std::exp(-log_tm);
        }
    }
};

EXPRAE_HD inline NllElement nb_element(double x, double lm, double lt) {
    NllElement e;
    NbTerms t(lm, lt);
    double theta = t.theta, log_tm = t.log_tm;
    double w_theta = t.w_theta, w_mu = t.w_mu;
    if (x == 0) {
        // The Gamma and digamma terms cancel: the common case of sparse
        // single-cell counts costs two exps and a log.
        e.nll = -theta * (lt - log_tm);
        e.d_lm = theta * w_mu;
        e.d_lt = -theta * (lt - log_tm + w_mu);
        return e;
    }
    double lg, dg;
    gamma_differences(x, theta, lg, dg);
    e.nll = -(lg - log_factorial(x) + theta * (lt - log_tm) +
              x * (lm - log_tm));
    // d nll / d lm = theta (mu - x) / (theta + mu), written so that a huge
    // mu does not overflow
    e.d_lm = theta * w_mu - x * w_theta;
    // d nll / d lt = -theta [psi(x + theta) - psi(theta) + lt - log(theta +
    // mu) + 1 - (x + theta) / (theta + mu)]; 1 - theta/(theta+mu) = w_mu
    double x_share = x * t.inv_tm;             // x / (theta + mu)
    e.d_lt = -theta * (dg + lt - log_tm + w_mu - x_share);
    return e;
}

EXPRAE_HD inline NllElement zinb_element(double x, double lm, double lt,
                                         double g) {
    // pi = sigmoid(g) and log(1 - pi) = -softplus(g) from one exp
    double e_neg = std::exp(-std::fabs(g));
    double log_1mpi = -((g > 0 ? g : 0.0) + std::log1p(e_neg));
    double pi = g >= 0 ? 1.0 / (1.0 + e_neg) : e_neg / (1.0 + e_neg);
    if (x > 0) {
        NllElement e = nb_element(x, lm, lt);
        e.nll -= log_1mpi;
        e.d_g = pi;
        return e;
    }
    // x = 0: p = pi + (1 - pi) NB(0), log NB(0) = theta (lt - log(theta+mu))
    NllElement e;
    NbTerms t(lm, lt);
    double theta = t.theta, w_mu = t.w_mu;
    double nb0 = theta * (lt - t.log_tm);
    double b = log_1mpi + nb0;             // log((1 - pi) NB(0))
    double w_a, w_b, lp;                   // shares of the two ways to 0
    double mix = pi + std::exp(b);
    if (mix > 1e-300) {
        lp = std::log(mix);
        w_a = pi / mix;
    } else {                               // both tiny: in log space
        double log_pi = log_1mpi + g;
        lp = log_sum_exp(log_pi, b);
        w_a = std::exp(log_pi - lp);
    }
    w_b = std::exp(b - lp);
    e.nll = -lp;
    e.d_g = -(w_a * (1.0 - pi) - w_b * pi);
    e.d_lm = w_b * theta * w_mu;                        // -w_b d nb0 / d lm
    e.d_lt = -w_b * theta * (lt - t.log_tm + w_mu);     // -w_b d nb0 / d lt
    return e;
}

EXPRAE_HD inline NllElement count_element(Likelihood lk, double x,
                                          double lm, double lt, double g) {
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

// Inputs and outputs of one pass over a genes x n block, on the CPU or the
// GPU; null pointers are inputs the likelihood does not use or outputs
// nobody wants.
template <typename T>
struct CountNllArgs {
    std::int64_t rows = 0, cols = 0;
    const T* eta = nullptr;
    const T* log_theta = nullptr;
    bool theta_per_gene = false;  // log_theta is rows x 1
    const T* pi_logit = nullptr;
    const T* log_sf = nullptr;    // 1 x cols; null = 0
    const T* x = nullptr;
    T* d_eta = nullptr;           // rows x cols each
    T* d_log_theta = nullptr;
    T* d_pi_logit = nullptr;
    double* elements = nullptr;   // rows x cols NLL values (CPU only)
};

// Element k = (i, j) of a pass: its NLL, with the requested derivatives
// written out.
template <typename T>
EXPRAE_HD inline double count_nll_at(Likelihood lk, const CountNllArgs<T>& a,
                                     std::int64_t i, std::int64_t j) {
    std::int64_t k = j * a.rows + i;
    double off = a.log_sf ? static_cast<double>(a.log_sf[j]) : 0.0;
    double lt = a.log_theta
        ? static_cast<double>(a.log_theta[a.theta_per_gene ? i : k]) : 0.0;
    double g = a.pi_logit ? static_cast<double>(a.pi_logit[k]) : 0.0;
    NllElement e = count_element(lk, static_cast<double>(a.x[k]),
                                 static_cast<double>(a.eta[k]) + off, lt, g);
    if (a.d_eta) a.d_eta[k] = static_cast<T>(e.d_lm);
    if (a.d_log_theta) a.d_log_theta[k] = static_cast<T>(e.d_lt);
    if (a.d_pi_logit) a.d_pi_logit[k] = static_cast<T>(e.d_g);
    return e.nll;
}

}  // namespace nll
}  // namespace exprae
