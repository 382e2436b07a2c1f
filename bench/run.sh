#!/bin/sh
# Throughput of fit + predict + score (bspgpu crossboard, seed model) over
# two generated profiles of N launches each, parse included.
# usage: bench/run.sh [N] [K]   (defaults 1000000 launches, 2000 configurations)
set -e
N=${1:-1000000}
K=${2:-2000}
B=${BSPGPU:-build/bspgpu}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
build/bench/gen_profile "$N" "$K" 1 "$T/a.csv"
build/bench/gen_profile "$N" "$K" 2 "$T/b.csv"
echo "profiles: $N launches each, $K configurations, $(du -h "$T/a.csv" | cut -f1) per file"
for model in seed all; do
    s=$(date +%s.%N)
    "$B" crossboard --quiet --models $model --board-a tests/fixtures/boards/fixture-a.json \
        --board-b tests/fixtures/boards/fixture-b.json --profile-a "$T/a.csv" --profile-b "$T/b.csv" \
        -o "$T/k.csv" --summary "$T/s.csv"
    e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" -v n="$N" -v m="$model" 'BEGIN {
        t = e - s; printf "models %-4s: %.3f s for %d launches (2 profiles of %d): %.2f M launches/s\n", m, t, 2 * n, n, 2 * n / t / 1e6 }'
done
