/*
 * Internal interfaces of the CUPTI collector (build/libbspgpu-cupti.so).
 *
 * The collector is split so that everything that does not talk to CUPTI can
 * be unit-tested without a GPU:
 *   options.c  the options from the environment (profile_env.h)
 *   sets.c     the metric sets (seed / full / none) as data over counters.h
 *   sampler.c  which launches get counters (regex, skip, count, samples)
 *   demangle.c C++ names
 *   hostapi.c  which host API calls are recorded, their classes and names
 *   capture.c  the capture range: profiler start/stop calls, and which
 *              records fall inside (--capture-range profiler-api)
 *   store.c    kernel, memory-operation and host API records, joined with
 *              counters and written as the profile CSV, PATH.memops.csv and
 *              PATH.api.csv
 *   inject.c   CUPTI: callbacks, Activity API, Range Profiler (GPU only)
 * Errors follow include/bspgpu/common.h.
 */
#ifndef BSPGPU_CUPTI_INTERNAL_H
#define BSPGPU_CUPTI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "bspgpu/common.h"
#include "bspgpu/counters.h"
#include "profile_env.h"

/* ---- options ---- */

typedef struct bsp_prof_opts {
    char out[4096];          /* profile CSV path ("" if unset) */
    int metric_set;          /* bsp_metric_set */
    char kernel_regex[1024]; /* "" = every kernel */
    uint64_t launch_skip;    /* matching launches to pass over before profiling */
    uint64_t launch_count;   /* most launches to profile; 0 = no limit */
    uint64_t samples;        /* launches profiled per configuration; 0 = all */
    uint64_t config_skip;    /* launches of each configuration to pass over first */
    int verbose;
    int serialize;           /* hold other threads' copies, memsets, graph launches off */
    int release;             /* disable the range profiler after each profiled launch */
    int api_mode;            /* bsp_api_mode (profile_env.h) */
    int capture;             /* bsp_capture_mode (profile_env.h) */
} bsp_prof_opts;

/* Fill o from getenv-like lookup fn (NULL = getenv).  Defaults: metrics
 * seed, no regex, skip 0, count 0 (no limit), samples 1, config skip 0, API calls by id,
 * the whole process (no capture range).  A malformed value
 * fails with the variable's name in err; the output path is required. */
int bsp_prof_opts_load(bsp_prof_opts *o, const char *(*lookup)(const char *name), bsp_err *err);

/* ---- metric sets ---- */

/* Counter ids (BSP_CTR_*) of a set, in table order, into ids (room for
 * BSP_NCTR); returns how many (0 for none, -1 for an unknown set). */
int bsp_metric_set_ids(int set, int *ids);

/* ---- demangling ---- */

/* Demangled form of a C++ symbol, malloc'd (caller frees); a copy of the
 * input when it is not a mangled name; NULL only when out of memory. */
char *bsp_demangle(const char *mangled);

/* ---- sampling ---- */

typedef struct bsp_sampler bsp_sampler;

/* Compile the options' regex; caller frees with bsp_sampler_free. */
int bsp_sampler_new(bsp_sampler **s, const bsp_prof_opts *o, bsp_err *err);
void bsp_sampler_free(bsp_sampler *s);

/* Decide whether this launch of kernel `name` (mangled or plain) with grid
 * and block gets counters, and count it.  Not thread-safe: the caller
 * serializes.  Returns 1 to profile, 0 not to. */
int bsp_sampler_decide(bsp_sampler *s, const char *name, const uint32_t grid[3], const uint32_t block[3]);
/* Take back a positive decision (the launch could not be profiled: stream
 * capture, failed launch), so a later launch of that configuration is
 * sampled instead. */
void bsp_sampler_undo(bsp_sampler *s, const char *name, const uint32_t grid[3], const uint32_t block[3]);
/* Configurations seen, launches decided, launches profiled. */
void bsp_sampler_stats(const bsp_sampler *s, uint64_t *configs, uint64_t *launches, uint64_t *profiled);

