#!/usr/bin/env bash
# run-all.sh: run every synthetic workload (and optionally CNN inference
# configurations), each once, under an optional wrapper command.
#
# usage: workloads/run-all.sh OUTDIR [--sms N] [--reps N] [--only NAME[,NAME...]]
#                             [--cnn] [--cnn-iters N] [--cnn-warmup N] [--cnn-compile]
#                             [--list] [-- WRAPPER...]
#
#   OUTDIR        created if missing; gets NAME.log per workload (its stdout
#                 and stderr) and summary.tsv (name, exit status, wall seconds,
#                 command; rows appended when it exists)
#   --sms N       export BSP_SMS=N: every workload runs on a green context of
#                 at least N SMs
#   --reps N      launches of each kernel per input size (default 5)
#   --only LIST   run only these workloads (comma-separated names, see --list)
#   --cnn         also run the CNN configurations (workloads/torch/cnn.py)
#   --cnn-iters N, --cnn-warmup N   timed and warm-up inferences (default 2, 1)
#   --cnn-compile also run the torch.compile configurations (slow to compile)
#   --list        print the workload names and exit
#   WRAPPER...    prefix for each command; the words {name} and {outdir} in it
#                 are replaced by the workload's name and OUTDIR
#
# Names: mm_uncoalesced mm_coalesced mm_tiled madd_coalesced madd_uncoalesced
# vadd dot msa reduce_tree reduce_shuffle transpose_naive transpose_tiled
# stencil2d hist_global hist_shared spmv_scalar spmv_vector, and with --cnn
# cnn_<model>_b<batch>_bench<0|1> (and cnn_<model>_b<batch>_compile).
#
# A failing workload is reported and the others still run; the exit status is
# 1 if any failed, 2 on bad usage.
#
# Environment: WL_BIN (default build/workloads), PYTHON (default python3).
#
# examples:
#   workloads/run-all.sh out/full
#   workloads/run-all.sh out/sms16 --sms 16
#   workloads/run-all.sh out/prof --cnn -- build/bspgpu profile -o {outdir}/{name}.csv --

set -u

here=$(cd "$(dirname "$0")" && pwd)
WL_BIN=${WL_BIN:-build/workloads}
PYTHON=${PYTHON:-python3}

usage() { sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; }

# name|program|variant (synthetic workloads)
SYNTH="
mm_uncoalesced|mm|uncoalesced
mm_coalesced|mm|coalesced
mm_tiled|mm|tiled
madd_coalesced|madd|coalesced
madd_uncoalesced|madd|uncoalesced
vadd|vadd|vadd
dot|dot|dot
msa|msa|msa
reduce_tree|reduce|tree
reduce_shuffle|reduce|shuffle
transpose_naive|transpose|naive
transpose_tiled|transpose|tiled
stencil2d|stencil|stencil2d
hist_global|histogram|global
hist_shared|histogram|shared
spmv_scalar|spmv|scalar
spmv_vector|spmv|vector
"
# model|batch
CNN="
resnet50|32
mobilenet_v2|32
vgg16|8
resnet18|1
densenet121|16
regnet_y_400mf|32
"

outdir= sms= reps=5 only= cnn=0 cnn_iters=2 cnn_warmup=1 cnn_compile=0 list=0
wrapper=()
while [ $# -gt 0 ]; do
    case $1 in
    --help|-h) usage; exit 0 ;;
    --sms) [ $# -ge 2 ] || { echo "run-all.sh: --sms needs a value" >&2; exit 2; }; sms=$2; shift 2 ;;
    --reps) [ $# -ge 2 ] || { echo "run-all.sh: --reps needs a value" >&2; exit 2; }; reps=$2; shift 2 ;;
    --only) [ $# -ge 2 ] || { echo "run-all.sh: --only needs a value" >&2; exit 2; }; only=$2; shift 2 ;;
    --cnn) cnn=1; shift ;;
    --cnn-iters) [ $# -ge 2 ] || { echo "run-all.sh: --cnn-iters needs a value" >&2; exit 2; }; cnn_iters=$2; shift 2 ;;
    --cnn-warmup) [ $# -ge 2 ] || { echo "run-all.sh: --cnn-warmup needs a value" >&2; exit 2; }; cnn_warmup=$2; shift 2 ;;
    --cnn-compile) cnn=1; cnn_compile=1; shift ;;
    --list) list=1; shift ;;
    --) shift; wrapper=("$@"); break ;;
    -*) echo "run-all.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) if [ -z "$outdir" ]; then outdir=$1; shift
       else echo "run-all.sh: unexpected argument '$1'" >&2; exit 2; fi ;;
    esac
