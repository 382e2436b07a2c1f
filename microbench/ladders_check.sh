#!/bin/sh
# make gpu-check (ladders): bspgpu-l2rates in each of its modes and bspgpu-gemm,
# a few launches each; every program checks its own results and exits non-zero
# on a wrong one.  Bad arguments must exit 2.
# Usage: sh microbench/ladders_check.sh [BUILD_DIR]
set -eu
B=${1:-build}
for part in l2 dram work; do
    "$B/bspgpu-l2rates" 3 "$part"
done
rc=0; "$B/bspgpu-l2rates" 3 bogus 2>/dev/null || rc=$?
[ "$rc" = 2 ] || { echo "ladders_check: bspgpu-l2rates 3 bogus exited $rc, want 2" >&2; exit 1; }
rc=0; "$B/bspgpu-l2rates" 1 2>/dev/null || rc=$?
[ "$rc" = 2 ] || { echo "ladders_check: bspgpu-l2rates 1 exited $rc, want 2" >&2; exit 1; }
if [ -x "$B/bspgpu-gemm" ]; then
    "$B/bspgpu-gemm" 2
    rc=0; "$B/bspgpu-gemm" 0 2>/dev/null || rc=$?
    [ "$rc" = 2 ] || { echo "ladders_check: bspgpu-gemm 0 exited $rc, want 2" >&2; exit 1; }
fi
echo "ladders_check: ok"
