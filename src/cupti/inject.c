/*
 * The CUPTI collector: an injection library (CUDA_INJECTION64_PATH) that
 * profiles an unmodified CUDA application.
 *
 *  - Every kernel launch is timed by the Activity API (concurrent-kernel
 *    records: start, end, grid, block, registers, shared memory, name);
 *    memory copies and memsets likewise, and the host API calls that
 *    launch, copy, set, launch graphs or wait (runtime and driver records
 *    of just those functions, enabled by callback id; hostapi.c).
 *  - A sample of launches (sampler.c: each configuration once by default)
 *    gets hardware counters from the Range Profiler (auto range, kernel
 *    replay; one range per launch), evaluated by the Profiler Host API.
 *    Start in the launch's ENTER callback, Stop/Decode/Evaluate in its EXIT
 *    callback.  A profiled launch is synchronous; the others are not.
 *    CUPTI gives a replayed launch's activity record no timestamps (start =
 *    end = 0), so its duration is gpu__time_duration.sum of the replay, the
 *    value Nsight Compute reports.
 *  - Only one context at a time may have the range profiler enabled (a
 *    second one gets CUPTI_ERROR_HARDWARE_BUSY): a profiled launch in
 *    another context disables the first.
 *  - With a capture range (--capture-range profiler-api) the application's
 *    profiler start and stop calls open and close ranges (capture.c):
 *    launches outside a range are never sampled, and at exit every record
 *    whose correlation id lies outside the ranges is dropped.
 *  - At exit the records are joined with the counters by correlation id and
 *    written (store.c: PATH, PATH.memops.csv, PATH.api.csv), each whole or
 *    not at all, with the provenance sidecar.
 *
 * Nothing here may crash the application or change what it computes: every
 * CUPTI failure turns counters (or the whole collector) off with a message
 * on stderr prefixed "bspgpu-profile: ", and durations go on being recorded
 * whenever the Activity API works.
 */
#include <cuda.h>
#include <cupti.h>
#include <cupti_target.h>
#include <cupti_profiler_target.h>
#include <cupti_profiler_host.h>
#include <cupti_range_profiler.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bspgpu/profile.h"
#include "cupti_internal.h"

/* store.c names these enums by value; keep them in step. */
_Static_assert(CUPTI_ACTIVITY_MEMCPY_KIND_HTOD == 1 && CUPTI_ACTIVITY_MEMCPY_KIND_DTOD == 8 &&
               CUPTI_ACTIVITY_MEMCPY_KIND_PTOP == 10, "memcpy kinds");
_Static_assert(CUPTI_ACTIVITY_MEMORY_KIND_PAGEABLE == 1 && CUPTI_ACTIVITY_MEMORY_KIND_DEVICE == 3 &&
               CUPTI_ACTIVITY_MEMORY_KIND_MANAGED_STATIC == 7, "memory kinds");

#define MSG(...) fprintf(stderr, BSP_PROFILE_MSG __VA_ARGS__)
#define ACT_BUF_BYTES (8u << 20)
#define MAX_DEV 64
#define MAX_FAIL_MSGS 5
/* The duration of a replayed launch (its activity record has no timestamps). */
#define DURATION_METRIC "gpu__time_duration.sum"

static const char *cupti_str(CUptiResult r)
{
    const char *s = NULL;
    if (cuptiGetResultString(r, &s) != CUPTI_SUCCESS || !s)
        s = "unknown CUPTI error";
    return s;
}

/* The one way CUPTI is called where a failure matters: on error, set rc
 * and err (naming the call) and jump to the function's `out`. */
