/*
 * mb_stats: summary statistics of microbenchmark repeats (internal to
 * microbench/).  Plain C so that the GPU-free unit test links it alone.
 */
#ifndef BSPGPU_MB_STATS_H
#define BSPGPU_MB_STATS_H

#include "bspgpu/board.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Median of x[0..n-1] (the mean of the two middle values when n is even).
 * x is left unchanged.  Returns NaN when n < 1 or any value is not finite. */
double mb_median(const double *x, int n);

/* Fill *m with median, min, max and n of x[0..n-1].  Returns 0, or
 * BSP_EINVAL when n < 1 or a value is not finite (*m then zeroed). */
int mb_meas(const double *x, int n, bsp_meas *m);

/* Relative spread of a measurement: (max - min) / median; 0 when median
 * is 0. */
double mb_spread(const bsp_meas *m);

#ifdef __cplusplus
}
#endif

#endif
