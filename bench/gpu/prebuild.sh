#!/bin/sh
# Builds, on a machine with nvcc but no GPU, what bench/gpu/run.sh runs on
# the GPU machine: the engine tests and the reference-network benchmark
# with the CUDA backend for one architecture (default sm_90, H100/H200),
# and copies the two programs into the ignored folder gpu-prebuilt/.
# Carry gpu-prebuilt (and third_party, for the fallback build) with the
# device call and pass --prebuilt gpu-prebuilt: the minutes of nvcc go
# here instead of on the lent GPU.
#   sh bench/gpu/prebuild.sh [ARCH]
set -e
arch=${1:-90}
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "${root}/tests/engine" -B "${root}/build/gpu-tests" \
    -DCMAKE_BUILD_TYPE=Release -DEXPRAE_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES="${arch}" >/dev/null
cmake --build "${root}/build/gpu-tests" -j "${jobs}"
cmake -S "${root}/bench" -B "${root}/build/gpu-bench" -DEXPRAE_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES="${arch}" >/dev/null
cmake --build "${root}/build/gpu-bench" -j "${jobs}" --target reference_network
mkdir -p "${root}/gpu-prebuilt"
cp "${root}/build/gpu-tests/engine_tests" \
    "${root}/build/gpu-bench/reference_network" "${root}/gpu-prebuilt/"
strip "${root}/gpu-prebuilt/engine_tests" \
    "${root}/gpu-prebuilt/reference_network"
ls -l "${root}/gpu-prebuilt"
