/*
 * bsp_timeline: one profiled run as a timeline on one clock: its GPU
 * activities (kernels from PATH, copies and sets from PATH.memops.csv) and
 * the host API calls that issued them (PATH.api.csv), with the application's
 * wall time from PATH.meta.json.  docs/model.md, "Whole-application time",
 * says how the timeline is cut into kernels, copies and gaps and how the
 * application's time on another board is predicted from it.
 *
 * Launches replayed for counters have no timestamps: they are counted
 * (untimed) but not placed.  Durations-only profiles (--metrics none) have
 * none of them and give the exact timeline.
 */
#ifndef BSPGPU_TIMELINE_H
#define BSPGPU_TIMELINE_H

#include <stddef.h>
#include <stdint.h>
#include "bspgpu/board.h"
#include "bspgpu/common.h"

typedef enum { BSP_ACT_KERNEL = 0, BSP_ACT_MEMCPY = 1, BSP_ACT_MEMSET = 2 } bsp_act_kind;

/* Copy directions and memory kinds, as named in PATH.memops.csv. */
typedef enum { BSP_DIR_NONE = 0, BSP_DIR_HTOD, BSP_DIR_DTOH, BSP_DIR_DTOD, BSP_DIR_OTHER } bsp_copy_dir;

/* Classes of PATH.api.csv; sync calls that never hold the host (queries,
 * cudaStreamWaitEvent) are read as other. */
typedef enum {
    BSP_API_LAUNCH = 0, BSP_API_GRAPH, BSP_API_MEMCPY, BSP_API_MEMSET, BSP_API_SYNC, BSP_API_OTHER, BSP_API_NCLASS
} bsp_api_class;

/* One GPU activity. */
typedef struct bsp_activity {
    int kind;                  /* bsp_act_kind */
    uint64_t stream;           /* context_id << 32 | stream_id */
    uint64_t correlation_id;   /* 0 if not known */
    uint64_t start_ns, end_ns; /* both 0 if untimed */
    double duration_ns;        /* end - start, or the profile's duration if untimed */
    int key;                   /* kernel: index into bsp_timeline.keys; else -1 */
    int dir;                   /* memcpy: bsp_copy_dir */
    int pinned;                /* memcpy: host side pinned (1) or pageable (0) */
    uint64_t bytes;            /* memcpy, memset */
    long api;                  /* index of the issuing top-level API call; -1 if none */
} bsp_activity;

/* One host API call. */
typedef struct bsp_api_call {
    int klass;                 /* bsp_api_class */
    int driver;                /* 1: driver API, 0: runtime API */
    uint32_t thread_id;
    uint64_t correlation_id;
    uint64_t start_ns, end_ns;
    long outer;                /* the call this one is nested in (same thread); -1 if top level */
    int device_sync;           /* cudaDeviceSynchronize or cuCtxSynchronize */
} bsp_api_call;

typedef struct bsp_timeline {
    bsp_activity *act;         /* timed activities first, by start; then untimed ones */
    size_t nact, ntimed;
    bsp_api_call *api;         /* by start */
    size_t napi;
    char **keys;               /* kernel configuration keys, as bsp_kernel.key */
    size_t nkeys;
    int has_memops, has_api;   /* sidecar files found */
    double app_wall_ns;        /* NaN if the meta file does not give it, or the profile
                                * holds a capture range only (meta capture_range) */
    char metric_set[32];       /* from the meta file; "" if none */
} bsp_timeline;

/* Load the profile at path and its sidecars (PATH.memops.csv, PATH.api.csv,
 * each also as .gz; PATH.meta.json).  Missing sidecars are allowed and
 * flagged; a malformed one fails with file, line and column.  Caller frees
 * with bsp_timeline_free. */
int bsp_timeline_load(bsp_timeline *t, const char *path, bsp_err *err);
void bsp_timeline_free(bsp_timeline *t);

/* The run cut into parts.  The window runs from the first timed activity or
 * top-level API call to the last end of either; at every instant of it the
 * device is counted as running a kernel, else a copy or set, else idle, so
 * kernel + memop + idle = window. */
