#!/bin/sh
# The GPU benchmark and tests in one command, for a machine with nvcc,
# CMake and PyTorch with CUDA but no R and no internet (the device tool's
# GPU machines; bench/README.md has the exact call). It
#   1. builds the standalone engine with the CUDA backend for this GPU and
#      runs every engine test, the CPU-vs-CUDA parity tests included (and,
#      with --sanitize, compute-sanitizer memcheck on the parity tests);
#   2. measures the GPU's ceilings: cuBLAS SGEMM (float32, TF32), device
#      copy and pinned upload bandwidth;
#   3. trains the reference network (2000-512-128-32, mirrored; ReLU, MSE,
#      Adam 1e-3, float32, 10,000 uniform samples) at batch 256 and 4096
#      in the engine and in PyTorch eager on the same GPU, interleaved;
#   4. prints a Markdown block for bench/RESULTS.md: samples/s, ratios and
#      achieved TFLOP/s.
#
#   sh bench/gpu/run.sh [--rounds 3] [--epochs 5] [--sanitize] [--out DIR]
#                       [--prebuilt DIR]
#
# --prebuilt DIR: engine_tests and reference_network built elsewhere for
# this GPU (sh bench/gpu/prebuild.sh, carried with the call); used when
# they load here, else built here as usual (minutes of device time saved).
# --sanitize runs compute-sanitizer memcheck and racecheck on every op's
# Cuda* test, each under a time limit.
#
# Needs third_party/ (sh tools/vendor-test-deps.sh, carried with the call)
# where GoogleTest or Eigen are not installed. Exits non-zero when a build
# or a test fails; the figures are printed all the same where they exist.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "${here}/../.." && pwd)
rounds=3
epochs=5
sanitize=0
prebuilt=""
out=${OUT:-/tmp/exprae-gpu}
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --sanitize) sanitize=1; shift ;;
        --out) out=$2; shift 2 ;;
        --prebuilt) prebuilt=$2; shift 2 ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
mkdir -p "${out}"
PYTHON=${PYTHON:-python3}
status=0
jobs=$(nproc 2>/dev/null || echo 4)

# This GPU's architecture (9.0 -> 90); nvcc builds for it alone.
cc=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null |
    head -1 | tr -d ' .')
arch=${cc:-90}
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total \
    --format=csv,noheader 2>/dev/null | head -1)
nvcc_version=$(nvcc --version 2>/dev/null |
    sed -n 's/.*release \([0-9.]*\).*/\1/p')
echo "== GPU: ${gpu:-unknown} (sm_${arch}); nvcc ${nvcc_version:-?}"

# ---- 1. engine tests with CUDA ---------------------------------------------
# A prebuilt binary is used when every library it needs is found here.
runs_here() { [ -x "$1" ] && ldd "$1" >/dev/null 2>&1 &&
    ! ldd "$1" 2>&1 | grep -q 'not found'; }
tests="${root}/build/gpu-tests"
if [ -n "${prebuilt}" ] &&
   runs_here "${prebuilt}/engine_tests"; then
    echo "== engine tests with the CUDA backend: prebuilt ${prebuilt}"
    tests=${prebuilt}
    built=0
else
    echo "== engine tests with the CUDA backend (sm_${arch}): building"
    built=1
    cmake -S "${root}/tests/engine" -B "${tests}" -DCMAKE_BUILD_TYPE=Release \
        -DEXPRAE_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="${arch}" \
        >"${out}/tests-build.log" 2>&1 &&
    cmake --build "${tests}" -j "${jobs}" >>"${out}/tests-build.log" 2>&1 ||
        built=2
fi
if [ "${built}" -ne 2 ]; then
    # A GPU test that would skip here fails instead (tests/engine/
    # cuda_test_util.h): this machine has a GPU.
    ( cd "${tests}" && EXPRAE_REQUIRE_GPU=1 OMP_NUM_THREADS=2 \
        timeout 240 ./engine_tests \
        --gtest_output=xml:"${out}/engine-tests.xml" ) >"${out}/tests.log" 2>&1
    rc=$?
    grep -E '^\[  (PASSED|FAILED|SKIPPED) |^\[==========\]|FAILED  \]' \
        "${out}/tests.log" | tail -30
    grep -E '^\[  FAILED  \]|Failure|relative error' "${out}/tests.log" |
        head -40
    [ "${rc}" -eq 0 ] || status=1
    if [ "${sanitize}" -eq 1 ]; then
        # memcheck: every GPU test but the one that runs out of memory on
        # purpose (the sanitizer counts its failed cudaMalloc as errors);
        # racecheck (shared-memory races): the ops' parity tests, not the
        # training runs, which take minutes under it and launch the same
        # kernels.
        for tool in memcheck racecheck; do
            filter='*Cuda*:-*OutOfMemory*'
            [ "${tool}" = racecheck ] && filter='*Cuda*:-CudaTraining.*'
            echo "== compute-sanitizer ${tool} on ${filter}"
            EXPRAE_REQUIRE_GPU=1 timeout 150 \
            compute-sanitizer --tool "${tool}" --error-exitcode 9 \
                "${tests}/engine_tests" --gtest_filter="${filter}" \
                >"${out}/${tool}.log" 2>&1 || status=1
            grep -E 'ERROR SUMMARY|RACECHECK SUMMARY|^\[  (PASSED|FAILED)' \
                "${out}/${tool}.log" | tail -5
        done
    fi