#define CUPTI_CALL(call)                                                                      \
    do {                                                                                      \
        CUptiResult r_ = (call);                                                              \
        if (r_ != CUPTI_SUCCESS) {                                                            \
            rc = bsp_err_set(err, BSP_ECUDA, "%.*s: %s", (int)strcspn(#call, "("), #call,    \
                             cupti_str(r_));                                                  \
            goto out;                                                                         \
        }                                                                                     \
    } while (0)

#define CU_CALL(call)                                                                         \
    do {                                                                                      \
        CUresult r_ = (call);                                                                 \
        if (r_ != CUDA_SUCCESS) {                                                             \
            const char *s_ = NULL;                                                            \
            cuGetErrorName(r_, &s_);                                                          \
            rc = bsp_err_set(err, BSP_ECUDA, "%.*s: %s", (int)strcspn(#call, "("), #call,    \
                             s_ ? s_ : "CUDA error");                                         \
            goto out;                                                                         \
        }                                                                                     \
    } while (0)

/* Counter configuration of one device (chip). */
typedef struct dev_state {
    int init;                        /* 0 not tried, 1 ready, -1 failed */
    char chip[64];
    CUpti_Profiler_Host_Object *host; /* holds the config; evaluates values */
    uint8_t *config;
    size_t config_size;
    size_t passes;
    int nmetrics;                    /* counters of the set valid here */
    int ids[BSP_NCTR];               /* counter id of each of them */
    const char *names[BSP_NCTR + 1]; /* their metric names, then DURATION_METRIC if valid */
    int nnames;                      /* nmetrics, +1 with the duration */
} dev_state;

/* A recorded host API function: its interned name + 1 (0: not recorded)
 * and class. */
typedef struct api_ent {
    uint32_t id1;
    int cls;
} api_ent;

/* Range profiler of one context. */
typedef struct ctx_state {
    CUcontext ctx;
    int dev;
    CUpti_RangeProfiler_Object *obj;
    uint8_t *data;
    size_t data_size;
    struct ctx_state *next;
} ctx_state;

static struct {
    int active;                      /* collecting; cleared at exit */
    int counters_on;                 /* counters may still be collected */
    pid_t owner;
    bsp_prof_opts o;
    char out[4200], memops[4300], api[4300];
    int primary;                     /* owns the launcher's output path */
    CUpti_SubscriberHandle sub;
    pthread_mutex_t mu;              /* store, sampler, counters of messages */
    pthread_rwlock_t launch_lock;    /* write: a profiled launch; read: any other launch */
    bsp_store *store;
    bsp_sampler *sampler;
    int profiler_init;               /* cuptiProfilerInitialize done */
    dev_state dev[MAX_DEV];          /* under launch_lock (write) */
    ctx_state *ctxs;                 /* under launch_lock (write) */
    int nctr_set;
    int set_ids[BSP_NCTR];
    char off_reason[BSP_ERRMSG_MAX];
    char dropped_metrics[512];
    uint64_t fail_count, fail_streak, activity_dropped, store_oom;
    uint64_t shared_ranges;          /* profiled launches whose range another kernel entered */
    unsigned char guard_cbid[CUPTI_DRIVER_TRACE_CBID_SIZE]; /* serialize: copy/memset/graph calls */
    double prof_seconds;             /* wall time inside profiled launches */
    uint64_t prof_launches;
    int first_device;
    int api_on;                      /* host API calls recorded (PATH.api.csv written) */
    char api_how[160];               /* how, for the notes */
    api_ent api_rt[CUPTI_RUNTIME_TRACE_CBID_SIZE], api_drv[CUPTI_DRIVER_TRACE_CBID_SIZE];
    uint64_t api_other;              /* API records of functions not recorded (dropped) */
    bsp_capture *capture;            /* profiler start/stop marks; NULL: the whole process */
    uint64_t capture_lost;           /* marks lost (memory) */
} g = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .first_device = -1,
};

/* Per-thread state of the launch in flight on this thread. */
static _Thread_local struct {
    int depth;                       /* nesting of launch callbacks */
    int held;                        /* 1 read lock, 2 write lock */
    ctx_state *prof;                 /* profiled launch in flight */
    uint32_t grid[3], block[3];
    char *name;
    struct timespec t0;
} tls;

/* Turn counters off for the rest of the run (first reason wins). */
static void counters_off(const char *why)
{
    if (!g.counters_on)
        return;
    g.counters_on = 0;
    snprintf(g.off_reason, sizeof g.off_reason, "%s", why);
    MSG("counters unavailable: %s; recording durations only\n", why);
}

/* ---- Profiler Host: metric validation and configuration, per device ---- */

static int host_new(const char *chip, const uint8_t *avail, CUpti_Profiler_Host_Object **out, bsp_err *err)
{
    int rc = 0;
    CUpti_Profiler_Host_Initialize_Params p = { .structSize = CUpti_Profiler_Host_Initialize_Params_STRUCT_SIZE };
    p.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    p.pChipName = chip;
    p.pCounterAvailabilityImage = avail;
    *out = NULL;
    CUPTI_CALL(cuptiProfilerHostInitialize(&p));
    *out = p.pHostObject;
out:
    return rc;
}

static void host_free(CUpti_Profiler_Host_Object *h)
{
    if (!h)
        return;
    CUpti_Profiler_Host_Deinitialize_Params p = { .structSize = CUpti_Profiler_Host_Deinitialize_Params_STRUCT_SIZE };
    p.pHostObject = h;
    cuptiProfilerHostDeinitialize(&p);
}

static int dev_init(dev_state *d, int ordinal, CUcontext ctx, bsp_err *err)
{
    int rc = 0;
    uint8_t *avail = NULL;
    CUpti_Profiler_Host_Object *probe = NULL;
    CUdevice cudev;
    int dur_ok = 0;

    if (!g.profiler_init) {
        CUpti_Profiler_Initialize_Params ip = { .structSize = CUpti_Profiler_Initialize_Params_STRUCT_SIZE };
        CUPTI_CALL(cuptiProfilerInitialize(&ip));
        g.profiler_init = 1;
    }
    CU_CALL(cuDeviceGet(&cudev, ordinal));
    {
        CUpti_Profiler_DeviceSupported_Params sp = { .structSize = CUpti_Profiler_DeviceSupported_Params_STRUCT_SIZE };
        sp.cuDevice = cudev;
        sp.api = CUPTI_PROFILER_RANGE_PROFILING;
        CUPTI_CALL(cuptiProfilerDeviceSupported(&sp));
        if (sp.isSupported != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) {
            rc = bsp_err_set(err, BSP_ENOTSUP,
                             "device %d does not support the range profiler (architecture %d, vGPU %d, "
                             "confidential compute %d, CMP %d, WSL %d; 3 = supported)",
                             ordinal, sp.architecture, sp.vGpu, sp.confidentialCompute, sp.cmp, sp.wsl);
            goto out;
        }
    }
    {
        CUpti_Device_GetChipName_Params cp = { .structSize = CUpti_Device_GetChipName_Params_STRUCT_SIZE };
        cp.deviceIndex = (size_t)ordinal;
        CUPTI_CALL(cuptiDeviceGetChipName(&cp));
        snprintf(d->chip, sizeof d->chip, "%s", cp.pChipName ? cp.pChipName : "");
    }
    {
        CUpti_Profiler_GetCounterAvailability_Params ap = { .structSize = CUpti_Profiler_GetCounterAvailability_Params_STRUCT_SIZE };
        ap.ctx = ctx;
        CUPTI_CALL(cuptiProfilerGetCounterAvailability(&ap));
        if (!(avail = malloc(ap.counterAvailabilityImageSize ? ap.counterAvailabilityImageSize : 1))) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto out;
        }
        ap.pCounterAvailabilityImage = avail;
        CUPTI_CALL(cuptiProfilerGetCounterAvailability(&ap));
    }

    /* Validate each metric on its own: a rejected name spoils the host
     * object it was given to, so a failure costs that object. */
    d->nmetrics = 0;
    for (int i = 0; i <= g.nctr_set; i++) {
        int id = i < g.nctr_set ? g.set_ids[i] : -1;
        const char *name = id >= 0 ? bsp_counters[id].metric : DURATION_METRIC;
        if (!probe && (rc = host_new(d->chip, avail, &probe, err)))
            goto out;
        CUpti_Profiler_Host_GetMetricProperties_Params mp = { .structSize = CUpti_Profiler_Host_GetMetricProperties_Params_STRUCT_SIZE };
        mp.pHostObject = probe;
        mp.pMetricName = name;
        CUptiResult r = cuptiProfilerHostGetMetricProperties(&mp);
        if (r != CUPTI_SUCCESS) {
            MSG("metric %s (%s%s) rejected on chip %s: %s; dropped\n", name, id >= 0 ? "column " : "",
                id >= 0 ? bsp_counters[id].column : "duration of profiled launches", d->chip, cupti_str(r));
            size_t n = strlen(g.dropped_metrics);
            snprintf(g.dropped_metrics + n, sizeof g.dropped_metrics - n, "%s%s", n ? " " : "", name);
            host_free(probe);
            probe = NULL;
            continue;
        }
        if (id >= 0) {
            d->ids[d->nmetrics] = id;
            d->names[d->nmetrics++] = name;
        } else {
            d->names[d->nmetrics] = name;
            dur_ok = 1;
        }
    }
    d->nnames = d->nmetrics + dur_ok;
    host_free(probe);
    probe = NULL;
    if (!d->nmetrics) {
        rc = bsp_err_set(err, BSP_ENOTSUP, "no metric of the set is valid on chip %s", d->chip);
        goto out;
    }

    /* All metrics in one call: one scheduling, fewest passes. */
    if ((rc = host_new(d->chip, avail, &d->host, err)))
        goto out;
    {
        CUpti_Profiler_Host_ConfigAddMetrics_Params am = { .structSize = CUpti_Profiler_Host_ConfigAddMetrics_Params_STRUCT_SIZE };
        am.pHostObject = d->host;
        am.ppMetricNames = d->names;
        am.numMetrics = (size_t)d->nnames;
        CUPTI_CALL(cuptiProfilerHostConfigAddMetrics(&am));
    }
    {
        CUpti_Profiler_Host_GetConfigImageSize_Params sp = { .structSize = CUpti_Profiler_Host_GetConfigImageSize_Params_STRUCT_SIZE };
        sp.pHostObject = d->host;
        CUPTI_CALL(cuptiProfilerHostGetConfigImageSize(&sp));
        d->config_size = sp.configImageSize;
        if (!(d->config = malloc(d->config_size ? d->config_size : 1))) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto out;
        }
        CUpti_Profiler_Host_GetConfigImage_Params ip = { .structSize = CUpti_Profiler_Host_GetConfigImage_Params_STRUCT_SIZE };
        ip.pHostObject = d->host;
        ip.configImageSize = d->config_size;
        ip.pConfigImage = d->config;
        CUPTI_CALL(cuptiProfilerHostGetConfigImage(&ip));
    }
    {
        CUpti_Profiler_Host_GetNumOfPasses_Params np = { .structSize = CUpti_Profiler_Host_GetNumOfPasses_Params_STRUCT_SIZE };
        np.configImageSize = d->config_size;
        np.pConfigImage = d->config;
        CUPTI_CALL(cuptiProfilerHostGetNumOfPasses(&np));
        d->passes = np.numOfPasses;
    }
    MSG("device %d (%s): %d metrics (set %s), %zu replay pass%s per profiled launch\n", ordinal, d->chip,
        d->nmetrics, bsp_metric_set_name(g.o.metric_set), d->passes, d->passes == 1 ? "" : "es");
    d->init = 1;
