#!/bin/sh
# Trains the reference network (2000-512-128-32-128-512-2000, ReLU, MSE,
# Adam 1e-3, batch 256, float32, 10,000 uniform samples) in the engine
# standalone, in PyTorch CPU and in the engine through R, in the same run,
# interleaved for several rounds, and prints the median samples/second of
# each and their ratios. See bench/README.md.
#
#   sh bench/run.sh [--rounds 3] [--epochs 3] [--threads 2] [--profile]
#                   [--sweep] [--record] [--busy N] [--counts]
#                   [--kernels]
#
#   --profile  also run step_profile (where a step's time goes), 1 and N
#              threads
#   --sweep    first try PyTorch's thread settings and use the best
#   --record   append the result block to bench/RESULTS.md
#   --busy N   keep N cores busy (shell loops) during the rounds, to see
#              how each run copes with a machine that is not quiet
#   --counts   also the NB and ZINB autoencoders on simulated counts, in
#              the engine and in PyTorch with scVI's formulas, in the
#              same rounds
#   --kernels  also the engine with its AVX-512 and with its AVX2 kernels
#              (EXPRAE_CPU_KERNELS=avx512, =avx2) in the same rounds, to
#              set the two builds against each other on a CPU that has both
#
# Every run also measures the machine's float32 GEMM rate (a 2048^3
# product through PyTorch's OpenBLAS, with the run's settings) and puts
# the engine's achieved rate (11.08 MFLOP per sample and step) beside it.
#
# Environment: PYTHON (default /usr/bin/python3), EXPRAE_LIB (the R library
# holding exprae, default: R's own library paths), BUILD_DIR (default bench/build),
# TORCH_THREADS (default 1), OPENBLAS_THREADS (default: --threads) and
# OPENBLAS_CORETYPE (default: SkylakeX on an AVX-512 CPU, Haswell on an
# AVX2 one) for the PyTorch run.
# Exits non-zero only when something fails to build or run.

set -u
cmdline="sh bench/run.sh${*:+ $*}"
here=$(cd "$(dirname "$0")" && pwd)

rounds=3
epochs=3
threads=2
profile=0
sweep=0
record=0
busy_loops=0
counts=0
kernels=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --profile) profile=1; shift ;;
        --sweep) sweep=1; shift ;;
        --record) record=1; shift ;;
        --busy) busy_loops=$2; shift 2 ;;
        --counts) counts=1; shift ;;
        --kernels) kernels=1; shift ;;
        -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

PYTHON=${PYTHON:-/usr/bin/python3}
EXPRAE_LIB=${EXPRAE_LIB:-}
export EXPRAE_LIB
BUILD_DIR=${BUILD_DIR:-${here}/build}
TORCH_THREADS=${TORCH_THREADS:-1}
OPENBLAS_THREADS=${OPENBLAS_THREADS:-${threads}}
# Debian's OpenBLAS does not recognise every CPU and then runs its SSE3
# kernels at a fifth of the speed: name the kernel set the CPU can run,
# unless the caller did.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
        OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo 2>/dev/null; then
        OPENBLAS_CORETYPE=Haswell
    fi
fi
export OPENBLAS_CORETYPE

fail() {
    echo "run.sh: $*" >&2
    exit 1
}

work=$(mktemp -d 2>/dev/null || echo "/tmp/exprae-bench-$$")
mkdir -p "${work}"
spinners=""
stop_spinners() {
    for pid in ${spinners}; do kill "${pid}" 2>/dev/null; done
    spinners=""
}
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    stop_spinners
    rm -rf "${work}"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---- build the standalone driver with R's compiler flags -------------------
rflags="-g -O2"
if command -v R >/dev/null 2>&1; then
    rflags=$(R CMD config CXX17FLAGS 2>/dev/null || echo "-g -O2")
fi
echo "== building the standalone engine in ${BUILD_DIR} (${rflags})"
cmake -S "${here}" -B "${BUILD_DIR}" -DEXPRAE_BENCH_CXXFLAGS="${rflags}" \
    >"${work}/build.log" 2>&1 ||
    { cat "${work}/build.log" >&2; fail "cmake configure failed"; }
cmake --build "${BUILD_DIR}" -j 2 >>"${work}/build.log" 2>&1 ||
    { tail -40 "${work}/build.log" >&2; fail "build failed"; }

