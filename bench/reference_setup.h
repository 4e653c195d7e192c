// What the two C++ benchmark drivers share: the reference network, its
// data (uniform random, features x samples, as R would pass it) and the
// command-line options. Kept in one place so both time the same thing.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "nn/model_spec.h"
#include "ops/likelihood.h"
#include "train/data_source.h"

namespace bench {

using exprae::index_t;

struct Options {
    int threads = 2;
    int epochs = 3;        // timed epochs
    int warmup = 1;        // untimed epochs first
    index_t batch_size = 256;
    index_t samples = 10000;
    index_t features = 2000;
    std::uint64_t seed = 1;
    bool cuda = false;     // --device cuda: train on the GPU
    bool tf32 = false;     // --tf32: TF32 GEMMs on the GPU
    bool resident = true;  // --resident 0: stream minibatches to the GPU
    // --likelihood nb|zinb: the same network on simulated counts, its
    // output the log mean of a count likelihood (gene-wise dispersion; a
    // dropout head for zinb), the encoder reading log1p(counts)
    exprae::Likelihood likelihood = exprae::Likelihood::gaussian;
};

inline void usage(const char* prog) {
    std::fprintf(stderr,
                 "usage: %s [--threads N] [--epochs N] [--warmup N]\n"
                 "          [--batch-size N] [--samples N] [--features N]\n"
                 "          [--seed N] [--device cpu|cuda] [--tf32 0|1]\n"
                 "          [--resident 0|1] [--likelihood gaussian|nb|zinb]\n",
                 prog);
}

// Parses --name value pairs; exits with a usage line on anything else.
inline Options parse_options(int argc, char** argv) {
    Options o;
    for (int k = 1; k < argc; ++k) {
        std::string name = argv[k];
        if (name == "-h" || name == "--help") {
            usage(argv[0]);
            std::exit(0);
        }
        if (k + 1 >= argc) {
            usage(argv[0]);
            std::exit(2);
        }
        std::string value = argv[++k];
        if (name == "--device" && (value == "cpu" || value == "cuda")) {
            o.cuda = value == "cuda";
            continue;
        }
        if (name == "--likelihood" &&
            (value == "gaussian" || value == "nb" || value == "zinb")) {
            o.likelihood = exprae::parse_likelihood(value);
            continue;
        }
        long long v = std::atoll(value.c_str());
        if (name == "--tf32") o.tf32 = v != 0;
        else if (name == "--resident") o.resident = v != 0;
        else if (name == "--threads") o.threads = static_cast<int>(v);
        else if (name == "--epochs") o.epochs = static_cast<int>(v);
        else if (name == "--warmup") o.warmup = static_cast<int>(v);
        else if (name == "--batch-size") o.batch_size = v;
        else if (name == "--samples") o.samples = v;
        else if (name == "--features") o.features = v;
        else if (name == "--seed") o.seed = static_cast<std::uint64_t>(v);
        else {
            usage(argv[0]);
            std::exit(2);
        }
    }
    if (o.threads < 1 || o.epochs < 1 || o.warmup < 0 || o.batch_size < 2 ||
        o.samples < o.batch_size || o.features < 1) {
        std::fprintf(stderr, "invalid option value\n");
        std::exit(2);
    }
    return o;
}

// Encoder features-512-128-32, mirrored decoder 32-128-512-features; ReLU
// on the hidden layers, linear latent and output layers.
inline exprae::ModelSpec reference_spec(
    index_t features,
    exprae::Likelihood likelihood = exprae::Likelihood::gaussian) {
    auto dense = exprae::LayerSpec::dense;
    exprae::ModelSpec s;
    s.n_input = features;
    s.likelihood = likelihood;
    s.encoder = {dense(512, "relu"), dense(128, "relu"),
                 dense(32, "linear")};
    s.decoder = {dense(128, "relu"), dense(512, "relu"),
                 dense(features, "linear")};
    return s;
}

// Uniform [0, 1) doubles, features x samples, column-major (an R matrix).
inline std::vector<double> uniform_data(const Options& o) {
    std::mt19937_64 gen(o.seed);
    std::uniform_real_distribution<double> unif(0.0, 1.0);
    std::vector<double> x(static_cast<std::size_t>(o.features * o.samples));
    for (double& v : x) v = unif(gen);
    return x;
}

// Negative binomial counts, features x samples: gene means exp(N(0, 1.5))
// (about 40% zeros overall), dispersion 2, as bench/reference_network.py
// draws them (the same distribution, not the same numbers).
inline std::vector<double> nb_counts(const Options& o) {
    std::mt19937_64 gen(o.seed);
    std::normal_distribution<double> log_mean(0.0, 1.5);
    std::vector<double> mean(static_cast<std::size_t>(o.features));
    for (double& m : mean) m = std::exp(log_mean(gen));
    const double theta = 2.0;
    std::gamma_distribution<double> gamma(theta, 1.0 / theta);
    std::vector<double> x(static_cast<std::size_t>(o.features * o.samples));
    for (index_t j = 0; j < o.samples; ++j) {
        for (index_t i = 0; i < o.features; ++i) {
            std::poisson_distribution<long long> pois(mean[i] * gamma(gen));
            x[j * o.features + i] = static_cast<double>(pois(gen));
        }
    }
    return x;
}

// The data as the engine reads it, not standardised (center 0, scale 1),
// like the PyTorch peer, which feeds the raw values.
inline exprae::DenseSource data_source(const std::vector<double>& x,
                                       const Options& o) {
    return exprae::DenseSource(
        x.data(), o.features, o.samples,
        std::vector<double>(static_cast<std::size_t>(o.features), 0.0),
        std::vector<double>(static_cast<std::size_t>(o.features), 1.0));
}

}  // namespace bench
