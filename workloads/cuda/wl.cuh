/*
 * wl.cuh: what every synthetic workload shares.
 *
 *   - wl_init(): command line (-r REPS, -v VARIANT, --list, --help) and the
 *     SM-count axis: when BSP_SMS=N is set, bsp_greenctx_enter(0, N, ...) runs
 *     before any other CUDA call and the SMs granted go to stderr;
 *   - CK(): a CUDA runtime call that must succeed (the program exits 1);
 *   - wl_rng: a fixed-seed xorshift generator, so inputs are random, not zero,
 *     and the same in every run;
 *   - wl_time(): launch a kernel REPS times (each launch timed with events)
 *     and print one line per kernel and size: name, size, grid, block, median;
 *   - wl_close(): floating-point comparison against a CPU reference;
 *   - wl_finish(): exit status, non-zero if any check failed.
 */
#ifndef BSPGPU_WL_CUH
#define BSPGPU_WL_CUH

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <cuda_runtime.h>

extern "C" {
#include "bspgpu/greenctx.h"
}

#define CK(call)                                                              \
    do {                                                                      \
        cudaError_t ck_st_ = (call);                                          \
        if (ck_st_ != cudaSuccess) {                                          \
            fprintf(stderr, "%s:%d: %s failed: %s (%s)\n", __FILE__, __LINE__, \
                    #call, cudaGetErrorName(ck_st_),                          \
                    cudaGetErrorString(ck_st_));                              \
            exit(1);                                                          \
        }                                                                     \
    } while (0)

struct wl_state {
    const char *prog;
    int reps;
    const char *variant; /* NULL: every variant */
    int failures;
    int sms_got;         /* SMs of the green context, 0 for the whole device */
};

static wl_state wl = {"", 5, NULL, 0, 0};

static inline void wl_usage(FILE *f, const char *prog, const char *about,
                     const char *const *variants)
{
    fprintf(f,
            "usage: %s [-r REPS] [-v VARIANT] [--list] [--help]\n"
            "%s\n"
            "  -r REPS     launches of each kernel per input size (default 5)\n"
            "  -v VARIANT  run one variant only (default: all):",
            prog, about);
    for (int i = 0; variants[i]; i++)
        fprintf(f, " %s", variants[i]);
    fprintf(f,
            "\n  --list      print the variants, one a line, and exit\n"
            "environment:\n"
            "  BSP_SMS=N   run on a green context of at least N SMs\n"
            "exit status: 0 all results match the CPU reference, 1 a mismatch or a\n"
            "CUDA error, 2 bad usage\n"
            "example: BSP_SMS=16 %s -r 3 -v %s\n",
            prog, variants[0]);
}

/* Parse the command line and enter the green context if BSP_SMS is set.
 * `variants` is a NULL-terminated list; the first is the default example. */
static inline void wl_init(int argc, char **argv, const char *prog, const char *about,
                    const char *const *variants)
{
    wl.prog = prog;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            wl_usage(stdout, prog, about, variants);
            exit(0);
        } else if (!strcmp(argv[i], "--list")) {
            for (int k = 0; variants[k]; k++)
                printf("%s\n", variants[k]);
            exit(0);
        } else if (!strcmp(argv[i], "-r") && i + 1 < argc) {
            char *end;
            long r = strtol(argv[++i], &end, 10);
            if (*end || r < 1 || r > 1000) {
                fprintf(stderr, "%s: -r: '%s', want an integer in 1..1000\n", prog, argv[i]);
                exit(2);
            }
            wl.reps = (int)r;
        } else if (!strcmp(argv[i], "-v") && i + 1 < argc) {
            wl.variant = argv[++i];
            int ok = 0;
            for (int k = 0; variants[k]; k++)
                ok |= !strcmp(variants[k], wl.variant);
            if (!ok) {
                fprintf(stderr, "%s: -v: unknown variant '%s'\n", prog, wl.variant);
                wl_usage(stderr, prog, about, variants);
                exit(2);
            }
        } else {
            fprintf(stderr, "%s: unknown argument '%s'\n", prog, argv[i]);
            wl_usage(stderr, prog, about, variants);
            exit(2);
        }
    }

    const char *s = getenv("BSP_SMS");
    if (s && *s) {
        char *end;
        long n = strtol(s, &end, 10);
        if (*end || n < 1 || n > 100000) {
            fprintf(stderr, "%s: BSP_SMS: '%s', want a positive SM count\n", prog, s);
            exit(2);
        }
        bsp_err err;
        memset(&err, 0, sizeof err);
        int got = 0;
        if (bsp_greenctx_enter(0, (int)n, &got, &err) != 0) {
            fprintf(stderr, "%s: BSP_SMS=%ld: %s\n", prog, n, err.msg);
            exit(1);
        }
        wl.sms_got = got;
        fprintf(stderr, "%s: BSP_SMS=%ld: green context with %d SMs\n", prog, n, got);
    }
}

