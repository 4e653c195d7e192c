// The count likelihoods on the GPU: the element math of
// ops/count_nll_math.h (in double, as on the CPU), the derivatives written
// beside the values, and the NLL summed deterministically.
#include "cuda/kernels.h"
#include "cuda/launch.cuh"
#include "ops/count_nll_math.h"

namespace exprae {
namespace cuda {

namespace {

// eta, x and the outputs: rows x cols; log_theta rows x cols or rows;
// log_sf: cols. scratch[block] = this block's sum of the element NLLs.
__global__ void count_nll_kernel(Likelihood lk, CountNllPointers p,
                                 double* scratch) {
    double total = 0.0;
    index_t n = p.rows * p.cols;
    EXPRAE_GRID_STRIDE(k, n) {
        index_t i = k % p.rows, j = k / p.rows;
        double off = p.log_sf ? static_cast<double>(p.log_sf[j]) : 0.0;
        double lt = p.log_theta
            ? static_cast<double>(p.log_theta[p.theta_per_gene ? i : k])
            : 0.0;
        double g = p.pi_logit ? static_cast<double>(p.pi_logit[k]) : 0.0;
        nll::NllElement e = nll::count_element(
            lk, static_cast<double>(p.x[k]),
            static_cast<double>(p.eta[k]) + off, lt, g);
        total += e.nll;
        if (p.d_eta) p.d_eta[k] = static_cast<float>(e.d_lm);
        if (p.d_log_theta) p.d_log_theta[k] = static_cast<float>(e.d_lt);
        if (p.d_pi_logit) p.d_pi_logit[k] = static_cast<float>(e.d_g);
    }
    total = block_sum(total);
    if (threadIdx.x == 0) scratch[blockIdx.x] = total;
}

}  // namespace

void count_nll(Likelihood lk, const CountNllPointers& p, float* out,
               double* scratch, cudaStream_t stream) {
    index_t n = p.rows * p.cols;
    int blocks = std::min(kReduceBlocks, blocks_for(n));
    count_nll_kernel<<<blocks, kThreads, 0, stream>>>(lk, p, scratch);
    CUDA_CHECK_LAUNCH();
    finish_sum(blocks, scratch, 1.0 / static_cast<double>(n), out, nullptr,
               stream);
}

}  // namespace cuda
}  // namespace exprae
