#!/usr/bin/env python3
"""Check a board file from bspgpu calibrate against sane ranges (make gpu-check).

Usage: check_board.py BOARD.json
Exit 0 when every value is in range, 1 otherwise (each failure named).
The ranges are wide on purpose: they catch a broken benchmark (a loop the
compiler removed, a chase that stayed in a cache, a unit error), not a slow
board.
"""
import json
import sys

# (section, key, low, high): medians
RANGES = [
    ("latency_cycles", "shared", 10, 60),
    ("latency_cycles", "l1", 20, 60),
    ("latency_cycles", "l2", 150, 600),
    ("latency_cycles", "l2_far", 150, 900),
    ("latency_cycles", "global", 400, 1200),
    ("latency_cycles", "inst", 2, 12),
    ("latency_cycles", "fp32_add", 2, 12),
    ("latency_cycles", "fp32_fma", 2, 12),
    ("latency_cycles", "int_mad", 2, 20),
    ("bandwidth_gbs", "dram", 10, 20000),
    ("bandwidth_gbs", "l2", 50, 100000),
    ("bandwidth_gbs", "shared", 50, 200000),
    ("bandwidth_gbs", "h2d_pinned", 1, 1000),
    ("bandwidth_gbs", "d2h_pinned", 1, 1000),
    ("bandwidth_gbs", "d2d", 10, 20000),
    ("latency_us", "h2d", 0.5, 1000),
    ("latency_us", "d2h", 0.5, 1000),
    ("latency_us", "launch_overhead", 0.2, 1000),
    ("throughput", "fp32_gflops", 50, 500000),
    ("throughput", "tensor_fp16_tflops", 1, 5000),
]


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = argv[1]
    with open(path) as f:
        b = json.load(f)
    bad = []

    def need(cond, msg):
        if not cond:
            bad.append(msg)

    dev = b.get("device", {})
    clk = dev.get("clock_mhz", 0)
    need(500 <= clk <= 2100, f"device.clock_mhz {clk} not in 500..2100")
    need(dev.get("sms", 0) >= 1, "device.sms < 1")
    need(dev.get("sms", 0) <= dev.get("sms_total", 0), "device.sms > device.sms_total")
    need(dev.get("cores_per_sm", 0) in (64, 128, 192), "device.cores_per_sm not 64/128/192")
    for sec, key, lo, hi in RANGES:
        m = b.get(sec, {}).get(key)
        if m is None:
            bad.append(f"{sec}.{key} missing")
            continue
        v = m["median"]
        need(lo <= v <= hi, f"{sec}.{key} median {v:.4g} not in {lo}..{hi}")
        need(m["min"] <= v <= m["max"], f"{sec}.{key}: min/median/max out of order")
        print(f"  {sec + '.' + key:40s} {v:12.4g}  ({m['min']:.4g}..{m['max']:.4g}, n={m['n']})")
    lc = b.get("latency_cycles", {})
    if all(k in lc for k in ("l1", "l2", "global")):
        need(lc["l1"]["median"] < lc["l2"]["median"] < lc["global"]["median"],
             "latencies not ordered l1 < l2 < global")
    if "l2_far" in lc and "l2" in lc:
        need(lc["l2_far"]["median"] >= lc["l2"]["median"], "l2_far < l2")
    prov = b.get("provenance", {})
    for k in ("device", "driver", "cuda", "date", "tool_version", "command", "host"):
        need(bool(prov.get(k)), f"provenance.{k} empty")
    need(len(b.get("sweep", [])) >= 4, "fewer than 4 sweep points")
    print(f"  device.clock_mhz {clk:.0f}, sms {dev.get('sms')}/{dev.get('sms_total')}")
    if bad:
        for m in bad:
            print(f"{path}: {m}", file=sys.stderr)
        return 1
    print(f"{path}: all values in range")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
