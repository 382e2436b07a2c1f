#!/bin/sh
# On a GPU machine, from the repository root: build the collector and its
# test program, run the GPU check, then compare with Nsight Compute
# (scripts/ncu_compare.py) and copy the ncu CSVs to tests/fixtures/ncu/.
#   sh scripts/ncu_compare.sh OUTDIR
set -e
OUTDIR=${1:-build/ncu_compare}
make build/bspgpu build/libbspgpu-cupti.so build/bsp_cupti_test build/cupti_check_profile
timeout 300 make cupti-gpu-check
python3 scripts/ncu_compare.py "$OUTDIR"
mkdir -p tests/fixtures/ncu
cp "$OUTDIR/ncu_raw_cache_all.csv" tests/fixtures/ncu/bsp_cupti_test.raw.csv
cp "$OUTDIR/ncu_raw_cache_none.csv" tests/fixtures/ncu/bsp_cupti_test.raw.cache-none.csv
cp "$OUTDIR/ncu_details.csv" tests/fixtures/ncu/bsp_cupti_test.details.csv
