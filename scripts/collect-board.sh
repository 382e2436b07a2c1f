#!/usr/bin/env bash
# Collect one board's data on a GPU machine: calibrations (3 repeats and
# green-context partitions) and profiles of every workload, with provenance.
#
# usage: scripts/collect-board.sh NAME OUTDIR PHASE...
#   NAME     board id (h100-sxm, h200)
#   OUTDIR   gets boards/, profiles/NAME[-smsN]/, logs/, provenance.txt
#   PHASE    calib | partitions-calib | l2rates | synth | partitions | cnn | cnn-repeat | compile |
#            bench0-repeat | compile-repeat | cnn-launchbound | timing
#            (cnn-repeat, bench0-repeat, compile-repeat: a second process of the cuDNN-benchmark,
#            benchmark-off and torch.compile configurations, as profiles/NAME/APP_r2.csv)
#            (timing: every workload again with --metrics none, durations and host API
#            calls only, into timelines/NAME/: the whole-application timelines)
#
# The torch.compile configurations (compile, and their runs in timing) are profiled with
# COMPILE_OPTS too: --capture-range profiler-api, so that their profiles hold the timed
# inferences (between cnn.py's cudaProfilerStart and cudaProfilerStop), not the warm-up's
# compilation and Triton autotuning, whose L2-flush kernels are sized to each board's L2.
#
# Environment: SMS_LIST (default "16 32 72"), BSPGPU (default build/bspgpu), PROFILE_OPTS (more
# options of `bspgpu profile`, e.g. "--config-skip 1"; recorded in provenance.txt).
# Builds nothing: run `make` first.
set -u
name=$1 out=$2
shift 2
B=${BSPGPU:-build/bspgpu}
SMS_LIST=${SMS_LIST:-16 32 72}
PROFILE_OPTS=${PROFILE_OPTS:-}
COMPILE_OPTS="--capture-range profiler-api"
mkdir -p "$out/boards" "$out/profiles" "$out/logs"
prov="$out/provenance.txt"
step() { echo "== $(date -u +%H:%M:%S) $*" | tee -a "$prov" >&2; }

{
    echo "board: $name"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: $(hostname)"
    [ -n "$PROFILE_OPTS" ] && echo "profile options: $PROFILE_OPTS"
    echo "profile options of the torch.compile configurations (compile, timing): $COMPILE_OPTS"
    # data folders left behind (a device copy's size limit) are not changes of the tree that runs
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null) $(git status --porcelain 2>/dev/null |
        grep -v '^ D data/' | grep -q . && echo '(with uncommitted changes)')"
    nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.max.sm,clocks.mem,power.draw,temperature.gpu --format=csv
    nvcc --version | tail -2
} >>"$prov" 2>&1

run_set() { # run_set METRICS DIR LABEL OPTS RUN-ALL-ARGS...: every workload under bspgpu profile
    # (PROFILE_OPTS, then OPTS) into DIR
    local metrics=$1 d=$2 label=$3 opts=$4
    shift 4
    # shellcheck disable=SC2086
    workloads/run-all.sh "$d" "$@" -- "$B" profile --board "$name" --metrics "$metrics" $PROFILE_OPTS $opts \
        -o '{outdir}/{name}.csv' -- >>"$out/logs/run-all.log" 2>&1
    echo "   exit $?: $(ls "$d"/*.csv 2>/dev/null | wc -l) $label in $d${opts:+ (with $opts)}" | tee -a "$prov" >&2
}
prof() { # prof OUTSUBDIR RUN-ALL-ARGS...: profile workloads into profiles/OUTSUBDIR
    local sub=$1
    shift
    run_set full "$out/profiles/$sub" profiles "" "$@"
}
timing() { # timing OPTS RUN-ALL-ARGS...: durations-only profiles into timelines/NAME
    local opts=$1
    shift
    run_set none "$out/timelines/$name" timelines "$opts" "$@"
}