/* ---- capture range (--capture-range profiler-api) ---- */

typedef struct bsp_capture bsp_capture;

/* Outside any range at first; caller frees with bsp_capture_free. */
int bsp_capture_new(bsp_capture **c);
void bsp_capture_free(bsp_capture *c);
/* A profiler start (start = 1: cudaProfilerStart, cuProfilerStart) or stop
 * (0) call with correlation id corr.  A start inside a range and a stop
 * outside one change nothing.  Not thread-safe: the caller serializes it
 * with the other calls below but bsp_capture_active.  BSP_ENOMEM: the mark
 * is lost (the flag of bsp_capture_active still follows it). */
int bsp_capture_mark(bsp_capture *c, int start, uint32_t corr);
/* 1 while a range is open: the mark with the largest id is a start.  An
 * atomic read, safe from any thread without the caller's lock. */
int bsp_capture_active(bsp_capture *c);
/* The sampling decision of a launch under a capture range: 0 while no
 * range is open, without asking the sampler (so its counts, skips and
 * samples cover only launches inside); else bsp_sampler_decide.  c NULL:
 * the whole process, bsp_sampler_decide.  The caller serializes as for
 * bsp_sampler_decide. */
int bsp_capture_decide(bsp_capture *c, bsp_sampler *s, const char *name, const uint32_t grid[3],
                       const uint32_t block[3]);
/* 1 if the call with correlation id corr, and what it issued, is inside a
 * range: the mark with the largest id below corr is a start (and corr is
 * not a mark's own id).  CUPTI
 * numbers API calls in the order they are made, so this holds for every
 * thread's calls, whatever order the marks came in. */
int bsp_capture_holds(const bsp_capture *c, uint32_t corr);
/* Ranges opened: starts, in id order, that were outside a range. */
uint64_t bsp_capture_ranges(const bsp_capture *c);

/* ---- host API calls ---- */

enum { BSP_HDOM_RUNTIME = 0, BSP_HDOM_DRIVER = 1 };
enum { BSP_HAPI_LAUNCH = 0, BSP_HAPI_GRAPH, BSP_HAPI_MEMCPY, BSP_HAPI_MEMSET, BSP_HAPI_SYNC, BSP_HAPI_NCLASS };

/* Class (BSP_HAPI_*) of a runtime or driver function by CUPTI's callback
 * name (cupti_runtime_cbid.h / cupti_driver_cbid.h spelling, with or
 * without the version suffix); -1 for a call that is not recorded.
 * launch: cudaLaunchKernel*, cudaLaunchCooperativeKernel*, cuLaunchKernel*,
 * cuLaunchCooperativeKernel*; graph: cudaGraphLaunch*, cuGraphLaunch*;
 * memcpy: cudaMemcpy*, cuMemcpy*; memset: cudaMemset*, cuMemset*; sync:
 * device, context, stream and event synchronize, query and stream wait
 * (with their _ptsz/_ptds/_v2 forms). */
int bsp_hostapi_class(const char *name);
/* Length of name without CUPTI's version suffix ("_v" and 4 or more digits:
 * cudaLaunchKernel_v7000 -> cudaLaunchKernel).  The driver's own "_v2"
 * (cuMemcpyHtoD_v2, an entry point of its own) is kept. */
size_t bsp_hostapi_name_len(const char *name);
/* "launch", "graph", ...; "runtime", "driver" ("?" out of range). */
const char *bsp_hostapi_class_name(int cls);
const char *bsp_hostapi_domain_name(int domain);

/* ---- records ---- */

typedef struct bsp_krec {
    uint32_t name_id;        /* from bsp_store_intern */
    uint32_t device, context_id, stream_id, correlation_id, graph_id;
    uint32_t grid[3], block[3];
    int32_t registers_per_thread;
    uint32_t shared_static_bytes, shared_dynamic_bytes;
    uint64_t start_ns, end_ns;
} bsp_krec;

