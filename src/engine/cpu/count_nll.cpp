// The count likelihoods' CPU kernel (ops/count_nll.h): a pass over a
// genes x n block, columns in parallel; the element math is shared with
// the GPU (math/count_nll.h).
#include <vector>

#include "backend/registry.h"
#include "cpu/parallel.h"
#include "math/count_nll.h"
#include "ops/count_nll.h"

namespace exprae {
namespace {

using nll::CountNllArgs;

// Sum of the NLL over all elements; fills the requested outputs.
template <typename T>
double nll_sum(Likelihood lk, const CountNllArgs<T>& a) {
    std::vector<double> col_sum(a.cols, 0.0);
    cpu::parallel_for(a.cols, 8, [&](index_t lo, index_t hi) {
        for (index_t j = lo; j < hi; ++j) {
            double total = 0.0;
            for (index_t i = 0; i < a.rows; ++i) {
                double v = nll::count_nll_at(lk, a, i, j);
                total += v;
                if (a.elements) a.elements[j * a.rows + i] = v;
            }
            col_sum[j] = total;
        }
    });
    double total = 0.0;
    for (double s : col_sum) total += s;
    return total;
}

void mean_nll(Likelihood lk, const CountNllTensors& t, const Tensor& out) {
    dispatch(t.eta.dtype(), [&](auto tag) {
        using T = decltype(tag);
        double total = nll_sum(lk, count_nll_args<T>(t));
        out.data<T>()[0] =
            static_cast<T>(total / static_cast<double>(t.eta.size()));
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(CountNllKernels, "count_nll", Device::cpu,
                        &mean_nll);

}  // namespace exprae