done
for v in "$reps" "$cnn_iters" "$cnn_warmup" ${sms:+"$sms"}; do
    case $v in ''|*[!0-9]*) echo "run-all.sh: '$v' is not a count" >&2; exit 2 ;; esac
done

# the job list: name, then the command words, tab-separated
jobs=()
for line in $SYNTH; do
    IFS='|' read -r name prog variant <<<"$line"
    jobs+=("$name"$'\t'"$WL_BIN/$prog"$'\t'-r$'\t'"$reps"$'\t'-v$'\t'"$variant")
done
if [ $cnn = 1 ]; then
    for line in $CNN; do
        IFS='|' read -r model batch <<<"$line"
        common="--model"$'\t'"$model"$'\t'"--batch"$'\t'"$batch"$'\t'"--iters"$'\t'"$cnn_iters"$'\t'"--warmup"$'\t'"$cnn_warmup"
        for b in 0 1; do
            jobs+=("cnn_${model}_b${batch}_bench$b"$'\t'"$PYTHON"$'\t'"$here/torch/cnn.py"$'\t'"$common"$'\t'"--cudnn-benchmark"$'\t'"$b")
        done
        if [ $cnn_compile = 1 ]; then
            jobs+=("cnn_${model}_b${batch}_compile"$'\t'"$PYTHON"$'\t'"$here/torch/cnn.py"$'\t'"$common"$'\t'"--cudnn-benchmark"$'\t'0$'\t'"--compile")
        fi
    done
fi

if [ $list = 1 ]; then
    for j in "${jobs[@]}"; do printf '%s\n' "${j%%$'\t'*}"; done
    exit 0
fi
[ -n "$outdir" ] || { echo "run-all.sh: missing OUTDIR" >&2; usage >&2; exit 2; }
mkdir -p "$outdir" || { echo "run-all.sh: cannot create $outdir" >&2; exit 1; }
if [ -n "$only" ]; then
    for o in ${only//,/ }; do
        found=0
        for j in "${jobs[@]}"; do [ "${j%%$'\t'*}" = "$o" ] && found=1; done
        [ $found = 1 ] || { echo "run-all.sh: --only: unknown workload '$o' (see --list)" >&2; exit 2; }
    done
fi
if [ -n "$sms" ]; then export BSP_SMS=$sms; else unset BSP_SMS; fi

summary="$outdir/summary.tsv"
# appended to: several calls into one OUTDIR (a collection's phases) keep every row
[ -s "$summary" ] || printf 'name\texit_status\twall_s\tcommand\n' >"$summary"
nfail=0 nrun=0
t_all=$(date +%s.%N)
for j in "${jobs[@]}"; do
    IFS=$'\t' read -r -a words <<<"$j"
    name=${words[0]}
    if [ -n "$only" ] && [[ ",$only," != *",$name,"* ]]; then continue; fi
    cmd=()
    for w in "${wrapper[@]}"; do
        w=${w//\{name\}/$name}
        cmd+=("${w//\{outdir\}/$outdir}")
    done
    cmd+=("${words[@]:1}")
    t0=$(date +%s.%N)
    "${cmd[@]}" >"$outdir/$name.log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    printf '%s\t%d\t%s\t%s\n' "$name" "$rc" "$wall" "${cmd[*]}" >>"$summary"
    nrun=$((nrun + 1))
    if [ $rc -eq 0 ]; then
        printf '%-28s ok      %7ss\n' "$name" "$wall"
    else
        nfail=$((nfail + 1))
        printf '%-28s FAILED  %7ss (exit %d; see %s)\n' "$name" "$wall" "$rc" "$outdir/$name.log"
        tail -n 5 "$outdir/$name.log" | sed 's/^/    /'
    fi
done
t_end=$(date +%s.%N)
total=$(awk -v a="$t_all" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')
echo "run-all.sh: $nrun run, $nfail failed, ${total}s${sms:+ (BSP_SMS=$sms)}; summary in $summary"
[ $nfail -eq 0 ]
