// dropout's CPU kernel (ops/dropout.h): the mask, drawn from Philox so
// that a GPU draws the same one.
#include "backend/registry.h"
#include "cpu/parallel.h"
#include "ops/dropout.h"
#include "random/philox.h"

namespace exprae {
namespace {

void mask(std::uint64_t seed, std::uint64_t counter, double rate,
          const Tensor& mask) {
    Philox rng(seed, kStreamDropout);
    std::uint64_t base = counter << 32;
    dispatch(mask.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T keep = static_cast<T>(1.0 / (1.0 - rate));
        T* m = mask.data<T>();
        cpu::parallel_for(mask.size(), cpu::kElementwiseGrain,
                          [&](index_t lo, index_t hi) {
            for (index_t i = lo; i < hi; ++i)
                m[i] = rng.uniform(base + i) >= rate ? keep : T(0);
        });
    });
}

}  // namespace

EXPRAE_REGISTER_KERNELS(DropoutKernels, "dropout", Device::cpu, &mask);

}  // namespace exprae
