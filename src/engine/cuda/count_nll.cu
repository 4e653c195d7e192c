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
__global__ void count_nll_kernel(Likelihood lk,
                                 nll::CountNllArgs<float> p,
                                 double* scratch) {
    double total = 0.0;
    index_t n = p.rows * p.cols;
    EXPRAE_GRID_STRIDE(k, n) {
        total += nll::count_nll_at(lk, p, k % p.rows, k / p.rows);
    }
    total = block_sum(total);
    if (threadIdx.x == 0) scratch[blockIdx.x] = total;
}

}  // namespace

void count_nll(Likelihood lk, const nll::CountNllArgs<float>& p,
               float* out,
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