out:
    host_free(probe);
    free(avail);
    if (rc) {
        d->init = -1;
        host_free(d->host);
        d->host = NULL;
        free(d->config);
        d->config = NULL;
    }
    return rc;
}

/* ---- Range Profiler, per context ---- */

static void ctx_disable(ctx_state *c)
{
    if (c->obj) {
        CUpti_RangeProfiler_Disable_Params p = { .structSize = CUpti_RangeProfiler_Disable_Params_STRUCT_SIZE };
        p.pRangeProfilerObject = c->obj;
        cuptiRangeProfilerDisable(&p);
        c->obj = NULL;
    }
    free(c->data);
    c->data = NULL;
}

static int ctx_reset_data(ctx_state *c, bsp_err *err)
{
    int rc = 0;
    CUpti_RangeProfiler_CounterDataImage_Initialize_Params p = {
        .structSize = CUpti_RangeProfiler_CounterDataImage_Initialize_Params_STRUCT_SIZE };
    p.pRangeProfilerObject = c->obj;
    p.counterDataSize = c->data_size;
    p.pCounterData = c->data;
    CUPTI_CALL(cuptiRangeProfilerCounterDataImageInitialize(&p));
out:
    return rc;
}

/* Disable c's range profiler, unlink and free c.  Caller holds launch_lock
 * for writing. */
static void ctx_forget(ctx_state *c)
{
    for (ctx_state **pc = &g.ctxs; *pc; pc = &(*pc)->next)
        if (*pc == c) {
            *pc = c->next;
            break;
        }
    ctx_disable(c);
    free(c);
}

/* Range profiler of ctx (the current context of the calling thread), set
 * up on first use.  Caller holds launch_lock for writing. */
static ctx_state *ctx_get(CUcontext ctx, bsp_err *err)
{
    int rc = 0;
    CUdevice cudev;
    ctx_state *c;
    for (c = g.ctxs; c; c = c->next)
        if (c->ctx == ctx)
            return c;
    /* one context at a time: disable the range profiler of any other */
    while (g.ctxs)
        ctx_forget(g.ctxs);
    if (!(c = calloc(1, sizeof *c))) {
        bsp_err_set(err, BSP_ENOMEM, "out of memory");
        return NULL;
    }
    c->ctx = ctx;
    c->next = g.ctxs;
    g.ctxs = c;
    CU_CALL(cuCtxGetDevice(&cudev));
    c->dev = (int)cudev;
    if (c->dev < 0 || c->dev >= MAX_DEV) {
        rc = bsp_err_set(err, BSP_ENOTSUP, "device ordinal %d out of range", c->dev);
        goto out;
    }
    dev_state *d = &g.dev[c->dev];
    if (d->init < 0) {
        rc = bsp_err_set(err, BSP_ENOTSUP, "device %d has no counter configuration", c->dev);
        goto out;
    }
    if (!d->init && (rc = dev_init(d, c->dev, ctx, err)))
        goto out;
    {
        CUpti_RangeProfiler_Enable_Params p = { .structSize = CUpti_RangeProfiler_Enable_Params_STRUCT_SIZE };
        p.ctx = ctx;
        CUPTI_CALL(cuptiRangeProfilerEnable(&p));
        c->obj = p.pRangeProfilerObject;
    }
    {
        CUpti_RangeProfiler_GetCounterDataSize_Params p = { .structSize = CUpti_RangeProfiler_GetCounterDataSize_Params_STRUCT_SIZE };
        p.pRangeProfilerObject = c->obj;
        p.pMetricNames = d->names;
        p.numMetrics = (size_t)d->nnames;
        p.maxNumOfRanges = 1;
        p.maxNumRangeTreeNodes = 1;
        CUPTI_CALL(cuptiRangeProfilerGetCounterDataSize(&p));
        c->data_size = p.counterDataSize;
        if (!(c->data = calloc(1, c->data_size ? c->data_size : 1))) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto out;
        }
    }
    if ((rc = ctx_reset_data(c, err)))
        goto out;
    {
        CUpti_RangeProfiler_SetConfig_Params p = { .structSize = CUpti_RangeProfiler_SetConfig_Params_STRUCT_SIZE };
        p.pRangeProfilerObject = c->obj;
        p.configSize = d->config_size;
        p.pConfig = d->config;
        p.counterDataImageSize = c->data_size;
        p.pCounterDataImage = c->data;
        p.range = CUPTI_AutoRange;
        p.replayMode = CUPTI_KernelReplay;
        p.maxRangesPerPass = 1;
        p.numNestingLevels = 1;
        p.minNestingLevel = 1;
        p.passIndex = 0;
        p.targetNestingLevel = 1;
        CUPTI_CALL(cuptiRangeProfilerSetConfig(&p));
    }
out:
    if (rc) {
        ctx_forget(c);
        return NULL;
    }
    return c;
}

/* After a profiled launch: collect its range into ctr[] (NaN elsewhere)
 * and its duration (NaN if not measured).  Returns 0, a negative code on
 * failure, 1 when no range was recorded (the launch did not run), or 2 when
 * the range held another kernel too: one that a thread's copy, memset or
 * graph launch put on the GPU while the launch was replayed (seen: a
 * driver-internal memset kernel took the range, and its counters came back
 * in place of the launch's).  The range holds one kernel, so the other is
 * counted as dropped. */
