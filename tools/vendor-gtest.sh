#!/bin/sh
# Copies GoogleTest's sources (Debian's googletest package puts them in
# /usr/src/googletest) into third_party/googletest, which git ignores, so
# that tests/engine can build GoogleTest where no installed copy exists:
# on a GPU machine, carry third_party with the call (see bench/README.md).
#   sh tools/vendor-gtest.sh [SOURCE]
set -e
src=${1:-/usr/src/googletest}
root=$(cd "$(dirname "$0")/.." && pwd)
dest="${root}/third_party/googletest"
if [ ! -f "${src}/CMakeLists.txt" ]; then
    echo "vendor-gtest.sh: no GoogleTest sources in ${src}" \
        "(apt-get install googletest)" >&2
    exit 1
fi
rm -rf "${dest}"
mkdir -p "${root}/third_party"
cp -r "${src}" "${dest}"
echo "vendor-gtest.sh: copied ${src} to ${dest}"
