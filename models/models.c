/* The model table: the seed's BSP model and the baselines it must beat. */
#include <math.h>
#include <string.h>
#include "bspgpu/model.h"
#include "internal.h"

double bsp_kernel_time_ns(const bsp_kernel *k)
{
    return k->dur_median_ns;
}

/* ---- seed: Amaris et al. BSP model, lambda per kernel ---- */

static int seed_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    bsp_seed_in in;
    int rc = bsp_seed_in_from_kernel(k, &in, err);
    if (rc)
        return rc;
    memset(f, 0, sizeof *f);
    f->model_a_ns = bsp_seed_time_ns(&in, a, 1.0);
    if (!(t_a_ns > 0) || !(f->model_a_ns > 0))
        return bsp_err_set(err, BSP_EMATH, "kernel '%s': cannot fit lambda (model %g ns, measured %g ns)",
                           k->key, f->model_a_ns, t_a_ns);
    f->lambda = f->model_a_ns / t_a_ns;
    return 0;
}

static int seed_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                        const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    bsp_seed_in in;
    (void)t_a_ns;
    (void)a;
    int rc = bsp_seed_in_from_kernel(k, &in, err);
    if (rc)
        return rc;
    *t_b_ns = bsp_seed_time_ns(&in, b, f->lambda);
    return 0;
}

/* ---- baselines from durations alone ---- */

void bsp_fit_measured(bsp_fit *f, double t_a_ns)
{
    memset(f, 0, sizeof *f);
    f->lambda = 1.0;
    f->model_a_ns = t_a_ns;
}

double bsp_blocks_per_sm(const bsp_kernel *k, const bsp_board *x)
{
    double blocks = (double)k->grid[0] * k->grid[1] * k->grid[2];
    return ceil(blocks / x->sms);
}

int bsp_model_need(const char *model, const bsp_board *x, unsigned need, bsp_err *err)
{
    if ((need & BSP_NEED_FLOOR_CHIP) && !x->kernel_floor_chip_ns.n)
        return bsp_err_set(err, BSP_EINVAL, "model %s: board '%s' lacks latency_ns.kernel_floor_chip", model, x->name);
    if ((need & BSP_NEED_BW_DRAM) && (!x->bw_dram_gbs.n || !(x->bw_dram_gbs.median > 0)))
        return bsp_err_set(err, BSP_EINVAL, "model %s: board '%s' lacks bandwidth_gbs.dram", model, x->name);
    if ((need & BSP_NEED_BW_L2) && (!x->bw_l2_gbs.n || !(x->bw_l2_gbs.median > 0)))
        return bsp_err_set(err, BSP_EINVAL, "model %s: board '%s' lacks bandwidth_gbs.l2", model, x->name);
    return 0;
}

static int dur_fit(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err)
{
    (void)k;
    (void)a;
    (void)err;
    bsp_fit_measured(f, t_a_ns);
    return 0;
}

static int same_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                        const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)k, (void)a, (void)b, (void)f, (void)err;
    *t_b_ns = t_a_ns;
    return 0;
}

/* Scale by the ratio of F x C (what the seed's model reduces to when the
 * latencies of both boards are equal). */
static int spec_fc_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                           const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)k, (void)f, (void)err;
    *t_b_ns = t_a_ns * (a->clock_mhz * bsp_board_cores(a)) / (b->clock_mhz * bsp_board_cores(b));
    return 0;
}

/* Scale by the ratio of sustained device-memory bandwidths. */
static int spec_bw_predict(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                           const bsp_fit *f, double *t_b_ns, bsp_err *err)
{
    (void)k, (void)f;
    if (a->bw_dram_gbs.n == 0 || b->bw_dram_gbs.n == 0)
        return bsp_err_set(err, BSP_EINVAL, "model spec_bw needs bandwidth_gbs.dram in both board files (%s, %s)",
                           a->name, b->name);
    *t_b_ns = t_a_ns * a->bw_dram_gbs.median / b->bw_dram_gbs.median;
    return 0;
}

