#!/usr/bin/env python3
"""Markdown table of a latency sweep (the CSV of bspgpu calibrate --sweep-csv).

Usage: sweep_table.py [--l2 BYTES] MAIN.csv [OTHER.csv ...]
One row per sweep point of MAIN: footprint, its fraction of L2, cycles
(median, min..max over the repeats, which run on different SMs), ns and
clock; then the median cycles of each OTHER file at the same point.
"""
import csv
import sys


def fmt_bytes(b):
    b = float(b)
    if b >= 1 << 20:
        return f"{b / (1 << 20):g} MiB"
    return f"{b / 1024:g} KiB"


def main(argv):
    args = argv[1:]
    l2 = None
    if len(args) >= 2 and args[0] == "--l2":
        l2 = float(args[1])
        args = args[2:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    tables = []
    for p in args:
        with open(p) as f:
            tables.append(list(csv.DictReader(f)))
    others = [{(r["level"], r["footprint_bytes"]): r for r in t} for t in tables[1:]]
    head = "| level | load | footprint | x L2 | cycles | min..max | ns | MHz |"
    sep = "|---|---|---|---|---|---|---|---|"
    for i in range(1, len(args)):
        head += f" cycles ({args[i].rsplit('/', 1)[-1]}) |"
        sep += "---|"
    print(head)
    print(sep)
    for r in tables[0]:
        frac = f"{float(r['footprint_bytes']) / l2:.3g}" if l2 else ""
        line = (f"| {r['level']} | {r['load']} | {fmt_bytes(r['footprint_bytes'])} | {frac} | "
                f"{float(r['cycles']):.1f} | {float(r['cycles_min']):.1f}..{float(r['cycles_max']):.1f} | "
                f"{float(r['ns']):.1f} | {float(r['clock_mhz']):.0f} |")
        for o in others:
            q = o.get((r["level"], r["footprint_bytes"]))
            line += f" {float(q['cycles']):.1f} |" if q else " - |"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