static int ctx_collect(ctx_state *c, double *ctr, double *dur_ns, bsp_err *err)
{
    int rc = 0;
    dev_state *d = &g.dev[c->dev];
    double vals[BSP_NCTR + 1];
    *dur_ns = NAN;
    {
        CUpti_RangeProfiler_Stop_Params p = { .structSize = CUpti_RangeProfiler_Stop_Params_STRUCT_SIZE };
        p.pRangeProfilerObject = c->obj;
        CUPTI_CALL(cuptiRangeProfilerStop(&p));
        if (!p.isAllPassSubmitted) {
            rc = bsp_err_set(err, BSP_ECUDA, "cuptiRangeProfilerStop: not all %zu passes were replayed", d->passes);
            goto out;
        }
    }
    {
        CUpti_RangeProfiler_DecodeData_Params p = { .structSize = CUpti_RangeProfiler_DecodeData_Params_STRUCT_SIZE };
        p.pRangeProfilerObject = c->obj;
        CUPTI_CALL(cuptiRangeProfilerDecodeData(&p));
        if (p.numOfRangeDropped > 0) {
            rc = 2;
            goto out;
        }
    }
    {
        CUpti_RangeProfiler_GetCounterDataInfo_Params p = { .structSize = CUpti_RangeProfiler_GetCounterDataInfo_Params_STRUCT_SIZE };
        p.pCounterDataImage = c->data;
        p.counterDataImageSize = c->data_size;
        CUPTI_CALL(cuptiRangeProfilerGetCounterDataInfo(&p));
        if (p.numTotalRanges < 1) {
            rc = 1;
            goto out;
        }
        if (p.numTotalRanges > 1) {
            rc = 2;
            goto out;
        }
    }
    {
        CUpti_Profiler_Host_EvaluateToGpuValues_Params p = { .structSize = CUpti_Profiler_Host_EvaluateToGpuValues_Params_STRUCT_SIZE };
        p.pHostObject = d->host;
        p.pCounterDataImage = c->data;
        p.counterDataImageSize = c->data_size;
        p.rangeIndex = 0;
        p.ppMetricNames = d->names;
        p.numMetrics = (size_t)d->nnames;
        p.pMetricValues = vals;
        CUPTI_CALL(cuptiProfilerHostEvaluateToGpuValues(&p));
    }
    for (int i = 0; i < BSP_NCTR; i++)
        ctr[i] = NAN;
    for (int i = 0; i < d->nmetrics; i++)
        ctr[d->ids[i]] = vals[i];
    if (d->nnames > d->nmetrics)
        *dur_ns = vals[d->nmetrics];
out:
    {
        bsp_err e2 = { 0 };
        int rc2 = ctx_reset_data(c, &e2);
        if (rc2 && !rc) {
            *err = e2;
            rc = rc2;
        }
    }
    return rc;
}

/* ---- launch callbacks ---- */

static int launch_params(CUpti_CallbackId cbid, const void *params, uint32_t grid[3], uint32_t block[3],
                         CUstream *stream)
{
    switch (cbid) {
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel:
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel_ptsz: {
        const cuLaunchKernel_params *p = params;
        grid[0] = p->gridDimX, grid[1] = p->gridDimY, grid[2] = p->gridDimZ;
        block[0] = p->blockDimX, block[1] = p->blockDimY, block[2] = p->blockDimZ;
        *stream = p->hStream;
        break;
    }
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchCooperativeKernel:
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchCooperativeKernel_ptsz: {
        const cuLaunchCooperativeKernel_params *p = params;
        grid[0] = p->gridDimX, grid[1] = p->gridDimY, grid[2] = p->gridDimZ;
        block[0] = p->blockDimX, block[1] = p->blockDimY, block[2] = p->blockDimZ;
        *stream = p->hStream;
        break;
    }
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchKernelEx:
    case CUPTI_DRIVER_TRACE_CBID_cuLaunchKernelEx_ptsz: {
        const cuLaunchKernelEx_params *p = params;
        if (!p->config)
            return -1;
        grid[0] = p->config->gridDimX, grid[1] = p->config->gridDimY, grid[2] = p->config->gridDimZ;
        block[0] = p->config->blockDimX, block[1] = p->config->blockDimY, block[2] = p->config->blockDimZ;
        *stream = p->config->hStream;
        break;
    }
    default:
        return -1;
    }
    if (!*stream && (cbid == CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel_ptsz ||
                     cbid == CUPTI_DRIVER_TRACE_CBID_cuLaunchCooperativeKernel_ptsz ||
                     cbid == CUPTI_DRIVER_TRACE_CBID_cuLaunchKernelEx_ptsz))
        *stream = CU_STREAM_PER_THREAD;
    return 0;
}

static const CUpti_CallbackId launch_cbids[] = {
    CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel, CUPTI_DRIVER_TRACE_CBID_cuLaunchKernel_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuLaunchKernelEx, CUPTI_DRIVER_TRACE_CBID_cuLaunchKernelEx_ptsz,
    CUPTI_DRIVER_TRACE_CBID_cuLaunchCooperativeKernel, CUPTI_DRIVER_TRACE_CBID_cuLaunchCooperativeKernel_ptsz,
};

static void profile_failed(const char *what)
{
    g.fail_count++;
    if (g.fail_count <= MAX_FAIL_MSGS)
        MSG("no counters for a launch of %s: %s\n", tls.name ? tls.name : "?", what);
    if (++g.fail_streak >= 3)
        counters_off("three profiled launches in a row failed");
}

static void launch_enter(CUpti_CallbackId cbid, const CUpti_CallbackData *cb)
{
    uint32_t grid[3], block[3];
    CUstream stream = NULL;
    int take;
    bsp_err err = { 0 };

    if (launch_params(cbid, cb->functionParams, grid, block, &stream)) {
        /* a copy, memset or graph launch (BSPGPU_PROFILE_SERIALIZE=1):
         * wait for a profiled launch in flight, and hold it off meanwhile */
        if (cbid < CUPTI_DRIVER_TRACE_CBID_SIZE && g.guard_cbid[cbid]) {
            pthread_rwlock_rdlock(&g.launch_lock);
            tls.held = 1;
        }
        return;
    }
    /* outside a capture range: not sampled (only timed, dropped at exit) */
    pthread_mutex_lock(&g.mu);
    take = g.counters_on && bsp_capture_decide(g.capture, g.sampler, cb->symbolName, grid, block);
    pthread_mutex_unlock(&g.mu);
    if (take) {
        CUstreamCaptureStatus cs = CU_STREAM_CAPTURE_STATUS_NONE;
        if (cuStreamIsCapturing(stream, &cs) != CUDA_SUCCESS || cs != CU_STREAM_CAPTURE_STATUS_NONE) {
            pthread_mutex_lock(&g.mu);
            bsp_sampler_undo(g.sampler, cb->symbolName, grid, block);
            pthread_mutex_unlock(&g.mu);
            take = 0;
        }
    }
    if (!take) {
        pthread_rwlock_rdlock(&g.launch_lock);
        tls.held = 1;
        return;
    }
    pthread_rwlock_wrlock(&g.launch_lock);
    tls.held = 2;
    clock_gettime(CLOCK_MONOTONIC, &tls.t0);
    memcpy(tls.grid, grid, sizeof grid);
    memcpy(tls.block, block, sizeof block);
    free(tls.name);
    tls.name = strdup(cb->symbolName ? cb->symbolName : "");
    if (!g.counters_on)
        return;
    ctx_state *c = ctx_get(cb->context, &err);
    if (!c) {
        counters_off(err.msg);
        return;
    }
    CUpti_RangeProfiler_Start_Params p = { .structSize = CUpti_RangeProfiler_Start_Params_STRUCT_SIZE };
    p.pRangeProfilerObject = c->obj;
    CUptiResult r = cuptiRangeProfilerStart(&p);
    if (r != CUPTI_SUCCESS) {
        char why[256];
        snprintf(why, sizeof why, "cuptiRangeProfilerStart: %s", cupti_str(r));
        if (r == CUPTI_ERROR_INSUFFICIENT_PRIVILEGES)
            counters_off(why);
        else
            profile_failed(why);
        return;
    }
    tls.prof = c;
    if (cb->correlationData)
        *cb->correlationData = cb->correlationId;
}

