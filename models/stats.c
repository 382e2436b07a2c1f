/* Error statistics and least-squares fits through GSL. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/model.h"

static void gsl_quiet(void)
{
    static int done;
    if (!done) {
        gsl_set_error_handler_off();
        done = 1;
    }
}

int bsp_quantile(const double *x, size_t n, double q, double *out, bsp_err *err)
{
    if (n == 0)
        return bsp_err_set(err, BSP_EMATH, "quantile of an empty set");
    if (!(q >= 0 && q <= 1))
        return bsp_err_set(err, BSP_EINVAL, "quantile %g outside [0,1]", q);
    double *s = malloc(n * sizeof *s);
    if (!s)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    *out = gsl_stats_quantile_from_sorted_data(s, 1, n, q);
    free(s);
    return 0;
}

int bsp_errstats_compute(const double *abs_pct, size_t n, bsp_errstats *s, bsp_err *err)
{
    memset(s, 0, sizeof *s);
    if (n == 0)
        return bsp_err_set(err, BSP_EMATH, "no errors to summarize");
    int rc;
    s->n = n;
    if ((rc = bsp_quantile(abs_pct, n, 0.5, &s->median_abs_pct, err)) ||
        (rc = bsp_quantile(abs_pct, n, 0.9, &s->p90_abs_pct, err)) ||
        (rc = bsp_quantile(abs_pct, n, 1.0, &s->max_abs_pct, err)))
        return rc;
    s->mean_abs_pct = gsl_stats_mean(abs_pct, 1, n);
    return 0;
}

int bsp_fit_through_origin(const double *x, const double *y, size_t n, double *c, double *se, bsp_err *err)
{
    gsl_quiet();
    if (n == 0)
        return bsp_err_set(err, BSP_EMATH, "fit over an empty set");
    double cov = 0, sumsq = 0;
    int st = gsl_fit_mul(x, 1, y, 1, n, c, &cov, &sumsq);
    if (st != GSL_SUCCESS || !isfinite(*c))
        return bsp_err_set(err, BSP_EMATH, "gsl_fit_mul: %s", gsl_strerror(st));
    *se = n > 1 && cov > 0 ? sqrt(cov) : 0.0;
    return 0;
}