typedef struct bsp_tl_summary {
    double wall_ns;            /* application wall time (NaN if unknown) */
    double window_ns;
    double kernel_ns, memop_ns, idle_ns;      /* the partition of the window */
    double host_ns;            /* wall - window: the host alone (NaN if wall unknown) */
    double kernel_sum_ns, memcpy_sum_ns, memset_sum_ns; /* plain sums of durations */
    double stream_gap_ns;      /* sum over streams of the time between consecutive activities */
    double bytes[BSP_DIR_OTHER + 1]; /* copied bytes by direction */
    size_t kernels, memcpys, memsets, untimed, api_calls, streams;
    size_t syncs;              /* top-level device-wide synchronizations */
    double last_seg_ns;        /* end of the last device-wide sync minus end of the one before:
                                * the last iteration of a loop that synchronizes the device once
                                * per iteration (NaN with fewer than 2) */
} bsp_tl_summary;

int bsp_timeline_summarize(const bsp_timeline *t, bsp_tl_summary *s, bsp_err *err);

/* Per-stream part of the summary. */
typedef struct bsp_tl_stream {
    uint64_t stream;
    size_t activities;
    double busy_ns;            /* sum of activity durations */
    double gap_ns;             /* time between consecutive activities */
    double first_ns, last_ns;  /* first start, last end (relative to the window start) */
} bsp_tl_stream;

/* Streams in order of first activity: malloc'd array (caller frees). */
int bsp_timeline_streams(const bsp_timeline *t, bsp_tl_stream **out, size_t *n, bsp_err *err);

/* ---- predicting the application's time on board B ---- */

/* What is assumed of B's host. */
typedef enum {
    BSP_HOST_SAME = 0,         /* B's host behaves as A's: host times carried over */
    BSP_HOST_MEASURED = 1,     /* host times scaled by B's over A's calibrated launch overhead */
    BSP_HOST_GIVEN = 2         /* host times scaled by a factor the caller gives */
} bsp_host_mode;

/* Kernel-duration ratios B/A by configuration key, from a kernel model;
 * looked up with a callback so the timeline does not depend on the study. */
typedef double (*bsp_kernel_ratio_fn)(const char *key, void *ud);

typedef struct bsp_app_pred {
    int host_mode;
    double host_scale;         /* factor applied to host times (1 for same host) */
    double kernel_ns;          /* K: sum of predicted kernel durations */
    double memcpy_ns, memset_ns; /* C: predicted copy and set durations */
    double idle_ns;            /* G: device idle time carried from A (scaled) */
    double host_ns;            /* H: wall - window on A (scaled); NaN if unknown */
    double window_add_ns;      /* K + C + G */
    double wall_add_ns;        /* K + C + G + H */
    double window_sim_ns;      /* replayed timeline (NaN without API calls) */
    double wall_sim_ns;        /* window_sim + H */
    double last_seg_sim_ns;    /* the replay's last segment between device-wide syncs (NaN if none) */
    size_t kernels_unpredicted;/* timed kernels whose ratio was unknown (ratio 1) */
} bsp_app_pred;

/* Predicted duration on board b of a copy or set that took dur_a_ns on a:
 * dur_a scaled by the calibrated cost ratio (latency + bytes / bandwidth) of
 * its direction and host-memory kind.  NaN if a board lacks the figures. */
double bsp_memop_ratio(const bsp_activity *x, const bsp_board *a, const bsp_board *b);

/* Predict the run's time on board b.  ratio gives each kernel configuration's
 * predicted duration on B over its duration on A (NaN or a missing key:
 * 1, counted in kernels_unpredicted).  host_scale is used with
 * BSP_HOST_GIVEN only (> 0). */
int bsp_timeline_predict(const bsp_timeline *t, const bsp_board *a, const bsp_board *b, bsp_host_mode mode,
                         double host_scale, bsp_kernel_ratio_fn ratio, void *ud, bsp_app_pred *p, bsp_err *err);

/* Median host duration of the run's top-level kernel-launch calls, ns (NaN
 * if none): the host's cost of one launch as this run saw it. */
double bsp_timeline_launch_call_ns(const bsp_timeline *t);

#endif
