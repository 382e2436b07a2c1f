/*
 * The contract between `bspgpu profile` (src/cli/cmd_profile.c) and the
 * injection library (build/libbspgpu-cupti.so): the environment variables
 * that carry the options into the application's process, and the small
 * parsers both sides use.  Header-only (static inline) so that the CLI does
 * not link the collector's objects.
 */
#ifndef BSPGPU_PROFILE_ENV_H
#define BSPGPU_PROFILE_ENV_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Absolute path of the profile CSV; its sidecars are PATH.memops.csv,
 * PATH.api.csv, PATH.meta.json and (while the application runs) PATH.claim. */
#define BSP_ENV_OUT          "BSPGPU_PROFILE_OUT"
#define BSP_ENV_METRICS      "BSPGPU_PROFILE_METRICS"      /* seed | full | mem | none */
#define BSP_ENV_KERNEL_REGEX "BSPGPU_PROFILE_KERNEL_REGEX" /* POSIX extended regex */
#define BSP_ENV_LAUNCH_SKIP  "BSPGPU_PROFILE_LAUNCH_SKIP"  /* unsigned */
#define BSP_ENV_LAUNCH_COUNT "BSPGPU_PROFILE_LAUNCH_COUNT" /* unsigned, 0 = no limit */
#define BSP_ENV_SAMPLES      "BSPGPU_PROFILE_SAMPLES"      /* unsigned, 0 = every launch */
#define BSP_ENV_CONFIG_SKIP  "BSPGPU_PROFILE_CONFIG_SKIP"  /* unsigned: launches of each configuration passed over */
#define BSP_ENV_VERBOSE      "BSPGPU_PROFILE_VERBOSE"      /* 1: print per-launch collector events */
/* 1: copies, memsets and graph launches of other threads wait while a
 * launch is profiled (docs/profiling.md, "Limits") */
#define BSP_ENV_SERIALIZE    "BSPGPU_PROFILE_SERIALIZE"
/* 0: keep each context's range profiler enabled from its first profiled
 * launch to the context's end; 1 (default): disable it after every profiled
 * launch, so that the launches timed between run without it (docs/profiling.md) */
#define BSP_ENV_RELEASE      "BSPGPU_PROFILE_RELEASE"
/* How host API calls (PATH.api.csv) are recorded: calls (default: only the
 * recorded functions are enabled, by callback id), kinds (every runtime and
 * driver call is traced and the others are dropped on arrival), off (no
 * PATH.api.csv). */
#define BSP_ENV_API          "BSPGPU_PROFILE_API"
/* What the profile holds: none (default: the whole process) or
 * profiler-api (only what the application issues between
 * cudaProfilerStart/cuProfilerStart and the next stop). */
#define BSP_ENV_CAPTURE      "BSPGPU_PROFILE_CAPTURE"
/* Override of the injection library's path for the launcher (tests). */
#define BSP_ENV_CUPTI_LIB    "BSPGPU_CUPTI_LIB"

#define BSP_CUPTI_LIB_NAME   "libbspgpu-cupti.so"

/* Prefix of every message the collector prints (to stderr). */
#define BSP_PROFILE_MSG      "bspgpu-profile: "

typedef enum bsp_metric_set {
    BSP_MSET_NONE = 0,   /* durations only */
    BSP_MSET_SEED = 1,   /* the columns the seed's BSP model needs */
    BSP_MSET_FULL = 2,   /* every counter of include/bspgpu/counters.h */
    BSP_MSET_MEM = 3     /* L2, DRAM and cycle counters only: few enough for one pass */
} bsp_metric_set;

typedef enum bsp_api_mode {
    BSP_APIMODE_CALLS = 0,
    BSP_APIMODE_KINDS = 1,
    BSP_APIMODE_OFF = 2
} bsp_api_mode;

/* "calls" / "kinds" / "off" -> mode; -1 if unknown or NULL. */
static inline int bsp_api_mode_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "calls") == 0)
        return BSP_APIMODE_CALLS;
    if (strcmp(s, "kinds") == 0)
        return BSP_APIMODE_KINDS;
    if (strcmp(s, "off") == 0)
        return BSP_APIMODE_OFF;
    return -1;
}

typedef enum bsp_capture_mode {
    BSP_CAPTURE_NONE = 0,        /* the whole process */
    BSP_CAPTURE_PROFILER_API = 1 /* between profiler start and stop calls */
} bsp_capture_mode;

/* "none" / "profiler-api" -> mode; -1 if unknown or NULL. */
static inline int bsp_capture_mode_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "none") == 0)
        return BSP_CAPTURE_NONE;
    if (strcmp(s, "profiler-api") == 0)
        return BSP_CAPTURE_PROFILER_API;
    return -1;
}

static inline const char *bsp_capture_mode_name(int mode)
{
    switch (mode) {
    case BSP_CAPTURE_NONE: return "none";
    case BSP_CAPTURE_PROFILER_API: return "profiler-api";
    default: return "?";
    }
}

/* "seed" / "full" / "mem" / "none" -> set; -1 if unknown or NULL. */
static inline int bsp_metric_set_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "none") == 0)
        return BSP_MSET_NONE;
    if (strcmp(s, "seed") == 0)
        return BSP_MSET_SEED;
    if (strcmp(s, "full") == 0)
        return BSP_MSET_FULL;
    if (strcmp(s, "mem") == 0)
        return BSP_MSET_MEM;
    return -1;
}

static inline const char *bsp_metric_set_name(int set)
{
    switch (set) {
    case BSP_MSET_NONE: return "none";
    case BSP_MSET_SEED: return "seed";
    case BSP_MSET_FULL: return "full";
    case BSP_MSET_MEM: return "mem";
    default: return "?";
    }
}

/* Parse a whole decimal unsigned number; 0 on success, -1 on junk,
 * sign, empty string or overflow. */
static inline int bsp_parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    if (!s || !*s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || !end || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

#endif
