/* The models on hand-worked cases (fixture boards and profiles). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include "bspgpu/study.h"
#include "bspgpu/align.h"
#include "check.h"

#define FIX "tests/fixtures/"

static const bsp_kernel *find_name(const bsp_kernel_set *ks, const char *name)
{
    for (size_t i = 0; i < ks->n; i++)
        if (!strcmp(ks->k[i].name, name))
            return &ks->k[i];
    return NULL;
}

static void test_seed_by_hand(void)
{
    bsp_board a, b;
    bsp_kernel_set ka;
    bsp_err err = { 0, "" };
    CHECK(bsp_board_load(&a, FIX "boards/fixture-a.json", &err) == 0);
    CHECK(bsp_board_load(&b, FIX "boards/fixture-b.json", &err) == 0);
    CHECK(bsp_profile_aggregate(FIX "profiles/fixture-a.csv", &ka, &err) == 0);
    CHECK(ka.n == 3);
    CHECK(ka.launches == 6);
    const bsp_kernel *k1 = find_name(&ka, "k1");
    CHECK(k1 != NULL);
    if (!k1)
        return;
    CHECK(k1->launches == 3);
    CHECK_NEAR(k1->dur_median_ns, 16640, 1e-12);
    CHECK_NEAR(k1->dur_sum_ns, 49920, 1e-12); /* the profiled launch counts at the unprofiled median */
    CHECK(k1->profiled == 1);
    /* per-thread inputs: inst 100, ld_g 2, st_g 1, ld_s 4, st_s 2, L1 and L2 hit rates 1/2 */
    bsp_seed_in in;
    CHECK(bsp_seed_in_from_kernel(k1, &in, &err) == 0);
    CHECK_NEAR(in.threads, 1024, 0);
    CHECK_NEAR(in.inst, 100, 1e-12);
    CHECK_NEAR(in.ld_g, 2, 1e-12);
    CHECK_NEAR(in.st_g, 1, 1e-12);
    CHECK_NEAR(in.ld_s, 4, 1e-12);
    CHECK_NEAR(in.st_s, 2, 1e-12);
    CHECK_NEAR(in.h1, 1, 1e-12);                 /* 2 loads x 0.5 */
    CHECK_NEAR(in.h2, 1, 1e-12);                 /* (2 - 1 + 1) x 0.5 */
    /* Comp 100x4 + Comm_SM 6x5 + Comm_GM (3-1-1)x500 + 1x10 + 1x100 = 1040 cycles */
    CHECK_NEAR(bsp_seed_cycles(&in, &a), 1040, 1e-12);
    /* T = 1024 x 1040 / (1e9 Hz x 128 cores) = 8320 ns */
    CHECK_NEAR(bsp_seed_time_ns(&in, &a, 1.0), 8320, 1e-12);
    /* on B: global 1000 -> 1540 cycles; 1024 x 1540 / (2e9 x 256) = 3080 ns */
    CHECK_NEAR(bsp_seed_cycles(&in, &b), 1540, 1e-12);
    CHECK_NEAR(bsp_seed_time_ns(&in, &b, 1.0), 3080, 1e-12);
    CHECK_NEAR(bsp_seed_time_ns(&in, &b, 0.5), 6160, 1e-12);

    /* the model table: fit lambda = 8320 / 16640 = 0.5, predict 6160 ns */
    const bsp_model *seed = bsp_model_find("seed");
    bsp_fit f;
    double t;
    CHECK(seed && seed->fit(k1, 16640, &a, &f, &err) == 0);
    CHECK_NEAR(f.lambda, 0.5, 1e-12);
    CHECK(seed->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 6160, 1e-12);

    /* baselines */
    const bsp_model *same = bsp_model_find("same"), *fc = bsp_model_find("spec_fc"), *bw = bsp_model_find("spec_bw");
    CHECK(same && same->fit(k1, 16640, &a, &f, &err) == 0 && same->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 16640, 0);
    CHECK(fc && fc->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 16640.0 / 4, 1e-12);           /* 2x clock, 2x cores */
    CHECK(bw && bw->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 16640.0 / 2, 1e-12);           /* 2x DRAM bandwidth */

    /* hybrid: u = 200 sectors x 32 B at 4000 GB/s over 16640 ns; the SM part
     * scales with blocks per SM (4 blocks: 2 per SM on A, 1 on B) and clock */
    const bsp_model *hy = bsp_model_find("hybrid");
    double u = 6400.0 / 4000.0 / 16640.0;
    CHECK(hy && hy->fit(k1, 16640, &a, &f, &err) == 0);
    CHECK_NEAR(f.p[0], u, 1e-12);
    CHECK(f.p[1] == 2);
    CHECK(hy->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 16640 * ((1 - u) * 0.5 * 0.5 + u * 1.0), 1e-12); /* = 4161.2 */
    CHECK_NEAR(t, 4161.2, 1e-9);
    /* one SM of fixture-a as a partition: 4 blocks on one SM, twice A's */
    bsp_board part = a;
    part.sms = 1;
    part.sweep = NULL;
    CHECK(hy->predict(k1, 16640, &a, &part, &f, &t, &err) == 0);
    CHECK_NEAR(t, 33280 - 1.6 * 2 + 1.6, 1e-9);

    /* floor: 16640 - 1000 + 600 */
    const bsp_model *fl = bsp_model_find("floor");
    CHECK(fl && fl->fit(k1, 16640, &a, &f, &err) == 0 && fl->predict(k1, 16640, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 16240, 1e-12);
    CHECK(fl->predict(k1, 500, &a, &b, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600, 1e-12); /* never below B's floor */
    CHECK(fl->fit(k1, 16640, &part, &f, &err) == 0);
    part.kernel_floor_ns.n = 0;
    CHECK(fl->fit(k1, 16640, &part, &f, &err) != 0);
    CHECK_STR_HAS(err.msg, "lacks latency_ns.kernel_floor");

    /* floor_chip: the same with the chip-wide floors, set here (A 928, B 800) */
    const bsp_model *fch = bsp_model_find("floor_chip");
    bsp_board ac = a, bc = b;
    ac.sweep = bc.sweep = NULL;
    ac.kernel_floor_chip_ns = (bsp_meas){ 928, 928, 928, 1 };
    bc.kernel_floor_chip_ns = (bsp_meas){ 800, 800, 800, 1 };
    CHECK(fch && fch->fit(k1, 2000, &ac, &f, &err) == 0 && fch->predict(k1, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1872, 1e-12);
    CHECK(fch->predict(k1, 500, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800, 1e-12);
    CHECK(fch->fit(k1, 2000, &a, &f, &err) != 0); /* the fixture boards have no chip floor */
    CHECK_STR_HAS(err.msg, "lacks latency_ns.kernel_floor_chip");

    /* floor_bw: k1 has 100 L2 misses (3200 B); A's DRAM 1000 GB/s, B's 2000.
     * At 2000 ns: body 1072, u = 3200 / (1000 x 1072), T_B = 800 + 1072 - 0.5 x 0.5 x 3.2 = 1871.2 */
    const bsp_model *fbw = bsp_model_find("floor_bw");
    CHECK(fbw && fbw->fit(k1, 2000, &ac, &f, &err) == 0 && fbw->predict(k1, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(bsp_floor_bw_share(k1, 2000, &ac), 3200.0 / (1000.0 * 1072.0), 1e-15);
    CHECK_NEAR(t, 1871.2, 1e-9);
    /* body 0.8 ns: u is capped at 1, T_B = 800 + 0.8 (1 - 0.25) */
    CHECK(fbw->predict(k1, 928.8, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(bsp_floor_bw_share(k1, 928.8, &ac), 1.0, 0);
    CHECK_NEAR(t, 800.6, 1e-9);
    CHECK(bsp_model_param("floor_bw.beta", 1.0, &err) == 0);
    CHECK(fbw->predict(k1, 928.8, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800.4, 1e-9);
    CHECK(bsp_model_param("floor_bw.beta", 0.5, &err) == 0);
    CHECK(bsp_model_param("floor_bw.beta", 1.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "outside [0, 1]");
    CHECK(bsp_model_param("floor_bw.gamma", 0.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "unknown model parameter 'floor_bw.gamma'");
    /* a tensor-core kernel uses beta_mma (0 by default): floor_chip's 1872 */
    bsp_kernel k1t = *k1;
    k1t.ctr[BSP_CTR_TENSOR] = 5;
    CHECK(fbw->predict(&k1t, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1872, 1e-12);
    /* no L2 counters: u = 0 */
    k1t.ctr[BSP_CTR_TENSOR] = NAN;
    k1t.ctr[BSP_CTR_L2_HIT] = NAN;
    CHECK(fbw->predict(&k1t, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1872, 1e-12);
    bsp_board nobw = ac;
    nobw.bw_dram_gbs.n = 0;
    CHECK(fbw->fit(k1, 2000, &nobw, &f, &err) != 0);
    CHECK_STR_HAS(err.msg, "lacks bandwidth_gbs.dram");

    /* bound, p = 3: k1 at 2000 ns on A (floor 928): body 1072; DRAM
     * M = 3200 B / 1000 GB/s = 3.2 ns, L2 L = 6400 B / 4000 GB/s = 1.6 ns,
     * S^3 = 1072^3 - 3.2^3 - 1.6^3 = 1231925211.136.  On B: 1 block on the
     * busiest SM of 4 against 2 of 2, at twice the clock: s = 1/4;
     * M_B = 1.6, L_B = 1.6, T_B = 800 + (S^3 / 64 + 2 x 1.6^3)^(1/3) = 1068.00004 */
    const bsp_model *bd = bsp_model_find("bound");
    double part3[3];
    CHECK(bd && bd->fit(k1, 2000, &ac, &f, &err) == 0 && bd->predict(k1, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK_NEAR(t, 1068.0000353, 1e-6);
    bsp_bound_split(k1, 2000, &ac, &bc, part3);
    CHECK_NEAR(part3[0], cbrt(1231925211.136), 1e-9);
    CHECK_NEAR(part3[1], 3.2, 1e-12);
    CHECK_NEAR(part3[2], 1.6, 1e-12);
    /* all of the body is memory: S = 0, T_B = 800 + (1.6^3 + 1.6^3)^(1/3) */
    CHECK(bd->predict(k1, 931.2, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + 1.6 * cbrt(2.0), 1e-9);
    /* a 1-SM partition of A's chip whose own bandwidths are half A's: the
     * chip's (A's) bandwidths stand for it, so M and L are as above; s = 2/4 */
    bsp_board pa = ac;
    pa.sms = 1;
    pa.bw_dram_gbs.median = 500;
    pa.bw_l2_gbs.median = 2000;
    CHECK(bd->predict(k1, 2000, &pa, &ac, &f, &t, &err) == 0);
    CHECK_NEAR(t, 928 + cbrt(1231925211.136 / 8 + 32.768 + 4.096), 1e-9);
    /* not the same chip (another bus width): the partition's own bandwidths,
     * M = 6.4, L = 3.2, M_B = 3.2, L_B = 1.6 */
    pa.mem_bus_bits = ac.mem_bus_bits + 64;
    CHECK(bd->predict(k1, 2000, &pa, &ac, &f, &t, &err) == 0);
    CHECK_NEAR(t, 928 + cbrt((1231925248.0 - 262.144 - 32.768) / 8 + 32.768 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound.p", 0.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "bound.p: 0.5 is outside [1, 64]");
    CHECK(bsp_model_param("bound.p", 1.0, &err) == 0); /* p = 1: the parts add */
    CHECK(bd->predict(k1, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + (1072 - 3.2 - 1.6) / 4 + 1.6 + 1.6, 1e-9);
    CHECK(bsp_model_param("bound.p", 3.0, &err) == 0);
    nobw = ac;
    nobw.bw_l2_gbs.n = 0;
    CHECK(bd->fit(k1, 2000, &nobw, &f, &err) != 0);
    CHECK_STR_HAS(err.msg, "model bound: board");
    CHECK_STR_HAS(err.msg, "lacks bandwidth_gbs.l2");
    CHECK(bd->predict(k1, 2000, &ac, &a, &f, &t, &err) != 0); /* B without a chip floor */
    CHECK_STR_HAS(err.msg, "lacks latency_ns.kernel_floor_chip");
    k1t = *k1;
    k1t.grid[0] = 0;
    CHECK(bd->predict(&k1t, 2000, &ac, &bc, &f, &t, &err) != 0);
    CHECK_STR_HAS(err.msg, "has no grid size");

    /* bound_l2 without request or reduction counters, or without the rates
     * on the boards: bound's 1068.00004 */
    const bsp_model *bl = bsp_model_find("bound_l2");
    bsp_kernel k1n = *k1;
    k1n.dur_replay_ns = NAN; /* no replayed launch: nothing to take off the DRAM time */
    CHECK(bl && bl->fit(&k1n, 2000, &ac, &f, &err) == 0 && bl->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* a replayed launch of 2002 ns against 2000 timed: M = 3.2 - 2 = 1.2, M_B = 0.6;
     * S^3 = 1072^3 - 1.2^3 - 1.6^3 */
    k1n.dur_replay_ns = 2002;
    CHECK(bl->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925242.176 / 64 + 0.216 + 4.096), 1e-9);
    CHECK(bd->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0); /* bound keeps M = 3.2 */
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    k1n.dur_replay_ns = 2010; /* more than the whole DRAM time: M = 0 */
    CHECK(bl->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925243.904 / 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_l2.replay", 0.0, &err) == 0); /* the replay term left out */
    CHECK(bl->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_l2.replay", 1.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "outside [0, 1]");
    CHECK(bsp_model_param("bound_l2.replay", 1.0, &err) == 0);
    k1n.dur_replay_ns = 1500; /* shorter than the timed launches: no change */
    CHECK(bl->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    k1n.dur_replay_ns = NAN;
    /* 180 L2 requests at A's 50 per ns: 3.6 ns > the 1.6 ns of its bytes, so
     * L = 3.6, scaled by B's 100 per ns to 1.8; 40 reduction sectors at A's
     * 4 per ns: X = 10, at B's 8 per ns 5.  S^3 = 1072^3 - 3.2^3 - 3.6^3 - 10^3 */
    bsp_kernel k1r = k1n;
    k1r.ctr[BSP_CTR_L2_REQUESTS] = 180;
    k1r.ctr[BSP_CTR_L2_RED] = 40;
    CHECK(bl->predict(&k1r, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9); /* boards without the rates */
    bsp_board ar = ac, br = bc;
    ar.l2_requests_gps = (bsp_meas){ 50, 50, 50, 1 };
    ar.l2_red_hot_gsps = (bsp_meas){ 4, 4, 4, 1 };
    br.l2_requests_gps = (bsp_meas){ 100, 100, 100, 1 };
    br.l2_red_hot_gsps = (bsp_meas){ 8, 8, 8, 1 };
    CHECK(bl->predict(&k1r, 2000, &ar, &br, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924168.576 / 64 + 4.096 + 5.832 + 125), 1e-9);
    /* bound ignores them */
    CHECK(bd->predict(&k1r, 2000, &ar, &br, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* reductions counted as ATOM add the same way; B without the rates keeps A's times */
    k1r.ctr[BSP_CTR_L2_RED] = 30;
    k1r.ctr[BSP_CTR_L2_ATOM] = 10;
    br.l2_requests_gps.n = br.l2_red_hot_gsps.n = 0;
    CHECK(bl->predict(&k1r, 2000, &ar, &br, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924168.576 / 64 + 4.096 + 46.656 + 1000), 1e-9);
    /* a body of 2 ns: every bound is capped at 2, S = 0;
     * T_B = 800 + (1^3 + 2^3 + 2^3)^(1/3) with M_B = 1, L_B = 2, X_B = 2 */
    CHECK(bl->predict(&k1r, 930, &ar, &br, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(17.0), 1e-9);
    /* a 1-SM partition of A's chip: the whole chip's rates stand for its own */
    pa = ac;
    pa.sms = 1;
    br = bc;
    k1r.ctr[BSP_CTR_L2_ATOM] = NAN;
    k1r.ctr[BSP_CTR_L2_RED] = 40;
    CHECK(bl->predict(&k1r, 2000, &pa, &ar, &f, &t, &err) == 0);
    CHECK_NEAR(t, 928 + cbrt(1231924168.576 / 8 + 32.768 + 46.656 + 1000), 1e-9);
    CHECK(bl->fit(k1, 2000, &nobw, &f, &err) != 0);
    CHECK_STR_HAS(err.msg, "model bound_l2: board");

    /* bound_grid: k1 moved 4000 + 4000 DRAM bytes, M = 8000 B / 1000 GB/s = 8,
     * M_B = 4, L = 1.6, L_B = 1.6; no floor_grid on the boards: the chip
     * floors 928 and 800.  S^3 = 1072^3 - 8^3 - 1.6^3 */
    const bsp_model *bgm = bsp_model_find("bound_grid");
    k1n = *k1;
    k1n.dur_replay_ns = NAN;
    /* DRAM bytes, not misses, by default (dram = 1) */
    CHECK(bgm && bgm->fit(&k1n, 2000, &ac, &f, &err) == 0 && bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.dram", 1.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    /* the replay term takes 2 ns off: M = 6, M_B = 3 */
    k1n.dur_replay_ns = 2002;
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925027.904 / 64 + 27 + 4.096), 1e-9);
    k1n.dur_replay_ns = NAN;
    /* dram = 0: the L2 misses, bound_l2's 1068.00004 */
    CHECK(bsp_model_param("bound_grid.dram", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.dram", 1.0, &err) == 0);
    /* the writes capped at the bytes stored: 50 sectors, 1600 B, against 4000
     * written: M = 5.6, M_B = 2.8 */
    bsp_kernel k1w = k1n;
    k1w.ctr[BSP_CTR_L1_ST_SECTORS] = 50;
    CHECK(bgm->predict(&k1w, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925068.288 / 64 + 21.952 + 4.096), 1e-9);
    /* more stored than written: the written bytes */
    k1w.ctr[BSP_CTR_L1_ST_SECTORS] = 500;
    CHECK(bgm->predict(&k1w, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    /* without DRAM byte counters: the misses too */
    bsp_kernel k1d = k1n;
    k1d.ctr[BSP_CTR_DRAM_WRITE] = NAN;
    CHECK(bgm->predict(&k1d, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* floor_grid: A's (1: 600, 2: 928) gives its last point to k1's 4 blocks,
     * B's (1: 500, 2: 600, 8: 800) 600 + (4 - 2) / (8 - 2) x 200 */
    bsp_board ag = ac, bg = bc;
    ag.nfloor_grid = 2;
    ag.floor_grid[0] = (bsp_floor_pt){ 1, { 600, 600, 600, 1 }, { 0, 0, 0, 0 } };
    ag.floor_grid[1] = (bsp_floor_pt){ 2, { 928, 928, 928, 1 }, { 0, 0, 0, 0 } };
    bg.nfloor_grid = 3;
    bg.floor_grid[0] = (bsp_floor_pt){ 1, { 500, 500, 500, 1 }, { 0, 0, 0, 0 } };
    bg.floor_grid[1] = (bsp_floor_pt){ 2, { 600, 600, 600, 1 }, { 0, 0, 0, 0 } };
    bg.floor_grid[2] = (bsp_floor_pt){ 8, { 800, 800, 800, 1 }, { 0, 0, 0, 0 } };
    CHECK(bgm->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600 + 200.0 / 3 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    /* bound_l2 does not read floor_grid */
    CHECK(bl->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* grid = 0.5: halfway between the chip floor and the grid's, on both boards */
    CHECK(bsp_model_param("bound_grid.grid", 0.5, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 - 200.0 / 3 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.grid", 1.0, &err) == 0);
    /* one block: A's floor 600, body 1400; B's 500; s = ceil(1/4) / ceil(1/2) x 1/2 */
    bsp_kernel k1b = k1n;
    k1b.grid[0] = 1;
    CHECK(bgm->predict(&k1b, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 500 + cbrt((2744000000.0 - 512 - 4.096) / 8 + 64 + 4.096), 1e-9);
    /* below the first point: the first point */
    bg.floor_grid[0].blocks = 2;
    bg.floor_grid[1].blocks = 3;
    CHECK(bgm->predict(&k1b, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 500 + cbrt((2744000000.0 - 512 - 4.096) / 8 + 64 + 4.096), 1e-9);
    /* a kernel timed by replayed launches only (1 launch, profiled): both
     * boards' replayed floors, A's 1700 for 4 blocks, B's 1450 + 200 / 3;
     * body 300, S^3 = 300^3 - 8^3 - 1.6^3 */
    bg.floor_grid[0].blocks = 1;
    bg.floor_grid[1].blocks = 2;
    ag.floor_grid[0].replay = (bsp_meas){ 1600, 1600, 1600, 1 };
    ag.floor_grid[1].replay = (bsp_meas){ 1700, 1700, 1700, 1 };
    bg.floor_grid[0].replay = (bsp_meas){ 1400, 1400, 1400, 1 };
    bg.floor_grid[1].replay = (bsp_meas){ 1450, 1450, 1450, 1 };
    bg.floor_grid[2].replay = (bsp_meas){ 1650, 1650, 1650, 1 };
    bsp_kernel k1p = k1n;
    k1p.launches = k1p.profiled = 1;
    CHECK(bgm->predict(&k1p, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1450 + 200.0 / 3 + cbrt(26999483.904 / 64 + 64 + 4.096), 1e-9);
    /* timed launches besides: the timed floors */
    CHECK(bgm->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600 + 200.0 / 3 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    /* a point of B without replayed launches: the timed floors on both boards */
    bg.floor_grid[2].replay.n = 0;
    CHECK(bgm->predict(&k1p, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600 + 200.0 / 3 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    bg.floor_grid[2].replay.n = 1;
    CHECK(bsp_model_param("bound_grid.replay", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1p, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600 + 200.0 / 3 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.replay", 1.0, &err) == 0);
    CHECK(bgm->predict(&k1p, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1450 + 200.0 / 3 + cbrt(26999483.904 / 64 + 64 + 4.096), 1e-9);
    /* grid = 0: no floor by grid, the chip-wide points, here replayed: A's
     * 1700 (its last point), B's 1650 */
    CHECK(bsp_model_param("bound_grid.grid", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1p, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 1650 + cbrt(26999483.904 / 64 + 64 + 4.096), 1e-9);
    CHECK(bgm->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0); /* timed: the chip floors */
    CHECK_NEAR(t, 800 + cbrt(1231924731.904 / 64 + 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.grid", 1.0, &err) == 0);
    CHECK(bsp_model_param("bound_grid.dram", 2.0, &err) != 0);
    CHECK_STR_HAS(err.msg, "bound_grid.dram: 2 is outside [0, 1]");
    /* dram = 0: the L2 misses, M = 3.2 (kept by the cases below); A's floor
     * 928, B's 600 + 200 / 3 as above: S^3 = 1072^3 - 3.2^3 - 1.6^3 */
    CHECK(bsp_model_param("bound_grid.dram", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, 600 + 200.0 / 3 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);

    /* call = 1: the counters are the first profiled launch's, whose call ran
     * 1000 ns timed; at 2000 ns they count twice: M = 6.4, M_B = 3.2, L = L_B
     * = 3.2 (chip floors 928 and 800 again), as a kernel of twice the counters */
    k1n.dur_call_ns = 1000;
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0); /* call = 0 by default */
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.call", 1.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231924953.088 / 64 + 32.768 + 32.768), 1e-9);
    bsp_kernel k2c = k1n;
    for (int c = 0; c < BSP_NCTR; c++)
        k2c.ctr[c] *= 2;
    k2c.dur_call_ns = 2000;
    double t2;
    CHECK(bgm->predict(&k2c, 2000, &ac, &bc, &f, &t2, &err) == 0);
    CHECK_NEAR(t, t2, 1e-9);
    /* the replay term from that call: replayed 1002 ns against its 1000
     * timed, M = 2 x (3.2 - 2) = 2.4, M_B = 1.2 */
    k1n.dur_replay_ns = 1002;
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925201.408 / 64 + 1.728 + 32.768), 1e-9);
    /* no timed launch of that call: the counters as they are */
    k1n.dur_replay_ns = NAN;
    k1n.dur_call_ns = NAN;
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.call", 0.0, &err) == 0);
    /* norm = 1: a body of 2 ns, M = 2 and L = 1.6 capped at it, S = 0; their
     * norm on A, cbrt(8 + 4.096), exceeds the body, so B's, cbrt(1 + 4.096),
     * is taken in proportion */
    CHECK(bgm->predict(&k1n, 930, &ac, &bc, &f, &t, &err) == 0); /* norm = 1 by default */
    CHECK_NEAR(t, 800 + cbrt(5.096) * 2 / cbrt(12.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.norm", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 930, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(5.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.norm", 1.0, &err) == 0);
    /* parts within the body (S > 0) make up its norm exactly: no change */
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* the same kernel predicted on its own board: T_A, with norm = 1 only */
    CHECK(bgm->predict(&k1n, 930, &ac, &ac, &f, &t, &err) == 0);
    CHECK_NEAR(t, 930, 1e-9);
    CHECK(bsp_model_param("bound_grid.norm", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 930, &ac, &ac, &f, &t, &err) == 0);
    CHECK_NEAR(t, 928 + cbrt(12.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.norm", -1, &err) != 0);
    CHECK_STR_HAS(err.msg, "bound_grid.norm: -1 is outside [0, 1]");
    /* l2: B's L2 bandwidth half A's, L = 1.6 ns, L_B = 3.2 by default;
     * l2 = 0 keeps it at A's 1.6, l2 = 0.5 takes 1.6 sqrt(2) */
    bsp_board bl2 = bc;
    bl2.bw_l2_gbs.median = 2000;
    CHECK(bgm->predict(&k1n, 2000, &ac, &bl2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 4.096 + 32.768), 1e-9);
    CHECK(bsp_model_param("bound_grid.l2", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ac, &bl2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.l2", 0.5, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ac, &bl2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 4.096 + 4.096 * 2 * sqrt(2.0)), 1e-9);
    /* bound_l2 does not read it */
    CHECK(bl->predict(&k1n, 2000, &ac, &bl2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 4.096 + 32.768), 1e-9);
    CHECK(bsp_model_param("bound_grid.l2", 1.0, &err) == 0);
    CHECK(bsp_model_param("bound_grid.l2", 1.5, &err) != 0);
    CHECK(bsp_model_param("bound_grid.norm", 1.0, &err) == 0);
    /* burst: k1's 6400 L2 bytes (L = 1.6).  A's bursts (floor 928): 4000 B
     * in 1028 ns, 16000 B in 1328, bodies 100 and 400; B's (floor 800): 900
     * and 1000 ns, bodies 100 and 200.  At 6400 B, t_A = 160, t_B = 120; at
     * the largest, 16000 B, 400 and 200: r_L = 1 x 0.75 / 0.5 = 1.5, L_B = 2.4 */
    bsp_board ab = ac, bb = bc;
    ab.nl2_burst = bb.nl2_burst = 2;
    ab.l2_burst[0] = (bsp_burst_pt){ 4000, { 1028, 1028, 1028, 1 } };
    ab.l2_burst[1] = (bsp_burst_pt){ 16000, { 1328, 1328, 1328, 1 } };
    bb.l2_burst[0] = (bsp_burst_pt){ 4000, { 900, 900, 900, 1 } };
    bb.l2_burst[1] = (bsp_burst_pt){ 16000, { 1000, 1000, 1000, 1 } };
    CHECK(bgm->predict(&k1n, 2000, &ac, &bc, &f, &t, &err) == 0); /* no bursts: r_L = 1 */
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bgm->predict(&k1n, 2000, &ab, &bb, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 4.096 + 13.824), 1e-9);
    CHECK(bgm->predict(&k1n, 2000, &ab, &bc, &f, &t, &err) == 0); /* only A measured them */
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.burst", 0.5, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ab, &bb, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 4.096 + 4.096 * pow(1.5, 1.5)), 1e-9);
    CHECK(bsp_model_param("bound_grid.burst", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &ab, &bb, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    CHECK(bsp_model_param("bound_grid.burst", 1.0, &err) == 0);
    /* below the first point, the first point's ratio: 1 / 0.5, L_B = 3.2 */
    bsp_kernel k1s = k1n;
    k1s.ctr[BSP_CTR_L2_SECTORS] = 62.5; /* 2000 B: L = 0.5 */
    k1s.ctr[BSP_CTR_L2_HIT] = k1s.ctr[BSP_CTR_L2_SECTORS] - 100; /* the misses of k1 */
    double s3 = 1072.0 * 1072 * 1072 - 3.2 * 3.2 * 3.2 - 0.125;
    CHECK(bgm->predict(&k1s, 2000, &ab, &bb, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(s3 / 64 + 4.096 + 1.0), 1e-9);
    /* beyond the largest both measured (B's 6000 here): the bandwidths' ratio */
    bb.l2_burst[1].bytes = 6000;
    CHECK(bgm->predict(&k1n, 2000, &ab, &bb, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(1231925211.136 / 64 + 8.192), 1e-9);
    /* a partition of A's chip: no ramp */
    bb.l2_burst[1].bytes = 16000;
    bsp_board pb = ab;
    pb.sms = 1;
    CHECK(bgm->predict(&k1n, 2000, &pb, &ab, &f, &t, &err) == 0);
    CHECK(bsp_model_param("bound_grid.burst", 0.0, &err) == 0);
    CHECK(bgm->predict(&k1n, 2000, &pb, &ab, &f, &t2, &err) == 0);
    CHECK_NEAR(t, t2, 1e-9);
    CHECK(bsp_model_param("bound_grid.burst", 1.0, &err) == 0);
    CHECK(bsp_model_param("bound_grid.burst", 1.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "bound_grid.burst: 1.5 is outside [0, 1]");

    /* dburst: a kernel of 8000 DRAM bytes (M = 8, M_B = 4 by the bandwidths)
     * and 6400 L2 bytes (L = L_B = 1.6), chip floors 928 and 800, S^3 =
     * 1072^3 - 8^3 - 1.6^3.  A's DRAM reads (floor 928): 4000 B in 1028 ns,
     * 16000 in 1328, bodies 100 and 400; B's (floor 800): 900 and 1000 ns,
     * bodies 100 and 200.  At 8000 B t_A = 200, t_B = 133.33; at the largest
     * 400 and 200: the ramp 0.6667 / 0.5, M_B = 4 x 4 / 3 */
    CHECK(bsp_model_param("bound_grid.dram", 1.0, &err) == 0);
    bsp_kernel kd = k1n;
    kd.ctr[BSP_CTR_DRAM_READ] = kd.ctr[BSP_CTR_DRAM_WRITE] = 4000;
    kd.ctr[BSP_CTR_L1_ST_SECTORS] = NAN;
    kd.dur_replay_ns = kd.dur_call_ns = NAN;
    bsp_board ad = ac, bd2 = bc;
    ad.ndram_burst = bd2.ndram_burst = 2;
    ad.dram_burst[0] = (bsp_burst_pt){ 4000, { 1028, 1028, 1028, 1 } };
    ad.dram_burst[1] = (bsp_burst_pt){ 16000, { 1328, 1328, 1328, 1 } };
    bd2.dram_burst[0] = (bsp_burst_pt){ 4000, { 900, 900, 900, 1 } };
    bd2.dram_burst[1] = (bsp_burst_pt){ 16000, { 1000, 1000, 1000, 1 } };
    const double sd = 1231924731.904 / 64 + 4.096;
    CHECK(bgm->predict(&kd, 2000, &ad, &bd2, &f, &t, &err) == 0); /* dburst = 0 by default */
    CHECK_NEAR(t, 800 + cbrt(sd + 64), 1e-9);
    CHECK(bsp_model_param("bound_grid.dburst", 1.0, &err) == 0);
    CHECK(bgm->predict(&kd, 2000, &ad, &bd2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(sd + pow(16.0 / 3, 3)), 1e-9);
    CHECK(bgm->predict(&kd, 2000, &ad, &bc, &f, &t, &err) == 0); /* only A measured them */
    CHECK_NEAR(t, 800 + cbrt(sd + 64), 1e-9);
    CHECK(bsp_model_param("bound_grid.dburst", 0.5, &err) == 0);
    CHECK(bgm->predict(&kd, 2000, &ad, &bd2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(sd + pow(4 * sqrt(4.0 / 3), 3)), 1e-9);
    CHECK(bsp_model_param("bound_grid.dburst", 1.0, &err) == 0);
    /* dcopy = 1: the copies' ladder, A 4000 B in 1128, 16000 in 1528 (bodies
     * 200, 600), B 1000 and 1100 (200, 300): at 8000 B 333.33 and 233.33,
     * the ramp 0.7 / 0.5, M_B = 5.6; without B's copies the ramp is 1 */
    ad.ndram_copy = bd2.ndram_copy = 2;
    ad.dram_copy[0] = (bsp_burst_pt){ 4000, { 1128, 1128, 1128, 1 } };
    ad.dram_copy[1] = (bsp_burst_pt){ 16000, { 1528, 1528, 1528, 1 } };
    bd2.dram_copy[0] = (bsp_burst_pt){ 4000, { 1000, 1000, 1000, 1 } };
    bd2.dram_copy[1] = (bsp_burst_pt){ 16000, { 1100, 1100, 1100, 1 } };
    CHECK(bsp_model_param("bound_grid.dcopy", 1.0, &err) == 0);
    CHECK(bgm->predict(&kd, 2000, &ad, &bd2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(sd + 5.6 * 5.6 * 5.6), 1e-9);
    bd2.ndram_copy = 0;
    CHECK(bgm->predict(&kd, 2000, &ad, &bd2, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt(sd + 64), 1e-9);
    CHECK(bsp_model_param("bound_grid.dcopy", 0.0, &err) == 0);
    /* a partition of A's chip: no ramp */
    bsp_board pd = ad;
    pd.sms = 1;
    CHECK(bgm->predict(&kd, 2000, &pd, &ad, &f, &t, &err) == 0);
    CHECK(bsp_model_param("bound_grid.dburst", 0.0, &err) == 0);
    CHECK(bgm->predict(&kd, 2000, &pd, &ad, &f, &t2, &err) == 0);
    CHECK_NEAR(t, t2, 1e-9);
    CHECK(bsp_model_param("bound_grid.dcopy", -0.5, &err) != 0);
    CHECK_STR_HAS(err.msg, "bound_grid.dcopy: -0.5 is outside [0, 1]");

    /* rnorm: the replay term inside the p-norm.  On ag / bg (floors for k1's
     * 4 blocks: A timed 928, replayed 1700; B 600 + 200 / 3) the body is
     * 1072; a replayed launch of body brd = cbrt(1072^3 + 8^3 - 5^3) leaves
     * the other parts rest = brd^3 - 8^3, the timed launch's DRAM time
     * cbrt(1072^3 - rest) = 5, M_B = 2.5.  The subtraction (rnorm = 0) takes
     * the replay's 772 ns excess off M's 8: M = 0 */
    const double fb = 600 + 200.0 / 3, brd = cbrt(1231925248.0 + 512 - 125);
    kd.dur_replay_ns = 1700 + brd;
    CHECK(bgm->predict(&kd, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, fb + cbrt((1231925248.0 - 4.096) / 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.rnorm", 1.0, &err) == 0);
    CHECK(bgm->predict(&kd, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, fb + cbrt((1231925248.0 - 125 - 4.096) / 64 + 15.625 + 4.096), 1e-6);
    CHECK(bsp_model_param("bound_grid.rnorm", 0.5, &err) == 0); /* M = (0 + 5) / 2 */
    CHECK(bgm->predict(&kd, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, fb + cbrt((1231925248.0 - 15.625 - 4.096) / 64 + 1.953125 + 4.096), 1e-6);
    CHECK(bsp_model_param("bound_grid.rnorm", 1.0, &err) == 0);
    /* a replayed launch no longer than the body: nothing saved, M = 8 */
    kd.dur_replay_ns = 1700 + 1072;
    CHECK(bgm->predict(&kd, 2000, &ag, &bg, &f, &t, &err) == 0);
    CHECK_NEAR(t, fb + cbrt(sd + 64), 1e-6);
    /* without A's replayed floors (ac): the subtraction */
    CHECK(bgm->predict(&kd, 2000, &ac, &bc, &f, &t, &err) == 0);
    CHECK_NEAR(t, 800 + cbrt((1231925248.0 - 4.096) / 64 + 4.096), 1e-9);
    CHECK(bsp_model_param("bound_grid.rnorm", 0.0, &err) == 0);
    CHECK(bsp_model_param("bound_grid.dram", 0.0, &err) == 0);

    /* a kernel without counters: the seed cannot fit it and says which counter */
    const bsp_kernel *oa = find_name(&ka, "only_a");
    CHECK(oa && seed->fit(oa, 5000, &a, &f, &err) != 0);
    CHECK_STR_HAS(err.msg, "only_a|1,1,1|32,1,1");
    CHECK_STR_HAS(err.msg, "inst_warp");

    bsp_kernel_set_free(&ka);
    bsp_board_free(&a);
    bsp_board_free(&b);
}

static void test_study(void)
{
    bsp_board a, b;
    bsp_kernel_set ka, kb;
    bsp_err err = { 0, "" };
    bsp_pred *rows = NULL;
    size_t n = 0;
    bsp_app_score s;
    CHECK(bsp_board_load(&a, FIX "boards/fixture-a.json", &err) == 0);
    CHECK(bsp_board_load(&b, FIX "boards/fixture-b.json", &err) == 0);
    CHECK(bsp_profile_aggregate(FIX "profiles/fixture-a.csv", &ka, &err) == 0);
    CHECK(bsp_profile_aggregate(FIX "profiles/fixture-b.csv", &kb, &err) == 0);
    CHECK(bsp_study_predict(bsp_model_find("seed"), &a, &ka, &b, &kb, &rows, &n, &err) == 0);
    CHECK(n == 4); /* k1, k2, only_a, then only_b */
    CHECK(bsp_study_score(rows, n, &ka, &kb, &s, &err) == 0);
    CHECK(s.matched == 2 && s.only_a == 1 && s.only_b == 1 && s.failed == 1);
    /* k2: inst 10, ld_g 1, st_g 1, no hits: A 1040 cycles -> 8320 ns, lambda 8320/21000;
     * B 2040 cycles -> 4080 ns / lambda = 10298.08 ns against 11000 measured */
    double k2_pred = 4080.0 * 21000.0 / 8320.0;
    CHECK_NEAR(rows[1].pred_b_ns, k2_pred, 1e-12);
    CHECK_NEAR(rows[1].lambda_a, 8320.0 / 21000.0, 1e-12);
    CHECK_NEAR(rows[1].lambda_b, 4080.0 / 11000.0, 1e-12);
    CHECK_NEAR(rows[0].lambda_b, 3080.0 / 6200.0, 1e-12);
    double e1 = fabs(bsp_pct_err(6160, 6200)), e2 = fabs(bsp_pct_err(k2_pred, 11000));
    CHECK_NEAR(s.kern.median_abs_pct, (e1 + e2) / 2, 1e-12);
    CHECK_NEAR(s.kern.max_abs_pct, e2, 1e-12);
    /* application: sum of T_n x j_n, with only_a counted at its A time */
    CHECK_NEAR(s.pred_ns, 6160.0 * 3 + k2_pred * 2 + 5000, 1e-12);
    CHECK_NEAR(s.meas_ns, 43600, 1e-12);
    CHECK_NEAR(s.only_b_ns, 3000, 1e-12);
    CHECK_NEAR(s.pred_matched_ns, 6160.0 * 3 + k2_pred * 2, 1e-12);
    CHECK_NEAR(s.meas_matched_ns, 40600, 1e-12);
    free(rows);
    bsp_kernel_set_free(&ka);
    bsp_kernel_set_free(&kb);
    bsp_board_free(&a);
    bsp_board_free(&b);
}

/* Launch pairing by program order, worked by hand. */
static void test_align(void)
{
    bsp_err err = { 0, "" };
    long pa[6];
    size_t edits;
    /* a = 1 2 3 4, b = 1 3 4 5: keep 1 3 4, delete 2, insert 5 */
    const long a1[] = { 1, 2, 3, 4 }, b1[] = { 1, 3, 4, 5 };
    CHECK(bsp_align_seq(a1, 4, b1, 4, 100, pa, &edits, &err) == 0);
    CHECK(edits == 2);
    CHECK(pa[0] == 0 && pa[1] == -1 && pa[2] == 1 && pa[3] == 2);
    CHECK(bsp_align_seq(a1, 4, b1, 4, 1, pa, &edits, &err) == 1); /* over the limit */
    CHECK(edits == SIZE_MAX);
    /* identical, and empty against non-empty */
    CHECK(bsp_align_seq(a1, 4, a1, 4, 100, pa, &edits, &err) == 0 && edits == 0);
    CHECK(pa[0] == 0 && pa[3] == 3);
    CHECK(bsp_align_seq(a1, 4, b1, 0, 100, pa, &edits, &err) == 0 && edits == 4);
    CHECK(pa[0] == -1 && pa[3] == -1);
    /* a = x y x y, b = y x y: the shortest script deletes the first x */
    const long a2[] = { 7, 8, 7, 8 }, b2[] = { 8, 7, 8 };
    CHECK(bsp_align_seq(a2, 4, b2, 3, 100, pa, &edits, &err) == 0 && edits == 1);
    CHECK(pa[0] == -1 && pa[1] == 0 && pa[2] == 1 && pa[3] == 2);

    /* runs: A = k1(100) k2(200) k1(300) k1(50, profiled); B = k1(110) k1(330) k1(60, profiled).
     * Pairs: A0-B0, A2-B1, A3-B2; the profiled pair is not timed.  k1: medians of
     * {100, 300} and {110, 330}; k2 has no partner. */
    bsp_kernel_set ka, kb;
    bsp_launch l;
    bsp_launch_init(&l);
    l.grid[0] = l.grid[1] = l.grid[2] = 1;
    l.block[0] = 32, l.block[1] = l.block[2] = 1;
    CHECK(bsp_kernel_set_init(&ka) == 0 && bsp_kernel_set_init(&kb) == 0);
    const char *na[] = { "k1", "k2", "k1", "k1" };
    const double da[] = { 100, 200, 300, 50 }, db[] = { 110, 330, 60 };
    for (int i = 0; i < 4; i++) {
        l.kernel = na[i];
        l.duration_ns = da[i];
        l.profiled = i == 3;
        CHECK(bsp_kernel_set_add(&ka, &l, &err) == 0);
    }
    for (int i = 0; i < 3; i++) {
        l.kernel = "k1";
        l.duration_ns = db[i];
        l.profiled = i == 2;
        CHECK(bsp_kernel_set_add(&kb, &l, &err) == 0);
    }
    CHECK(bsp_kernel_set_finish(&ka, &err) == 0 && bsp_kernel_set_finish(&kb, &err) == 0);
    CHECK(ka.nseq == 4 && kb.nseq == 3);
    bsp_align al;
    CHECK(bsp_align_runs(&ka, &kb, 0, &al, &err) == 0);
    CHECK(al.edits == 1 && al.pairs == 3 && !al.by_ordinal);
    CHECK(al.n[0] == 2 && al.n[1] == 0);
    CHECK_NEAR(al.t_a_ns[0], 200, 0);
    CHECK_NEAR(al.t_b_ns[0], 220, 0);
    CHECK(isnan(al.t_a_ns[1]));
    bsp_align_free(&al);
    /* B gains a k3 at the end: distance 2, over a limit of 1, so kernels whose
     * counts agree (k1: 3 and 3) are paired by ordinal: A0-B0, A2-B1, A3-B2 */
    l.kernel = "k3";
    l.profiled = 0;
    CHECK(bsp_kernel_set_add(&kb, &l, &err) == 0);
    CHECK(bsp_align_runs(&ka, &kb, 1, &al, &err) == 0);
    CHECK(al.by_ordinal && al.edits == SIZE_MAX && al.pairs == 3);
    CHECK(al.n[0] == 2 && al.n[1] == 0);
    CHECK_NEAR(al.t_a_ns[0], 200, 0);
    CHECK_NEAR(al.t_b_ns[0], 220, 0);
    bsp_align_free(&al);
    bsp_kernel_set_free(&ka);
    bsp_kernel_set_free(&kb);
}

static void test_stats(void)
{
    bsp_err err = { 0, "" };
    double x4[] = { 4, 1, 3, 2 }, q;
    CHECK(bsp_quantile(x4, 4, 0.5, &q, &err) == 0);
    CHECK_NEAR(q, 2.5, 1e-12);                   /* even count: mean of the middle two */
    CHECK(bsp_quantile(x4, 4, 0.9, &q, &err) == 0);
    CHECK_NEAR(q, 3.7, 1e-12);                   /* (n-1) q = 2.7 -> 3 + 0.7 (4 - 3) */
    CHECK(x4[0] == 4);                           /* input untouched */
    double x5[] = { 9, 1, 5, 3, 7 };
    CHECK(bsp_quantile(x5, 5, 0.5, &q, &err) == 0);
    CHECK_NEAR(q, 5, 1e-12);
    CHECK(bsp_quantile(x5, 0, 0.5, &q, &err) != 0);
    CHECK(bsp_quantile(x5, 5, 1.5, &q, &err) != 0);
    bsp_errstats s;
    CHECK(bsp_errstats_compute(x5, 5, &s, &err) == 0);
    CHECK_NEAR(s.median_abs_pct, 5, 1e-12);
    CHECK_NEAR(s.p90_abs_pct, 8.2, 1e-12);       /* 3.6 -> 7 + 0.6 x 2 */
    CHECK_NEAR(s.max_abs_pct, 9, 1e-12);
    CHECK_NEAR(s.mean_abs_pct, 5, 1e-12);
    double x[] = { 1, 2, 3 }, y[] = { 2, 4, 6 }, y2[] = { 1, 3, 3 }, c, se;
    CHECK(bsp_fit_through_origin(x, y, 3, &c, &se, &err) == 0);
    CHECK_NEAR(c, 2, 1e-12);
    CHECK(se == 0);
    /* c = sum xy / sum xx = (1 + 6 + 9) / 14 = 8/7 */
    CHECK(bsp_fit_through_origin(x, y2, 3, &c, &se, &err) == 0);
    CHECK_NEAR(c, 8.0 / 7.0, 1e-12);
    CHECK(se > 0);
    CHECK_NEAR(bsp_pct_err(110, 100), 10, 1e-12);
}

int main(void)
{
    test_seed_by_hand();
    test_study();
    test_align();
    test_stats();
    return check_report("test_model");
}
