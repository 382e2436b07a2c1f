/*
 * bsp_profile: a profile, as CSV with one row per kernel launch
 * (docs/formats.md), plus a provenance sidecar PATH.meta.json.
 *
 * Counters not collected for a launch (sampling, permissions) are NaN in
 * memory and empty cells in the file.
 */
#ifndef BSPGPU_PROFILE_H
#define BSPGPU_PROFILE_H

#include <stdint.h>
#include <stdio.h>
#include "bspgpu/common.h"
#include "bspgpu/counters.h"

#define BSP_NAME_MAX 1024

/* One kernel launch.  Strings are owned by whoever filled the row: the
 * reader's rows live until the callback returns. */
typedef struct bsp_launch {
    uint64_t launch_id;        /* order of launch in the process, from 0 */
    const char *kernel;        /* demangled name */
    const char *kernel_mangled;/* mangled name ("" if not known) */
    int device;
    uint32_t context_id;
    uint32_t stream_id;
    int graph;                 /* 1 if launched from a CUDA graph */
    uint64_t correlation_id;   /* CUPTI correlation id: joins the launch to its host API
                                * call in PATH.api.csv; 0 if not known */
    uint32_t grid[3];
    uint32_t block[3];
    int registers_per_thread;
    uint32_t shared_static_bytes;
    uint32_t shared_dynamic_bytes;
    uint64_t start_ns;         /* GPU timestamp, ns */
    double duration_ns;        /* exact, from the Activity API */
    int profiled;              /* 1 if counters were collected */
    double ctr[BSP_NCTR];      /* BSP_CTR_*; NaN if not collected */
} bsp_launch;

/* Reset a launch: zeros, counters NaN, strings "". */
void bsp_launch_init(bsp_launch *l);

/* Threads in the launch: product of grid and block dims. */
double bsp_launch_threads(const bsp_launch *l);

/* ---- writing ---- */

typedef struct bsp_profile_writer bsp_profile_writer;

/* Open a writer to a temporary file beside path; the header row is
 * written at once.  Nothing appears at path until bsp_profile_writer_close
 * succeeds.  Caller owns the writer. */
int bsp_profile_writer_open(bsp_profile_writer **w, const char *path, bsp_err *err);
int bsp_profile_writer_row(bsp_profile_writer *w, const bsp_launch *l, bsp_err *err);
/* Flush and rename into place (commit != 0), or discard (commit == 0).
 * Frees w in both cases; accepts NULL. */
int bsp_profile_writer_close(bsp_profile_writer *w, int commit, bsp_err *err);

/* Write one row to an open stream (no header); used by tests and tools. */
int bsp_profile_fprint_header(FILE *f);
int bsp_profile_fprint_row(FILE *f, const bsp_launch *l);

/* ---- reading (streaming) ---- */

/* Called once per row; return non-zero to stop (that value is returned). */
typedef int (*bsp_launch_cb)(const bsp_launch *l, void *ud);

/* Stream every row of a profile CSV through cb.  Columns are found by
 * header name, so extra columns are ignored and order is free; a missing
 * required column, a bad number, a wrong cell count or an unterminated
 * quote fails with path:line and column name. */
int bsp_profile_read(const char *path, bsp_launch_cb cb, void *ud, bsp_err *err);

/* ---- aggregation per kernel ---- */

/* One kernel configuration: same name, grid and block. */
typedef struct bsp_kernel {
    char *key;                 /* "name|gx,gy,gz|bx,by,bz": the join key across boards */
    char *name;                /* demangled name */
    uint32_t grid[3], block[3];
    double threads;            /* N */
    int registers_per_thread;
    uint32_t shared_bytes;     /* static + dynamic per block */
    uint64_t launches;         /* j_n */
    /* timed by unprofiled launches when there are any; in dur_sum_ns a
     * profiled (replayed) launch counts at the unprofiled median */
    double dur_sum_ns, dur_mean_ns, dur_median_ns, dur_min_ns, dur_max_ns;
    double dur_replay_ns;      /* median duration of the profiled (replayed) launches; NaN if none */
    double dur_call_ns;        /* median duration of the unprofiled launches that are the same call
                                * as the first profiled one (BSP_CALL_CONTEXT launches on each side
                                * of the same configurations); NaN if none */
    uint64_t profiled;         /* launches with counters */
    double ctr[BSP_NCTR];      /* mean over profiled launches; NaN if none */
    uint64_t first_launch_id;  /* order of first appearance */
} bsp_kernel;

/* One launch in program order: which kernel, how long, replayed or not. */
typedef struct bsp_seq_launch {
    uint32_t kernel;           /* index into bsp_kernel_set.k */
    int profiled;              /* 1: replayed for counters, duration not comparable */
    double duration_ns;
} bsp_seq_launch;

/* Launches on each side that make two launches of one configuration the
 * same call (bsp_kernel.dur_call_ns). */
#define BSP_CALL_CONTEXT 2

typedef struct bsp_kernel_set {
    bsp_kernel *k;
    size_t n;
    bsp_seq_launch *seq;       /* every launch in the order added (bsp_align) */
    size_t nseq;
    uint64_t launches;         /* all launches */
    double dur_sum_ns;         /* sum of all launch durations */
    void *priv_;               /* internal index */
} bsp_kernel_set;

/* Read a profile and aggregate it per kernel configuration, in order of
 * first appearance.  Caller frees ks with bsp_kernel_set_free(). */
int bsp_profile_aggregate(const char *path, bsp_kernel_set *ks, bsp_err *err);

/* Incremental form: init, add launches, finish (computes medians). */
int bsp_kernel_set_init(bsp_kernel_set *ks);
int bsp_kernel_set_add(bsp_kernel_set *ks, const bsp_launch *l, bsp_err *err);
int bsp_kernel_set_finish(bsp_kernel_set *ks, bsp_err *err);
/* A launch's configuration key, "name|gx,gy,gz|bx,by,bz", into buf of
 * n >= BSP_KEY_MAX bytes; names longer than BSP_NAME_MAX are cut there. */
#define BSP_KEY_MAX (BSP_NAME_MAX + 96)
char *bsp_launch_key(const bsp_launch *l, char *buf, size_t n);
/* Look a kernel up by key; NULL if absent. */
const bsp_kernel *bsp_kernel_set_find(const bsp_kernel_set *ks, const char *key);
void bsp_kernel_set_free(bsp_kernel_set *ks);

/* ---- provenance sidecar (PATH.meta.json) ---- */
typedef struct bsp_profile_meta {
    char device[128], driver[32], cuda[32], date[32], tool_version[32];
    char host[64], board[64];
    char command[1024];
    char metric_set[32];       /* "seed", "full", "mem", "none" */
    char capture_range[32];    /* "none" (the whole process), "profiler-api"; "" if not recorded */
    int passes;                /* replay passes per profiled launch */
    double clock_mhz_seen;     /* from sm_cycles / duration, if known */
    double app_wall_ns;        /* wall time of the application */
    int app_exit_code;
    char notes[1024];
} bsp_profile_meta;

/* Write / read PATH.meta.json (profile_path is the CSV's path). */
int bsp_profile_meta_save(const bsp_profile_meta *m, const char *profile_path, bsp_err *err);
int bsp_profile_meta_load(bsp_profile_meta *m, const char *profile_path, bsp_err *err);

#endif