static void launch_exit(const CUpti_CallbackData *cb)
{
    if (tls.prof) {
        ctx_state *c = tls.prof;
        double ctr[BSP_NCTR], dur_ns;
        bsp_err err = { 0 };
        int launched = !cb->functionReturnValue || *(const CUresult *)cb->functionReturnValue == CUDA_SUCCESS;
        int rc = ctx_collect(c, ctr, &dur_ns, &err);
        tls.prof = NULL;
        pthread_mutex_lock(&g.mu);
        if (rc == 0) {
            g.fail_streak = 0;
            if (bsp_store_add_counters(g.store, cb->correlationId, ctr, dur_ns))
                g.store_oom++;
        } else {
            bsp_sampler_undo(g.sampler, tls.name, tls.grid, tls.block);
        }
        pthread_mutex_unlock(&g.mu);
        if (rc < 0) {
            profile_failed(err.msg);
            /* the range profiler of this context may be in any state now:
             * drop it; the next profiled launch there enables a fresh one */
            ctx_forget(c);
        } else if (rc == 2) {
            /* not a failure of the profiler: try a later launch instead */
            if (++g.shared_ranges <= MAX_FAIL_MSGS)
                MSG("counters of a launch of %s discarded: another kernel ran in its range (a copy, memset or "
                    "graph launch from another thread?); a later launch of it will be profiled\n", tls.name);
        } else if (rc == 1 && launched) {
            profile_failed("no range was recorded");
        }
        /* the launches timed until the next profiled one run without the
         * range profiler: enabled, it slows their DRAM traffic */
        if (rc >= 0 && g.o.release)
            ctx_forget(c);
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double dt = (double)(t1.tv_sec - tls.t0.tv_sec) + (t1.tv_nsec - tls.t0.tv_nsec) * 1e-9;
        g.prof_seconds += dt;
        g.prof_launches++;
        if (g.o.verbose)
            MSG("profiled %s in %.1f ms%s\n", tls.name, dt * 1e3, rc ? " (failed)" : "");
    }
    if (tls.held == 1)
        pthread_rwlock_unlock(&g.launch_lock);
    else if (tls.held == 2)
        pthread_rwlock_unlock(&g.launch_lock);
    tls.held = 0;
}

static void ctx_destroying(CUcontext ctx)
{
    pthread_rwlock_wrlock(&g.launch_lock);
    for (ctx_state *c = g.ctxs; c; c = c->next)
        if (c->ctx == ctx) {
            ctx_forget(c);
            break;
        }
    pthread_rwlock_unlock(&g.launch_lock);
}

/* 1 for a profiler start call, 0 for a stop, -1 for any other call. */
static int profiler_call(CUpti_CallbackDomain dom, CUpti_CallbackId cbid)
{
    if (dom == CUPTI_CB_DOMAIN_DRIVER_API)
        return cbid == CUPTI_DRIVER_TRACE_CBID_cuProfilerStart ? 1
               : cbid == CUPTI_DRIVER_TRACE_CBID_cuProfilerStop ? 0 : -1;
    if (dom == CUPTI_CB_DOMAIN_RUNTIME_API)
        return cbid == CUPTI_RUNTIME_TRACE_CBID_cudaProfilerStart_v4000 ? 1
               : cbid == CUPTI_RUNTIME_TRACE_CBID_cudaProfilerStop_v4000 ? 0 : -1;
    return -1;
}

/* A profiler start or stop call entered (the runtime's and the driver's
 * entry point of one call both come here; the second changes nothing). */
static void capture_mark(int start, uint32_t corr)
{
    pthread_mutex_lock(&g.mu);
    int was = bsp_capture_active(g.capture);
    int rc = bsp_capture_mark(g.capture, start, corr);
    if (rc && g.capture_lost++ == 0)
        MSG("capture range: out of memory; a profiler %s call was not recorded\n", start ? "start" : "stop");
    pthread_mutex_unlock(&g.mu);
    if (g.o.verbose && was != start)
        MSG("capture range %s (correlation id %u)\n", start ? "started" : "stopped", corr);
}

static void CUPTIAPI on_callback(void *ud, CUpti_CallbackDomain dom, CUpti_CallbackId cbid, const void *data)
{
    int pc;
    (void)ud;
    if (g.capture && (pc = profiler_call(dom, cbid)) >= 0) {
        const CUpti_CallbackData *cb = data;
        if (cb->callbackSite == CUPTI_API_ENTER && g.active)
            capture_mark(pc, cb->correlationId);
        return;
    }
    if (dom == CUPTI_CB_DOMAIN_DRIVER_API) {
        const CUpti_CallbackData *cb = data;
        if (cb->callbackSite == CUPTI_API_ENTER) {
            /* launches made inside a launch (replay) are not ours to count */
            if (tls.depth++ == 0 && g.active && g.counters_on)
                launch_enter(cbid, cb);
        } else if (tls.depth > 0 && --tls.depth == 0) {
            launch_exit(cb);
        }
    } else if (g.active && dom == CUPTI_CB_DOMAIN_RESOURCE &&
               cbid == CUPTI_CBID_RESOURCE_CONTEXT_DESTROY_STARTING) {
        const CUpti_ResourceData *rd = data;
        if (g.counters_on || g.profiler_init)
            ctx_destroying(rd->context);
    }
}

/* ---- Activity API ---- */

static void CUPTIAPI buf_requested(uint8_t **buffer, size_t *size, size_t *max_records)
{
    *buffer = aligned_alloc(8, ACT_BUF_BYTES);
    *size = *buffer ? ACT_BUF_BYTES : 0;
    *max_records = 0;
}

