// Minibatches go up to the GPU through two pinned host buffers and two
// device buffers used in turn (double buffering): the copy of step k + 1
// runs on the copy stream while step k computes, and the compute stream
// waits for it before step k + 1's kernels. A buffer is refilled only
// after the step that read it has finished on the GPU, which is the one
// wait on the host; it bounds how far the host runs ahead (two steps).
#pragma once

#include <cuda_runtime.h>

#include <cstddef>
#include <vector>

#include "tensor/tensor.h"

namespace exprae {
namespace cuda {

class Staging {
public:
    Staging() = default;
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;

    // Host float32 tensors -> views into this step's device buffer, valid
    // until the upload after next.
    std::vector<Tensor> upload(const std::vector<Tensor>& host);

private:
    struct Slot {
        float* pinned = nullptr;
        std::size_t capacity = 0;  // floats
        Tensor device;
        cudaEvent_t copied = nullptr;  // the upload has landed
        cudaEvent_t done = nullptr;    // the step that read it has ended
        bool in_use = false;
    };
    void reserve(Slot& slot, std::size_t floats);

    Slot slots_[2];
    int next_ = 0;
    int previous_ = -1;
};

}  // namespace cuda
}  // namespace exprae