# ---- the machine -----------------------------------------------------------
# Percentage of all CPUs busy over 2 seconds: the load average lags by a
# minute, this says whether something else is running right now.
cpu_busy() {
    [ -r /proc/stat ] || { echo "?"; return; }
    # shellcheck disable=SC2046  # the fields are meant to be split
    set -- $(sed -n 's/^cpu  *//p' /proc/stat)
    b1=$(($1 + $2 + $3 + $6 + $7 + $8)) i1=$(($4 + $5))
    sleep 2
    # shellcheck disable=SC2046  # the fields are meant to be split
    set -- $(sed -n 's/^cpu  *//p' /proc/stat)
    b2=$(($1 + $2 + $3 + $6 + $7 + $8)) i2=$(($4 + $5))
    echo "$((100 * (b2 - b1) / (b2 - b1 + i2 - i1 + 1)))%"
}
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
cores=$(nproc 2>/dev/null || echo "?")
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
busy_before=$(cpu_busy)
date_utc=$(date -u '+%Y-%m-%d %H:%M UTC')
torch_version=$(${PYTHON} -c 'import torch; print(torch.__version__)' \
    2>/dev/null) || fail "PyTorch not importable by ${PYTHON}"
r_version=$(R --version 2>/dev/null | head -1 | sed 's/ (.*//')
cxx_version=$(c++ --version 2>/dev/null | head -1)

# Runs one benchmark, keeps its output, appends its figure to work/<name>.
run_one() {
    name=$1
    shift
    if ! "$@" >"${work}/out" 2>&1; then
        cat "${work}/out" >&2
        fail "${name} failed: $*"
    fi
    sed -n '/^RESULT/!p' "${work}/out" | tee -a "${work}/${name}.log"
    sed -n 's/^RESULT [^ ]* samples_per_s=\([0-9.]*\).*/\1/p' \
        "${work}/out" >>"${work}/${name}"
}

