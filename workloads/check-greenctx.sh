#!/usr/bin/env bash
# check-greenctx.sh: check the SM-count axis on a GPU.  Runs sm_check on the
# whole chip and on green contexts of 16, 32 and 72 SMs; fails unless every
# partition ran on no more SMs than granted, and the compute-bound kernel
# sm_fma_spin took 0.75x-1.25x of (whole-chip SMs / granted SMs) times the
# whole-chip time (8.25x for 16 of 132 SMs).
#
# usage: workloads/check-greenctx.sh        (WL_BIN: default build/workloads)
set -u
bin=${WL_BIN:-build/workloads}/sm_check
fail=0

median() { awk '$1 == "sm_fma_spin" { for (i = 1; i <= NF; i++) if ($i ~ /^median_us=/) { sub(/median_us=/, "", $i); print $i } }'; }

full_out=$(env -u BSP_SMS "$bin" -r 5) || { echo "check-greenctx: sm_check failed on the whole chip" >&2; exit 1; }
full_us=$(median <<<"$full_out")
dev_sms=$(sed -n 's/.*sms_device=\([0-9]*\).*/\1/p' <<<"$full_out")
echo "whole chip: $dev_sms SMs, sm_fma_spin median ${full_us} us"
for n in 16 32 72; do
    out=$(BSP_SMS=$n "$bin" -r 5) || { echo "check-greenctx: sm_check failed with BSP_SMS=$n" >&2; fail=1; continue; }
    us=$(median <<<"$out")
    seen=$(sed -n 's/.*sms_seen=\([0-9]*\).*/\1/p' <<<"$out")
    got=$(sed -n 's/.*sms_granted=\([0-9]*\).*/\1/p' <<<"$out")
    verdict=$(awk -v f="$full_us" -v p="$us" -v d="$dev_sms" -v g="$got" 'BEGIN {
        r = p / f; e = d / g; ok = (r >= 0.75 * e && r <= 1.25 * e)
        printf "%s slowdown %.2fx, expected %.2fx", ok ? "ok" : "BAD", r, e }')
    echo "BSP_SMS=$n: granted $got SMs, kernels seen on $seen SMs, sm_fma_spin median ${us} us, $verdict"
    case $verdict in BAD*) fail=1 ;; esac
    [ "$seen" -le "$got" ] || fail=1
done
[ $fail = 0 ] && echo "check-greenctx: ok" || echo "check-greenctx: FAILED" >&2
exit $fail
