#!/usr/bin/env python3
"""Whole-application overhead of `bspgpu profile` against Nsight Compute, on
one ResNet-50 inference (scripts/overhead_resnet50.py: torchvision, random
weights, fp16, batch 32, channels_last, one warm-up inference first in the
same process).  In one run, on a GPU machine, from the repository root:

  plain                     python3 scripts/overhead_resnet50.py
  bspgpu none               bspgpu profile --metrics none      (durations only)
  bspgpu SET                bspgpu profile --metrics SET       (counters, each configuration once)
  ncu SET                   ncu --clock-control none --metrics <SET's metric names>  (every launch)
  plain                     again, to see the spread

Overhead = wall time - plain wall time (the smaller of the two plain runs).
Writes OUTDIR/overhead.md and OUTDIR/overhead.json, and the profiles.

  python3 scripts/overhead.py OUTDIR [--set seed|full] [--ncu-timeout S] [--no-ncu]
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time

APP = [sys.executable, "scripts/overhead_resnet50.py"]

# The seed set of src/cupti/sets.c, by CSV column.
SEED_COLUMNS = ["inst_warp", "inst_thread", "ld_global_warp", "st_global_warp", "ld_shared_warp",
                "st_shared_warp", "l1_ld_sectors", "l1_ld_hit_sectors", "l2_sectors", "l2_hit_sectors",
                "sm_cycles"]


def metric_names(which):
    pat = re.compile(r'X\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"')
    rows = []
    with open("include/bspgpu/counters.h") as f:
        for line in f:
            m = pat.search(line)
            if m:
                rows.append(m.groups())
    if which == "full":
        return [m for _, m in rows]
    return [m for c, m in rows if c in SEED_COLUMNS]


def timed(name, cmd, log, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        rc, outb = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        rc, outb = "timeout", e.stdout or b""
    dt = time.perf_counter() - t0
    text = outb.decode(errors="replace")
    with open(log, "a") as f:
        f.write(f"### {name}: $ {' '.join(cmd)}\n# exit {rc}, {dt:.2f} s\n{text}\n")
    app = None
    for line in text.splitlines():
        if line.startswith("{") and '"checksum"' in line:
            app = json.loads(line)
    print(f"{name:12s} exit {rc}  wall {dt:8.2f} s  app {json.dumps(app) if app else '-'}", flush=True)
    return {"name": name, "cmd": cmd, "exit": rc, "wall_s": dt, "app": app}


def count_rows(path):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return None, None
    return len(rows), sum(1 for r in rows if r.get("profiled") == "1")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--set", default="seed", choices=["seed", "full"])
    ap.add_argument("--ncu", default="ncu")
    ap.add_argument("--ncu-timeout", type=float, default=420)
    ap.add_argument("--no-ncu", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    P = lambda n: os.path.join(a.outdir, n)
    log = P("overhead.log")
    open(log, "w").close()
    mets = metric_names(a.set)

    # untimed: bring torch's files into the page cache, so that the first
    # timed run does not pay for a cold disk
    timed("warm cache", [sys.executable, "-c", "import torch, torchvision"], log, 300)
    runs = []
    runs.append(timed("plain", APP, log, 300))
    runs.append(timed("bspgpu none", ["build/bspgpu", "profile", "-o", P("resnet_none.csv"), "--metrics", "none",
                                      "--"] + APP, log, 300))
    runs.append(timed(f"bspgpu {a.set}", ["build/bspgpu", "profile", "-o", P(f"resnet_{a.set}.csv"), "--metrics",
                                          a.set, "--"] + APP, log, 400))
    if not a.no_ncu:
        runs.append(timed(f"ncu {a.set}", [a.ncu, "--clock-control", "none", "--csv", "--page", "raw",
                                           "--print-units", "base", "--metrics", ",".join(mets), "--log-file",
                                           P(f"resnet_ncu_{a.set}.csv")] + APP, log, a.ncu_timeout))
    runs.append(timed("plain", APP, log, 300))

    plain = min(r["wall_s"] for r in runs if r["name"] == "plain")
    n_none, _ = count_rows(P("resnet_none.csv"))
    n_set, p_set = count_rows(P(f"resnet_{a.set}.csv"))
    meta = {}
    try:
        with open(P(f"resnet_{a.set}.csv.meta.json")) as f:
            meta = json.load(f)
    except OSError:
        pass
    ref = runs[0]["app"]["checksum"] if runs[0]["app"] else None
    out = []
    w = out.append
    w(f"Board: {meta.get('device')}, driver {meta.get('driver')}, CUDA {meta.get('cuda')}, "
      f"{meta.get('date')}; torch {runs[0]['app'] and runs[0]['app'].get('torch')}.")
    w(f"Application: `python3 scripts/overhead_resnet50.py` (ResNet-50, random weights, fp16, batch 32, "
      f"channels_last; one warm-up inference, then one inference, in the same process). "
      f"Metric set `{a.set}`: {len(mets)} metrics, {meta.get('passes')} passes per profiled launch.")
    w(f"Kernel launches in the application: {n_none} (bspgpu none); bspgpu {a.set} profiled {p_set} of {n_set} "
      f"(each configuration once); ncu profiles every launch.")
    w("")
    gpu_phase = lambda r: (r["app"]["setup_s"] + r["app"]["warmup_s"] + r["app"]["inference_s"]) if r["app"] else None
    plain_gpu = min(gpu_phase(r) for r in runs if r["name"] == "plain" and r["app"])
    w("Wall: the whole process, measured by this script (Python and torch import included). "
      "CUDA phase: measured inside the process, from after `import torch` to the end of the inference "
      "(model setup, warm-up, inference), free of the import time's spread.")
    w("")
    w("| run | exit | wall (s) | wall overhead (s) | CUDA phase (s) | CUDA phase overhead (s) | output checksum equal |")
    w("|---|---|---|---|---|---|---|")
    ov, ovg = {}, {}
    for r in runs:
        o = r["wall_s"] - plain
        ov.setdefault(r["name"], o)
        gp = gpu_phase(r)
        if gp is not None:
            ovg.setdefault(r["name"], gp - plain_gpu)
        same = "-" if not (r["app"] and ref is not None) else ("yes" if r["app"]["checksum"] == ref else "no")
        timeout = " (timed out)" if r["exit"] == "timeout" else ""
        gps = f"{gp:.2f} | {gp - plain_gpu:.2f}" if gp is not None else "- | -"
        w(f"| {r['name']} | {r['exit']}{timeout} | {r['wall_s']:.2f} | {o:.2f} | {gps} | {same} |")
    w("")
    bound = " (ncu timed out: a lower bound)" if any(r["exit"] == "timeout" for r in runs) else ""
    for label, d in (("wall", ov), ("CUDA phase", ovg)):
        ours, theirs = d.get(f"bspgpu {a.set}"), d.get(f"ncu {a.set}")
        if ours and theirs and ours > 0:
            w(f"Overhead ratio ncu / bspgpu ({a.set}), {label}: {theirs / ours:.1f}x{bound}.")
    if meta.get("notes"):
        w("")
        w(f"Collector notes: {meta['notes']}")
    md = "\n".join(out) + "\n"
    with open(P("overhead.md"), "w") as f:
        f.write(md)
    with open(P("overhead.json"), "w") as f:
        json.dump({"runs": runs, "plain_s": plain, "metrics": mets, "meta": meta,
                   "launches": n_none, "profiled": p_set}, f, indent=1, default=str)
    print(md)


if __name__ == "__main__":
    main()
