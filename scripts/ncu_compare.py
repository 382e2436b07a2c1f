#!/usr/bin/env python3
"""Compare `bspgpu profile` with Nsight Compute, launch by launch, on the
CUDA test program build/bsp_cupti_test (mode `compare`: vec_add,
matmul_tiled<16> and reduce_sum, two launches each).

Runs, on a GPU machine, from the repository root (after `make build/bspgpu
build/libbspgpu-cupti.so build/bsp_cupti_test`):
  1. bspgpu profile --metrics full --samples 0   (counters for every launch)
  2. bspgpu profile --metrics none                (durations, nothing replayed)
  3. ncu --page raw --print-units base, default cache control (flush all)
  4. ncu --page raw --print-units base --cache-control none
  5. ncu with its default set and details page (a fixture for the importer)
each with --clock-control none, the metric names of include/bspgpu/counters.h
plus gpu__time_duration.sum.  Writes OUTDIR/ncu_compare.md (the table in
docs/profiling.md), the CSVs, and OUTDIR/ncu_compare.json.

  python3 scripts/ncu_compare.py OUTDIR [--ncu PATH]
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import time

APP = ["build/bsp_cupti_test", "compare"]


def counters_table(path="include/bspgpu/counters.h"):
    """(column, metric, unit) rows of the counter table."""
    rows = []
    pat = re.compile(r'X\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"')
    with open(path) as f:
        for line in f:
            m = pat.search(line)
            if m:
                rows.append(m.groups())
    return rows


def run(cmd, log, timeout=300, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, env=env)
    dt = time.perf_counter() - t0
    with open(log, "ab") as f:
        f.write(("$ " + " ".join(cmd) + f"\n# exit {p.returncode}, {dt:.2f} s\n").encode())
        f.write(p.stdout)
    if p.returncode != 0:
        sys.stderr.write(p.stdout.decode(errors="replace")[-3000:])
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}")
    return dt


def read_ncu_raw(path):
    """Rows of an ncu --csv --page raw log: list of dicts; the units row
    (second row, empty ID) is dropped."""
    with open(path, newline="") as f:
        text = f.read()
    start = text.find('"ID"')
    if start < 0:
        raise SystemExit(f"{path}: no ncu CSV header")
    rows = list(csv.DictReader(io.StringIO(text[start:])))
    return [r for r in rows if r.get("ID", "").strip().isdigit()]


def read_ours(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def base(name):
    name = name.strip()
    if name.startswith("void "):
        name = name[5:]
    return re.split(r"[<(]", name, 1)[0]


def num(s):
    s = (s or "").strip().replace(",", "")
    if s in ("", "n/a", "N/A"):
        return float("nan")
    try:
        return float(s)
    except ValueError:
        return float("nan")


def fmt(v):
    if v != v:
        return "-"
    if abs(v) >= 1e6 or v == int(v):
        return f"{v:.0f}"
    return f"{v:.4g}"


def rel(a, b):
    if a != a or b != b:
        return float("nan")
    if b == 0:
        return 0.0 if a == 0 else float("inf")
    return a / b - 1.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--ncu", default="ncu")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    log = os.path.join(a.outdir, "ncu_compare.log")
    open(log, "w").close()
    table = counters_table()
    metrics = [m for _, m, _ in table]
    ncu_metrics = ",".join(metrics + ["gpu__time_duration.sum"])
    P = lambda n: os.path.join(a.outdir, n)

    times = {}
    times["bspgpu_full"] = run(["build/bspgpu", "profile", "-o", P("bsp_full.csv"), "--metrics", "full",
                                "--samples", "0", "--"] + APP, log)
    times["bspgpu_none"] = run(["build/bspgpu", "profile", "-o", P("bsp_none.csv"), "--metrics", "none", "--"] + APP, log)
    ncu = [a.ncu, "--clock-control", "none", "--csv", "--page", "raw", "--print-units", "base", "--metrics", ncu_metrics]
    times["ncu_cache_all"] = run(ncu + ["--log-file", P("ncu_raw_cache_all.csv")] + APP, log)
    times["ncu_cache_none"] = run(ncu + ["--cache-control", "none", "--log-file", P("ncu_raw_cache_none.csv")] + APP, log)
    times["ncu_details"] = run([a.ncu, "--clock-control", "none", "--csv", "--log-file", P("ncu_details.csv")] + APP, log)

    ours = read_ours(P("bsp_full.csv"))
    ours_none = read_ours(P("bsp_none.csv"))
    n_all = read_ncu_raw(P("ncu_raw_cache_all.csv"))
    n_none = read_ncu_raw(P("ncu_raw_cache_none.csv"))
    if not (len(ours) == len(ours_none) == len(n_all) == len(n_none)):
        raise SystemExit(f"launch counts differ: ours {len(ours)}, ours(none) {len(ours_none)}, "
                         f"ncu {len(n_all)}, ncu(cache none) {len(n_none)}")
    for i, (o, x) in enumerate(zip(ours, n_all)):
        if base(o["kernel"]) != base(x["Kernel Name"]):
            raise SystemExit(f"launch {i}: ours {o['kernel']!r}, ncu {x['Kernel Name']!r}")

    with open(P("bsp_full.csv.meta.json")) as f:
        meta = json.load(f)
    out = []
    w = out.append
    w(f"Board: {meta.get('device')}, driver {meta.get('driver')}, CUDA {meta.get('cuda')}, "
      f"clock seen {meta.get('clock_mhz_seen', 0):.0f} MHz (sm__cycles_elapsed.max / duration), "
      f"{meta.get('passes')} replay passes for {len(metrics)} metrics; {meta.get('date')}.")
    w("Program: `build/bsp_cupti_test compare` (6 launches). bspgpu: `--metrics full --samples 0`; "
      "ncu: `--clock-control none --page raw --print-units base`, cache control `all` (default) "
      "and `none`.")
    w("")
    # per-metric summary
    w("| column | metric | launches equal to ncu (cache all) | max rel. diff vs ncu (cache all) "
      "| max rel. diff vs ncu (cache none) |")
    w("|---|---|---|---|---|")
    summary = {}
    for col, met, unit in table:
        eq = 0
        d_all = []
        d_none = []
        for o, x, y in zip(ours, n_all, n_none):
            v = num(o[col])
            va = num(x.get(met))
            vn = num(y.get(met))
            eq += v == va
            d_all.append(abs(rel(v, va)))
            d_none.append(abs(rel(v, vn)))
        mx = lambda d: max((z for z in d if z == z), default=float("nan"))
        summary[col] = {"metric": met, "equal": eq, "max_rel_all": mx(d_all), "max_rel_none": mx(d_none)}
        w(f"| {col} | `{met}` | {eq}/{len(ours)} | {mx(d_all):.2%} | {mx(d_none):.2%} |")
    w("")
    # durations
    w("| launch | kernel | bspgpu, unprofiled run (ns) | bspgpu, profiled launch (ns) | "
      "ncu gpu__time_duration, cache all (ns) | ncu, cache none (ns) | unprofiled / ncu (cache none) |")
    w("|---|---|---|---|---|---|---|")
    durs = []
    for i, (o, on, x, y) in enumerate(zip(ours, ours_none, n_all, n_none)):
        d0, d1 = num(on["duration_ns"]), num(o["duration_ns"])
        da, dn = num(x.get("gpu__time_duration.sum")), num(y.get("gpu__time_duration.sum"))
        durs.append({"kernel": base(o["kernel"]), "bsp_unprofiled": d0, "bsp_profiled": d1, "ncu_all": da, "ncu_none": dn})
        w(f"| {i} | {base(o['kernel'])} | {fmt(d0)} | {fmt(d1)} | {fmt(da)} | {fmt(dn)} | {rel(d0, dn):+.1%} |")
    w("")
    # per-launch detail for the counters where the two differ
    w("Per launch, counters that differ from ncu (cache all / cache none):")
    w("")
    w("| launch | kernel | column | bspgpu | ncu cache all | ncu cache none |")
    w("|---|---|---|---|---|---|")
    for i, (o, x, y) in enumerate(zip(ours, n_all, n_none)):
        for col, met, _ in table:
            v, va, vn = num(o[col]), num(x.get(met)), num(y.get(met))
            if v != va:
                w(f"| {i} | {base(o['kernel'])} | {col} | {fmt(v)} | {fmt(va)} | {fmt(vn)} |")
    w("")
    w("Wall time of each run (s): " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()))
    md = "\n".join(out) + "\n"
    with open(P("ncu_compare.md"), "w") as f:
        f.write(md)
    with open(P("ncu_compare.json"), "w") as f:
        json.dump({"meta": meta, "summary": summary, "durations": durs, "wall_s": times}, f, indent=1)
    print(md)


if __name__ == "__main__":
    main()
