// The count likelihoods' CPU kernel (ops/count_nll.h): a pass over a
// genes x n block, columns in parallel, each part by the hot kernel set's
// count_nll_columns() (cpu/count_nll_columns.h); the scalar element math
// here is shared with the GPU (math/count_nll.h).
#include <cmath>
#include <vector>

#include "backend/registry.h"
#include "cpu/hot_kernels.h"
#include "cpu/parallel.h"
#include "math/count_nll.h"
#include "ops/count_nll.h"

namespace exprae {

using nll::CountNllArgs;

const double* nll::log_factorial_table() {
    static const std::vector<double> table = [] {
        std::vector<double> t(kLogFactorialTable, 0.0);
        for (int k = 2; k < kLogFactorialTable; ++k)
            t[k] = t[k - 1] + std::log(k);
        return t;
    }();
    return table.data();
}

template <typename T>
double cpu::count_nll_span(Likelihood lk, const CountNllArgs<T>& a,
                           index_t j, index_t i0, index_t i1) {
    double total = 0.0;
    for (index_t i = i0; i < i1; ++i) {
        double v = nll::count_nll_at(lk, a, i, j);
        total += v;
        if (a.elements) a.elements[j * a.rows + i] = v;
    }
    return total;
}

template double cpu::count_nll_span<float>(Likelihood,
                                           const CountNllArgs<float>&,
                                           index_t, index_t, index_t);
template double cpu::count_nll_span<double>(Likelihood,
                                            const CountNllArgs<double>&,
                                            index_t, index_t, index_t);

namespace {

// Sum of the NLL over all elements; fills the requested outputs. Columns
// in parallel, each summed on its own and the sums added in column order,
// so the result depends only on the kernel set (cpu/hot_kernels.h).
template <typename T>
double nll_sum(Likelihood lk, const CountNllArgs<T>& a) {
    std::vector<double> col_sum(a.cols, 0.0);
    cpu::parallel_for(a.cols, 8, [&](index_t lo, index_t hi) {
        cpu::count_nll_columns(lk, a, lo, hi, col_sum.data());
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
