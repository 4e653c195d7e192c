#!/bin/sh
# Copies what the standalone engine builds (tests/engine, bench) need and a
# GPU machine lacks into third_party/, which git ignores: GoogleTest's
# sources (Debian's googletest package, /usr/src/googletest) and Eigen's
# headers (RcppEigen's copy, the one R builds the package with). Carry
# third_party with a device-tool call (see bench/README.md); CMake uses it
# where no installed GoogleTest or Eigen is found.
#   sh tools/vendor-test-deps.sh [GTEST_SOURCES] [EIGEN_INCLUDE_DIR]
set -e
gtest=${1:-/usr/src/googletest}
eigen=${2:-/usr/lib/R/site-library/RcppEigen/include}
root=$(cd "$(dirname "$0")/.." && pwd)
dest="${root}/third_party"
for need in "${gtest}/CMakeLists.txt" "${eigen}/Eigen/Core"; do
    if [ ! -f "${need}" ]; then
        echo "vendor-test-deps.sh: ${need} not found (apt-get install" \
            "googletest r-cran-rcppeigen)" >&2
        exit 1
    fi
done
rm -rf "${dest}/googletest" "${dest}/eigen"
mkdir -p "${dest}/eigen"
cp -r "${gtest}" "${dest}/googletest"
cp -r "${eigen}/Eigen" "${dest}/eigen/"
echo "vendor-test-deps.sh: GoogleTest and Eigen copied to ${dest}" \
    "($(du -sh "${dest}" | cut -f1))"
