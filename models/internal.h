/* What the models of models/ share, private to them: process-wide
 * parameters (defined in their models' files, set through bsp_model_param)
 * and helpers (models.c). */
#ifndef BSPGPU_MODELS_INTERNAL_H
#define BSPGPU_MODELS_INTERNAL_H

#include "bspgpu/model.h"

extern double bsp_param_floor_bw_beta;     /* floor_bw.beta, [0, 1] */
extern double bsp_param_floor_bw_beta_mma; /* floor_bw.beta_mma, [0, 1] */
extern double bsp_param_bound_p;           /* bound.p, [1, 64] */
extern double bsp_param_bound_l2_replay;   /* bound_l2.replay, [0, 1] */
extern double bsp_param_bound_grid_grid;   /* bound_grid.grid, [0, 1] */
extern double bsp_param_bound_grid_dram;   /* bound_grid.dram, [0, 1] */
extern double bsp_param_bound_grid_replay; /* bound_grid.replay, 0 or 1 */
extern double bsp_param_bound_grid_norm;   /* bound_grid.norm, [0, 1] */
extern double bsp_param_bound_grid_burst;  /* bound_grid.burst, [0, 1] */
extern double bsp_param_bound_grid_dburst; /* bound_grid.dburst, [0, 1] */
extern double bsp_param_bound_grid_dcopy;  /* bound_grid.dcopy, [0, 1] */
extern double bsp_param_bound_grid_rnorm;  /* bound_grid.rnorm, [0, 1] */
extern double bsp_param_bound_grid_l2;     /* bound_grid.l2, [0, 1] */
extern double bsp_param_bound_grid_call;   /* bound_grid.call, [0, 1] */

/* The fit of a model that works from A's measured time: lambda 1,
 * model_a_ns = t_a_ns, no parameters. */
void bsp_fit_measured(bsp_fit *f, double t_a_ns);

/* Blocks that the busiest SM of board x runs: ceil(blocks / SMs). */
double bsp_blocks_per_sm(const bsp_kernel *k, const bsp_board *x);

/* Board fields a model needs; bsp_model_need fails naming the model, the
 * board and the first field missing (BSP_EINVAL). */
enum {
    BSP_NEED_FLOOR_CHIP = 1, /* latency_ns.kernel_floor_chip */
    BSP_NEED_BW_DRAM = 2,    /* bandwidth_gbs.dram, > 0 */
    BSP_NEED_BW_L2 = 4,      /* bandwidth_gbs.l2, > 0 */
};
int bsp_model_need(const char *model, const bsp_board *x, unsigned need, bsp_err *err);

#endif
