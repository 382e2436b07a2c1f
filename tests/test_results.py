#!/usr/bin/env python3
"""GPU-free checks of scripts/results.py's analysis helpers on hand-worked rows."""
import gzip, os, sys, tempfile, unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts'))
import results  # noqa: E402


def krow(app, status, key, la, lb, pred=None, meas=None, ptot=None, ttot=None, model='bound_grid',
         a='h100-sxm', b='h200'):
    """A crossboard kernel row with the columns app_parts reads."""
    return {'pair_kind': 'cross-board', 'model': model, 'app': app, 'board_a': a, 'board_b': b, 'key': key,
            'status': status, 'launches_a': str(la), 'launches_b': str(lb),
            'predicted_b_ns': '' if pred is None else str(pred), 'measured_b_ns': '' if meas is None else str(meas),
            'predicted_total_b_ns': '' if ptot is None else str(ptot), 'total_b_ns': '' if ttot is None else str(ttot)}


class AppParts(unittest.TestCase):
    def setUp(self):
        app = 'cnn_x_b1_bench0'
        # k1: 2 launches on each board, 110 predicted against 100 measured: model part +20
        # k2: 3 launches on A, 1 on B, 50 predicted (x3 = 150) against 40 measured: model +10 on the
        #     paired launch, launch counts 150 - 40 - 10 = +100
        # k3 only on A, predicted 30 in all; k4 only on B, 60 measured: library choice 30 - 60 = -30
        self.kernels = [
            krow(app, 'both', 'k1', 2, 2, 110, 100, 220, 200),
            krow(app, 'both', 'k2', 3, 1, 50, 40, 150, 40),
            krow(app, 'only_a', 'k3', 1, 0, ptot=30),
            krow(app, 'only_b', 'k4', 0, 1, ttot=60),
            krow(app, 'both', 'k1', 2, 2, 1, 100, 2, 200, model='same'),   # another model: not read
        ]
        # B measured 200 + 40 + 60 = 300; predicted 220 + 150 + 30 = 400: +33.33%
        self.apps = [{'pair_kind': 'cross-board', 'model': 'bound_grid', 'app': app, 'board_a': 'h100-sxm',
                      'board_b': 'h200', 'measured_b_ns': '300', 'app_err_pct': '33.3333'}]

    def test_parts_sum_to_the_error(self):
        rows = results.app_parts(self.kernels, self.apps, 'bound_grid')
        self.assertEqual(len(rows), 1)
        build, app, direction, err, model, counts, choice = rows[0]
        self.assertEqual((build, app, direction), ('bench0', 'cnn_x_b1_bench0', 'h100-sxm -> h200'))
        self.assertAlmostEqual(model, 100 * 30 / 300)
        self.assertAlmostEqual(counts, 100 * 100 / 300)
        self.assertAlmostEqual(choice, 100 * -30 / 300)
        self.assertAlmostEqual(model + counts + choice, err, places=3)

    def test_second_build_name(self):
        app = 'cnn_x_b1_bench1_r2'
        ks = [dict(r, app=app) for r in self.kernels]
        ap = [dict(self.apps[0], app=app)]
        self.assertEqual(results.app_parts(ks, ap, 'bound_grid')[0][0], 'bench1')
        self.assertEqual(results.build_kind('cnn_x_b1_compile'), 'compile')
        self.assertEqual(results.build_kind('cnn_x_b1_bench0_r2'), 'bench0')
        self.assertTrue(results.is_compile('cnn_x_b1_compile_r2'))
        self.assertFalse(results.is_compile('cnn_x_b1_bench1_r2'))
        self.assertFalse(results.is_compile('vadd'))

    def test_misses(self):
        ks = [dict(r, abs_err_pct='1.0') for r in self.kernels]
        out = []
        results.write_misses(out.append, self.apps, ks, {('h200', 'bench0'): [0.5, 0.25]}, 'bound_grid')
        text = ''.join(out)
        self.assertIn('it misses the 2% per CNN application.', text)
        # 33.33% is 31.33 beyond 2; parts 10 / 33.33 / -10 as above; the second process 0.50
        self.assertIn('| cuDNN benchmark off | cnn_x_b1_bench0 | h100-sxm -> h200 | 33.33 | 31.33 | '
                      '10.00 / 33.33 / -10.00 | 0.50 |', text)
        bad = [dict(r, abs_err_pct='4.0') for r in self.kernels]
        out = []
        results.write_misses(out.append, self.apps, bad, {}, 'bound_grid')
        self.assertIn('the 3% median h100-sxm -> h200 (4.00)', ''.join(out))

    def test_other_model_and_partitions_left_out(self):
        self.assertEqual(results.app_parts(self.kernels, self.apps, 'bound_l2'), [])
        part = [dict(r, pair_kind='partition') for r in self.kernels]
        self.assertEqual(results.app_parts(part, self.apps, 'bound_grid'), [])


