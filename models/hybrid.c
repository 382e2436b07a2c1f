/* hybrid: a bandwidth- and wave-aware model (docs/model.md, "hybrid").
 *
 * A kernel's measured time on A is split into a memory part, the share of
 * the time its busiest memory level (DRAM or L2) needs at A's sustained
 * bandwidth, and the rest, which runs on the SMs.  On B the memory part
 * scales with the bandwidth ratio of that level, and the SM part with the
 * number of waves (blocks over SMs x resident blocks per SM) and the clock:
 *   u   = min(1, max_l(bytes_l / BW_l,A) / T_A)
 *   T_B = T_A (1 - u) (W_B / W_A) (F_A / F_B) + T_A u BW_l,A / BW_l,B
 */
#include <math.h>
#include <string.h>
#include "bspgpu/model.h"

/* Resident blocks per SM from the launch configuration and the board's
 * per-SM limits; 1 when a limit is unknown or the block does not fit. */
static double blocks_per_sm(const bsp_kernel *k, const bsp_board *b)
{
    double threads = (double)k->block[0] * k->block[1] * k->block[2];
    double warps = ceil(threads / 32.0);
    double lim = b->max_blocks_per_sm > 0 ? b->max_blocks_per_sm : 32;
    if (b->max_threads_per_sm > 0)
        lim = fmin(lim, floor(b->max_threads_per_sm / (warps * 32.0)));
    if (b->regs_per_sm > 0 && k->registers_per_thread > 0) {
        /* registers are allocated per warp in units of 256 */
        double per_warp = ceil(k->registers_per_thread * 32.0 / 256.0) * 256.0;
        lim = fmin(lim, floor(b->regs_per_sm / (per_warp * warps)));
    }
    if (b->smem_per_sm_bytes > 0 && k->shared_bytes > 0)
        lim = fmin(lim, floor(b->smem_per_sm_bytes / ((double)k->shared_bytes + 1024.0)));
    return lim >= 1 ? lim : 1;
}

/* Waves of blocks over the board's SMs. */
static double waves(const bsp_kernel *k, const bsp_board *b)
{
    double blocks = (double)k->grid[0] * k->grid[1] * k->grid[2];
    return ceil(blocks / (b->sms * blocks_per_sm(k, b)));
}

/* Memory time share on A and the level that bounds it (0 none, 1 DRAM, 2 L2). */
static double mem_share(const bsp_kernel *k, double t_a_ns, const bsp_board *a, int *level)
{
    double best = 0;
    *level = 0;
    /* DRAM traffic as L2 misses: the dram__bytes counters are not
     * trustworthy under kernel replay (docs/profiling.md) */
    double dram = 0;
    if (!isnan(k->ctr[BSP_CTR_L2_SECTORS]) && !isnan(k->ctr[BSP_CTR_L2_HIT]))
        dram = fmax(0.0, k->ctr[BSP_CTR_L2_SECTORS] - k->ctr[BSP_CTR_L2_HIT]) * 32.0;
    if (dram > 0 && a->bw_dram_gbs.n) {
        best = dram / a->bw_dram_gbs.median; /* bytes / (GB/s) = ns */
        *level = 1;
    }
    if (!isnan(k->ctr[BSP_CTR_L2_SECTORS]) && a->bw_l2_gbs.n) {
        double t = k->ctr[BSP_CTR_L2_SECTORS] * 32.0 / a->bw_l2_gbs.median;
        if (t > best) {
            best = t;
            *level = 2;
        }
    }
    return t_a_ns > 0 ? fmin(1.0, best / t_a_ns) : 0.0;
}

static int hybrid_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    int level;
    memset(f, 0, sizeof *f);
    if (!(t_a_ns > 0))
        return bsp_err_set(err, BSP_EMATH, "kernel '%s': measured time is %g ns", k->key, t_a_ns);
    f->lambda = 1.0;
    f->p[0] = mem_share(k, t_a_ns, a, &level);
    f->p[1] = level;
    f->p[2] = waves(k, a);
    f->model_a_ns = t_a_ns;
    return 0;
}

static int hybrid_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                          const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    double u = f->p[0];
    int level = (int)f->p[1];
    double bw_ratio = 1.0;
    if (level == 1) {
        if (!b->bw_dram_gbs.n)
            return bsp_err_set(err, BSP_EINVAL, "model hybrid: board '%s' lacks bandwidth_gbs.dram", b->name);
        bw_ratio = a->bw_dram_gbs.median / b->bw_dram_gbs.median;
    } else if (level == 2) {
        if (!b->bw_l2_gbs.n)
            return bsp_err_set(err, BSP_EINVAL, "model hybrid: board '%s' lacks bandwidth_gbs.l2", b->name);
        bw_ratio = a->bw_l2_gbs.median / b->bw_l2_gbs.median;
    }
    double w = waves(k, b) / f->p[2];
    double clk = a->clock_mhz / b->clock_mhz;
    *t_b_ns = t_a_ns * (1.0 - u) * w * clk + t_a_ns * u * bw_ratio;
    return 0;
}

const bsp_model bsp_model_hybrid = {
    "hybrid", "bandwidth share of the busiest memory level plus wave-quantized SM time", 0, hybrid_fit, hybrid_predict,
};
