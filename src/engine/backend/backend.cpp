#include "backend/backend.h"

namespace exprae {

Backend& cpu_backend();
Backend& cuda_backend();  // cuda/backend.cu, or backend/no_cuda.cpp

Backend& backend_for(Device device) {
    return device == Device::cpu ? cpu_backend() : cuda_backend();
}

}  // namespace exprae