second() { # second OPTS NAMES [RUN-ALL-ARGS...]: profile the CNN configurations NAMES again into
    # profiles/NAME as APP_r2.csv (a second process: a second "build")
    local opts=$1 names=$2 f b s
    shift 2
    run_set full "$out/profiles/$name-r2" profiles "$opts" --cnn --only "$names" "$@"
    mkdir -p "$out/profiles/$name"
    for f in "$out/profiles/$name-r2"/cnn_*.csv; do
        [ -e "$f" ] || continue
        case $f in *.csv.*.csv) continue ;; esac   # sidecars move with their profile
        b=$(basename "$f" .csv)
        mv "$f" "$out/profiles/$name/${b}_r2.csv"
        for s in .meta.json .memops.csv .api.csv; do
            [ -e "$f$s" ] && mv "$f$s" "$out/profiles/$name/${b}_r2.csv$s"
        done
    done
}

cnn_names=$(workloads/run-all.sh x --cnn --list | grep '^cnn_' | paste -sd, -)
compile_names=$(workloads/run-all.sh x --cnn --cnn-compile --list | grep '_compile$' | paste -sd, -)

for phase in "$@"; do
    case $phase in
    calib)
        for i in 1 2 3; do
            step "calibrate $name run $i"
            "$B" calibrate --name "$name" -o "$out/boards/$name-run$i.json" 2>>"$out/logs/calibrate.log"
            echo "   exit $?" >>"$prov"
        done
        ;;
    partitions-calib)
        for s in $SMS_LIST; do
            step "calibrate $name --sms $s"
            "$B" calibrate --name "$name-sms$s" --sms "$s" -o "$out/boards/$name-sms$s.json" 2>>"$out/logs/calibrate.log"
            echo "   exit $?" >>"$prov"
        done
        ;;
    l2rates)
        # L2 request and hot-reduction rates into a copy of data/boards/NAME.json
        step "l2 rates of $name (scripts/l2-rates.sh)"
        cp "data/boards/$name.json" "$out/boards/$name.json"
        scripts/l2-rates.sh "$out/boards/$name.json" 20 "$out/logs/$name-l2rates.csv" >>"$prov" 2>>"$out/logs/l2rates.log"
        echo "   exit $?" >>"$prov"
        ;;
    synth)
        step "profile synthetic workloads on $name"
        prof "$name"
        ;;
    partitions)
        for s in $SMS_LIST; do
            step "profile synthetic workloads on $name --sms $s"
            prof "$name-sms$s" --sms "$s"
        done
        ;;
    cnn)
        step "profile CNN configurations on $name"
        prof "$name" --cnn --only "$cnn_names"
        ;;
    cnn-repeat)
        # a second process of each cuDNN-benchmark configuration: a second "build"
        step "profile CNN configurations again (build 2) on $name"
        second "" "$(echo "$cnn_names" | tr , '\n' | grep bench1 | paste -sd, -)"
        ;;
    bench0-repeat)
        # a second process of each configuration with cuDNN benchmark off (heuristic choice)
        step "profile CNN configurations with cuDNN benchmark off again (build 2) on $name"
        second "" "$(echo "$cnn_names" | tr , '\n' | grep bench0 | paste -sd, -)"
        ;;
    compile-repeat)
        # a second process of each torch.compile configuration, compiled and autotuned afresh
        # (an empty Inductor cache, so that Triton's autotuner runs again)
        step "profile torch.compile configurations again (build 2, empty Inductor cache) on $name ($COMPILE_OPTS)"
        TORCHINDUCTOR_CACHE_DIR=$(mktemp -d) second "$COMPILE_OPTS" "$compile_names" --cnn-compile
        ;;
    cnn-launchbound)
        # the two launch-bound models (densenet121, regnet_y_400mf), with counters
        step "profile launch-bound CNN configurations on $name"
        prof "$name" --cnn --only "$(echo "$cnn_names" | tr , '\n' | grep -E 'densenet|regnet' | paste -sd, -)"
        ;;
    timing)
        step "timelines (--metrics none) of every workload on $name"
        timing ""
        timing "" --cnn --only "$cnn_names"
        timing "$COMPILE_OPTS" --cnn --cnn-compile --only "$compile_names"
        ;;
    compile)
        step "profile torch.compile configurations on $name ($COMPILE_OPTS)"
        run_set full "$out/profiles/$name" profiles "$COMPILE_OPTS" --cnn --cnn-compile --only "$compile_names"
        ;;
    *)
        echo "collect-board: unknown phase '$phase'" >&2
        exit 2
        ;;
    esac
done
step "done"
