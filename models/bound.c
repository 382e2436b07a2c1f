/*
 * bound: a kernel's time above the chip-wide floor as three bounds, SM,
 * DRAM and L2, combined by a p-norm (docs/model.md, "bound").
 *
 *   body_A = max(0, T_A - F_A)                    F: latency_ns.kernel_floor_chip
 *   M_A    = min(body_A, 32 (l2_sectors - l2_hit_sectors) / C_dram,A)
 *   L_A    = min(body_A, 32 l2_sectors / C_l2,A)
 *   S_A    = (body_A^p - M_A^p - L_A^p)^(1/p)     (0 where negative)
 *   s      = ceil(blocks / SMs_B) / ceil(blocks / SMs_A) * clock_A / clock_B
 *   T_B    = F_B + ((s S_A)^p + (M_A C_dram,A / C_dram,B)^p + (L_A C_l2,A / C_l2,B)^p)^(1/p)
 *
 * S is the time the SMs need (issue, latency, shared memory, L1); it scales
 * with the blocks the busiest SM runs and with the clock.  M and L are the
 * times the chip's DRAM and L2 need for the profile's traffic at their
 * sustained bandwidths C; they do not depend on the SMs in use.  The
 * p-norm makes the bounds overlap softly; p = 3 is the exponent that fits
 * the calibrated DRAM bandwidth of an H100 against its SM count (16, 32,
 * 72 and 132 SMs, within 2%).  A partition's board measures the bandwidth
 * its SMs reach, not the chip's: when the other board is the same chip's
 * whole GPU, its C stand for both.
 *
 * bound_l2 adds what the L2 does besides moving bytes (docs/model.md,
 * "bound_l2"):
 *
 *   L_A = min(body_A, max(32 l2_sectors / C_l2,A, l2_requests / R_req,A))
 *   X_A = min(body_A, (l2_red_sectors + l2_atom_sectors) / R_red,A)
 *   S_A = (body_A^p - M_A^p - L_A^p - X_A^p)^(1/p)
 *   T_B = F_B + ((s S_A)^p + (M_A C_dram,A / C_dram,B)^p + (L_A r_L)^p + (X_A R_red,A / R_red,B)^p)^(1/p)
 *
 * R_req is the L2's request rate (one sector per request, throughput
 * .l2_requests_g), R_red its reduction rate on a hot 1 KiB region
 * (throughput.l2_red_hot_gsectors); r_L is C_l2,A / C_l2,B or R_req,A /
 * R_req,B, whichever of the two L2 times is the larger.  A profile without
 * these counters, or a board without these rates, leaves the term out.
 * And M_A leaves out the DRAM time of the data that stays in L2 between
 * launches: the counters come from a replayed launch, which finds L2 cold,
 * so M_A = min(body_A, max(0, 32 misses / C_dram,A - (T_replay - T_A)))
 * when the replayed launch (median T_replay) ran longer than the timed ones
 * (`--param bound_l2.replay=0` leaves this out, 1 by default).
 *
 * bound_grid is bound_l2 with the kernel floor of the launch's grid
 * (docs/model.md, "bound_grid"):
 *
 *   F_x(k) = the board's floor_grid at the kernel's blocks, linear between
 *            its points, its last point beyond (latency_ns.kernel_floor_chip
 *            when the board has no floor_grid)
 *
 * A launch of fewer blocks than SMs has its own fixed cost, measured per
 * grid.  A kernel timed by replayed launches only (every launch profiled) is
 * timed that way on B too: its floors are floor_grid's replayed ones, when
 * both boards have them.  `--param bound_grid.grid=0` takes floor_grid's
 * chip-wide point, timed or replayed, for every kernel (a value in between
 * moves each floor that far toward its grid's); `bound_grid.replay=0` leaves
 * the replayed floors out (1 by default for both).  `bound_grid.dram=1` (the
 * default) takes DRAM time from the bytes DRAM moved both ways, the writes
 * capped at the bytes the kernel stored, instead of the L2's misses (0):
 *
 *   M_A = min(body_A, max(0, (dram_read_bytes + W) / C_dram,A - (T_replay - T_A)))
 *   W   = min(dram_write_bytes, 32 l1_st_sectors), dram_write_bytes without stores counted
 *
 * (a value in between weighs the two; a profile without the DRAM byte
 * counters keeps the misses).
 *
 * The L2 term's ratio gains what a burst of the kernel's L2 bytes gains
 * (`bound_grid.burst`, 1 by default), when both boards measured l2_burst:
 *
 *   t_x(y)  = l2_burst's duration at y bytes on board x, less its
 *             kernel_floor_chip, linear between the points, the first or
 *             last point's beyond them
 *   r_L     = C_l2,A / C_l2,B x [t_B(y) / t_A(y)] / [t_B(Y) / t_A(Y)]
 *
 * y the kernel's L2 bytes (32 l2_sectors), Y the largest burst both boards
 * measured: a short burst gains less than the sustained bandwidths imply,
 * the longest what they imply.  A partition pair or a board without the
 * bursts keeps C_l2,A / C_l2,B.
 *
 * `bound_grid.dburst=1` (0 by default) does the same for the DRAM term with
 * the DRAM bursts (dram_burst, or dram_copy to the power `bound_grid.dcopy`)
 * at the kernel's DRAM bytes.  `bound_grid.rnorm=1` (0 by default) takes the
 * replay term inside the p-norm: the parts but DRAM of the replayed launch,
 * (T_replay - F_A,replay)^p - (D / C_dram,A)^p, are the timed launch's, whose
 * DRAM time is what they leave of body_A (docs/model.md).
 *
 * `bound_grid.norm=1` (the default) scales B's norm by body_A over A's norm
 * of the parts when the parts exceed the body (S = 0), so that A's own board
 * would be predicted at T_A; 0 leaves it out.  `bound_grid.l2=V` (1 by
 * default) raises bound_l2's ratio r_L to V: 0 keeps that term at A's time.
 * And `bound_grid.call=1` (0 by default, docs/model.md) scales the counters
 * by r = T_A / T_call, T_call the timed duration of the same call as the
 * profiled launch (bsp_kernel.dur_call_ns), and takes the replay term
 * against T_call.
 */