static const bsp_model m_seed = { "seed", "the seed's BSP model (Amaris et al. 2015), lambda per kernel fitted on board A", 1,
                                  seed_fit, seed_predict };
static const bsp_model m_same = { "same", "baseline: the same time as measured on board A", 0, dur_fit, same_predict };
static const bsp_model m_spec_fc = { "spec_fc", "baseline: A's time scaled by the ratio of clock x cores", 0, dur_fit,
                                     spec_fc_predict };
static const bsp_model m_spec_bw = { "spec_bw", "baseline: A's time scaled by the ratio of measured DRAM bandwidths", 0,
                                     dur_fit, spec_bw_predict };

extern const bsp_model bsp_model_hybrid, bsp_model_floor, bsp_model_floor_chip, bsp_model_floor_bw, bsp_model_bound,
    bsp_model_bound_l2, bsp_model_bound_grid;

const bsp_model *const bsp_models[] = {
    &m_seed, &m_same, &m_spec_fc, &m_spec_bw, &bsp_model_floor, &bsp_model_floor_chip, &bsp_model_floor_bw, &bsp_model_hybrid,
    &bsp_model_bound,
    &bsp_model_bound_l2,
    &bsp_model_bound_grid,
    NULL,
};

const bsp_model *bsp_model_find(const char *name)
{
    for (int i = 0; bsp_models[i]; i++)
        if (strcmp(bsp_models[i]->name, name) == 0)
            return bsp_models[i];
    return NULL;
}

static const struct {
    const char *name;
    double *value;
    double lo, hi;
} params[] = {
    { "floor_bw.beta", &bsp_param_floor_bw_beta, 0.0, 1.0 },
    { "floor_bw.beta_mma", &bsp_param_floor_bw_beta_mma, 0.0, 1.0 },
    { "bound.p", &bsp_param_bound_p, 1.0, 64.0 },
    { "bound_l2.replay", &bsp_param_bound_l2_replay, 0.0, 1.0 },
    { "bound_grid.grid", &bsp_param_bound_grid_grid, 0.0, 1.0 },
    { "bound_grid.dram", &bsp_param_bound_grid_dram, 0.0, 1.0 },
    { "bound_grid.replay", &bsp_param_bound_grid_replay, 0.0, 1.0 },
    { "bound_grid.call", &bsp_param_bound_grid_call, 0.0, 1.0 },
    { "bound_grid.norm", &bsp_param_bound_grid_norm, 0.0, 1.0 },
    { "bound_grid.burst", &bsp_param_bound_grid_burst, 0.0, 1.0 },
    { "bound_grid.dburst", &bsp_param_bound_grid_dburst, 0.0, 1.0 },
    { "bound_grid.dcopy", &bsp_param_bound_grid_dcopy, 0.0, 1.0 },
    { "bound_grid.rnorm", &bsp_param_bound_grid_rnorm, 0.0, 1.0 },
    { "bound_grid.l2", &bsp_param_bound_grid_l2, 0.0, 1.0 },
};

int bsp_model_param(const char *name, double value, bsp_err *err)
{
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        if (strcmp(name, params[i].name) != 0)
            continue;
        if (!(value >= params[i].lo && value <= params[i].hi))
            return bsp_err_set(err, BSP_EINVAL, "model parameter %s: %g is outside [%g, %g]", name, value,
                               params[i].lo, params[i].hi);
        *params[i].value = value;
        return 0;
    }
    return bsp_err_set(err, BSP_EINVAL, "unknown model parameter '%s' (known: floor_bw.beta, floor_bw.beta_mma, bound.p, bound_l2.replay, "
                       "bound_grid.grid, bound_grid.dram, bound_grid.replay, bound_grid.call, bound_grid.norm, bound_grid.l2, bound_grid.burst, bound_grid.dburst, bound_grid.dcopy, bound_grid.rnorm)",
                       name);
}
