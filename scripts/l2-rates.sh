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
# With --dram, the DRAM ladders instead (`bspgpu-l2rates REPS dram`), and
# nothing else of the board file changes:
#   dram_burst                      for each l2r_dram<N> (coalesced reads of N
#                                   16-byte words per thread from a region the
#                                   L2 does not hold, N = 1 .. 64): the DRAM
#                                   bytes its profiled launch counted (reads,
#                                   and writes up to the bytes stored, as the
#                                   models count them) and its timed durations
#   dram_copy                       the same for l2r_dcopy<N> (each word read
#                                   is stored to a second buffer)
# Each rate is (median, min, max, n) over the timed (unprofiled) launches, the
# bursts' over those after the first of each N.  It also prints the bursts'
# median durations and rates: the bandwidth against the length of a burst.
# usage: scripts/l2-rates.sh [--dram] BOARD.json [REPS] [KEEP.csv]   (on the GPU machine, after make)
#        scripts/l2-rates.sh [--dram] BOARD.json --profile KEPT.csv  (from a kept profile, no GPU)
# KEEP.csv: also keep the profile there.
set -e
part=l2
if [ "$1" = "--dram" ]; then part=dram; shift; fi
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
    "$B" profile --metrics full -o "$tmp/l2rates.csv" -- build/bspgpu-l2rates "$reps" $part >&2
    [ -n "$3" ] && cp "$tmp/l2rates.csv" "$3"
fi
python3 - "$board" "$tmp/l2rates.csv" "$reps" "$part" <<'PY'
import csv, json, statistics, sys, datetime, os
board, prof, reps, part = sys.argv[1:5]
rows = list(csv.DictReader(open(prof)))
def num(r, c):
    v = r.get(c, '')
    if v == '':
        sys.exit('l2-rates: %s: kernel %s has no %s counter' % (prof, r['kernel'], c))
    return float(v)
def ladder_of(prefix, nbytes, per_n):
    """(N, board-file point, bytes moved by design) of each kernel PREFIX<N>, by N: the bytes its
    profiled launch counted (nbytes(row)), its timed launches after the first (module load, cold
    caches), and per_n bytes per thread and N moved by design"""
    by = {}
    for r in rows:
        if r['kernel'].startswith('void %s<' % prefix):
            n = int(r['kernel'].split('<')[1].split('>')[0])
            by.setdefault(n, {'prof': [], 'timed': []})['prof' if r['profiled'] == '1' else 'timed'].append(r)
    out = []
    for n, g in sorted(by.items()):
        d = [float(r['duration_ns']) for r in g['timed']][1:]
        if not g['prof'] or len(d) < 2:
            sys.exit('l2-rates: %s: %s<%d>: %d profiled, %d timed launches' % (prof, prefix, n, len(g['prof']), len(d)))
        t0 = g['timed'][0]
        out.append((n, {'bytes': nbytes(g['prof'][0]), 'median': statistics.median(d),
                        'min': min(d), 'max': max(d), 'n': len(d)},
                    int(t0['grid_x']) * int(t0['block_x']) * per_n * n))
    return out
def points(ladder):
    return sorted((p for _, p, _ in ladder), key=lambda p: p['bytes'])
def show(what, ladder):
    """bytes moved by design, median timed duration and rate for each length"""
    print('l2-rates: %s N:bytes:median:rate ' % what + ' '.join(
        '%d:%.2fMiB:%.0fns:%.0fGB/s' % (n, by / 2**20, p['median'], by / p['median']) for n, p, by in ladder))
def dram_bytes(r):
    """DRAM reads, and writes up to the bytes stored through L1 (all writes where none is counted)"""
    w, st = num(r, 'dram_write_bytes'), num(r, 'l1_st_sectors')
    return num(r, 'dram_read_bytes') + (min(w, 32 * st) if st > 0 else w)
b = json.load(open(board))
note, shown = [], []
if part == 'l2':
    out = {}
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
    b.setdefault('throughput', {}).update(out)
    ladder = ladder_of('l2r_burst', lambda r: 32 * num(r, 'l2_sectors'), 16)
    if ladder:
        b['l2_burst'] = points(ladder)
        note.append('l2_burst: l2r_burst<N> of N = %s' % ', '.join('%d' % n for n, _, _ in ladder))
        shown.append(('burst', ladder))
    what = 'throughput.l2_requests_g and l2_red_hot_gsectors (and l2_burst)'
else:
    for prefix, key, per_n in (('l2r_dram', 'dram_burst', 16), ('l2r_dcopy', 'dram_copy', 32)):
        ladder = ladder_of(prefix, dram_bytes, per_n)
        if not ladder:
            sys.exit('l2-rates: %s: no %s launches' % (prof, prefix))
        b[key] = points(ladder)
        note.append('%s: %s<N> of N = %s (DRAM read + write bytes counted: %s)' % (
            key, prefix, ', '.join('%d' % n for n, _, _ in ladder),
            ', '.join('%.0f+%.0f' % (num(r, 'dram_read_bytes'), num(r, 'dram_write_bytes'))
                      for r in (next(x for x in rows if x['profiled'] == '1' and x['kernel'].startswith('void %s<%d>' % (prefix, n)))
                                for n, _, _ in ladder))))
        shown.append((key, ladder))
    out = {}
    what = 'dram_burst and dram_copy'
b['provenance']['notes'] = b['provenance'].get('notes', '') + ('; %s from scripts/l2-rates.sh%s %s, %s: %s' % (
    what, ' --dram' if part == 'dram' else '', reps,
    datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ'), '; '.join(note)))
with open(board + '.tmp', 'w') as f:
    json.dump(b, f, indent=2)
    f.write('\n')
os.replace(board + '.tmp', board)
for k, v in out.items():
    print('l2-rates: %s: %s median %.2f G/s (min %.2f, max %.2f, n %d)' % (board, k, v['median'], v['min'], v['max'], v['n']))
for what, ladder in shown:
    show(what, ladder)
PY