static void add_record(const CUpti_Activity *rec)
{
    switch (rec->kind) {
    case CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL:
    case CUPTI_ACTIVITY_KIND_KERNEL: {
        const CUpti_ActivityKernel10 *k = (const CUpti_ActivityKernel10 *)rec;
        bsp_krec r;
        memset(&r, 0, sizeof r);
        r.name_id = bsp_store_intern(g.store, k->name);
        if (r.name_id == UINT32_MAX) {
            g.store_oom++;
            return;
        }
        r.device = k->deviceId;
        r.context_id = k->contextId;
        r.stream_id = k->streamId;
        r.correlation_id = k->correlationId;
        r.graph_id = k->graphId;
        r.grid[0] = (uint32_t)k->gridX, r.grid[1] = (uint32_t)k->gridY, r.grid[2] = (uint32_t)k->gridZ;
        r.block[0] = (uint32_t)k->blockX, r.block[1] = (uint32_t)k->blockY, r.block[2] = (uint32_t)k->blockZ;
        r.registers_per_thread = k->registersPerThread;
        r.shared_static_bytes = (uint32_t)k->staticSharedMemory;
        r.shared_dynamic_bytes = (uint32_t)k->dynamicSharedMemory;
        r.start_ns = k->start;
        r.end_ns = k->end;
        if (g.first_device < 0)
            g.first_device = (int)k->deviceId;
        if (bsp_store_add_kernel(g.store, &r))
            g.store_oom++;
        break;
    }
    case CUPTI_ACTIVITY_KIND_MEMCPY: {
        const CUpti_ActivityMemcpy6 *m = (const CUpti_ActivityMemcpy6 *)rec;
        bsp_mrec r = { .op = BSP_MEMOP_MEMCPY, .copy_kind = m->copyKind, .src_kind = m->srcKind,
                       .dst_kind = m->dstKind, .bytes = m->bytes, .device = m->deviceId,
                       .context_id = m->contextId, .stream_id = m->streamId, .correlation_id = m->correlationId,
                       .graph_id = m->graphId, .src_device = m->deviceId, .dst_device = m->deviceId,
                       .start_ns = m->start, .end_ns = m->end };
        if (bsp_store_add_memop(g.store, &r))
            g.store_oom++;
        break;
    }
    case CUPTI_ACTIVITY_KIND_MEMCPY2: {
        const CUpti_ActivityMemcpyPtoP4 *m = (const CUpti_ActivityMemcpyPtoP4 *)rec;
        bsp_mrec r = { .op = BSP_MEMOP_MEMCPY, .copy_kind = m->copyKind, .src_kind = m->srcKind,
                       .dst_kind = m->dstKind, .bytes = m->bytes, .device = m->deviceId,
                       .context_id = m->contextId, .stream_id = m->streamId, .correlation_id = m->correlationId,
                       .graph_id = m->graphId, .src_device = m->srcDeviceId, .dst_device = m->dstDeviceId,
                       .start_ns = m->start, .end_ns = m->end };
        if (bsp_store_add_memop(g.store, &r))
            g.store_oom++;
        break;
    }
    case CUPTI_ACTIVITY_KIND_RUNTIME:
    case CUPTI_ACTIVITY_KIND_DRIVER: {
        const CUpti_ActivityAPI *a = (const CUpti_ActivityAPI *)rec;
        int drv = rec->kind == CUPTI_ACTIVITY_KIND_DRIVER;
        const api_ent *e = NULL;
        if (!g.api_on)
            break;
        if (drv && a->cbid < CUPTI_DRIVER_TRACE_CBID_SIZE)
            e = &g.api_drv[a->cbid];
        else if (!drv && a->cbid < CUPTI_RUNTIME_TRACE_CBID_SIZE)
            e = &g.api_rt[a->cbid];
        if (!e || !e->id1) {
            g.api_other++;
            break;
        }
        bsp_hrec r = { .name_id = e->id1 - 1, .domain = drv ? BSP_HDOM_DRIVER : BSP_HDOM_RUNTIME, .cls = e->cls,
                       .thread_id = a->threadId, .correlation_id = a->correlationId, .start_ns = a->start,
                       .end_ns = a->end };
        if (bsp_store_add_api(g.store, &r))
            g.store_oom++;
        break;
    }
    case CUPTI_ACTIVITY_KIND_MEMSET: {
        const CUpti_ActivityMemset4 *m = (const CUpti_ActivityMemset4 *)rec;
        bsp_mrec r = { .op = BSP_MEMOP_MEMSET, .copy_kind = 0, .src_kind = -1, .dst_kind = m->memoryKind,
                       .bytes = m->bytes, .device = m->deviceId, .context_id = m->contextId,
                       .stream_id = m->streamId, .correlation_id = m->correlationId, .graph_id = m->graphId,
                       .src_device = m->deviceId, .dst_device = m->deviceId, .start_ns = m->start,
                       .end_ns = m->end };
        if (bsp_store_add_memop(g.store, &r))
            g.store_oom++;
        break;
    }
    default:
        break;
    }
}

static void CUPTIAPI buf_completed(CUcontext ctx, uint32_t stream, uint8_t *buffer, size_t size, size_t valid)
{
    CUpti_Activity *rec = NULL;
    size_t dropped = 0;
    (void)size;
    if (!buffer)
        return;
    pthread_mutex_lock(&g.mu);
    if (g.store)
        while (valid && cuptiActivityGetNextRecord(buffer, valid, &rec) == CUPTI_SUCCESS)
            add_record(rec);
    if (cuptiActivityGetNumDroppedRecords(ctx, stream, &dropped) == CUPTI_SUCCESS)
        g.activity_dropped += dropped;
    pthread_mutex_unlock(&g.mu);
    free(buffer);
}

/* ---- provenance and output ---- */

