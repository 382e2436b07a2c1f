/*
 * bsp_model: predicting a kernel's time on board B from its profile on
 * board A.  docs/model.md gives every equation and assumption.
 *
 * The seed's model (Amaris et al., HiPC 2015), for a kernel of N threads:
 *   T = N (Comp + Comm_GM + Comm_SM) / (F C lambda)
 *   Comp    = inst * L_inst
 *   Comm_SM = (ld_s + st_s) * L_SM
 *   Comm_GM = (ld_g + st_g - h1 - h2) * L_GM + h1 * L_L1 + h2 * L_L2
 * with per-thread counts from the profile, latencies in cycles, F in Hz and
 * C the board's FP32 cores.  lambda is fitted on board A (model time with
 * lambda = 1 over measured time) and carried to board B.
 */
#ifndef BSPGPU_MODEL_H
#define BSPGPU_MODEL_H

#include "bspgpu/board.h"
#include "bspgpu/profile.h"

/* Per-thread quantities of the seed's model, derived from counters. */
typedef struct bsp_seed_in {
    double threads;   /* N */
    double inst;      /* instructions per thread */
    double ld_g, st_g;/* global load / store instructions per thread */
    double ld_s, st_s;/* shared load / store instructions per thread */
    double h1;        /* global accesses per thread served by L1 */
    double h2;        /* global accesses per thread served by L2 */
} bsp_seed_in;

/* Derive the seed's inputs from a kernel's counters (docs/model.md).
 * Fails (BSP_EPARSE) naming the kernel and counter when one is missing. */
int bsp_seed_in_from_kernel(const bsp_kernel *k, bsp_seed_in *in, bsp_err *err);

/* Cycles per thread: Comp + Comm_GM + Comm_SM on board b. */
double bsp_seed_cycles(const bsp_seed_in *in, const bsp_board *b);

/* Model time in ns with the given lambda: N * cycles / (F * C * lambda). */
double bsp_seed_time_ns(const bsp_seed_in *in, const bsp_board *b, double lambda);

/* Seed lambda of kernel k on board b: the model's time with lambda 1
 * (stored in *model1_ns) over the kernel's measured time.  Both are NaN
 * when the counters the model needs are missing. */
double bsp_seed_lambda(const bsp_kernel *k, const bsp_board *b, double *model1_ns);

/* ---- models behind one interface ---- */

/* What a model keeps from fitting one kernel on board A. */
typedef struct bsp_fit {
    double lambda;       /* seed-style efficiency factor (1 if unused) */
    double p[4];         /* model-specific parameters */
    double model_a_ns;   /* the model's time on A before calibration to the measurement */
} bsp_fit;

typedef struct bsp_model {
    const char *name;
    const char *what;    /* one line for --help and docs */
    int needs_counters;  /* 0: works from durations alone */
    /* Fit on board a from kernel k (measured time t_a_ns). */
    int (*fit)(const bsp_kernel *k, double t_a_ns, const bsp_board *a, bsp_fit *f, bsp_err *err);
    /* Predict k's time on board b, given its fit on a. */
    int (*predict)(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b,
                   const bsp_fit *f, double *t_b_ns, bsp_err *err);
} bsp_model;

/* The model table, NULL-terminated; static storage. */
extern const bsp_model *const bsp_models[];
/* Look a model up by name; NULL if unknown. */
const bsp_model *bsp_model_find(const char *name);

/* Set a model parameter: "floor_bw.beta" or "floor_bw.beta_mma" in [0, 1],
 * "bound.p" in [1, 64], "bound_l2.replay" in [0, 1] (process-wide; docs/model.md gives the defaults and
 * where they come from). */
int bsp_model_param(const char *name, double value, bsp_err *err);

/* floor_bw's u: the share of a kernel's body (time above the chip-wide
 * floor) that A's DRAM bandwidth needs for the profile's L2 misses, in
 * [0, 1]; 0 without L2 counters. */
double bsp_floor_bw_share(const bsp_kernel *k, double t_a_ns, const bsp_board *a);

/* bound's split of a kernel's time on A above the chip-wide floor into its
 * SM, DRAM and L2 parts (part[0..2], ns), for the pair of boards a -> b. */
void bsp_bound_split(const bsp_kernel *k, double t_a_ns, const bsp_board *a, const bsp_board *b, double part[3]);

/* The measured time of a kernel that models fit to and are scored
 * against: its median launch duration, ns. */
double bsp_kernel_time_ns(const bsp_kernel *k);

/* ---- statistics (GSL) ---- */

typedef struct bsp_errstats {
    size_t n;
    double median_abs_pct, p90_abs_pct, max_abs_pct, mean_abs_pct;
} bsp_errstats;

/* Statistics of absolute percentage errors; x is not modified. */
int bsp_errstats_compute(const double *abs_pct, size_t n, bsp_errstats *s, bsp_err *err);

/* Quantile q in [0,1] of x (copied and sorted internally), linear
 * interpolation between order statistics (GSL's definition). */
int bsp_quantile(const double *x, size_t n, double q, double *out, bsp_err *err);

/* Least-squares fit through the origin, y = c x (gsl_fit_mul), with the
 * standard error of c.  Needs n >= 1; se is 0 when n == 1. */
int bsp_fit_through_origin(const double *x, const double *y, size_t n, double *c, double *se, bsp_err *err);

#endif
