/* The seed's BSP model (Amaris et al., HiPC 2015), exactly as in
 * include/bspgpu/model.h; counter mapping in docs/model.md. */
#include <math.h>
#include "bspgpu/model.h"

static int need(const bsp_kernel *k, int ctr, double *out, bsp_err *err)
{
    if (isnan(k->ctr[ctr]))
        return bsp_err_set(err, BSP_EPARSE, "kernel '%s': counter '%s' was not collected (profile with --metrics seed or full)",
                           k->key, bsp_counters[ctr].column);
    *out = k->ctr[ctr];
    return 0;
}

int bsp_seed_in_from_kernel(const bsp_kernel *k, bsp_seed_in *in, bsp_err *err)
{
    int rc;
    double inst = 0, ldg = 0, stg = 0, lds = 0, sts = 0, l1s = 0, l1h = 0, l2s = 0, l2h = 0;
    double n = k->threads;
    if (n <= 0)
        return bsp_err_set(err, BSP_EINVAL, "kernel '%s': no threads", k->key);
    /* instructions per thread: thread-level count over N; fall back to warp
     * instructions x 32 / N when only the warp count exists */
    if (!isnan(k->ctr[BSP_CTR_INST_THREAD])) {
        inst = k->ctr[BSP_CTR_INST_THREAD] / n;
    } else {
        if ((rc = need(k, BSP_CTR_INST_WARP, &inst, err)))
            return rc;
        inst = inst * 32.0 / n;
    }
    if ((rc = need(k, BSP_CTR_LD_GLOBAL, &ldg, err)) || (rc = need(k, BSP_CTR_ST_GLOBAL, &stg, err)) ||
        (rc = need(k, BSP_CTR_LD_SHARED, &lds, err)) || (rc = need(k, BSP_CTR_ST_SHARED, &sts, err)) ||
        (rc = need(k, BSP_CTR_L1_LD_SECTORS, &l1s, err)) || (rc = need(k, BSP_CTR_L1_LD_HIT, &l1h, err)) ||
        (rc = need(k, BSP_CTR_L2_SECTORS, &l2s, err)) || (rc = need(k, BSP_CTR_L2_HIT, &l2h, err)))
        return rc;
    /* a warp-level memory instruction is one access by each thread of the warp */
    double per_thread = 32.0 / n;
    in->threads = n;
    in->inst = inst;
    in->ld_g = ldg * per_thread;
    in->st_g = stg * per_thread;
    in->ld_s = lds * per_thread;
    in->st_s = sts * per_thread;
    /* hits as rates applied to per-thread accesses: L1 serves loads only
     * (stores write through), L2 serves what L1 missed */
    double r1 = l1s > 0 ? fmin(1.0, l1h / l1s) : 0.0;
    double r2 = l2s > 0 ? fmin(1.0, l2h / l2s) : 0.0;
    in->h1 = in->ld_g * r1;
    in->h2 = (in->ld_g - in->h1 + in->st_g) * r2;
    return 0;
}

double bsp_seed_cycles(const bsp_seed_in *in, const bsp_board *b)
{
    double comp = in->inst * b->lat_inst_cycles.median;
    double comm_sm = (in->ld_s + in->st_s) * b->lat_shared_cycles.median;
    double comm_gm = (in->ld_g + in->st_g - in->h1 - in->h2) * b->lat_global_cycles.median +
                     in->h1 * b->lat_l1_cycles.median + in->h2 * b->lat_l2_cycles.median;
    return comp + comm_gm + comm_sm;
}

double bsp_seed_time_ns(const bsp_seed_in *in, const bsp_board *b, double lambda)
{
    double f_hz = b->clock_mhz * 1e6;
    double c = bsp_board_cores(b);
    return in->threads * bsp_seed_cycles(in, b) / (f_hz * c * lambda) * 1e9;
}

double bsp_seed_lambda(const bsp_kernel *k, const bsp_board *b, double *model1_ns)
{
    bsp_seed_in in;
    *model1_ns = NAN;
    if (bsp_seed_in_from_kernel(k, &in, NULL))
        return NAN;
    *model1_ns = bsp_seed_time_ns(&in, b, 1.0);
    return *model1_ns / bsp_kernel_time_ns(k);
}
