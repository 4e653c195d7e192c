// The count likelihoods' pass on its own: ns per element of the generic
// (scalar), the AVX2 and the AVX-512 kernel sets
// (cpu/count_nll_columns.h), one thread, on the reference network's shape
// (2000 genes x a 256-sample minibatch) and counts
// (bench/reference_setup.h: gene means exp(N(0, 1.5)), NB with dispersion
// 2), the log-mean near each gene's mean, per-gene dispersion,
// all derivatives written, as a training step asks for them.
//
//   count_nll_kernel [--features 2000] [--batch-size 256] [--seed 1]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "cpu/hot_variants.h"
#include "reference_setup.h"

namespace {

using exprae::Likelihood;
using Clock = std::chrono::steady_clock;
template <typename T>
using Pass = void (*)(Likelihood, const exprae::nll::CountNllArgs<T>&,
                      exprae::index_t, exprae::index_t, double*);

// Median ns per element of 9 passes after one untimed.
double time_pass(Pass<float> pass, Likelihood lk,
                 const exprae::nll::CountNllArgs<float>& a) {
    std::vector<double> sums(a.cols), ns;
    pass(lk, a, 0, a.cols, sums.data());
    for (int r = 0; r < 9; ++r) {
        Clock::time_point t0 = Clock::now();
        pass(lk, a, 0, a.cols, sums.data());
        ns.push_back(std::chrono::duration<double, std::nano>(
                         Clock::now() - t0).count() /
                     static_cast<double>(a.rows * a.cols));
    }
    std::nth_element(ns.begin(), ns.begin() + 4, ns.end());
    return ns[4];
}

}  // namespace

int main(int argc, char** argv) {
    bench::Options o = bench::parse_options(argc, argv);
    o.samples = o.batch_size;
    std::vector<double> counts = bench::nb_counts(o);
    const exprae::index_t n = o.features * o.batch_size;
    std::mt19937_64 gen(o.seed + 1);
    std::normal_distribution<double> noise(0.0, 0.3);
    // The log-mean: log of the gene's average count in the block, plus noise
    std::vector<float> x(n), eta(n), pi(n), lt(o.features);
    std::vector<float> d_eta(n), d_lt(n), d_pi(n);
    for (exprae::index_t i = 0; i < o.features; ++i) {
        double total = 0;
        for (exprae::index_t j = 0; j < o.batch_size; ++j)
            total += counts[j * o.features + i];
        double log_mean = std::log(total / o.batch_size + 0.1);
        for (exprae::index_t j = 0; j < o.batch_size; ++j) {
            exprae::index_t k = j * o.features + i;
            x[k] = static_cast<float>(counts[k]);
            eta[k] = static_cast<float>(log_mean + noise(gen));
            pi[k] = static_cast<float>(-2 + noise(gen));
        }
        lt[i] = static_cast<float>(std::log(2.0) + noise(gen));
    }
    std::printf("count likelihood pass, %lld genes x %lld samples, "
                "%.0f%% zeros, one thread (ns per element)\n",
                static_cast<long long>(o.features),
                static_cast<long long>(o.batch_size),
                100.0 * std::count(x.begin(), x.end(), 0.0f) / n);
    for (Likelihood lk :
         {Likelihood::poisson, Likelihood::nb, Likelihood::zinb}) {
        exprae::nll::CountNllArgs<float> a;
        a.rows = o.features;
        a.cols = o.batch_size;
        a.eta = eta.data();
        a.x = x.data();
        a.d_eta = d_eta.data();
        if (lk != Likelihood::poisson) {
            a.log_theta = lt.data();
            a.theta_per_gene = true;
            a.d_log_theta = d_lt.data();
        }
        if (lk == Likelihood::zinb) {
            a.pi_logit = pi.data();
            a.d_pi_logit = d_pi.data();
        }
        double generic = time_pass(
            &exprae::cpu::generic::count_nll_columns<float>, lk, a);
        std::printf("%-8s generic %6.2f", exprae::likelihood_name(lk),
                    generic);
#ifdef EXPRAE_HAVE_AVX2
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
            double avx2 = time_pass(
                &exprae::cpu::avx2::count_nll_columns<float>, lk, a);
            std::printf("   avx2 %6.2f   (%.1fx)", avx2, generic / avx2);
        }
#endif
#ifdef EXPRAE_HAVE_AVX512
        if (__builtin_cpu_supports("avx512f") &&
            __builtin_cpu_supports("avx512dq")) {
            double avx512 = time_pass(
                &exprae::cpu::avx512::count_nll_columns<float>, lk, a);
            std::printf("   avx512 %6.2f   (%.1fx)", avx512,
                        generic / avx512);
        }
#endif
        std::printf("\n");
    }
    return 0;
}
