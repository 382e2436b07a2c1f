/* mb_stats: median, min, max of repeats (see mb_stats.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mb_stats.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double mb_median(const double *x, int n)
{
    double *s = NULL, med = NAN;
    if (!x || n < 1)
        return NAN;
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return NAN;
    s = malloc((size_t)n * sizeof *s);
    if (!s)
        return NAN;
    memcpy(s, x, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    if (n % 2)
        med = s[n / 2];
    else
        med = 0.5 * (s[n / 2 - 1] + s[n / 2]);
    free(s);
    return med;
}

int mb_meas(const double *x, int n, bsp_meas *m)
{
    memset(m, 0, sizeof *m);
    double med = mb_median(x, n);
    if (isnan(med))
        return BSP_EINVAL;
    m->median = med;
    m->min = m->max = x[0];
    for (int i = 1; i < n; i++) {
        if (x[i] < m->min)
            m->min = x[i];
        if (x[i] > m->max)
            m->max = x[i];
    }
    m->n = n;
    return 0;
}

double mb_spread(const bsp_meas *m)
{
    if (!m || m->median == 0.0)
        return 0.0;
    return (m->max - m->min) / fabs(m->median);
}