if [ "${sweep}" -eq 1 ]; then
    echo "== PyTorch thread sweep"
    ${PYTHON} "${here}/reference_network.py" --sweep --epochs 1 \
        >"${work}/sweep" 2>&1 || { cat "${work}/sweep" >&2;
        fail "PyTorch sweep failed"; }
    cat "${work}/sweep"
    # "best: OPENBLAS_NUM_THREADS=2 torch threads 1" -> "2 1"
    best=$(sed -n 's/^best: OPENBLAS_NUM_THREADS=//p' "${work}/sweep" |
        sed 's/ torch threads / /')
    OPENBLAS_THREADS=${best% *}
    TORCH_THREADS=${best#* }
fi

# The machine's float32 GEMM rate, as PyTorch's OpenBLAS reaches it.
sgemm=$(env OPENBLAS_NUM_THREADS="${OPENBLAS_THREADS}" "${PYTHON}" -c '
import time, statistics, torch
torch.set_num_threads(1)
a, b = torch.rand(2048, 2048), torch.rand(2048, 2048)
torch.mm(a, b)
t = []
for _ in range(7):
    s = time.perf_counter(); torch.mm(a, b); t.append(time.perf_counter() - s)
print("%.0f" % (2 * 2048 ** 3 / statistics.median(t) / 1e9))' 2>/dev/null) ||
    sgemm=0
echo "== float32 GEMM 2048^3 through OpenBLAS: ${sgemm} GFLOP/s"

echo "== ${rounds} rounds of: engine, PyTorch, engine through R" \
    "(${threads} threads, ${epochs} timed epochs after 1 warm-up)"
k=0
while [ "${k}" -lt "${busy_loops}" ]; do
    sh -c 'while :; do :; done' &
    spinners="${spinners} $!"
    k=$((k + 1))
done
[ -n "${spinners}" ] && echo "== ${busy_loops} busy loop(s) running:${spinners}"
r=1
while [ "${r}" -le "${rounds}" ]; do
    echo "-- round ${r}"
    run_one engine "${BUILD_DIR}/reference_network" --threads "${threads}" \
        --epochs "${epochs}"
    run_one torch env OPENBLAS_NUM_THREADS="${OPENBLAS_THREADS}" \
        "${PYTHON}" "${here}/reference_network.py" \
        --torch-threads "${TORCH_THREADS}" --epochs "${epochs}"
    run_one R Rscript "${here}/reference_network.R" --threads "${threads}" \
        --epochs "${epochs}"
    if [ "${kernels}" -eq 1 ]; then
        for set in avx512 avx2; do
            run_one "engine_${set}" env EXPRAE_CPU_KERNELS="${set}" \
                "${BUILD_DIR}/reference_network" --threads "${threads}" \
                --epochs "${epochs}"
        done
    fi
    if [ "${counts}" -eq 1 ]; then
        for lk in nb zinb; do
            run_one "engine_${lk}" "${BUILD_DIR}/reference_network" \
                --threads "${threads}" --epochs "${epochs}" --likelihood "${lk}"
            run_one "torch_${lk}" env OPENBLAS_NUM_THREADS="${OPENBLAS_THREADS}" \
                "${PYTHON}" "${here}/reference_network.py" \
                --torch-threads "${TORCH_THREADS}" --epochs "${epochs}" \
                --likelihood "${lk}"
        done
    fi
    r=$((r + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
if [ "${busy_loops}" -gt 0 ]; then
    stop_spinners
    busy_before="${busy_before}, then ${busy_loops} busy loop(s) (--busy)"
fi

# median, min and max of the figures in a file, one a line
stats() {
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'
}
# The median of a run's figures; "median (min-max)" for the table; a ratio.
median_of() { stats "${work}/$1" | cut -d' ' -f1; }
cell() { stats "${work}/$1" | awk '{ printf "%s (%s-%s)", $1, $2, $3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
engine=$(median_of engine)
engine_set=$(grep -o '[a-z0-9+]* kernels' "${work}/engine.log" | head -1)
ratio_et=$(ratio "${engine}" "$(median_of torch)")
ratio_re=$(ratio "$(median_of R)" "${engine}")
gflops=$(awk -v a="${engine}" 'BEGIN { printf "%.0f", a * 11.075584e-3 }')
share=$(awk -v a="${gflops}" -v b="${sgemm}" \
    'BEGIN { printf "%.0f%%", (b > 0 ? 100 * a / b : 0) }')
count_rows=""
if [ "${kernels}" -eq 1 ]; then
    count_rows="| engine, standalone, EXPRAE_CPU_KERNELS=avx512 | $(cell engine_avx512) |
| engine, standalone, EXPRAE_CPU_KERNELS=avx2 | $(cell engine_avx2) |
| ratio avx512 / avx2 | $(ratio "$(median_of engine_avx512)" "$(median_of engine_avx2)") |
"
fi
if [ "${counts}" -eq 1 ]; then
    for lk in nb zinb; do
        count_rows="${count_rows}| engine, ${lk} | $(cell "engine_${lk}") |
| PyTorch CPU, ${lk} (scVI's formulas) | $(cell "torch_${lk}") |
| ratio engine / PyTorch, ${lk} | $(ratio "$(median_of "engine_${lk}")" \
    "$(median_of "torch_${lk}")") |
"
    done
fi

cat >"${work}/block" <<EOF
### ${date_utc}

- command: \`${cmdline}\`
- machine: ${cpu}, ${cores} cores; CPUs busy before the run ${busy_before}; load average before ${load_before}, after ${load_after}
- software: ${cxx_version}; ${r_version}; PyTorch ${torch_version} (OPENBLAS_NUM_THREADS=${OPENBLAS_THREADS}, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}, torch threads ${TORCH_THREADS})
- ${rounds} interleaved rounds, ${epochs} timed epochs of 10,000 samples after 1 warm-up epoch, threads: ${threads}; median (min-max)

| run | samples/s |
|---|---|
| engine, standalone (${engine_set:-unknown kernels}) | $(cell engine) |
| PyTorch CPU | $(cell torch) |
| engine through R | $(cell R) |
| ratio engine / PyTorch | ${ratio_et} |
| ratio R / engine | ${ratio_re} |
${count_rows}
- float32 GEMM 2048^3 through OpenBLAS in the same run: ${sgemm} GFLOP/s; the engine's training step reached ${gflops} GFLOP/s (${share})
EOF
echo
cat "${work}/block"

if [ "${record}" -eq 1 ]; then
    { echo; cat "${work}/block"; } >>"${here}/RESULTS.md"
    echo
    echo "appended to ${here}/RESULTS.md"
fi

if [ "${profile}" -eq 1 ]; then
    for t in 1 "${threads}"; do
        echo
        echo "== step profile, ${t} thread(s)"
        "${BUILD_DIR}/step_profile" --threads "${t}" --epochs 1 ||
            fail "step_profile failed"
        [ "${threads}" -eq 1 ] && break
    done
fi
exit 0