static inline bool wl_want(const char *variant)
{
    return !wl.variant || !strcmp(wl.variant, variant);
}

/* Fixed-seed xorshift64*: random, reproducible, fast. */
struct wl_rng {
    uint64_t s;
    explicit wl_rng(uint64_t seed) : s(seed ? seed : 0x9e3779b97f4a7c15ull) {}
    uint64_t next()
    {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return s * 0x2545f4914f6cdd1dull;
    }
    /* uniform in [lo, hi) */
    float uniform(float lo, float hi)
    {
        return lo + (hi - lo) * (float)((next() >> 40) * (1.0 / 16777216.0));
    }
    /* uniform integer in [lo, hi] */
    int64_t range(int64_t lo, int64_t hi)
    {
        return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
    }
};

static inline void wl_fill(std::vector<float> &v, wl_rng &r, float lo, float hi)
{
    for (auto &x : v) {
        float y;
        do
            y = r.uniform(lo, hi);
        while (y == 0.0f);
        x = y;
    }
}

/* Launch `launch()` wl.reps times, each between two events; print the
 * median and minimum per-launch time.  `size` names the input size. */
template <typename F>
static inline void wl_time(const char *kernel, const char *size, dim3 grid, dim3 block, F launch)
{
    std::vector<float> ms(wl.reps);
    cudaEvent_t a, b;
    CK(cudaEventCreate(&a));
    CK(cudaEventCreate(&b));
    for (int i = 0; i < wl.reps; i++) {
        CK(cudaEventRecord(a));
        launch();
        CK(cudaGetLastError());
        CK(cudaEventRecord(b));
        CK(cudaEventSynchronize(b));
        CK(cudaEventElapsedTime(&ms[i], a, b));
    }
    CK(cudaEventDestroy(a));
    CK(cudaEventDestroy(b));
    std::vector<float> s = ms;
    std::sort(s.begin(), s.end());
    size_t n = s.size();
    double med = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    printf("%-26s %-14s grid=(%u,%u,%u) block=(%u,%u,%u) reps=%d median_us=%.1f min_us=%.1f\n",
           kernel, size, grid.x, grid.y, grid.z, block.x, block.y, block.z, wl.reps,
           med * 1e3, s[0] * 1e3);
    fflush(stdout);
}

/* Compare n floats with |got - want| <= tol[i] (tol of one value if
 * tol_n == 1); print the first few mismatches; count a failure. */
static inline bool wl_close(const char *what, const float *got, const double *want,
                     const double *tol, size_t tol_n, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        double t = tol[tol_n == 1 ? 0 : i];
        double d = std::fabs((double)got[i] - want[i]);
        if (!(d <= t)) {
            if (bad < 5)
                fprintf(stderr, "%s: %s: element %zu: got %.9g, want %.9g (tolerance %.3g)\n",
                        wl.prog, what, i, (double)got[i], want[i], t);
            bad++;
        }
    }
    if (bad) {
        fprintf(stderr, "%s: %s: %zu of %zu elements differ from the CPU reference\n",
                wl.prog, what, bad, n);
        wl.failures++;
        return false;
    }
    return true;
}

/* Count a failure for an exact comparison. */
static inline bool wl_equal_u64(const char *what, const uint64_t *got, const uint64_t *want, size_t n)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i]) {
            if (bad < 5)
                fprintf(stderr, "%s: %s: element %zu: got %llu, want %llu\n", wl.prog, what,
                        i, (unsigned long long)got[i], (unsigned long long)want[i]);
            bad++;
        }
    if (bad) {
        fprintf(stderr, "%s: %s: %zu of %zu elements differ from the CPU reference\n",
                wl.prog, what, bad, n);
        wl.failures++;
        return false;
    }
    return true;
}

static inline int wl_finish(void)
{
    CK(cudaDeviceSynchronize());
    if (wl.failures) {
        fprintf(stderr, "%s: FAILED: %d check(s) differ from the CPU reference\n", wl.prog,
                wl.failures);
        return 1;
    }
    fprintf(stderr, "%s: all checks passed\n", wl.prog);
    return 0;
}

static inline unsigned wl_cdiv(size_t a, size_t b) { return (unsigned)((a + b - 1) / b); }

#endif
