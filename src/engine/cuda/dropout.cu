// dropout's CUDA kernel (ops/dropout.h): the same Philox mask as the CPU
// (cpu/dropout.cpp) draws, number for number.
#include "backend/registry.h"
#include "cuda/launch.cuh"
#include "cuda/tensor_data.h"
#include "ops/dropout.h"
#include "random/philox.h"

namespace exprae {
namespace cuda {
namespace {

// mask[i] = keep if uniform(base + i) >= rate else 0   (n)
__global__ void mask_kernel(Philox rng, std::uint64_t base, double rate,
                            float keep, index_t n, float* mask) {
    EXPRAE_GRID_STRIDE(i, n) {
        mask[i] = rng.uniform(base + static_cast<std::uint64_t>(i)) >= rate
                      ? keep : 0.0f;
    }
}

void mask(std::uint64_t seed, std::uint64_t counter, double rate,
          const Tensor& mask) {
    index_t n = mask.size();
    if (n == 0) return;
    float keep = static_cast<float>(1.0 / (1.0 - rate));
    mask_kernel<<<blocks_for(n), kThreads, 0, compute_stream()>>>(
        Philox(seed, kStreamDropout), counter << 32, rate, keep, n,
        f32(mask));
    CUDA_CHECK_LAUNCH();
}

}  // namespace
}  // namespace cuda

EXPRAE_REGISTER_KERNELS(DropoutKernels, "dropout", Device::cuda,
                        &cuda::mask);

}  // namespace exprae
