// batch_mmd (train/batch_mmd.h): the batches' squared MMD in the latent
// space, against a direct computation of the two-sample statistic.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_util.h"
#include "train/batch_mmd.h"

namespace exprae {
namespace {

Tensor labels_of(const std::vector<int>& batch, DType dtype) {
    Tensor t = Tensor::empty(1, static_cast<index_t>(batch.size()), dtype);
    for (std::size_t c = 0; c < batch.size(); ++c)
        t.set(0, static_cast<index_t>(c), batch[c]);
    return t;
}

// MMD^2 of each batch present against the rest (the diagonal's kernel
// values included), averaged over those batches; h = mean squared
// distance over the pairs i < j.
double reference_mmd(const Tensor& z, const std::vector<int>& batch,
                     int n_batches) {
    index_t n = z.cols();
    auto d2 = [&](index_t i, index_t j) {
        double s = 0.0;
        for (index_t r = 0; r < z.rows(); ++r) {
            double d = z.at(r, i) - z.at(r, j);
            s += d * d;
        }
        return s;
    };
    double h = 0.0;
    for (index_t i = 0; i < n; ++i)
        for (index_t j = i + 1; j < n; ++j) h += d2(i, j);
    h /= static_cast<double>(n * (n - 1) / 2);
    double total = 0.0;
    int present = 0;
    for (int g = 0; g < n_batches; ++g) {
        double in_in = 0, out_out = 0, in_out = 0, n_in = 0;
        for (index_t i = 0; i < n; ++i) n_in += batch[i] == g;
        if (n_in == 0) continue;
        ++present;
        double n_out = static_cast<double>(n) - n_in;
        for (index_t i = 0; i < n; ++i) {
            for (index_t j = 0; j < n; ++j) {
                double k = std::exp(-d2(i, j) / h);
                bool a = batch[i] == g, b = batch[j] == g;
                if (a && b) in_in += k;
                else if (!a && !b) out_out += k;
                else if (a) in_out += k;
            }
        }
        total += in_in / (n_in * n_in) + out_out / (n_out * n_out) -
                 2.0 * in_out / (n_in * n_out);
    }
    // The engine leaves out the constant diagonal (kernel 1): per batch
    // 1 / n_in + 1 / n_out.
    for (int g = 0; g < n_batches; ++g) {
        double n_in = 0;
        for (int b : batch) n_in += b == g;
        if (n_in > 0)
            total -= 1.0 / n_in + 1.0 / (static_cast<double>(n) - n_in);
    }
    return total / present;
}

TEST(BatchMmd, MatchesTheTwoSampleStatistic) {
    std::vector<int> batch = {0, 1, 2, 0, 1, 2, 0, 0, 1, 2, 2};
    for (DType dt : {DType::f64, DType::f32}) {
        Tensor z = test::normal(3, 11, 31, 0.0, 1.0, dt);
        Variable m = batch_mmd(Variable(z), labels_of(batch, dt), 3);
        double ref = reference_mmd(z, batch, 3);
        EXPECT_NEAR(m.value().at(0), ref,
                    test::forward_tolerance(dt) * std::max(1.0, std::abs(ref)));
    }
}

TEST(BatchMmd, TakesTheFirstSamplesOfALargeMinibatch) {
    // the samples after the first kMaxMmdSamples do not enter
    const index_t n = kMaxMmdSamples + 5;
    std::vector<int> batch(n);
    for (index_t c = 0; c < n; ++c) batch[c] = static_cast<int>(c % 3 == 0);
    Tensor z = test::normal(2, n, 35);
    Tensor head = Tensor::empty(2, kMaxMmdSamples, DType::f64);
    for (index_t c = 0; c < kMaxMmdSamples; ++c)
        for (index_t r = 0; r < 2; ++r) head.set(r, c, z.at(r, c));
    std::vector<int> head_batch(batch.begin(), batch.begin() + kMaxMmdSamples);
    Tape::current().clear();
    Variable zv(z.clone(), true);
    Variable m = batch_mmd(zv, labels_of(batch, DType::f64), 2);
    EXPECT_NEAR(m.value().at(0), reference_mmd(head, head_batch, 2), 1e-9);
    Tape::current().backward(m);
    for (index_t c = kMaxMmdSamples; c < n; ++c)
        for (index_t r = 0; r < 2; ++r) EXPECT_EQ(zv.grad().at(r, c), 0.0);
    Tape::current().clear();
}

TEST(BatchMmd, DoesNotChangeWhenTheLatentIsScaled) {
    std::vector<int> batch = {0, 1, 0, 1, 0, 1, 1};
    Tensor z = test::normal(4, 7, 32);
    Tensor small = z.clone();
    for (index_t k = 0; k < small.size(); ++k)
        small.set(k % 4, k / 4, 0.01 * z.at(k % 4, k / 4));
    Tensor labels = labels_of(batch, DType::f64);
    EXPECT_NEAR(batch_mmd(Variable(small), labels, 2).value().at(0),
                batch_mmd(Variable(z), labels, 2).value().at(0), 1e-12);
}

TEST(BatchMmd, IsZeroWithOneBatchPresent) {
    Tensor z = test::normal(2, 5, 33);
    Variable m = batch_mmd(Variable(z), labels_of({1, 1, 1, 1, 1}, DType::f64),
                           3);
    EXPECT_EQ(m.value().at(0), 0.0);
}

TEST(BatchMmd, GradientPullsTheBatchesTogether) {
    // Two batches apart along the first latent axis: a small step against
    // the gradient lowers the statistic.
    std::vector<int> batch = {0, 0, 0, 1, 1, 1};
    Tensor z = test::normal(2, 6, 34, 0.0, 0.3);
    for (index_t c = 3; c < 6; ++c) z.set(0, c, z.at(0, c) + 2.0);
    Tensor labels = labels_of(batch, DType::f64);
    Tape::current().clear();
    Variable zv(z.clone(), true);
    Variable m = batch_mmd(zv, labels, 2);
    Tape::current().backward(m);
    Tensor step = z.clone();
    for (index_t k = 0; k < z.size(); ++k)
        step.set(k % 2, k / 2, z.at(k % 2, k / 2) -
                                   0.01 * zv.grad().at(k % 2, k / 2));
    Tape::current().clear();
    EXPECT_LT(batch_mmd(Variable(step), labels, 2).value().at(0),
              m.value().at(0));
}

}  // namespace
}  // namespace exprae
