// batch_mmd, composed of existing ops (linear, mul, exp, scale, sum), so
// it runs on every device that has them. With s samples and m = s(s-1)/2
// pairs:
//   D (k x m) = latent * P,  P (n x m) holding +1 and -1 for each pair
//   d2 (1 x m) = 1^T (D * D),  kern = exp(-d2 / h)
//   mmd = sum_pairs w_p kern_p
// The pair weights w come from the kernel two-sample statistic: with
// n_g samples in batch g and r_g = s - n_g outside it, a pair inside g
// weighs 2 / n_g^2, a pair outside 2 / r_g^2 and a pair across
// -2 / (n_g r_g) (each pair stands for (i, j) and (j, i); the diagonal,
// kern = 1, is constant and left out), summed over the batches present
// and divided by their number.
#include "train/batch_mmd.h"

#include <algorithm>
#include <vector>

#include "ops/exp.h"
#include "ops/linear.h"
#include "ops/mean.h"
#include "ops/mul.h"
#include "ops/scale.h"
#include "ops/sum.h"

namespace exprae {

namespace {
// The weight of each pair (i < j, in order) of the first s samples.
std::vector<double> pair_weights(const std::vector<int>& batch,
                                 index_t n_batches) {
    index_t s = static_cast<index_t>(batch.size());
    std::vector<double> size(n_batches, 0.0);
    for (int b : batch) size[b] += 1.0;
    int present = 0;
    for (double n : size) present += n > 0 ? 1 : 0;
    std::vector<double> w(s * (s - 1) / 2, 0.0);
    if (present < 2) return w;
    for (index_t g = 0; g < n_batches; ++g) {
        double in = size[g], out = static_cast<double>(s) - in;
        if (in < 1) continue;
        index_t p = 0;
        for (index_t i = 0; i < s; ++i) {
            for (index_t j = i + 1; j < s; ++j, ++p) {
                bool a = batch[i] == g, b = batch[j] == g;
                w[p] += a && b ? 2.0 / (in * in)
                        : !a && !b ? 2.0 / (out * out)
                                   : -2.0 / (in * out);
            }
        }
    }
    for (double& v : w) v /= present;
    return w;
}

Variable constant(const Tensor& host, Device device) {
    return Variable(host.to(device), false);
}
}  // namespace

Variable batch_mmd(const Variable& latent, const Tensor& batch_labels,
                   index_t n_batches) {
    const Tensor& z = latent.value();
    DType dtype = z.dtype();
    Device device = z.device();
    index_t n = z.cols(), k = z.rows();
    index_t s = std::min(n, kMaxMmdSamples);
    Tensor labels = batch_labels.to(Device::cpu);
    std::vector<int> batch(s);
    for (index_t c = 0; c < s; ++c)
        batch[c] = static_cast<int>(labels.at(0, c));
    std::vector<double> w = pair_weights(batch, n_batches);
    index_t m = static_cast<index_t>(w.size());
    if (m == 0) return constant(Tensor::zeros(1, 1, dtype), device);

    Tensor pairs = Tensor::zeros(n, m, dtype);  // P
    Tensor weights = Tensor::empty(1, m, dtype);
    index_t p = 0;
    for (index_t i = 0; i < s; ++i) {
        for (index_t j = i + 1; j < s; ++j, ++p) {
            pairs.set(i, p, 1.0);
            pairs.set(j, p, -1.0);
            weights.set(0, p, w[p]);
        }
    }
    Variable diff = linear(constant(pairs, device), latent,
                           constant(Tensor::zeros(k, 1, dtype), device));
    Variable d2 = linear(mul(diff, diff),
                         constant(Tensor::full(1, k, 1.0, dtype), device),
                         constant(Tensor::zeros(1, 1, dtype), device));
    double h = mean(Variable(d2.value(), false)).value().at(0, 0);
    Variable kern = exp(scale(d2, -1.0 / std::max(h, 1e-12)));
    return sum(mul(kern, constant(weights, device)));
}

}  // namespace exprae