else
    tail -40 "${out}/tests-build.log"
    echo "engine test build failed"
    status=1
fi

# ---- 2 and 3. ceilings and the reference network ---------------------------
bench="${root}/build/gpu-bench"
if [ -n "${prebuilt}" ] &&
   runs_here "${prebuilt}/reference_network"; then
    echo "== benchmark: prebuilt ${prebuilt}"
    bench=${prebuilt}
elif ! { echo "== benchmark build"
       cmake -S "${root}/bench" -B "${bench}" -DEXPRAE_CUDA=ON \
           -DCMAKE_CUDA_ARCHITECTURES="${arch}" &&
       cmake --build "${bench}" -j "${jobs}" --target reference_network; } \
       >"${out}/bench-build.log" 2>&1; then
    tail -40 "${out}/bench-build.log"
    echo "benchmark build failed"
    exit 1
fi

echo "== ceilings"
${PYTHON} "${here}/torch_reference.py" ceilings | tee "${out}/ceilings.log"
value() { sed -n "s/^RESULT $1 $2=\([^ ]*\).*/\1/p" "$3" | tail -1; }
sgemm=$(value sgemm tflops "${out}/ceilings.log")
tf32=$(value tf32 tflops "${out}/ceilings.log")
d2d=$(value d2d gbps "${out}/ceilings.log")
h2d=$(value h2d gbps "${out}/ceilings.log")

# Interleaved rounds of engine and PyTorch at each batch size.
for batch in 256 4096; do
    : >"${out}/engine-${batch}"
    : >"${out}/torch-${batch}"
    r=1
    while [ "${r}" -le "${rounds}" ]; do
        "${bench}/reference_network" --device cuda --threads 8 \
            --batch-size "${batch}" --epochs "${epochs}" \
            >"${out}/run.log" 2>&1 || { cat "${out}/run.log"; status=1; }
        sed -n '/^RESULT/!p' "${out}/run.log"
        sed -n 's/^RESULT engine samples_per_s=\([0-9.]*\).*/\1/p' \
            "${out}/run.log" >>"${out}/engine-${batch}"
        ${PYTHON} "${here}/torch_reference.py" reference \
            --batch-size "${batch}" --epochs "${epochs}" \
            >"${out}/run.log" 2>&1 || { cat "${out}/run.log"; status=1; }
        sed -n '/^RESULT/!p' "${out}/run.log"
        sed -n 's/^RESULT torch samples_per_s=\([0-9.]*\).*/\1/p' \
            "${out}/run.log" >>"${out}/torch-${batch}"
        r=$((r + 1))
    done
    # Once more with every minibatch streamed from the host (the data not
    # kept on the GPU), for comparison.
    "${bench}/reference_network" --device cuda --threads 8 --resident 0 \
        --batch-size "${batch}" --epochs "${epochs}" 2>&1 |
        sed -n '/^RESULT/!p'
done

# ---- 4. the Markdown block -------------------------------------------------
median() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print 0; exit }
        print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# FLOPs per sample of a training step: 2 per multiply-add forward, 4
# backward, less the first layer's input gradient, which no one needs.
# (One line: mawk takes no line break inside an expression.)
m=$((2000 * 512 + 512 * 128 + 128 * 32 + 32 * 128 + 128 * 512 + 512 * 2000))
flops=$((6 * m - 2 * 2000 * 512))
{
    echo "### $(date -u '+%Y-%m-%d %H:%M UTC'): ${gpu:-GPU}"
    echo
    echo "- command: \`sh bench/gpu/run.sh --rounds ${rounds}" \
        "--epochs ${epochs}\` (device tool; see bench/README.md)"
    echo "- software: nvcc ${nvcc_version:-?}, sm_${arch};" \
        "$(${PYTHON} -c 'import torch; print("PyTorch", torch.__version__)')"
    echo "- ceilings measured in the same run: cuBLAS SGEMM ${sgemm} TFLOP/s" \
        "(TF32 ${tf32}), device copy ${d2d} GB/s (read + write), pinned" \
        "upload ${h2d} GB/s"
    echo "- ${rounds} interleaved rounds, ${epochs} timed epochs of 10,000" \
        "samples after 1 warm-up, float32; median samples/s"
    echo
    echo "| batch | engine | PyTorch eager | engine / PyTorch |" \
        "engine TFLOP/s | % of SGEMM |"
    echo "|---|---|---|---|---|---|"
    for batch in 256 4096; do
        e=$(median "${out}/engine-${batch}")
        t=$(median "${out}/torch-${batch}")
        awk -v b="${batch}" -v e="${e}" -v t="${t}" -v f="${flops}" \
            -v s="${sgemm:-0}" 'BEGIN {
            tf = e * f / 1e12
            printf "| %d | %.0f | %.0f | %.2f | %.2f | %.0f%% |\n", b, e, t,
                (t > 0 ? e / t : 0), tf, (s > 0 ? 100 * tf / s : 0) }'
    done
} | tee "${out}/results.md"
echo
echo "engine tests, builds and logs: ${out}"
exit "${status}"
