#!/bin/sh
# Runs the engine test that needs a cgroup memory limit (it skips under
# ctest, where none binds) inside a 1 GiB cgroup of its own, where one can
# be made: as root, with cgroup v1's memory controller or cgroup v2's
# enabled at /sys/fs/cgroup. Its last line says "cgroup test: passed",
# "cgroup test: failed" (exit status 1) or "cgroup test: not run (why)".
# usage: sh tools/cgroup-engine-test.sh <engine_tests binary>
set -u
bin=$1
test=CachingAllocator.HostRefusesMoreThanTheCgroupLimitLeaves
name=exprae-engine-test-$$
if [ -w /sys/fs/cgroup/memory ]; then
    dir=/sys/fs/cgroup/memory/$name
    limit_file=memory.limit_in_bytes
elif [ -w /sys/fs/cgroup ] &&
    grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
    dir=/sys/fs/cgroup/$name
    limit_file=memory.max
else
    echo "cgroup test: not run (no writable cgroup memory controller)"
    exit 0
fi
if ! mkdir "$dir" 2>/dev/null; then
    echo "cgroup test: not run (cannot make a cgroup)"
    exit 0
fi
if ! echo $((1024 * 1024 * 1024)) > "$dir/$limit_file" 2>/dev/null; then
    rmdir "$dir"
    echo "cgroup test: not run (cannot set a memory limit)"
    exit 0
fi
# a shell that moves itself into the cgroup, then becomes the test
out=$(sh -c 'echo $$ > "$1/cgroup.procs" && exec "$2" --gtest_filter="$3"' \
    sh "$dir" "$bin" "$test" 2>&1)
rmdir "$dir" 2>/dev/null
echo "$out"
if echo "$out" | grep -q "^\[       OK \] $test"; then
    echo "cgroup test: passed"
else
    echo "cgroup test: failed"
    exit 1
fi
