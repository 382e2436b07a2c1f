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
 */
#include <math.h>
#include "bspgpu/model.h"
#include "internal.h"

double bsp_param_bound_p = 3.0;

static int need_board(const bsp_board *x, bsp_err *err)
{
    int rc = bsp_model_need("bound", x, BSP_NEED_FLOOR_CHIP | BSP_NEED_BW_DRAM | BSP_NEED_BW_L2, err);
    if (rc)
        return rc;
    if (x->sms < 1 || !(x->clock_mhz > 0))
        return bsp_err_set(err, BSP_EINVAL, "model bound: board '%s' lacks device.sms or device.clock_mhz", x->name);
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

/* The chip's DRAM and L2 bandwidths seen from board x, given the other
 * board y of the pair. */
static void chip_bw(const bsp_board *x, const bsp_board *y, double *dram, double *l2)
{
    const bsp_board *c = (!whole(x) && whole(y) && same_chip(x, y)) ? y : x;
    *dram = c->bw_dram_gbs.median;
    *l2 = c->bw_l2_gbs.median;
}

void bsp_bound_split(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b, double part[3])
{
    double p = bsp_param_bound_p, cd, cl;
    chip_bw(a, b, &cd, &cl);
    double body = fmax(0.0, t_a_ns - a->kernel_floor_chip_ns.median);
    double sec = k->ctr[BSP_CTR_L2_SECTORS], hit = k->ctr[BSP_CTR_L2_HIT];
    double m = 0.0, l = 0.0;
    if (!isnan(sec)) {
        l = fmin(body, 32.0 * fmax(sec, 0.0) / cl); /* bytes / (GB/s) = ns */
        if (!isnan(hit))
            m = fmin(body, 32.0 * fmax(sec - hit, 0.0) / cd);
    }
    double rest = pow(body, p) - pow(m, p) - pow(l, p);
    part[0] = rest > 0 ? pow(rest, 1.0 / p) : 0.0;
    part[1] = m;
    part[2] = l;
}

static int bound_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    int rc = need_board(a, err);
    if (!rc)
        bsp_fit_measured(f, t_a_ns);
    return rc;
}

static int bound_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                         const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)f;
    int rc = need_board(a, err);
    if (!rc)
        rc = need_board(b, err);
    if (rc)
        return rc;
    if (k->grid[0] < 1 || k->grid[1] < 1 || k->grid[2] < 1)
        return bsp_err_set(err, BSP_EINVAL, "model bound: kernel '%s' has no grid size", k->key);
    double part[3], p = bsp_param_bound_p, cda, cla, cdb, clb;
    bsp_bound_split(k, t_a_ns, a, b, part);
    chip_bw(a, b, &cda, &cla);
    chip_bw(b, a, &cdb, &clb);
    double s = bsp_blocks_per_sm(k, b) / bsp_blocks_per_sm(k, a) * (a->clock_mhz / b->clock_mhz);
    double sum = pow(s * part[0], p) + pow(part[1] * cda / cdb, p) + pow(part[2] * cla / clb, p);
    *t_b_ns = b->kernel_floor_chip_ns.median + pow(sum, 1.0 / p);
    return 0;
}

const bsp_model bsp_model_bound = {
    "bound", "SM time scaled by blocks per SM and clock, DRAM and L2 times by bandwidth, joined by a p-norm", 0,
    bound_fit, bound_predict,
};