#include <math.h>
#include "bspgpu/model.h"
#include "internal.h"

double bsp_param_bound_p = 3.0;
double bsp_param_bound_l2_replay = 1.0;
double bsp_param_bound_grid_grid = 1.0;
double bsp_param_bound_grid_dram = 1.0;
double bsp_param_bound_grid_replay = 1.0;
double bsp_param_bound_grid_call = 0.0;
double bsp_param_bound_grid_norm = 1.0;
double bsp_param_bound_grid_l2 = 1.0;
double bsp_param_bound_grid_burst = 1.0;
double bsp_param_bound_grid_dburst = 0.0;
double bsp_param_bound_grid_dcopy = 0.0;
double bsp_param_bound_grid_rnorm = 0.0;

/* What a variant takes in besides bound's three parts. */
enum {
    V_L2X = 1,      /* bound_l2: requests, reductions, the replay term */
    V_GRID = 2,     /* bound_grid (with V_L2X): the floor by grid, DRAM bytes */
};

static int need_board(const char *model, const bsp_board *x, bsp_err *err)
{
    int rc = bsp_model_need(model, x, BSP_NEED_FLOOR_CHIP | BSP_NEED_BW_DRAM | BSP_NEED_BW_L2, err);
    if (rc)
        return rc;
    if (x->sms < 1 || !(x->clock_mhz > 0))
        return bsp_err_set(err, BSP_EINVAL, "model %s: board '%s' lacks device.sms or device.clock_mhz", model, x->name);
    return 0;
}

static int whole(const bsp_board *x)
{
    return x->sms_total <= 0 || x->sms >= x->sms_total;
}

static int same_chip(const bsp_board *x, const bsp_board *y)
{
    return x->sms_total == y->sms_total && x->mem_bus_bits == y->mem_bus_bits &&
           x->mem_clock_mhz == y->mem_clock_mhz && x->l2_bytes == y->l2_bytes;
}

/* The chip seen from board x, given the other board y of the pair: a
 * partition paired with its own whole GPU takes the whole GPU's rates. */
static const bsp_board *chip_of(const bsp_board *x, const bsp_board *y)
{
    return (!whole(x) && whole(y) && same_chip(x, y)) ? y : x;
}

/* A rate of the board, or 0 when not measured. */
static double rate(const bsp_meas *m)
{
    return m->n && m->median > 0 ? m->median : 0.0;
}

static double nz(double v)
{
    return isnan(v) ? 0.0 : fmax(v, 0.0);
}

/* A kernel timed by replayed launches only: every launch was profiled. */
static int replay_only(const bsp_kernel *k)
{
    return k->profiled > 0 && k->profiled >= k->launches;
}

/* The floor of point i of x's floor_grid: its replayed launches' for a
 * kernel timed by replayed launches only, when every point has them. */
