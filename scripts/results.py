#!/usr/bin/env python3
"""Regenerate docs/results.md and data/results/*.csv from data/ alone (no GPU).

Layout read:  data/boards/BOARD.json, data/profiles/BOARD/APP.csv
Pairs scored: every two full boards both ways, and every partition BOARD-smsN -> BOARD.
Writes:       data/results/kernels.csv, apps.csv, lambda_sizes.csv (pandas.read_csv-ready)
              docs/results.md
"""
import argparse, csv, io, json, os, subprocess, sys, tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def quantile(xs, q):
    """GSL's quantile: linear interpolation between order statistics."""
    s = sorted(xs)
    if not s:
        return float('nan')
    d = (len(s) - 1) * q
    i = int(d)
    return s[i] if i + 1 >= len(s) else s[i] + (d - i) * (s[i + 1] - s[i])


def run(args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode:
        sys.exit('results: %s failed (%d):\n%s' % (' '.join(args), r.returncode, r.stderr))
    return r.stdout


def read_csv(path):
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def fnum(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return float('nan')


def fmt(x, nd=1):
    return '-' if x != x else ('%.*f' % (nd, x))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--data', default=os.path.join(ROOT, 'data'))
    ap.add_argument('--bspgpu', default=os.path.join(ROOT, 'build', 'bspgpu'))
    ap.add_argument('--out-md', default=os.path.join(ROOT, 'docs', 'results.md'))
    ap.add_argument('--out-dir', default=None, help='default: DATA/results')
    a = ap.parse_args()
    out_dir = a.out_dir or os.path.join(a.data, 'results')
    bdir, pdir = os.path.join(a.data, 'boards'), os.path.join(a.data, 'profiles')
    boards = sorted(f[:-5] for f in os.listdir(bdir) if f.endswith('.json')) if os.path.isdir(bdir) else []
    boards = [b for b in boards if os.path.isdir(os.path.join(pdir, b))]
    # APP.csv or APP.csv.gz (sidecars APP.csv*.memops.csv are not applications)
    files = {}
    for b in boards:
        for f in os.listdir(os.path.join(pdir, b)):
            if f.endswith('.memops.csv') or f.endswith('.memops.csv.gz'):
                continue
            for ext in ('.csv', '.csv.gz'):
                if f.endswith(ext):
                    files[(b, f[:-len(ext)])] = os.path.join(pdir, b, f)
    apps = {b: sorted(a for (bb, a) in files if bb == b) for b in boards}
    full = [b for b in boards if '-sms' not in b]
    pairs = [(x, y, 'cross-board') for x in full for y in full if x != y]
    pairs += [(b, b.split('-sms')[0], 'partition') for b in boards if '-sms' in b and b.split('-sms')[0] in full]
    if not pairs:
        sys.exit('results: no pair of boards with profiles under %s' % a.data)
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp()
    kernels, appsum = [], []
    for x, y, kind in pairs:
        common = [p for p in apps[x] if p in apps[y]]
        if not common:
            continue
        cmd = [a.bspgpu, 'crossboard', '--quiet', '--models', 'all',
               '--board-a', os.path.join(bdir, x + '.json'), '--board-b', os.path.join(bdir, y + '.json'),
               '-o', os.path.join(tmp, 'k.csv'), '--summary', os.path.join(tmp, 'a.csv')]
        for p in common:
            cmd += ['--profile-a', files[(x, p)], '--profile-b', files[(y, p)]]
        run(cmd)
        for r in read_csv(os.path.join(tmp, 'k.csv')):
            r['pair_kind'] = kind
            kernels.append(r)
        for r in read_csv(os.path.join(tmp, 'a.csv')):
            r['pair_kind'] = kind
            appsum.append(r)
    # run-to-run noise: a second process of the same configuration on the same board
    noise_k, noise_a = defaultdict(list), defaultdict(list)
    for b in full:
        reps = [p for p in apps[b] if p.endswith('_r2') and p[:-3] in apps[b]]
        if not reps:
            continue
        cmd = [a.bspgpu, 'crossboard', '--quiet', '--models', 'same', '--board-a', os.path.join(bdir, b + '.json'),
               '--board-b', os.path.join(bdir, b + '.json'), '-o', os.path.join(tmp, 'nk.csv'),
               '--summary', os.path.join(tmp, 'na.csv')]
        for p in reps:
            cmd += ['--profile-a', files[(b, p[:-3])], '--profile-b', files[(b, p)]]
        run(cmd)
        noise_k[b] = [fnum(r['abs_err_pct']) for r in read_csv(os.path.join(tmp, 'nk.csv')) if r['status'] == 'both']
        noise_a[b] = [abs(fnum(r['app_err_pct'])) for r in read_csv(os.path.join(tmp, 'na.csv'))]
    lam = []
    for b in boards:
        for p in apps[b]:
            out = os.path.join(tmp, 'n.csv')
            r = subprocess.run([a.bspgpu, 'fit', '--board', os.path.join(bdir, b + '.json'),
                                '--profile', files[(b, p)], '-o', os.devnull, '--by-name', out],
                               capture_output=True, text=True)
            if r.returncode:
                continue  # no kernel with counters: nothing to fit
            for row in read_csv(out):
                row.update(board=b, app=p)
                lam.append(row)

    def write(name, rows, first):
        if not rows:
            return
        cols = first + [c for c in rows[0] if c not in first]
        with open(os.path.join(out_dir, name), 'w', newline='') as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator='\n')
            w.writeheader()
            w.writerows(rows)
    write('kernels.csv', kernels, ['pair_kind'])
    write('apps.csv', appsum, ['pair_kind'])
    write('lambda_sizes.csv', lam, ['board', 'app'])
    models = []
    for r in appsum:
        if r['model'] not in models:
            models.append(r['model'])

    md = io.StringIO()
    w = md.write
    w('# Results: predicting kernel and application times across boards\n\n')
    w('Generated by `make results` (scripts/results.py) from `data/` alone; do not edit by hand.\n')
    w('Boards: %s. Provenance of every board file and profile: `data/README.md` and the files themselves.\n\n'
      % ', '.join('`%s`' % b for b in boards))
    w('Errors are absolute percentage errors of predicted against measured median launch time, per kernel\n'
      'configuration found on both boards; application errors compare the sum of T_n x j_n with the sum of\n'
      "all launches measured on board B (kernels found on one board only are counted, below). Models: `docs/model.md`.\n\n")

    def group(app):
        return 'cnn' if app.startswith('cnn_') else 'synthetic'

    def kerr(m, ba=None, bb=None, kind='cross-board'):
        return [fnum(r['abs_err_pct']) for r in kernels if r['model'] == m and r['status'] == 'both'
                and r['pair_kind'] == kind and (ba is None or r['board_a'] == ba) and (bb is None or r['board_b'] == bb)
                and fnum(r['abs_err_pct']) == fnum(r['abs_err_pct'])]
    cross_dirs = sorted({(r['board_a'], r['board_b']) for r in kernels if r['pair_kind'] == 'cross-board'})
    w('## Where the models stand against the targets\n\n')
    w('Targets of the project: per kernel, median |error| <= 3% and p90 <= 10% across all workloads; per\n'
      'application, <= 2% on every CNN in both directions; partition -> full chip, per-kernel median <= 5%.\n'
      'Each cell: the measured value, then `ok` or `miss`. Run-to-run noise on one board (a second process of\n'
      'the same CNN build, `same` model) is in the last row for scale.\n\n')
    w('| model | ' + ' | '.join('%s -> %s kernel median | p90' % d for d in cross_dirs) +
      ' | worst CNN application | partition median |\n')
    w('|---|' + '---|---|' * len(cross_dirs) + '---|---|\n')
    for m in models:
        cells = []
        for ba, bb in cross_dirs:
            e = kerr(m, ba, bb)
            med, p90 = quantile(e, .5), quantile(e, .9)
            cells.append('%s %s' % (fmt(med, 2), 'ok' if med <= 3 else 'miss'))
            cells.append('%s %s' % (fmt(p90, 2), 'ok' if p90 <= 10 else 'miss'))
        app_e = [abs(fnum(r['app_err_pct'])) for r in appsum if r['model'] == m and r['pair_kind'] == 'cross-board'
                 and r['app'].startswith('cnn_')]
        worst = max(app_e) if app_e else float('nan')
        cells.append('%s %s' % (fmt(worst, 2), 'ok' if worst <= 2 else 'miss'))
        pe = kerr(m, kind='partition')
        pm = quantile(pe, .5) if pe else float('nan')
        cells.append('%s %s' % (fmt(pm, 2), 'ok' if pm <= 5 else 'miss'))
        w('| %s | %s |\n' % (m, ' | '.join(c.replace('- miss', '-').replace('- ok', '-') for c in cells)))
    if noise_k:
        cells = []
        for ba, bb in cross_dirs:
            e = noise_k.get(bb, [])
            cells += [fmt(quantile(e, .5), 2), fmt(quantile(e, .9), 2)]
        worst = max((v for b in noise_a for v in noise_a[b]), default=float('nan'))
        w('| run-to-run noise on board B (same model, 2nd process of each cuDNN-benchmark CNN) | %s | %s | - |\n'
          % (' | '.join(cells), fmt(worst, 2)))
    w('\n')
    for kind in ('cross-board', 'partition'):
        dirs = sorted({(r['board_a'], r['board_b']) for r in kernels if r['pair_kind'] == kind})
        if not dirs:
            continue
        w('## %s\n\n' % ('Cross-board: H100 <-> H200' if kind == 'cross-board' else 'Partition -> full chip (SM scaling)'))
        w('### Per-kernel error, pooled over applications\n\n')
        w('| direction | workloads | model | kernels | median % | p90 % | max % |\n|---|---|---|---|---|---|---|\n')
        for ba, bb in dirs:
            for g in ('synthetic', 'cnn', 'all'):
                for m in models:
                    e = [fnum(r['abs_err_pct']) for r in kernels if r['model'] == m and r['board_a'] == ba and
                         r['board_b'] == bb and r['status'] == 'both' and (g == 'all' or group(r['app']) == g)]
                    e = [v for v in e if v == v]
                    if e:
                        w('| %s -> %s | %s | %s | %d | %s | %s | %s |\n' % (ba, bb, g, m, len(e), fmt(quantile(e, .5), 2),
                                                                   fmt(quantile(e, .9), 2), fmt(max(e), 1)))
        w('\n### Per-application error (predicted vs measured sum of kernel times, %)\n\n')
        w('| direction | app | ' + ' | '.join(models) + ' | kernels both / only A / only B |\n')
        w('|---|---|' + '---|' * len(models) + '---|\n')
        by = defaultdict(dict)
        for r in appsum:
            if r['pair_kind'] == kind:
                by[(r['board_a'], r['board_b'], r['app'])][r['model']] = r
        for (ba, bb, app), d in sorted(by.items()):
            any_r = next(iter(d.values()))
            w('| %s -> %s | %s | %s | %s / %s / %s |\n' % (ba, bb, app, ' | '.join(
                fmt(fnum(d[m]['app_err_pct']), 2) if m in d else '-' for m in models),
                any_r['kernels_matched'], any_r['kernels_only_a'], any_r['kernels_only_b']))
        w('\n')
    if lam:
        w('## Lambda per kernel across input sizes (seed model; the seed paper\'s Table XVII)\n\n')
        w('One lambda per kernel name fitted over its configurations by least squares (95% CI), with the\n'
          'spread of per-configuration lambdas. Full table: `data/results/lambda_sizes.csv`.\n\n')
        w('| board | app | kernel | configs | lambda | 95% CI | min | max |\n|---|---|---|---|---|---|---|---|\n')
        for r in lam:
            if int(r['configs']) >= 3 and not r['app'].startswith('cnn_'):
                w('| %s | %s | `%s` | %s | %.4g | %s-%s | %.4g | %.4g |\n' % (
                    r['board'], r['app'], r['kernel'][:60], r['configs'], fnum(r['lambda']),
                    fmt(fnum(r['lambda_ci95_lo']), 3), fmt(fnum(r['lambda_ci95_hi']), 3),
                    fnum(r['lambda_min']), fnum(r['lambda_max'])))
        w('\n')
    seed = [r for r in kernels if r['model'] == 'seed' and r['status'] == 'both' and r['pair_kind'] == 'cross-board'
            and fnum(r['lambda_a']) == fnum(r['lambda_a']) and not r['app'].startswith('cnn_')]
    if seed:
        w('## Lambda fitted on each board (seed model; the seed paper\'s Table XVIII)\n\n')
        w('| board A -> B | app | kernel | config | lambda on A | lambda on B | ratio |\n|---|---|---|---|---|---|---|\n')
        for r in seed:
            la, lb = fnum(r['lambda_a']), fnum(r['lambda_b'])
            w('| %s -> %s | %s | `%s` | %s,%s,%s x %s | %.4g | %.4g | %.3f |\n' % (
                r['board_a'], r['board_b'], r['app'], r['kernel'][:50], r['grid_x'], r['grid_y'], r['grid_z'],
                r['block_x'], la, lb, lb / la if la else float('nan')))
        w('\n')
    os.makedirs(os.path.dirname(a.out_md), exist_ok=True)
    with open(a.out_md, 'w') as f:
        f.write(md.getvalue())
    print('results: %d kernel rows, %d application rows -> %s' % (len(kernels), len(appsum), a.out_md))


if __name__ == '__main__':
    main()
