// The CUDA entry points of a build without CUDA (configure found no nvcc,
// or was told --without-cuda / EXPRAE_CUDA=0): nothing can live on a GPU,
// and asking for one says why.
#include "backend/backend.h"

namespace exprae {

namespace {
const char* kNotBuilt = "exprae was built without CUDA support "
                        "(reinstall with the CUDA toolkit to use a GPU)";
}

Backend& cuda_backend() { throw DeviceError(kNotBuilt); }

CudaInfo cuda_info() {
    CudaInfo info;
    info.reason = kNotBuilt;
    return info;
}

void select_cuda_device(int) { throw DeviceError(kNotBuilt); }

void set_cuda_tf32(bool) {}

double cuda_free_memory() { return 0.0; }

}  // namespace exprae
