/*
 * floor_bw: floor_chip plus the part of a kernel's time that waits on
 * device memory, scaled by the boards' DRAM bandwidths (docs/model.md,
 * "floor_bw").
 *
 *   body_A = max(0, T_A - F_A)               F: latency_ns.kernel_floor_chip
 *   u      = min(1, 32 (l2_sectors - l2_hit_sectors) / (BW_A body_A))
 *   T_B    = F_B + body_A (1 - beta u (1 - BW_A / BW_B))
 *
 * u is the share of the body that A's DRAM would need, at its STREAM
 * bandwidth, for the L2 misses the profile counted; beta is the share of
 * that time the kernel does not overlap with other work.  Kernels that
 * issue tensor-pipe instructions (tensor_warp > 0) are taken as bound by
 * the tensor pipes, equal on boards of one chip, and use beta_mma.
 * Without L2 counters u is 0 and the model is floor_chip.
 */
#include <math.h>
#include "bspgpu/model.h"
#include "internal.h"

double bsp_param_floor_bw_beta = 0.5, bsp_param_floor_bw_beta_mma = 0.0;

static int need_boards(const bsp_board *x, bsp_err *err)
{
    return bsp_model_need("floor_bw", x, BSP_NEED_FLOOR_CHIP | BSP_NEED_BW_DRAM, err);
}

double bsp_floor_bw_share(const bsp_kernel *k, double t_a_ns, const bsp_board *a)
{
    double body = t_a_ns - a->kernel_floor_chip_ns.median;
    double miss = k->ctr[BSP_CTR_L2_SECTORS] - k->ctr[BSP_CTR_L2_HIT];
    if (!(body > 0) || isnan(miss))
        return 0.0;
    /* GB/s = bytes per ns */
    double u = 32.0 * fmax(miss, 0.0) / (a->bw_dram_gbs.median * body);
    return fmin(u, 1.0);
}

static int floor_bw_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    int rc = need_boards(a, err);
    if (!rc)
        bsp_fit_measured(f, t_a_ns);
    return rc;
}

static int floor_bw_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                            const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)f;
    int rc = need_boards(a, err);
    if (!rc)
        rc = need_boards(b, err);
    if (rc)
        return rc;
    double body = fmax(0.0, t_a_ns - a->kernel_floor_chip_ns.median);
    double u = bsp_floor_bw_share(k, t_a_ns, a);
    double be = k->ctr[BSP_CTR_TENSOR] > 0 ? bsp_param_floor_bw_beta_mma : bsp_param_floor_bw_beta;
    *t_b_ns = b->kernel_floor_chip_ns.median + body * (1.0 - be * u * (1.0 - a->bw_dram_gbs.median / b->bw_dram_gbs.median));
    return 0;
}

const bsp_model bsp_model_floor_bw = {
    "floor_bw", "floor_chip plus the DRAM share of the kernel (L2 misses), scaled by the bandwidth ratio", 0,
    floor_bw_fit, floor_bw_predict,
};
