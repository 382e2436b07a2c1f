#!/bin/sh
# Measure a board's L2 request rate and hot-region reduction rate with
# build/bspgpu-l2rates under `bspgpu profile --metrics full`, and write them
# into the board file:
#   throughput.l2_requests_g        L2 requests per ns of l2r_scatter (one
#                                   sector per request): counted requests of
#                                   the profiled launch / each timed launch
#   throughput.l2_red_hot_gsectors  L2 reduction (and atomic) sectors per ns
#                                   of l2r_red_hot, the same way
#   l2_burst                        for each l2r_burst<N> (coalesced L2 reads of
#                                   N 16-byte words per thread, N = 1 .. 64,
#                                   the whole chip): the L2 bytes its profiled
#                                   launch counted and its timed durations
# Each rate is (median, min, max, n) over the timed (unprofiled) launches, the
# bursts' over those after the first of each N.  It also prints the bursts'
# median durations and rates: the L2 bandwidth against the length of a burst.
# usage: scripts/l2-rates.sh BOARD.json [REPS] [KEEP.csv]   (on the GPU machine, after make)
#        scripts/l2-rates.sh BOARD.json --profile KEPT.csv  (from a kept profile, no GPU)
# KEEP.csv: also keep the profile there.
set -e
board=$1
B=${BSPGPU:-build/bspgpu}
[ -f "$board" ] || { echo "l2-rates: no board file '$board'" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$2" = "--profile" ]; then
    [ -f "$3" ] || { echo "l2-rates: no profile '$3'" >&2; exit 2; }
    reps="--profile $3"
    case $3 in *.gz) gzip -dc "$3" > "$tmp/l2rates.csv" ;; *) cp "$3" "$tmp/l2rates.csv" ;; esac
else
    reps=${2:-20}
    "$B" profile --metrics full -o "$tmp/l2rates.csv" -- build/bspgpu-l2rates "$reps" >&2
    [ -n "$3" ] && cp "$tmp/l2rates.csv" "$3"
fi
python3 - "$board" "$tmp/l2rates.csv" "$reps" <<'PY'
import csv, json, statistics, sys, datetime
board, prof, reps = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(prof)))
def num(r, c):
    v = r.get(c, '')
    if v == '':
        sys.exit('l2-rates: %s: kernel %s has no %s counter' % (prof, r['kernel'], c))
    return float(v)
out, note = {}, []
for kern, key, cols in (('l2r_scatter', 'l2_requests_g', ('l2_requests',)),
                        ('l2r_red_hot', 'l2_red_hot_gsectors', ('l2_red_sectors', 'l2_atom_sectors'))):
    ks = [r for r in rows if r['kernel'].startswith(kern)]
    prof_rows = [r for r in ks if r['profiled'] == '1']
    timed = [float(r['duration_ns']) for r in ks if r['profiled'] == '0']
    if not prof_rows or len(timed) < 2:
        sys.exit('l2-rates: %s: %s: %d profiled, %d timed launches' % (prof, kern, len(prof_rows), len(timed)))
    p = prof_rows[0]
    count = sum(num(p, c) for c in cols)
    rates = [count / t for t in timed]
    out[key] = {'median': statistics.median(rates), 'min': min(rates), 'max': max(rates), 'n': len(rates)}
    note.append('%s %.0f %s in %.0f ns (median; l2_sectors %.0f, l2_requests %.0f, red %.0f, atom %.0f)' % (
        kern, count, '+'.join(cols), statistics.median(timed), num(p, 'l2_sectors'), num(p, 'l2_requests'),
        num(p, 'l2_red_sectors'), num(p, 'l2_atom_sectors')))
# the bursts, by N: the profiled launch (its counted L2 bytes), the timed launches after the first
# (module load, cold caches) and the bytes read by design (threads x 16 N)
bursts = {}
for r in rows:
    if r['kernel'].startswith('void l2r_burst<'):
        n = int(r['kernel'].split('<')[1].split('>')[0])
        bursts.setdefault(n, {'prof': [], 'timed': []})['prof' if r['profiled'] == '1' else 'timed'].append(r)
ladder = []   # (N, board-file point, bytes read by design), by N
for n, g in sorted(bursts.items()):
    d = [float(r['duration_ns']) for r in g['timed']][1:]
    if not g['prof'] or len(d) < 2:
        sys.exit('l2-rates: %s: l2r_burst<%d>: %d profiled, %d timed launches' % (prof, n, len(g['prof']), len(d)))
    t0 = g['timed'][0]
    ladder.append((n, {'bytes': 32 * num(g['prof'][0], 'l2_sectors'), 'median': statistics.median(d),
                       'min': min(d), 'max': max(d), 'n': len(d)},
                   int(t0['grid_x']) * int(t0['block_x']) * 16 * n))
burst = sorted((p for _, p, _ in ladder), key=lambda p: p['bytes'])
b = json.load(open(board))
b.setdefault('throughput', {}).update(out)
if burst:
    b['l2_burst'] = burst
    note.append('l2_burst: l2r_burst<N> of N = %s' % ', '.join('%d' % n for n, _, _ in ladder))
b['provenance']['notes'] = b['provenance'].get('notes', '') + (
    '; throughput.l2_requests_g and l2_red_hot_gsectors (and l2_burst) from scripts/l2-rates.sh %s, %s: %s' % (
        reps, datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ'), '; '.join(note)))
with open(board + '.tmp', 'w') as f:
    json.dump(b, f, indent=2)
    f.write('\n')
import os; os.replace(board + '.tmp', board)
for k, v in out.items():
    print('l2-rates: %s: %s median %.2f G/s (min %.2f, max %.2f, n %d)' % (board, k, v['median'], v['min'], v['max'], v['n']))
# the bursts: bytes read by design, median timed duration and rate for each length
if ladder:
    print('l2-rates: burst N:bytes:median:rate ' + ' '.join(
        '%d:%.2fMiB:%.0fns:%.0fGB/s' % (n, by / 2**20, p['median'], by / p['median']) for n, p, by in ladder))
PY
