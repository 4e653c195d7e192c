#include "cuda/staging.h"

#include <cstring>
#include <stdexcept>

#include "cuda/check.h"
#include "cuda/context.h"

namespace exprae {
namespace cuda {

namespace {
// Each tensor starts on a 256-byte boundary of the buffer.
std::size_t aligned(index_t floats) {
    return (static_cast<std::size_t>(floats) + 63) / 64 * 64;
}
}  // namespace

void Staging::reserve(Slot& slot, std::size_t floats) {
    if (slot.copied == nullptr) {
        CUDA_CHECK(cudaEventCreateWithFlags(&slot.copied,
                                            cudaEventDisableTiming));
        CUDA_CHECK(cudaEventCreateWithFlags(&slot.done,
                                            cudaEventDisableTiming));
    }
    if (slot.capacity >= floats) return;
    if (slot.pinned != nullptr) CUDA_CHECK(cudaFreeHost(slot.pinned));
    slot.pinned = nullptr;
    slot.capacity = 0;
    CUDA_CHECK(cudaHostAlloc(reinterpret_cast<void**>(&slot.pinned),
                             floats * sizeof(float), cudaHostAllocDefault));
    slot.device = Tensor::empty(static_cast<index_t>(floats), 1, DType::f32,
                                Device::cuda);
    // The caching allocator may have handed out a block that kernels queued
    // on the compute stream still use (a tensor of the step before, freed
    // by the host as soon as it had queued them): the copy stream must not
    // write it before they are done. Only a new buffer needs this wait;
    // `done` is free here and recorded again when this slot's step ends.
    Context& ctx = context();
    CUDA_CHECK(cudaEventRecord(slot.done, ctx.compute));
    CUDA_CHECK(cudaStreamWaitEvent(ctx.copy, slot.done, 0));
    slot.capacity = floats;
}

std::vector<Tensor> Staging::upload(const std::vector<Tensor>& host) {
    Context& ctx = context();
    // All of the previous step's work is queued by now: mark its end.
    if (previous_ >= 0) {
        CUDA_CHECK(cudaEventRecord(slots_[previous_].done, ctx.compute));
        slots_[previous_].in_use = true;
    }
    Slot& slot = slots_[next_];
    if (slot.in_use) CUDA_CHECK(cudaEventSynchronize(slot.done));
    std::size_t total = 0;
    for (const Tensor& t : host) {
        if (t.dtype() != DType::f32 || t.device() != Device::cpu) {
            throw BadArgument(
                "upload: minibatch tensors must be float32 on the host");
        }
        total += aligned(t.size());
    }
    reserve(slot, total > 0 ? total : 64);
    std::vector<Tensor> out;
    std::size_t offset = 0;
    for (const Tensor& t : host) {
        std::memcpy(slot.pinned + offset, t.data<float>(),
                    static_cast<std::size_t>(t.size()) * sizeof(float));
        out.push_back(slot.device.view(static_cast<index_t>(offset),
                                       t.shape()));
        offset += aligned(t.size());
    }
    CUDA_CHECK(cudaMemcpyAsync(slot.device.raw(), slot.pinned,
                               offset * sizeof(float),
                               cudaMemcpyHostToDevice, ctx.copy));
    CUDA_CHECK(cudaEventRecord(slot.copied, ctx.copy));
    CUDA_CHECK(cudaStreamWaitEvent(ctx.compute, slot.copied, 0));
    previous_ = next_;
    next_ = 1 - next_;
    return out;
}

}  // namespace cuda
}  // namespace exprae
