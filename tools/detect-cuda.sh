#!/bin/sh
# Looks for the CUDA toolkit for exprae's configure, which passes its own
# arguments: --with-cuda=PATH (that toolkit), --without-cuda (none). Else,
# unless EXPRAE_CUDA=0: CUDA_HOME, the nvcc on PATH, /usr/local/cuda.
# A toolkit counts when its nvcc compiles and links a kernel with cuBLAS
# using the host compiler in $CXX.
#
# Prints on stdout, for configure:
#   CUDA_HOME=<dir>
#   CUDA_GENCODE=<nvcc -gencode flags>
#   CUDA_ARCHS=<the sm_XY built>
# or nothing when CUDA is off; says what it found and chose on stderr.

say() { echo "detect-cuda: $*" >&2; }
# No usable CUDA: an error when --with-cuda asked for it, else CPU only.
give_up() {
    if [ "${how}" = "--with-cuda" ]; then
        say "$*: --with-cuda=${home} cannot be used"
        exit 1
    fi
    say "$*: CPU only"
    exit 0
}
how=""

home=""
for arg in "$@"; do
    case "${arg}" in
        --without-cuda) say "--without-cuda: CPU only"; exit 0 ;;
        --with-cuda=*) home=${arg#--with-cuda=} ;;
        --with-cuda) ;;
        *) ;;
    esac
done
if [ -z "${home}" ] && [ "${EXPRAE_CUDA:-}" = "0" ]; then
    say "EXPRAE_CUDA=0: CPU only"
    exit 0
fi

if [ -n "${home}" ]; then
    how="--with-cuda"
elif [ -n "${CUDA_HOME:-}" ]; then
    home=${CUDA_HOME}
    how="CUDA_HOME"
elif command -v nvcc >/dev/null 2>&1; then
    home=$(cd "$(dirname "$(command -v nvcc)")/.." && pwd)
    how="nvcc on PATH"
elif [ -x /usr/local/cuda/bin/nvcc ]; then
    home=/usr/local/cuda
    how="/usr/local/cuda"
else
    say "no CUDA toolkit (no --with-cuda, CUDA_HOME, nvcc on PATH or" \
        "/usr/local/cuda): CPU only"
    exit 0
fi
nvcc="${home}/bin/nvcc"
if [ ! -x "${nvcc}" ]; then
    give_up "${how} gives ${home}, which has no bin/nvcc"
fi
version=$("${nvcc}" --version 2>/dev/null |
    sed -n 's/.*release \([0-9.]*\).*/\1/p')
say "found CUDA ${version:-?} at ${home} (${how})"

# The architectures of the issue, less those this nvcc does not know
# (CUDA 13 dropped sm_70); PTX of the newest runs on later GPUs.
known=$("${nvcc}" --list-gpu-arch 2>/dev/null)
gencode=""
archs=""
dropped=""
newest=""
for a in 70 75 80 86 89 90; do
    if echo "${known}" | grep -q "compute_${a}\$"; then
        gencode="${gencode} -gencode arch=compute_${a},code=sm_${a}"
        archs="${archs} sm_${a}"
        newest=${a}
    else
        dropped="${dropped} sm_${a}"
    fi
done
if [ -z "${newest}" ]; then
    give_up "${nvcc} builds none of sm_70..sm_90"
fi
gencode="${gencode} -gencode arch=compute_${newest},code=compute_${newest}"
[ -n "${dropped}" ] && say "this nvcc cannot build${dropped}: left out"

# Compile and link a kernel with cuBLAS, as the package will.
libdir="${home}/lib64"
[ -d "${libdir}" ] || libdir="${home}/lib"
probe=$(mktemp -d 2>/dev/null || echo "/tmp/exprae-cuda-$$")
mkdir -p "${probe}"
cat > "${probe}/probe.cu" <<'PROBE'
#include <cublas_v2.h>
__global__ void twice(float* x) { x[threadIdx.x] *= 2.0f; }
int main() {
    cublasHandle_t h;
    float* x = nullptr;
    twice<<<1, 1>>>(x);
    return cublasCreate(&h) == CUBLAS_STATUS_SUCCESS ? 0 : 1;
}
PROBE
host=""
[ -n "${CXX:-}" ] && host="-ccbin $(echo "${CXX}" | cut -d' ' -f1)"
# shellcheck disable=SC2086  # flags are meant to be split
if ! "${nvcc}" ${host} -std=c++17 -arch=sm_${newest} "${probe}/probe.cu" \
    -o "${probe}/probe" -L"${libdir}" -lcublas >"${probe}/log" 2>&1; then
    sed 's/^/detect-cuda:   /' "${probe}/log" >&2
    rm -rf "${probe}"
    give_up "nvcc could not build a cuBLAS probe (above)"
fi
rm -rf "${probe}"
say "building CUDA kernels for${archs} + PTX compute_${newest}"
echo "CUDA_HOME=${home}"
echo "CUDA_LIBDIR=${libdir}"
echo "CUDA_GENCODE=${gencode# }"
echo "CUDA_ARCHS=${archs# }"
