/* Process-wide model parameters, defined in their models' files and set
 * through bsp_model_param (models.c).  Private to models/. */
#ifndef BSPGPU_MODELS_PARAMS_H
#define BSPGPU_MODELS_PARAMS_H

extern double bsp_param_floor_bw_beta;     /* floor_bw.beta, [0, 1] */
extern double bsp_param_floor_bw_beta_mma; /* floor_bw.beta_mma, [0, 1] */
extern double bsp_param_bound_p;           /* bound.p, [1, 64] */

#endif
