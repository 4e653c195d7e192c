// How an op reaches its kernels on a device without a central switch that
// every op edits (the idea of PyTorch's dispatcher and ggml's backends,
// kept small). An op declares a struct of kernel function pointers in
// ops/<op>.h; each of its device files (cpu/<op>.cpp, cuda/<op>.cu)
// registers one set at static initialisation:
//
//   EXPRAE_REGISTER_KERNELS(BatchNormKernels, "batch_norm", Device::cpu,
//                           &forward, &backward);
//
// and the op asks for the set of its input's device:
//
//   const BatchNormKernels& k = kernels<BatchNormKernels>("batch_norm", d);
//
// A device without a set is a DeviceError "op batch_norm has no kernel on
// device cuda". Several ops may share one struct type (every elementwise
// function registers a UnaryKernels under its own name).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"
#include "tensor/dtype.h"

namespace exprae {

template <typename K>
class KernelRegistry {
public:
    // Returns true so that it can initialise a static (see the macro).
    static bool add(const std::string& op, Device device, K kernels) {
        table()[op][static_cast<int>(device)] = kernels;
        return true;
    }

    static const K& get(const std::string& op, Device device) {
        auto it = table().find(op);
        if (it != table().end()) {
            const std::optional<K>& k = it->second[static_cast<int>(device)];
            if (k) return *k;
        }
        throw DeviceError("op " + op + " has no kernel on device " +
                          device_name(device));
    }

    // The registered op names, sorted.
    static std::vector<std::string> ops() {
        std::vector<std::string> names;
        for (const auto& entry : table()) names.push_back(entry.first);
        return names;
    }

private:
    // Filled during static initialisation, read-only afterwards.
    static std::map<std::string, std::array<std::optional<K>, 2>>& table() {
        static std::map<std::string, std::array<std::optional<K>, 2>> t;
        return t;
    }
};

template <typename K>
const K& kernels(const std::string& op, Device device) {
    return KernelRegistry<K>::get(op, device);
}

}  // namespace exprae

#define EXPRAE_CONCAT_INNER(a, b) a##b
#define EXPRAE_CONCAT(a, b) EXPRAE_CONCAT_INNER(a, b)
// At namespace scope in a device file of an op; ... initialises the set
// (its members in order, or one whole set).
#define EXPRAE_REGISTER_KERNELS(Kernels, op, device, ...)                   \
    [[maybe_unused]] static const bool EXPRAE_CONCAT(kRegistered_,          \
                                                     __LINE__) =            \
        ::exprae::KernelRegistry<Kernels>::add(op, device,                  \
                                               Kernels{__VA_ARGS__})