static double grid_floor(const bsp_board *x, int i, int replay)
{
    return replay ? x->floor_grid[i].replay.median : x->floor_grid[i].ns.median;
}

/* Every point of x's floor_grid has its replayed launches. */
static int has_replay(const bsp_board *x)
{
    int ok = x->nfloor_grid > 0;
    for (int i = 0; ok && i < x->nfloor_grid; i++)
        ok = x->floor_grid[i].replay.n > 0;
    return ok;
}

/* Whether k is to be floored by replayed launches on boards a and b: it is
 * timed by replayed launches only, and both boards measured those floors. */
static int use_replay(const bsp_kernel *k, const bsp_board *a, const bsp_board *b, unsigned v)
{
    return (v & V_GRID) && bsp_param_bound_grid_replay > 0 && replay_only(k) && has_replay(a) && has_replay(b);
}

/* The kernel floor of board x for k's grid: floor_grid, linear between
 * its points (V_GRID), the replayed launches' when rp; else
 * latency_ns.kernel_floor_chip. */
static double floor_of(const bsp_kernel *k, const bsp_board *x, unsigned v, int rp)
{
    double fc = x->kernel_floor_chip_ns.median;
    int n = x->nfloor_grid;
    if (!(v & V_GRID) || n < 1)
        return fc;
    double blocks = (double)k->grid[0] * k->grid[1] * k->grid[2], f;
    const bsp_floor_pt *g = x->floor_grid;
    if (blocks <= g[0].blocks) {
        f = grid_floor(x, 0, rp);
    } else if (blocks >= g[n - 1].blocks) {
        f = grid_floor(x, n - 1, rp);
    } else {
        int i = 1;
        while (g[i].blocks < blocks)
            i++;
        double t = (blocks - g[i - 1].blocks) / (double)(g[i].blocks - g[i - 1].blocks);
        f = grid_floor(x, i - 1, rp) + t * (grid_floor(x, i, rp) - grid_floor(x, i - 1, rp));
    }
    /* grid < 1 moves toward the chip-wide point, timed or replayed */
    double fl = rp ? grid_floor(x, n - 1, rp) : fc;
    return fl + bsp_param_bound_grid_grid * (f - fl);
}

/* A burst of y bytes on board x: the median duration of the ladder g[0..n)
 * (bytes ascending) less x's chip-wide floor, linear between its points, the
 * nearest point beyond. */
static double burst_body(const bsp_board *x, const bsp_burst_pt *g, int n, double y)
{
    int i = 1;
    double f = x->kernel_floor_chip_ns.median, t;
    if (y <= g[0].bytes)
        t = g[0].ns.median;
    else if (y >= g[n - 1].bytes)
        t = g[n - 1].ns.median;
    else {
        while (g[i].bytes < y)
            i++;
        t = g[i - 1].ns.median + (y - g[i - 1].bytes) / (g[i].bytes - g[i - 1].bytes) * (g[i].ns.median - g[i - 1].ns.median);
    }
    return fmax(t - f, 1.0);
}

/* Which ladder of the board files a ramp takes. */
enum { B_L2, B_DRAM, B_COPY };

static const bsp_burst_pt *ladder(const bsp_board *x, int which, int *n)
{
    *n = which == B_L2 ? x->nl2_burst : which == B_DRAM ? x->ndram_burst : x->ndram_copy;
    return which == B_L2 ? x->l2_burst : which == B_DRAM ? x->dram_burst : x->dram_copy;
}

/* The gain of a burst of y bytes from board a to b over that of the longest
 * burst both measured, on ladder `which` (1: not measured on both, or not two
 * whole GPUs). */
static double burst_ramp(const bsp_board *a, const bsp_board *b, int which, double y)
{
    int na, nb;
    const bsp_burst_pt *ga = ladder(a, which, &na), *gb = ladder(b, which, &nb);
    if (na < 2 || nb < 2 || !whole(a) || !whole(b) || !(y > 0))
        return 1.0;
    double top = fmin(ga[na - 1].bytes, gb[nb - 1].bytes);
    y = fmin(y, top);
    double r = burst_body(b, gb, nb, y) / burst_body(a, ga, na, y);
    double rtop = burst_body(b, gb, nb, top) / burst_body(a, ga, na, top);
    return r / rtop;
}

