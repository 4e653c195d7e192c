// batch_mmd, composed of existing ops (linear, mul, concat_rows,
// inner_products, exp, scale, sum), so it runs on every device that has
// them. With z (k x s) the latent values of the s samples that enter and
// q (1 x s) their squared norms, the squared distances come from one
// matrix product:
//   D2 (s x s) = [q; 1; -2z]^T [1; q; z],  D2_ij = q_i + q_j - 2 z_i.z_j
//   kern = exp(-D2 / h),  mmd = sum_ij W_ij kern_ij
// The weights W come from the kernel two-sample statistic: with n_g
// samples in batch g and r_g = s - n_g outside it, a pair inside g weighs
// 1 / n_g^2, a pair outside 1 / r_g^2 and a pair across -1 / (n_g r_g),
// summed over the batches present and divided by their number; the
// diagonal (kern = 1, a constant) weighs 0.
#include "train/batch_mmd.h"

#include <algorithm>
#include <vector>

#include "ops/concat_rows.h"
#include "ops/exp.h"
#include "ops/inner_products.h"
#include "ops/linear.h"
#include "ops/mul.h"
#include "ops/scale.h"
#include "ops/sum.h"

namespace exprae {

namespace {
// W (s x s, column-major) for the first s samples' batches; all zero
// when fewer than two batches are present.
std::vector<double> pair_weights(const std::vector<int>& batch,
                                 index_t n_batches) {
    index_t s = static_cast<index_t>(batch.size());
    std::vector<double> size(n_batches, 0.0);
    for (int b : batch) size[b] += 1.0;
    int present = 0;
    for (double n : size) present += n > 0 ? 1 : 0;
    std::vector<double> w(s * s, 0.0);
    if (present < 2) return w;
    for (index_t g = 0; g < n_batches; ++g) {
        double in = size[g], out = static_cast<double>(s) - in;
        if (in < 1) continue;
        for (index_t j = 0; j < s; ++j) {
            for (index_t i = 0; i < s; ++i) {
                if (i == j) continue;
                bool a = batch[i] == g, b = batch[j] == g;
                w[i + j * s] += a && b ? 1.0 / (in * in)
                                : !a && !b ? 1.0 / (out * out)
                                           : -1.0 / (in * out);
            }
        }
    }
    for (double& v : w) v /= present;
    return w;
}

Variable constant(const Tensor& host, Device device) {
    return Variable(host.to(device), false);
}

// The first s columns of z (k x n), as z times the n x s selection matrix.
Variable first_columns(const Variable& z, index_t s) {
    const Tensor& zv = z.value();
    if (zv.cols() == s) return z;
    Tensor select = Tensor::zeros(zv.cols(), s, zv.dtype());
    for (index_t c = 0; c < s; ++c) select.set(c, c, 1.0);
    return linear(constant(select, zv.device()), z,
                  constant(Tensor::zeros(zv.rows(), 1, zv.dtype()),
                           zv.device()));
}
}  // namespace

Variable batch_mmd(const Variable& latent, const Tensor& batch_labels,
                   index_t n_batches) {
    const Tensor& zv = latent.value();
    DType dtype = zv.dtype();
    Device device = zv.device();
    index_t k = zv.rows();
    index_t s = std::min(zv.cols(), kMaxMmdSamples);
    Tensor labels = batch_labels.to(Device::cpu);
    std::vector<int> batch(s);
    for (index_t c = 0; c < s; ++c)
        batch[c] = static_cast<int>(labels.at(0, c));
    std::vector<double> w = pair_weights(batch, n_batches);
    if (std::all_of(w.begin(), w.end(), [](double v) { return v == 0.0; }))
        return constant(Tensor::zeros(1, 1, dtype), device);
    Tensor weights = Tensor::empty(s, s, dtype);
    for (index_t p = 0; p < s * s; ++p) weights.set(p % s, p / s, w[p]);

    Variable z = first_columns(latent, s);
    Variable sq = linear(mul(z, z),
                         constant(Tensor::full(1, k, 1.0, dtype), device),
                         constant(Tensor::zeros(1, 1, dtype), device));
    Variable ones = constant(Tensor::full(1, s, 1.0, dtype), device);
    Variable d2 = inner_products(
        concat_rows(concat_rows(sq, ones), scale(z, -2.0)),
        concat_rows(concat_rows(ones, sq), z));
    // h: the mean squared distance over the pairs i != j (the diagonal is
    // zero up to rounding)
    double h = sum(Variable(d2.value(), false)).value().at(0, 0) /
               static_cast<double>(s * (s - 1));
    Variable kern = exp(scale(d2, -1.0 / std::max(h, 1e-12)));
    return sum(mul(kern, constant(weights, device)));
}

}  // namespace exprae
