#!/bin/sh
# Measure a board's kernel floor, the GPU-side duration of an empty kernel
# launch (Activity API, through `bspgpu profile --metrics none`), and write it
# into the board file as latency_ns.kernel_floor (median, min, max, n); and
# the chip-wide floor, one 128-thread block per SM storing one word each, as
# latency_ns.kernel_floor_chip; and the floor against the grid, the one-store
# kernel on 1, 2, 4, ... 128-thread blocks up to the SM count, as floor_grid,
# each point with its timed launches and, from a second run with every launch
# profiled (--metrics full --samples 0, REPS/10 repeats), its replayed ones.
# usage: [BSP_SMS=N] scripts/kernel-floor.sh BOARD.json [REPS] [KEEP.csv]   (on the GPU machine, after make)
# KEEP.csv: also keep the profile there.
# With BSP_SMS=N the kernels run on a green context of N SMs (a partition's board file).
set -e
board=$1
reps=${2:-200}
B=${BSPGPU:-build/bspgpu}
[ -f "$board" ] || { echo "kernel-floor: no board file '$board'" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$B" profile --metrics none -o "$tmp/floor.csv" -- build/bspgpu-floor "$reps" >&2
"$B" profile --metrics full --samples 0 -o "$tmp/replay.csv" -- build/bspgpu-floor $(( (reps + 9) / 10 )) >&2
if [ -n "${3:-}" ]; then
    cp "$tmp/floor.csv" "$3"
    cp "$tmp/replay.csv" "${3%.csv}-replay.csv"
fi
python3 - "$board" "$tmp/floor.csv" "$reps" "$tmp/replay.csv" <<'PY'
import csv, json, os, statistics, sys, datetime
board, prof, reps, rprof = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
timed = list(csv.DictReader(open(prof)))
d = [float(r['duration_ns']) for r in timed
     if r['kernel'].startswith('floor_empty') and r['grid_x'] == '1' and r['profiled'] == '0']
if len(d) < 10:
    sys.exit('kernel-floor: only %d timed empty launches in %s' % (len(d), prof))
d = d[1:]  # the first launch loads the module
rows = [r for r in timed if r['kernel'].startswith('floor_store') and r['profiled'] == '0']
grid = max((int(r['grid_x']) for r in rows), default=0)
c = [float(r['duration_ns']) for r in rows if int(r['grid_x']) == grid][1:]
b = json.load(open(board))
b.setdefault('latency_ns', {})['kernel_floor'] = {
    'median': statistics.median(d), 'min': min(d), 'max': max(d), 'n': len(d)}
if len(c) >= 10:
    b['latency_ns']['kernel_floor_chip'] = {
        'median': statistics.median(c), 'min': min(c), 'max': max(c), 'n': len(c)}
# the one-store kernel on fewer blocks than SMs (128 threads each), and the chip-wide one
rrows = [r for r in csv.DictReader(open(rprof)) if r['kernel'].startswith('floor_store') and r['profiled'] == '1'
         and r['block_x'] == '128']
pts = []
for n in sorted({int(r['grid_x']) for r in rows if r['block_x'] == '128'}):
    g = [float(r['duration_ns']) for r in rows if r['block_x'] == '128' and int(r['grid_x']) == n][1:]
    if len(g) >= 10:
        pts.append({'blocks': n, 'median': statistics.median(g), 'min': min(g), 'max': max(g), 'n': len(g)})
        h = [float(r['duration_ns']) for r in rrows if int(r['grid_x']) == n][1:]
        if len(h) >= 5:
            pts[-1]['replay'] = {'median': statistics.median(h), 'min': min(h), 'max': max(h), 'n': len(h)}
if len(pts) >= 2:
    b['floor_grid'] = pts
note = ('; kernel_floor = Activity-API duration of an empty <<<1,32>>> kernel (kernel_floor_chip: '
        'a one-store <<<SMs,128>>> kernel; floor_grid: the one-store kernel on 1, 2, 4, ... blocks of 128 and on SMs, '
        'timed, and replayed under --metrics full --samples 0), %d launches, '
        '%sscripts/kernel-floor.sh %s, %s' % (len(d), 'BSP_SMS=%s ' % os.environ['BSP_SMS'] if os.environ.get('BSP_SMS') else '',
                                          reps, datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ')))
b['provenance']['notes'] = b['provenance'].get('notes', '') + note
json.dump(b, open(board + '.tmp', 'w'), indent=2)
import os; os.replace(board + '.tmp', board)
print('kernel-floor: %s: median %.0f ns (min %.0f, max %.0f, n %d); floor_grid %s' % (
    board, statistics.median(d), min(d), max(d), len(d), ' '.join('%d:%.0f/%.0f' % (p['blocks'], p['median'], p.get('replay', {}).get('median', float('nan'))) for p in pts)))
def by_arg(prefix):
    """{(template argument, grid): [durations]} of the timed launches of the kernels named prefix<K>"""
    d = {}
    for r in timed:
        if r['kernel'].startswith(prefix) and r['profiled'] == '0':
            k = int(r['kernel'][len(prefix):].split('>')[0])
            d.setdefault((k, int(r['grid_x'])), []).append(float(r['duration_ns']))
    return d
def medians(d, label=lambda k: '%d' % k):
    return ' '.join('%s x%d:%.0f' % (label(k), g, statistics.median(v[1:] or v)) for (k, g), v in sorted(d.items()))
# the spinning kernels (kept in KEEP.csv, not in the board file): median duration by cycles and grid
print('kernel-floor: spin ' + medians(by_arg('void floor_spin<')))
# the streaming kernels (words per thread) and the chasing ones: HOPS dependent loads through L2
# (8, 32, 128) or DRAM (4, 16, 64)
stream, chase = by_arg('void floor_stream<'), by_arg('void floor_chase<')
if stream:
    print('kernel-floor: stream ' + medians(stream))
if chase:
    print('kernel-floor: chase ' + medians(chase, lambda k: '%s%d' % ('l2:' if k in (8, 32, 128) else 'dram:', k)))
PY