/* A kernel's body on A split into SM, DRAM, L2 and L2-atomic times. */
typedef struct bound_parts {
    double body;            /* T_A less A's floor */
    double s, m, l, x;
    double dram_bytes;      /* the bytes M_A stands for (before the replay term) */
    int l_by_requests;      /* L is set by the requests rather than the bytes */
} bound_parts;

/* The split of the variants v, with c the chip board A stands for (chip_of)
 * and rp as in floor_of. */
static bound_parts split(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *c, unsigned v, int rp)
{
    int l2x = (v & V_L2X) != 0;
    double p = bsp_param_bound_p, cd = c->bw_dram_gbs.median, cl = c->bw_l2_gbs.median;
    double body = fmax(0.0, t_a_ns - floor_of(k, a, v, rp));
    /* the counters are the first profiled launch's: scaled by the time of
     * the launches predicted over that call's timed time (V_GRID) */
    double tc = k->dur_call_ns, r = 1.0;
    if ((v & V_GRID) && bsp_param_bound_grid_call > 0 && tc > 0 && !rp)
        r = pow(t_a_ns / tc, bsp_param_bound_grid_call);
    else
        tc = t_a_ns;
    double sec = r * k->ctr[BSP_CTR_L2_SECTORS], hit = r * k->ctr[BSP_CTR_L2_HIT];
    bound_parts q = { body, 0.0, 0.0, 0.0, 0.0, 0.0, 0 };
    if (!isnan(sec)) {
        q.l = 32.0 * fmax(sec, 0.0) / cl; /* bytes / (GB/s) = ns */
        if (!isnan(hit)) {
            q.dram_bytes = 32.0 * fmax(sec - hit, 0.0);
            double rd = r * k->ctr[BSP_CTR_DRAM_READ], wr = r * k->ctr[BSP_CTR_DRAM_WRITE];
            if ((v & V_GRID) && !isnan(rd) && !isnan(wr)) {
                /* at most the bytes it stored: the rest are dirty lines
                 * the replay left in L2 and this launch evicted */
                double st = r * 32.0 * k->ctr[BSP_CTR_L1_ST_SECTORS];
                if (st > 0)
                    wr = fmin(wr, st);
                double w = bsp_param_bound_grid_dram;
                q.dram_bytes = (1.0 - w) * q.dram_bytes + w * (fmax(rd, 0.0) + fmax(wr, 0.0));
            }
            q.m = q.dram_bytes / cd; /* bytes / (GB/s) = ns */
            /* the replayed launch fetched from DRAM what the timed ones
             * found in L2: its extra time is DRAM time they do not have */
            if (l2x && k->dur_replay_ns > tc) {
                double sub = fmax(0.0, q.m - r * bsp_param_bound_l2_replay * (k->dur_replay_ns - tc));
                double w = bsp_param_bound_grid_rnorm;
                if ((v & V_GRID) && w > 0 && has_replay(a)) {
                    /* the parts but DRAM, as the replayed launch shows them
                     * with all its counted DRAM time, are the timed launch's:
                     * its DRAM time is what the p-norm leaves them of its body */
                    double br = fmax(0.0, k->dur_replay_ns - floor_of(k, a, v, 1));
                    double rest = pow(br, p) - pow(q.m, p);
                    double mt = rest > 0 ? pow(fmax(0.0, pow(body, p) - rest), 1.0 / p) : body;
                    q.m = (1.0 - w) * sub + w * fmin(mt, q.m);
                } else {
                    q.m = sub;
                }
            }
            q.m = fmin(body, q.m);
        }
    }
    if (l2x) {
        double rq = rate(&c->l2_requests_gps), rr = rate(&c->l2_red_hot_gsps);
        double req = r * k->ctr[BSP_CTR_L2_REQUESTS];
        if (rq > 0 && !isnan(req) && req / rq > q.l) {
            q.l = req / rq;
            q.l_by_requests = 1;
        }
        double red = k->ctr[BSP_CTR_L2_RED], atom = k->ctr[BSP_CTR_L2_ATOM];
        if (rr > 0 && !(isnan(red) && isnan(atom)))
            q.x = fmin(body, r * (nz(red) + nz(atom)) / rr);
    }
    q.l = fmin(body, q.l);
    double rest = pow(body, p) - pow(q.m, p) - pow(q.l, p) - pow(q.x, p);
    q.s = rest > 0 ? pow(rest, 1.0 / p) : 0.0;
    return q;
}

void bsp_bound_split(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b, double part[3])
{
    bound_parts q = split(k, t_a_ns, a, chip_of(a, b), 0u, 0);
    part[0] = q.s;
    part[1] = q.m;
    part[2] = q.l;
}

