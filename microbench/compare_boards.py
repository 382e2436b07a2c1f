#!/usr/bin/env python3
"""Repeatability of calibrations: per measured value, the median of each
board file and the spread between them, (max - min) / mean in percent.

Usage: compare_boards.py A.json B.json [C.json ...]
Prints a Markdown table; exit 0.  Reads board files only (no GPU).
"""
import json
import sys

SECTIONS = ("latency_cycles", "latency_ns", "bandwidth_gbs", "latency_us", "throughput")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    boards = []
    for p in argv[1:]:
        with open(p) as f:
            boards.append(json.load(f))
    names = [p.rsplit("/", 1)[-1] for p in argv[1:]]
    print("| value | " + " | ".join(names) + " | spread % |")
    print("|---|" + "---|" * len(names) + "---|")
    rows = [("device", "clock_mhz")]
    for sec in SECTIONS:
        for key in boards[0].get(sec, {}):
            rows.append((sec, key))
    for sec, key in rows:
        vals = []
        for b in boards:
            v = b.get(sec, {}).get(key)
            vals.append(v if isinstance(v, (int, float)) else (v or {}).get("median"))
        if any(v is None for v in vals):
            continue
        mean = sum(vals) / len(vals)
        spread = (max(vals) - min(vals)) / mean * 100 if mean else 0.0
        print(f"| {sec}.{key} | " + " | ".join(f"{v:.4g}" for v in vals) + f" | {spread:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
