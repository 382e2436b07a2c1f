/* A tiny test harness: CHECK macros count passes and failures; the runner
 * prints "N passed, M failed" and exits non-zero on any failure. */
#ifndef BSPGPU_TEST_CHECK_H
#define BSPGPU_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond) do { \
    if (cond) t_pass++; \
    else { t_fail++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_NEAR(a, b, rel) do { \
    double a_ = (a), b_ = (b); \
    if (fabs(a_ - b_) <= (rel) * fmax(fabs(a_), fabs(b_)) + 1e-300) t_pass++; \
    else { t_fail++; fprintf(stderr, "FAIL %s:%d: %s = %.17g, want %.17g\n", __FILE__, __LINE__, #a, a_, b_); } \
} while (0)

#define CHECK_STR_HAS(s, sub) do { \
    const char *s_ = (s); \
    if (s_ && strstr(s_, (sub))) t_pass++; \
    else { t_fail++; fprintf(stderr, "FAIL %s:%d: '%s' lacks '%s'\n", __FILE__, __LINE__, s_ ? s_ : "(null)", (sub)); } \
} while (0)

static int check_report(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, t_pass, t_fail);
    return t_fail ? 1 : 0;
}

#endif