static int fit(const char *model, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    int rc = need_board(model, a, err);
    if (!rc)
        bsp_fit_measured(f, t_a_ns);
    return rc;
}

static int bound_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    return fit("bound", t_a_ns, a, f, err);
}

static int bound_l2_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    return fit("bound_l2", t_a_ns, a, f, err);
}

static double ratio(double ra, double rb)
{
    return ra > 0 && rb > 0 ? ra / rb : 1.0;
}

static int predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b, unsigned v,
                   double *t_b_ns, bsp_err *err)
{
    const char *model = (v & V_GRID) ? "bound_grid" : (v & V_L2X) ? "bound_l2" : "bound";
    int rc = need_board(model, a, err);
    if (!rc)
        rc = need_board(model, b, err);
    if (rc)
        return rc;
    if (k->grid[0] < 1 || k->grid[1] < 1 || k->grid[2] < 1)
        return bsp_err_set(err, BSP_EINVAL, "model %s: kernel '%s' has no grid size", model, k->key);
    const bsp_board *ca = chip_of(a, b), *cb = chip_of(b, a);
    int rp = use_replay(k, a, b, v);
    bound_parts q = split(k, t_a_ns, a, ca, v, rp);
    double p = bsp_param_bound_p;
    double s = bsp_blocks_per_sm(k, b) / bsp_blocks_per_sm(k, a) * (a->clock_mhz / b->clock_mhz);
    double rl = q.l_by_requests ? ratio(rate(&ca->l2_requests_gps), rate(&cb->l2_requests_gps))
                                : ca->bw_l2_gbs.median / cb->bw_l2_gbs.median;
    double rx = ratio(rate(&ca->l2_red_hot_gsps), rate(&cb->l2_red_hot_gsps));
    double rm = ca->bw_dram_gbs.median / cb->bw_dram_gbs.median;
    if (v & V_GRID) {
        rl = pow(rl, bsp_param_bound_grid_l2);
        if (!q.l_by_requests && bsp_param_bound_grid_burst > 0)
            rl *= pow(burst_ramp(a, b, B_L2, 32.0 * k->ctr[BSP_CTR_L2_SECTORS]), bsp_param_bound_grid_burst);
        if (bsp_param_bound_grid_dburst > 0) {
            double c = bsp_param_bound_grid_dcopy;
            double g = pow(burst_ramp(a, b, B_DRAM, q.dram_bytes), 1.0 - c) * pow(burst_ramp(a, b, B_COPY, q.dram_bytes), c);
            rm *= pow(g, bsp_param_bound_grid_dburst);
        }
    }
    double sum = pow(s * q.s, p) + pow(q.m * rm, p) +
                 pow(q.l * rl, p) + pow(q.x * rx, p);
    double nb = pow(sum, 1.0 / p);
    if ((v & V_GRID) && bsp_param_bound_grid_norm > 0) {
        /* parts that together exceed A's body: B's norm in proportion */
        double na = pow(pow(q.s, p) + pow(q.m, p) + pow(q.l, p) + pow(q.x, p), 1.0 / p);
        if (na > q.body && na > 0)
            nb *= pow(q.body / na, bsp_param_bound_grid_norm);
    }
    *t_b_ns = floor_of(k, b, v, rp) + nb;
    return 0;
}

static int bound_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                         const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)f;
    return predict(k, t_a_ns, a, b, 0u, t_b_ns, err);
}

static int bound_l2_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                            const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)f;
    return predict(k, t_a_ns, a, b, V_L2X, t_b_ns, err);
}

static int bound_grid_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    return fit("bound_grid", t_a_ns, a, f, err);
}

static int bound_grid_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                              const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)f;
    return predict(k, t_a_ns, a, b, V_L2X | V_GRID, t_b_ns, err);
}

const bsp_model bsp_model_bound = {
    "bound", "SM time scaled by blocks per SM and clock, DRAM and L2 times by bandwidth, joined by a p-norm", 0,
    bound_fit, bound_predict,
};

const bsp_model bsp_model_bound_l2 = {
    "bound_l2", "bound, with L2 time the larger of bytes and requests, and L2 reductions on hot lines", 0,
    bound_l2_fit, bound_l2_predict,
};

const bsp_model bsp_model_bound_grid = {
    "bound_grid", "bound_l2, with the kernel floor of the launch's grid (timed or replayed) from the board's floor_grid and DRAM time from the bytes DRAM moved", 0,
    bound_grid_fit, bound_grid_predict,
};
