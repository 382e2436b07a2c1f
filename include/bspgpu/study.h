/*
 * bsp_study: fit on board A, predict board B, score against B's profile,
 * for one or more models.  Output files are CSV (docs/formats.md).
 */
#ifndef BSPGPU_STUDY_H
#define BSPGPU_STUDY_H

#include <stdio.h>
#include "bspgpu/align.h"
#include "bspgpu/model.h"

/* One kernel configuration's prediction by one model. */
typedef struct bsp_pred {
    const bsp_kernel *ka;     /* on A (NULL if only on B) */
    const bsp_kernel *kb;     /* on B (NULL if only on A, or no B profile) */
    double t_a_ns;            /* measured on A: median launch, or median over paired launches */
    double t_b_ns;            /* measured on B, the same way; NaN if unknown */
    size_t paired;            /* launches paired by program order behind t_a_ns and t_b_ns;
                               * 0: medians over all launches of the configuration */
    double pred_b_ns;         /* predicted on B from t_a_ns, NaN if the model failed */
    double pred_sum_b_ns;     /* predicted on B for all of A's launches: the model at A's mean
                               * launch time, times A's launches; NaN if the model failed */
    double lambda_a, lambda_b;/* seed-style lambda fitted on A and on B (NaN if n/a) */
    double model_b1_ns;       /* model time on B with lambda = 1 (NaN if n/a) */
    char note[160];           /* why a prediction is missing */
} bsp_pred;

typedef struct bsp_app_score {
    double pred_ns;           /* sum over A's kernels of pred_sum_b_ns */
    double meas_ns;           /* sum of all B launch durations */
    double pred_matched_ns;   /* sums over kernels found on both boards */
    double meas_matched_ns;
    double a_ns;              /* sum of all A launch durations */
    size_t only_a, only_b, matched, failed;
    double only_a_ns, only_b_ns; /* measured time of unmatched kernels on their board */
    bsp_errstats kern;        /* per-kernel absolute % errors over matched kernels */
    /* launch pairing behind the per-kernel times (set by the caller from
     * bsp_align; 0 and NaN when kernels are matched by key alone) */
    size_t launches_paired;
    double edits;             /* edit distance of the launch sequences; NaN if not searched
                               * or over the limit */
} bsp_app_score;

/* Predict every kernel of ka with model m (fits on A first).  kb may be
 * NULL (no scoring).  *out receives a malloc'd array of *nout rows: A's
 * kernels in order, then B-only kernels; caller frees with free().
 * A kernel the model cannot handle gets pred_b_ns = NaN and a note. */
int bsp_study_predict(const bsp_model *m, const bsp_board *a, const bsp_kernel_set *ka,
                      const bsp_board *b, const bsp_kernel_set *kb,
                      bsp_pred **out, size_t *nout, bsp_err *err);
/* The same, with kernels found on both boards measured over the launches
 * that al (from bsp_align_runs(ka, kb)) paired, where it paired any. */
int bsp_study_predict_paired(const bsp_model *m, const bsp_board *a, const bsp_kernel_set *ka,
                             const bsp_board *b, const bsp_kernel_set *kb, const bsp_align *al,
                             bsp_pred **out, size_t *nout, bsp_err *err);

/* Score rows from bsp_study_predict.  kb may be NULL: then only the
 * predicted totals (pred_ns, a_ns, failed, only_a) are filled, the rest NaN or 0. */
int bsp_study_score(const bsp_pred *rows, size_t n, const bsp_kernel_set *ka, const bsp_kernel_set *kb,
                    bsp_app_score *s, bsp_err *err);

/* Signed percentage error of a prediction: 100 (pred - meas) / meas. */
double bsp_pct_err(double pred, double meas);

/* CSV output: header and rows of the per-kernel table (one model). */
void bsp_study_fprint_header(FILE *f);
void bsp_study_fprint_rows(FILE *f, const char *model, const char *app, const char *board_a, const char *board_b,
                           const bsp_pred *rows, size_t n);
/* CSV output: header and one row of the per-application summary. */
void bsp_app_fprint_header(FILE *f);
void bsp_app_fprint_row(FILE *f, const char *model, const char *app, const char *board_a, const char *board_b,
                        const bsp_app_score *s);

#endif