class FirstCounters(unittest.TestCase):
    HEAD = 'kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,profiled,l2_sectors,l2_hit_sectors\n'

    def test_first_profiled_launch_per_configuration(self):
        body = ('k,2,1,1,128,1,1,0,,\n'          # timed: no counters
                'k,2,1,1,128,1,1,1,100,40\n'     # first profiled: 3200 B, 60 missed = 1920 B
                'k,2,1,1,128,1,1,1,999,0\n'      # a later one: ignored
                'k,4,1,1,128,1,1,1,10,20\n'      # more hits than sectors: no negative misses
                'j,1,1,1,32,1,1,1,,\n')          # profiled without L2 counters: left out
        with tempfile.TemporaryDirectory() as d:
            for name, op in (('p.csv', open), ('p.csv.gz', gzip.open)):
                path = os.path.join(d, name)
                with op(path, 'wt') as f:
                    f.write(self.HEAD + body)
                c = results.first_counters(path)
                self.assertEqual(c, {'k|2,1,1|128,1,1': (3200.0, 1920.0), 'k|4,1,1|128,1,1': (320.0, 0.0)})


class Writes(unittest.TestCase):
    HEAD = 'kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,profiled,dram_write_bytes,l1_st_sectors\n'

    def test_written_against_stored(self):
        # a: 4 MB written, 1 MB stored (ratio 4); b: 1 MB written, 2 MB stored (0.5); c: a later
        # profiled launch of a (ignored); d: 50 kB written (under 100 kB); e: no L1 stores (TMA)
        body = ('a,1,1,1,32,1,1,1,4000000,31250\n'
                'b,1,1,1,32,1,1,1,1000000,62500\n'
                'a,1,1,1,32,1,1,1,9000000,1\n'
                'd,1,1,1,32,1,1,1,50000,1\n'
                'e,1,1,1,32,1,1,1,5000000,0\n'
                'b,1,1,1,32,1,1,0,,\n')
        out = []
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'cnn_x.csv')
            with open(path, 'w') as f:
                f.write(self.HEAD + body)
            results.write_writes(out.append, {('bx', 'cnn_x'): path, ('bx', 'vadd'): path}, ['bx', 'by'])
        text = ''.join(out)
        # two configurations, one beyond 1.05: 50%, median (0.5 + 4) / 2, p90 0.5 + 0.9 x 3.5
        self.assertIn('| bx | 2 | 50% | 2.25 | 3.6 |', text)
        self.assertNotIn('| by |', text)

    def test_nothing_to_say(self):
        out = []
        results.write_writes(out.append, {}, ['bx'])
        self.assertEqual(out, [])


class Bursts(unittest.TestCase):
    HEAD = 'kernel,grid_x,profiled,duration_ns,l2_sectors\n'

    def read(self, fn, rows, *args):
        """fn(path, *args) on a profile of HEAD and rows, written to a temporary file."""
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'p.csv')
            with open(path, 'w') as f:
                f.write(self.HEAD + rows)
            return fn(path, *args)

    def test_ladder_and_medians(self):
        # N = 2: profiled launch 100 sectors (3200 B); timed 900 (first, left out), 500, 700, 600
        # N = 1: 50 sectors; timed 400, 300 (first left out: 300); another kernel is not read
        rows = ('"void l2r_burst<2>(x)",8,1,2000,100\n"void l2r_burst<2>(x)",8,0,900,\n'
                '"void l2r_burst<2>(x)",8,0,500,\n"void l2r_burst<2>(x)",8,0,700,\n"void l2r_burst<2>(x)",8,0,600,\n'
                '"void l2r_burst<1>(x)",8,1,1500,50\n"void l2r_burst<1>(x)",8,0,400,\n"void l2r_burst<1>(x)",8,0,300,\n'
                '"l2r_scatter(x)",8,0,5,\n')
        self.assertEqual(self.read(results.burst_ladder, rows), [(1600.0, 300.0), (3200.0, 600.0)])

    def test_log_medians(self):
        rows = ('"void floor_spin<2>(int*)",1,0,1000,\n"void floor_spin<2>(int*)",1,0,2000,\n'
                '"void floor_spin<2>(int*)",1,0,3000,\n"void floor_spin<2>(int*)",16,0,50,\n'
                '"void floor_spin<2>(int*)",1,1,9999,\n"void floor_chase<8>(x)",1,0,7,\n')
        # (2, 1): 2000 and 3000 after the first, median 2500; (2, 16): its only launch
        self.assertEqual(self.read(results.log_medians, rows, 'void floor_spin<'), {(2, 1): 2500.0, (2, 16): 50.0})


class Quantile(unittest.TestCase):
    def test_linear_between_order_statistics(self):
        self.assertEqual(results.quantile([3, 1, 2, 4], 0.5), 2.5)
        self.assertAlmostEqual(results.quantile([1, 2, 3, 4, 5], 0.9), 4.6)
        self.assertNotEqual(results.quantile([], 0.5), results.quantile([], 0.5))   # NaN


if __name__ == '__main__':
    res = unittest.TextTestRunner(stream=open(os.devnull, 'w'), verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__]))
    for test, trace in res.failures + res.errors:
        print('FAIL %s\n%s' % (test.id(), trace), file=sys.stderr)
    bad = len(res.failures) + len(res.errors)
    print('test_results: %d passed, %d failed' % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
