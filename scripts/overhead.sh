#!/bin/sh
# On a GPU machine, from the repository root: build the collector and time
# one ResNet-50 inference plain, under bspgpu profile and under ncu
# (scripts/overhead.py).
#   sh scripts/overhead.sh OUTDIR [overhead.py options]
set -e
OUTDIR=${1:-build/overhead}
[ $# -gt 0 ] && shift
make build/bspgpu build/libbspgpu-cupti.so
python3 scripts/overhead.py "$OUTDIR" "$@"
