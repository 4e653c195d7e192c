// Every CUDA runtime and cuBLAS call goes through CUDA_CHECK / CUBLAS_CHECK:
// a failure throws a C++ exception naming the call, the file and the line
// (never abort, exit or a print): a DeviceError, which the R glue turns
// into an R error of class exprae_error_device.
// CUDA_CHECK_LAUNCH() after each kernel launch catches bad launches.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include "errors.h"

#include <stdexcept>
#include <string>

namespace exprae {
namespace cuda {

inline void check(cudaError_t status, const char* call, const char* file,
                  int line) {
    if (status == cudaSuccess) return;
    throw DeviceError(std::string("CUDA error '") +
                      cudaGetErrorString(status) + "' (" +
                      cudaGetErrorName(status) + ") in " + call +
                      " at " + file + ":" + std::to_string(line));
}

inline void check(cublasStatus_t status, const char* call, const char* file,
                  int line) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    throw DeviceError(std::string("cuBLAS error ") +
                      cublasGetStatusName(status) + " (" +
                      cublasGetStatusString(status) + ") in " + call +
                      " at " + file + ":" + std::to_string(line));
}

}  // namespace cuda
}  // namespace exprae

#define CUDA_CHECK(call) \
    ::exprae::cuda::check((call), #call, __FILE__, __LINE__)
#define CUBLAS_CHECK(call) \
    ::exprae::cuda::check((call), #call, __FILE__, __LINE__)
#define CUDA_CHECK_LAUNCH() CUDA_CHECK(cudaGetLastError())
