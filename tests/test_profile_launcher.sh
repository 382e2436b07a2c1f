#!/bin/sh
# `bspgpu profile` argument handling and process plumbing, without a GPU:
# exit codes (misuse 2, app's code passed through, signals 128+N), the
# environment handed to the application, stale outputs removed, and the
# metadata sidecar completed with the wall time and exit code.
# Usage: sh tests/test_profile_launcher.sh build/bspgpu
B=${1:-build/bspgpu}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0

expect() { # expect CODE DESCRIPTION -- COMMAND...
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" = "$want" ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $what: exit $got, want $want"; sed 's/^/  stderr: /' "$T/err"; fi
}
has() { # has FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $3: '$2' not in $1:"; sed 's/^/  /' "$1" | head -5; fi
}
absent() {
    if [ ! -e "$1" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2: $1 exists"; fi
}

expect 0 "help" -- "$B" profile --help
has "$T/out" "usage: bspgpu profile" "help is usage"
has "$T/out" "examples:" "help has examples"
has "$T/out" "PROFILE.csv.api.csv" "help names the API sidecar"
has "$T/out" "--capture-range MODE" "help names the capture range"
has "$T/out" "--range-profiler MODE" "help names the range profiler mode"
has "$T/out" "cudaProfilerStart" "help says what starts a range"
expect 2 "no arguments" -- "$B" profile
expect 2 "no -o" -- "$B" profile -- /bin/true
has "$T/err" "-o PROFILE.csv is required" "no -o named"
expect 2 "missing --" -- "$B" profile -o "$T/x.csv" /bin/true
has "$T/err" "must follow '--'" "missing -- named"
expect 2 "-- without app" -- "$B" profile -o "$T/x.csv" --
has "$T/err" "no application" "no app named"
expect 2 "unknown option" -- "$B" profile -o "$T/x.csv" --frobnicate -- /bin/true
has "$T/err" "unknown option '--frobnicate'" "unknown option named"
expect 2 "option without value" -- "$B" profile -o
expect 2 "option value is --" -- "$B" profile -o "$T/x.csv" --samples -- /bin/true
expect 2 "bad metric set" -- "$B" profile -o "$T/x.csv" --metrics most -- /bin/true
has "$T/err" "--metrics most" "bad metric set named"
expect 2 "bad samples" -- "$B" profile -o "$T/x.csv" --samples many -- /bin/true
expect 2 "negative skip" -- "$B" profile -o "$T/x.csv" --launch-skip -1 -- /bin/true
expect 2 "bad config skip" -- "$B" profile -o "$T/x.csv" --config-skip one -- /bin/true
has "$T/err" "--config-skip take an unsigned integer" "bad config skip named"
expect 2 "bad regex" -- "$B" profile -o "$T/x.csv" --kernel-regex '(' -- /bin/true
has "$T/err" "--kernel-regex" "bad regex named"
expect 2 "bad capture range" -- "$B" profile -o "$T/x.csv" --capture-range bogus -- /bin/true
has "$T/err" "--capture-range bogus: expected none or profiler-api" "bad capture range named"
absent "$T/x.csv" "no profile after a bad capture range"
expect 2 "nsys spelling of the capture range" -- "$B" profile -o "$T/x.csv" --capture-range=cudaProfilerApi -- /bin/true
has "$T/err" "--capture-range cudaProfilerApi" "nsys spelling named"
expect 2 "capture range without value" -- "$B" profile -o "$T/x.csv" --capture-range -- /bin/true
has "$T/err" "option '--capture-range' needs a value" "capture range without value named"

# the application's exit code passes through; no CUDA, so no profile
expect 3 "exit code passes through" -- "$B" profile -o "$T/x.csv" -- /bin/sh -c 'exit 3'
has "$T/err" "no profile written" "missing profile reported"
absent "$T/x.csv" "no profile without CUDA"
expect 0 "exit 0 passes through" -- "$B" profile -o "$T/x.csv" -- /bin/true
expect 143 "signal becomes 128+N" -- "$B" profile -o "$T/x.csv" -- /bin/sh -c 'kill -TERM $$'
expect 127 "missing application" -- "$B" profile -o "$T/x.csv" -- "$T/no-such-app"
has "$T/err" "cannot run" "missing application named"
expect 1 "missing collector library" -- env BSPGPU_CUPTI_LIB="$T/none.so" "$B" profile -o "$T/x.csv" -- /bin/true
has "$T/err" "not found" "missing library named"

# the environment the collector reads; arguments reach the app unchanged
(cd "$T" && expect 0 "options in the environment" -- "$OLDPWD/$B" profile -o rel.csv --metrics full \
    --samples 4 --launch-skip 2 --launch-count=9 --config-skip 3 --kernel-regex '^gemm|conv' \
    --capture-range profiler-api -- /bin/sh -c \
    'echo "$CUDA_INJECTION64_PATH|$BSPGPU_PROFILE_OUT|$BSPGPU_PROFILE_METRICS|$BSPGPU_PROFILE_SAMPLES|$BSPGPU_PROFILE_LAUNCH_SKIP|$BSPGPU_PROFILE_LAUNCH_COUNT|$BSPGPU_PROFILE_CONFIG_SKIP|$BSPGPU_PROFILE_KERNEL_REGEX|$BSPGPU_PROFILE_CAPTURE|$1|$2"' \
    sh 'a b' "c'd")
has "$T/out" "libbspgpu-cupti.so|$T/rel.csv|full|4|2|9|3|^gemm|conv|profiler-api|a b|c'd" "environment and arguments"
expect 0 "defaults in the environment" -- "$B" profile -o "$T/x.csv" -- /bin/sh -c \
    'echo "$BSPGPU_PROFILE_METRICS|$BSPGPU_PROFILE_SAMPLES|$BSPGPU_PROFILE_LAUNCH_SKIP|$BSPGPU_PROFILE_LAUNCH_COUNT|$BSPGPU_PROFILE_CONFIG_SKIP|${BSPGPU_PROFILE_KERNEL_REGEX-unset}|$BSPGPU_PROFILE_CAPTURE"'
has "$T/out" "seed|1|0|0|0|unset|none" "default options"
# --range-profiler: keep and release reach the collector; without it the environment is left as it is
expect 0 "range profiler kept" -- "$B" profile -o "$T/x.csv" --range-profiler keep -- /bin/sh -c 'echo "rp=$BSPGPU_PROFILE_RELEASE"'
has "$T/out" "rp=0" "keep sets the release variable to 0"
expect 0 "range profiler released" -- env BSPGPU_PROFILE_RELEASE=0 "$B" profile -o "$T/x.csv" --range-profiler=release -- /bin/sh -c 'echo "rp=$BSPGPU_PROFILE_RELEASE"'
has "$T/out" "rp=1" "release overrides the environment"
expect 0 "range profiler unset" -- env -u BSPGPU_PROFILE_RELEASE "$B" profile -o "$T/x.csv" -- /bin/sh -c 'echo "rp=${BSPGPU_PROFILE_RELEASE-unset}"'
has "$T/out" "rp=unset" "no option, no variable: the collector's default"
expect 2 "bad range profiler mode" -- "$B" profile -o "$T/x.csv" --range-profiler sometimes -- /bin/true
has "$T/err" "--range-profiler sometimes: expected release or keep" "bad range profiler mode named"

# stale outputs of an earlier run are removed before the application starts
for s in "" .memops.csv .api.csv .meta.json .claim; do echo stale >"$T/x.csv$s"; done
expect 0 "stale outputs" -- "$B" profile -o "$T/x.csv" -- /bin/true
for s in "" .memops.csv .api.csv .meta.json .claim; do absent "$T/x.csv$s" "stale x.csv$s removed"; done

# an application that writes the profile itself (as the collector does):
# the launcher completes the metadata with wall time, exit code and board
expect 5 "metadata completed" -- "$B" profile -o "$T/y.csv" --board h100-sxm -- /bin/sh -c \
    'echo "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns" >"$BSPGPU_PROFILE_OUT"; sleep 0.2; exit 5'
has "$T/y.csv.meta.json" '"app_exit_code":	5' "exit code in metadata"
has "$T/y.csv.meta.json" '"board":	"h100-sxm"' "board in metadata"
has "$T/y.csv.meta.json" "\"command\":	\"/bin/sh -c 'echo" "command in metadata"
wall=$(sed -n 's/.*"app_wall_ns":[^0-9]*\([0-9.e+]*\).*/\1/p' "$T/y.csv.meta.json")
if awk "BEGIN{exit !($wall >= 2e8 && $wall < 6e10)}"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: app_wall_ns=$wall, want >= 0.2 s"; fi
absent "$T/y.csv.claim" "claim removed after the run"
has "$T/y.csv.meta.json" '"capture_range":	"none"' "default capture range in metadata"
expect 0 "capture range in metadata" -- "$B" profile -o "$T/z.csv" --capture-range profiler-api -- /bin/sh -c \
    'echo "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns" >"$BSPGPU_PROFILE_OUT"'
has "$T/z.csv.meta.json" '"capture_range":	"profiler-api"' "capture range in metadata"

echo "test_profile_launcher: $pass passed, $fail failed"
[ "$fail" = 0 ]
