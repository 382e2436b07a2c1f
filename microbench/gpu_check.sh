#!/bin/sh
# make gpu-check (microbench): a quick calibration whose values are checked
# against sane ranges (microbench/check_board.py).
# Usage: sh microbench/gpu_check.sh [BUILD_DIR]
set -eu
B=${1:-build}
prog=$B/bspgpu-calibrate
out=$B/gpu-check-board.json

"$prog" --help | grep -q '^Usage: bspgpu calibrate'
rm -f "$out"
"$prog" --quick -o "$out" --sweep-csv "$B/gpu-check-sweep.csv"
python3 microbench/check_board.py "$out"
