// What the CUDA kernels of every op need from a tensor on the host side:
// its float32 data on the GPU, and the stream all of a step's work runs on.
// Plain C++, so that cuda/backend.cpp and the .cu files share it.
#pragma once

#include <cuda_runtime.h>

#include "cuda/context.h"
#include "tensor/tensor.h"

namespace exprae {
namespace cuda {

// The float32 data of a tensor on the GPU (null for an undefined one);
// BadArgument for float64, which the CUDA backend does not compute in.
inline float* f32(const Tensor& t) {
    if (!t.defined()) return nullptr;
    if (t.dtype() != DType::f32) {
        throw BadArgument(
            "the CUDA backend computes in float32; got a float64 tensor "
            "(use precision \"float\" or \"tf32\" on a GPU)");
    }
    return t.data<float>();
}

inline cudaStream_t compute_stream() { return context().compute; }

}  // namespace cuda
}  // namespace exprae