enum { BSP_MEMOP_MEMCPY = 0, BSP_MEMOP_MEMSET = 1 };

typedef struct bsp_mrec {
    int op;                  /* BSP_MEMOP_* */
    int copy_kind;           /* CUpti_ActivityMemcpyKind (memcpy only) */
    int src_kind, dst_kind;  /* CUpti_ActivityMemoryKind; memset: dst only, src -1 */
    uint64_t bytes;
    uint32_t device, context_id, stream_id, correlation_id, graph_id;
    uint32_t src_device, dst_device; /* peer copies; else = device */
    uint64_t start_ns, end_ns;
} bsp_mrec;

typedef struct bsp_hrec {
    uint32_t name_id;        /* CUPTI's callback name, from bsp_store_intern */
    int domain;              /* BSP_HDOM_* */
    int cls;                 /* BSP_HAPI_* */
    uint32_t thread_id, correlation_id;
    uint64_t start_ns, end_ns;
} bsp_hrec;

typedef struct bsp_store bsp_store;

/* Summary of a written profile. */
typedef struct bsp_store_summary {
    uint64_t launches, profiled, memops;
    uint64_t api_calls;              /* host API records written */
    uint64_t replay_records_dropped; /* extra kernel records of a profiled launch */
    uint64_t profiler_durations;     /* launches timed by the profiler, not the Activity API */
    uint64_t no_duration;            /* launches with neither (duration 0) */
    uint64_t counters_unmatched;     /* counter sets with no kernel record */
    double clock_mhz_seen;           /* median sm_cycles / duration over profiled launches; 0 if none */
} bsp_store_summary;

/* Caller frees with bsp_store_free.  Not thread-safe. */
int bsp_store_new(bsp_store **st);
void bsp_store_free(bsp_store *st);
/* Id of a kernel or API function name (copied on first sight); UINT32_MAX
 * if out of memory. */
uint32_t bsp_store_intern(bsp_store *st, const char *name);
int bsp_store_add_kernel(bsp_store *st, const bsp_krec *r);
int bsp_store_add_memop(bsp_store *st, const bsp_mrec *r);
/* BSP_EINVAL for an unknown name id, domain or class. */
int bsp_store_add_api(bsp_store *st, const bsp_hrec *r);
/* Counters of the launch with this correlation id (ctr[BSP_NCTR], NaN where
 * not collected) and its duration as the profiler measured it (NaN if not):
 * used when the launch's kernel record has no timestamps (replayed). */
int bsp_store_add_counters(bsp_store *st, uint32_t correlation_id, const double *ctr, double duration_ns);
uint64_t bsp_store_kernel_count(const bsp_store *st);
/* Records dropped by bsp_store_keep_captured. */
typedef struct bsp_store_dropped {
    uint64_t kernels, memops, api_calls, counters;
} bsp_store_dropped;
/* Drop every kernel, memory-operation and API record and every counter
 * set whose correlation id cap does not hold (bsp_capture_holds); what
 * was dropped goes to *d (may be NULL). */
void bsp_store_keep_captured(bsp_store *st, const bsp_capture *cap, bsp_store_dropped *d);

/* Write the profile CSV (launches ordered by correlation id, then start;
 * launch_id numbered in that order), the memory-operation CSV (ordered by
 * start) and the host API CSV (ordered by start, then correlation id; names
 * without the version suffix), in that order, each whole or not at all; the
 * first failure stops.  memops_path and api_path may be NULL.  A launch
 * whose record has no timestamps takes the profiler's duration (start_ns 0);
 * failing that its duration is 0. */
int bsp_store_write(bsp_store *st, const char *csv_path, const char *memops_path, const char *api_path,
                    bsp_store_summary *sum, bsp_err *err);

/* Names used in PATH.memops.csv for the CUPTI enums (never NULL). */
const char *bsp_memcpy_kind_name(int copy_kind);
const char *bsp_memory_kind_name(int mem_kind);

#endif