static void read_driver_version(char *out, size_t n)
{
    char line[512];
    int v = 0;
    FILE *f = fopen("/proc/driver/nvidia/version", "r");
    out[0] = '\0';
    if (f) {
        /* "NVRM version: NVIDIA UNIX [Open ]Kernel Module for x86_64  580.159.04  Release ...":
         * the first token shaped like a version number */
        if (fgets(line, sizeof line, f)) {
            char *save = NULL;
            for (char *t = strtok_r(line, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
                int dots = 0, ok = *t >= '0' && *t <= '9';
                for (const char *q = t; ok && *q; q++)
                    dots += *q == '.', ok = (*q >= '0' && *q <= '9') || *q == '.';
                if (ok && dots >= 1) {
                    snprintf(out, n, "%s", t);
                    break;
                }
            }
        }
        fclose(f);
    }
    if (!out[0] && cuDriverGetVersion(&v) == CUDA_SUCCESS)
        snprintf(out, n, "cuda-driver-api %d", v);
}

static void read_cmdline(char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    FILE *f = fopen("/proc/self/cmdline", "r");
    if (!f)
        return;
    len = fread(out, 1, n - 1, f);
    fclose(f);
    out[len] = '\0';
    for (size_t i = 0; i + 1 < len; i++)
        if (out[i] == '\0')
            out[i] = ' ';
}

static void write_outputs(void)
{
    bsp_err err = { 0 };
    bsp_store_summary sum;
    bsp_profile_meta m;
    uint64_t configs = 0, decided = 0, sampled = 0, ranges = 0;
    bsp_store_dropped drop = { 0, 0, 0, 0 };
    int passes = 0, drv = 0;
    size_t n;

    if (g.capture) {
        bsp_store_keep_captured(g.store, g.capture, &drop);
        ranges = bsp_capture_ranges(g.capture);
    }
    if (bsp_store_write(g.store, g.out, g.memops, g.api_on ? g.api : NULL, &sum, &err)) {
        MSG("could not write the profile: %s\n", err.msg);
        return;
    }
    bsp_sampler_stats(g.sampler, &configs, &decided, &sampled);
    for (int i = 0; i < MAX_DEV; i++)
        if (g.dev[i].init == 1 && (int)g.dev[i].passes > passes)
            passes = (int)g.dev[i].passes;

    memset(&m, 0, sizeof m);
    {
        CUdevice d;
        int ord = g.first_device >= 0 ? g.first_device : 0;
        if (cuDeviceGet(&d, ord) != CUDA_SUCCESS || cuDeviceGetName(m.device, sizeof m.device, d) != CUDA_SUCCESS)
            snprintf(m.device, sizeof m.device, "unknown");
    }
    read_driver_version(m.driver, sizeof m.driver);
    if (cuDriverGetVersion(&drv) == CUDA_SUCCESS)
        snprintf(m.cuda, sizeof m.cuda, "%d.%d", drv / 1000, (drv % 1000) / 10);
    {
        time_t t = time(NULL);
        struct tm tmv;
        gmtime_r(&t, &tmv);
        strftime(m.date, sizeof m.date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    }
    snprintf(m.tool_version, sizeof m.tool_version, "%s", BSP_VERSION);
    if (gethostname(m.host, sizeof m.host))
        m.host[0] = '\0';
    m.host[sizeof m.host - 1] = '\0';
    read_cmdline(m.command, sizeof m.command);
    snprintf(m.metric_set, sizeof m.metric_set, "%s", bsp_metric_set_name(g.o.metric_set));
    snprintf(m.capture_range, sizeof m.capture_range, "%s", bsp_capture_mode_name(g.o.capture));
    m.passes = g.o.metric_set == BSP_MSET_NONE ? 0 : passes;
    m.clock_mhz_seen = sum.clock_mhz_seen;
    m.app_wall_ns = NAN;
    m.app_exit_code = 0;
    {
        uint32_t cv = 0;
        cuptiGetVersion(&cv);
        n = (size_t)snprintf(m.notes, sizeof m.notes,
                             "collector: CUPTI API %u, Activity API durations for every launch, Range Profiler "
                             "(auto range, kernel replay) counters for %" PRIu64 " of %" PRIu64
                             " launches (%" PRIu64 " configurations, samples %" PRIu64 ", regex '%s', skip %" PRIu64
                             ", count %" PRIu64 ", config skip %" PRIu64 ", range profiler %s), %.3f s inside profiled launches",
                             cv, sum.profiled, sum.launches, configs, g.o.samples, g.o.kernel_regex,
                             g.o.launch_skip, g.o.launch_count, g.o.config_skip,
                             g.o.release ? "released after each profiled launch" : "kept", g.prof_seconds);
        if (g.capture && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n,
                                  "; capture range profiler-api: %" PRIu64 " range%s (cudaProfilerStart/cuProfilerStart "
                                  "to the next stop); outside them %" PRIu64 " launches, %" PRIu64
                                  " memory operations and %" PRIu64 " API calls not written%s",
                                  ranges, ranges == 1 ? "" : "s", drop.kernels, drop.memops, drop.api_calls,
                                  g.capture_lost ? ", some profiler calls lost (memory)" : "");
        if (g.api_on && n < sizeof m.notes) {
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; %" PRIu64 " API calls (%s)", sum.api_calls,
                                  g.api_how);
            if (g.api_other && n < sizeof m.notes)
                n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, ", %" PRIu64 " records of other calls dropped",
                                      g.api_other);
        } else if (n < sizeof m.notes) {
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; API calls not recorded: %s", g.api_how);
        }
        if (g.off_reason[0] && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; counters off: %s", g.off_reason);
        if (g.dropped_metrics[0] && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; metrics rejected: %s", g.dropped_metrics);
        if (g.activity_dropped && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; %" PRIu64 " activity records dropped",
                                  g.activity_dropped);
        if (g.shared_ranges && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n,
                                  "; counters of %" PRIu64 " profiled launches discarded (another kernel in the range)",
                                  g.shared_ranges);
        if (g.o.serialize && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n,
                                  "; copies, memsets and graph launches held off during profiled launches");
        if (sum.profiler_durations && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n,
                                  "; durations of the %" PRIu64 " replayed launches from %s", sum.profiler_durations,
                                  DURATION_METRIC);
        if (sum.no_duration && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; %" PRIu64 " launches without a duration (0)",
                                  sum.no_duration);
        if (sum.replay_records_dropped && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n,
                                  "; %" PRIu64 " extra kernel records of replayed launches dropped",
                                  sum.replay_records_dropped);
        if (g.store_oom && n < sizeof m.notes)
            n += (size_t)snprintf(m.notes + n, sizeof m.notes - n, "; %" PRIu64 " records lost (memory)", g.store_oom);
    }
    if (bsp_profile_meta_save(&m, g.out, &err))
        MSG("could not write the metadata: %s\n", err.msg);
    if (g.capture && !ranges)
        MSG("--capture-range profiler-api: the application never called cudaProfilerStart or cuProfilerStart; "
            "the profile holds no launches (%" PRIu64 " launches, %" PRIu64 " memory operations and %" PRIu64
            " API calls not written)\n", drop.kernels, drop.memops, drop.api_calls);
    else if (g.capture)
        MSG("capture range: %" PRIu64 " range%s; %" PRIu64 " launches, %" PRIu64 " memory operations and %" PRIu64
            " API calls outside them not written\n", ranges, ranges == 1 ? "" : "s", drop.kernels, drop.memops,
            drop.api_calls);
    char apis[64];
    if (g.api_on)
        snprintf(apis, sizeof apis, "%" PRIu64 " API calls", sum.api_calls);
    else
        snprintf(apis, sizeof apis, "API calls not recorded");
    if (g.o.metric_set == BSP_MSET_NONE)
        MSG("wrote %s: %" PRIu64 " launches (durations only), %" PRIu64 " memory operations, %s\n", g.out,
            sum.launches, sum.memops, apis);
    else
        MSG("wrote %s: %" PRIu64 " launches (%" PRIu64 " with counters, %" PRIu64 " configurations, %d pass%s), %" PRIu64
            " memory operations, %s\n",
            g.out, sum.launches, sum.profiled, configs, m.passes, m.passes == 1 ? "" : "es", sum.memops, apis);
    if (sum.counters_unmatched)
        MSG("%" PRIu64 " counter sets matched no kernel record\n", sum.counters_unmatched);
    if (g.activity_dropped)
        MSG("%" PRIu64 " activity records were dropped by CUPTI\n", g.activity_dropped);
}

static void at_exit(void)
{
    if (!g.active || getpid() != g.owner)
        return;
    pthread_mutex_lock(&g.mu);
    g.counters_on = 0;
    pthread_mutex_unlock(&g.mu);
    CUptiResult r = cuptiActivityFlushAll(CUPTI_ACTIVITY_FLAG_FLUSH_FORCED);
    if (r != CUPTI_SUCCESS)
        MSG("cuptiActivityFlushAll: %s (the profile may miss the last launches)\n", cupti_str(r));
    pthread_mutex_lock(&g.mu);
    g.active = 0;
    write_outputs();
    pthread_mutex_unlock(&g.mu);
    /* leave no range profiler enabled for the runtime's teardown */
    pthread_rwlock_wrlock(&g.launch_lock);
    while (g.ctxs)
        ctx_forget(g.ctxs);
    pthread_rwlock_unlock(&g.launch_lock);
}

/* Claim the launcher's output path for this process; another process of
 * the same run (a child, a second program of a script) writes beside it. */
static void choose_paths(void)
{
    char claim[4300];
    snprintf(claim, sizeof claim, "%s.claim", g.o.out);
    int fd = open(claim, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST) {
        if (fd >= 0) {
            char pid[32];
            int k = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
            if (write(fd, pid, (size_t)k) < 0) {
                /* the claim is the file's existence; its text is a courtesy */
            }
            close(fd);
        }
        g.primary = 1;
        snprintf(g.out, sizeof g.out, "%s", g.o.out);
    } else {
        size_t n = strlen(g.o.out);
        int cut = n > 4 && strcmp(g.o.out + n - 4, ".csv") == 0 ? 4 : 0;
        snprintf(g.out, sizeof g.out, "%.*s.%d.csv", (int)(n - (size_t)cut), g.o.out, (int)getpid());
        MSG("another process of this run owns %s; this one (pid %d) writes %s\n", g.o.out, (int)getpid(), g.out);
    }
    snprintf(g.memops, sizeof g.memops, "%s.memops.csv", g.out);
    snprintf(g.api, sizeof g.api, "%s.api.csv", g.out);
}

/* Host API calls: find the recorded functions among every callback id by
 * name, intern their names and enable their activity records one by one
 * (BSP_APIMODE_CALLS), or trace every runtime and driver call and drop the
 * others on arrival (BSP_APIMODE_KINDS, and the fallback when enabling by
 * id fails).  A failure costs the API records, never the collector. */
static void api_setup(void)
{
    static const struct {
        CUpti_CallbackDomain dom;
        CUpti_ActivityKind kind;
        uint32_t ncbid;
        const char *what;
    } doms[2] = {
        { CUPTI_CB_DOMAIN_RUNTIME_API, CUPTI_ACTIVITY_KIND_RUNTIME, CUPTI_RUNTIME_TRACE_CBID_SIZE, "runtime" },
        { CUPTI_CB_DOMAIN_DRIVER_API, CUPTI_ACTIVITY_KIND_DRIVER, CUPTI_DRIVER_TRACE_CBID_SIZE, "driver" },
    };
    int by_id[2] = { 0, 0 }, nfn[2] = { 0, 0 };

    if (g.o.api_mode == BSP_APIMODE_OFF) {
        snprintf(g.api_how, sizeof g.api_how, "%s=off", BSP_ENV_API);
        return;
    }
    for (int d = 0; d < 2; d++) {
        api_ent *tab = d ? g.api_drv : g.api_rt;
        int fine = g.o.api_mode == BSP_APIMODE_CALLS;
        for (uint32_t cbid = 1; cbid < doms[d].ncbid; cbid++) {
            const char *name = NULL;
            if (cuptiGetCallbackName(doms[d].dom, cbid, &name) != CUPTI_SUCCESS || !name)
                continue;
            int cls = bsp_hostapi_class(name);
            if (cls < 0)
                continue;
            uint32_t id = bsp_store_intern(g.store, name);
            if (id == UINT32_MAX) {
                snprintf(g.api_how, sizeof g.api_how, "out of memory");
                MSG("API calls not recorded: out of memory\n");
                return;
            }
            tab[cbid].id1 = id + 1;
            tab[cbid].cls = cls;
            nfn[d]++;
            if (fine) {
                CUptiResult r = d ? cuptiActivityEnableDriverApi(cbid, 1) : cuptiActivityEnableRuntimeApi(cbid, 1);
                if (r != CUPTI_SUCCESS) {
                    MSG("cuptiActivityEnable%sApi(%s): %s; tracing every %s call instead\n", d ? "Driver" : "Runtime",
                        name, cupti_str(r), doms[d].what);
                    fine = 0;
                }
            }
        }
        if (!fine) {
            CUptiResult r = cuptiActivityEnable(doms[d].kind);
            if (r != CUPTI_SUCCESS) {
                snprintf(g.api_how, sizeof g.api_how, "cuptiActivityEnable(%s API): %s", doms[d].what, cupti_str(r));
                MSG("API calls not recorded: %s\n", g.api_how);
                return;
            }
        }
        by_id[d] = fine;
    }
    g.api_on = 1;
    if (by_id[0] && by_id[1])
        snprintf(g.api_how, sizeof g.api_how, "%d runtime and %d driver functions enabled by id", nfn[0], nfn[1]);
    else
        snprintf(g.api_how, sizeof g.api_how, "%d runtime functions %s, %d driver functions %s", nfn[0],
                 by_id[0] ? "enabled by id" : "kept from all runtime calls", nfn[1],
                 by_id[1] ? "enabled by id" : "kept from all driver calls");
}

static int start(void)
{
    int rc = 0;
    bsp_err e = { 0 }, *err = &e;
    pthread_rwlockattr_t ra;

    if ((rc = bsp_prof_opts_load(&g.o, NULL, err)))
        goto out;
    if ((rc = bsp_sampler_new(&g.sampler, &g.o, err)))
        goto out;
    if (bsp_store_new(&g.store) || (g.o.capture == BSP_CAPTURE_PROFILER_API && bsp_capture_new(&g.capture))) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
        goto out;
    }
    pthread_rwlockattr_init(&ra);
    pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&g.launch_lock, &ra);
    pthread_rwlockattr_destroy(&ra);
    g.nctr_set = bsp_metric_set_ids(g.o.metric_set, g.set_ids);
    choose_paths();

    CUPTI_CALL(cuptiSubscribe(&g.sub, on_callback, NULL));
    CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_RESOURCE, CUPTI_CBID_RESOURCE_CONTEXT_DESTROY_STARTING));
    if (g.capture) {
        /* the driver's entry points, and the runtime's in case a runtime
         * call does not pass through them */
        CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_DRIVER_API, CUPTI_DRIVER_TRACE_CBID_cuProfilerStart));
        CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_DRIVER_API, CUPTI_DRIVER_TRACE_CBID_cuProfilerStop));
        CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_RUNTIME_API,
                                       CUPTI_RUNTIME_TRACE_CBID_cudaProfilerStart_v4000));
        CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_RUNTIME_API,
                                       CUPTI_RUNTIME_TRACE_CBID_cudaProfilerStop_v4000));
    }
    if (g.nctr_set > 0) {
        for (size_t i = 0; i < sizeof launch_cbids / sizeof launch_cbids[0]; i++)
            CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_DRIVER_API, launch_cbids[i]));
        if (g.o.serialize) {
            static const char *const prefixes[] = { "cuMemcpy", "cuMemset", "cuGraphLaunch", "cuMemPrefetch" };
            for (uint32_t cbid = 1; cbid < CUPTI_DRIVER_TRACE_CBID_SIZE; cbid++) {
                const char *name = NULL;
                if (cuptiGetCallbackName(CUPTI_CB_DOMAIN_DRIVER_API, cbid, &name) != CUPTI_SUCCESS || !name)
                    continue;
                for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
                    if (strncmp(name, prefixes[k], strlen(prefixes[k])) == 0) {
                        CUPTI_CALL(cuptiEnableCallback(1, g.sub, CUPTI_CB_DOMAIN_DRIVER_API, cbid));
                        g.guard_cbid[cbid] = 1;
                        break;
                    }
            }
        }
        g.counters_on = 1;
    }
    CUPTI_CALL(cuptiActivityRegisterCallbacks(buf_requested, buf_completed));
    CUPTI_CALL(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL));
    CUPTI_CALL(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_MEMCPY));
    CUPTI_CALL(cuptiActivityEnable(CUPTI_ACTIVITY_KIND_MEMSET));
    {
        CUptiResult r = cuptiActivityEnable(CUPTI_ACTIVITY_KIND_MEMCPY2);
        if (r != CUPTI_SUCCESS)
            MSG("peer-to-peer copies not traced: %s\n", cupti_str(r));
    }
    api_setup();
    g.owner = getpid();
    g.active = 1;
    if (atexit(at_exit)) {
        rc = bsp_err_set(err, BSP_ENOMEM, "atexit failed");
        goto out;
    }
out:
    if (rc) {
        g.active = 0;
        g.counters_on = 0;
        MSG("collector not started: %s\n", e.msg);
    }
    return rc;
}

/* Entry point called by the CUDA driver at cuInit when CUDA_INJECTION64_PATH
 * names this library. */
__attribute__((visibility("default"))) int InitializeInjection(void);

int InitializeInjection(void)
{
    static int done;
    if (!done) {
        done = 1;
        start();
    }
    return 1;
}
