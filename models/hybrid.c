/* hybrid: an L2-bandwidth share plus SM time scaled by blocks per SM
 * (docs/model.md, "hybrid").
 *
 * A kernel's measured time on A is split into the share that its L2 traffic
 * needs at A's sustained L2 bandwidth (every access to device memory passes
 * through L2), and the rest, spent on the SMs.  On B the L2 part scales with
 * the ratio of L2 bandwidths, and the SM part with the blocks that the
 * busiest SM must run and with the clock:
 *   u   = min(1, l2_bytes / (BW_L2,A T_A))
 *   S_X = ceil(blocks / SMs_X)
 *   T_B = T_A [(1 - u) (S_B / S_A) (F_A / F_B) + u BW_L2,A / BW_L2,B]
 */
#include <math.h>
#include <string.h>
#include "bspgpu/model.h"
#include "internal.h"

static int hybrid_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    memset(f, 0, sizeof *f);
    if (!(t_a_ns > 0))
        return bsp_err_set(err, BSP_EMATH, "kernel '%s': measured time is %g ns", k->key, t_a_ns);
    if (!a->bw_l2_gbs.n)
        return bsp_err_set(err, BSP_EINVAL, "model hybrid: board '%s' lacks bandwidth_gbs.l2", a->name);
    double l2_bytes = isnan(k->ctr[BSP_CTR_L2_SECTORS]) ? 0.0 : k->ctr[BSP_CTR_L2_SECTORS] * 32.0;
    f->lambda = 1.0;
    f->p[0] = fmin(1.0, l2_bytes / a->bw_l2_gbs.median / t_a_ns); /* bytes / (GB/s) = ns */
    f->p[1] = bsp_blocks_per_sm(k, a);
    f->model_a_ns = t_a_ns;
    return 0;
}

static int hybrid_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                          const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    if (!b->bw_l2_gbs.n)
        return bsp_err_set(err, BSP_EINVAL, "model hybrid: board '%s' lacks bandwidth_gbs.l2", b->name);
    double u = f->p[0];
    double sm = bsp_blocks_per_sm(k, b) / f->p[1] * (a->clock_mhz / b->clock_mhz);
    *t_b_ns = t_a_ns * ((1.0 - u) * sm + u * a->bw_l2_gbs.median / b->bw_l2_gbs.median);
    return 0;
}

const bsp_model bsp_model_hybrid = {
    "hybrid", "L2-bandwidth share plus SM time scaled by blocks per SM and clock", 0, hybrid_fit, hybrid_predict,
};

/* floor: the same time as on A, less A's kernel floor, plus B's: the
 * per-launch fixed cost measured by scripts/kernel-floor.sh. */
static int floor_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    memset(f, 0, sizeof *f);
    if (!a->kernel_floor_ns.n)
        return bsp_err_set(err, BSP_EINVAL, "model floor: board '%s' lacks latency_ns.kernel_floor", a->name);
    (void)k;
    bsp_fit_measured(f, t_a_ns);
    return 0;
}

static int floor_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                         const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)k, (void)f;
    if (!b->kernel_floor_ns.n)
        return bsp_err_set(err, BSP_EINVAL, "model floor: board '%s' lacks latency_ns.kernel_floor", b->name);
    double body = fmax(0.0, t_a_ns - a->kernel_floor_ns.median);
    *t_b_ns = body + b->kernel_floor_ns.median;
    return 0;
}

const bsp_model bsp_model_floor = {
    "floor", "A's time less A's kernel floor plus B's (fixed per-launch cost)", 0, floor_fit, floor_predict,
};

/* floor_chip: as floor, with the fixed cost of a kernel that spans the chip
 * (one 128-thread block per SM, one store each: latency_ns.kernel_floor_chip),
 * since most short kernels of real applications occupy many SMs. */
static int floor_chip_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    memset(f, 0, sizeof *f);
    int rc = bsp_model_need("floor_chip", a, BSP_NEED_FLOOR_CHIP, err);
    (void)k;
    if (!rc)
        bsp_fit_measured(f, t_a_ns);
    return rc;
}

static int floor_chip_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                              const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)k, (void)f;
    int rc = bsp_model_need("floor_chip", b, BSP_NEED_FLOOR_CHIP, err);
    if (rc)
        return rc;
    *t_b_ns = fmax(0.0, t_a_ns - a->kernel_floor_chip_ns.median) + b->kernel_floor_chip_ns.median;
    return 0;
}

const bsp_model bsp_model_floor_chip = {
    "floor_chip", "A's time less A's chip-wide kernel floor plus B's", 0, floor_chip_fit, floor_chip_predict,
};
