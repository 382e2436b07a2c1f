#!/bin/sh
# GPU-free test of the bspgpu-calibrate program's command line (make mb-test).
# The CUDA driver is replaced by the toolkit's stub library, so the program
# starts on any machine and every CUDA call fails: help must work, misuse
# must exit 2, and a run must exit 1 without writing the board file.
# Usage: sh microbench/cli_test.sh BUILD_DIR CUDA_STUBS_DIR
set -u
B=$1
STUBS=$2
prog=$B/bspgpu-calibrate
dir=$B/microbench/cli-test
rm -rf "$dir"
mkdir -p "$dir/lib"
ln -s "$(cd "$STUBS" && pwd)/libcuda.so" "$dir/lib/libcuda.so.1"
LD_LIBRARY_PATH=$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
fail=0

expect() {   # expect RC DESCRIPTION ARGS...
    want=$1; what=$2; shift 2
    "$prog" "$@" >"$dir/out" 2>"$dir/err"
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "cli_test: $what: exit $got, want $want" >&2
        cat "$dir/err" >&2
        fail=1
    fi
}

expect 0 "--help" --help
grep -q '^Usage: bspgpu calibrate' "$dir/out" || { echo "cli_test: --help printed no usage" >&2; fail=1; }
expect 0 "-h after other options" -o "$dir/b.json" -h
expect 2 "no -o" --quick
expect 2 "-o without a value" -o
expect 2 "unknown option" -o "$dir/b.json" --bogus
expect 2 "--repeats 2" -o "$dir/b.json" --repeats 2
expect 2 "--sms 0" -o "$dir/b.json" --sms 0
expect 2 "--sms x" -o "$dir/b.json" --sms x
expect 2 "extra argument" -o "$dir/b.json" extra
grep -q 'extra' "$dir/err" || { echo "cli_test: misuse message does not name the argument" >&2; fail=1; }
expect 1 "run without a driver" -o "$dir/b.json" --quick
grep -q 'no CUDA device' "$dir/err" || { echo "cli_test: runtime failure not explained" >&2; fail=1; }
if [ -e "$dir/b.json" ]; then
    echo "cli_test: a failed run left $dir/b.json" >&2
    fail=1
fi
# the same through the bspgpu command (src/cli/cmd_calibrate.c)
if [ -x "$B/bspgpu" ]; then
    prog_save=$prog
    prog="$B/bspgpu"
    expect 0 "bspgpu calibrate --help" calibrate --help
    grep -q '^Usage: bspgpu calibrate' "$dir/out" || { echo "cli_test: bspgpu calibrate --help printed no usage" >&2; fail=1; }
    expect 2 "bspgpu calibrate, no -o" calibrate --quick
    expect 1 "bspgpu calibrate without a driver" calibrate -o "$dir/b.json" --quick
    [ -e "$dir/b.json" ] && { echo "cli_test: a failed bspgpu calibrate left $dir/b.json" >&2; fail=1; }
    prog=$prog_save
fi
[ "$fail" -eq 0 ] && echo "cli_test: ok"
exit "$fail"
