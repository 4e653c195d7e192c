// Element types and devices of the engine's tensors.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace exprae {

// float32 trains; float64 (CPU) serves gradient checks and precision="double".
enum class DType { f32, f64 };
enum class Device { cpu, cuda };

inline std::size_t dtype_size(DType t) {
    return t == DType::f32 ? sizeof(float) : sizeof(double);
}

inline const char* dtype_name(DType t) {
    return t == DType::f32 ? "float32" : "float64";
}

inline const char* device_name(Device d) {
    return d == Device::cpu ? "cpu" : "cuda";
}

// Calls f with a value of the C++ type behind `t`, so that one generic lambda
// serves both precisions: dispatch(t, [&](auto tag) { using T = ...; }).
template <typename F>
decltype(auto) dispatch(DType t, F&& f) {
    if (t == DType::f32) return f(float{});
    return f(double{});
}

template <typename T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::f32; }
template <> constexpr DType dtype_of<double>() { return DType::f64; }

}  // namespace exprae
