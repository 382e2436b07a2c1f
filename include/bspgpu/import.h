/*
 * bsp_import: turn Nsight Compute (ncu) and nvprof CSV output into a bspgpu
 * profile (docs/formats.md, "Importing ncu and nvprof CSV").
 *
 * Accepted inputs, recognised by their header row (lines before the header,
 * such as ==PROF== lines or the application's own output, are skipped):
 *   ncu --csv --page raw [--print-units base]   one row per launch
 *   ncu --csv                                    details page: one row per
 *                                                (launch, section, metric)
 *   nvprof --print-gpu-trace --csv               one row per launch or copy
 *   nvprof --csv --metrics M,... [--events E,...] one row per (kernel, metric)
 *
 * ncu metrics are mapped to profile counters through the counter table
 * (bsp_counter_by_metric); nvprof metrics through the table in src/import.c,
 * documented in docs/formats.md with what is exact, what is approximate and
 * what cannot be mapped.
 *
 * Every function follows the error convention of common.h: 0 or a negative
 * BSP_E* code, with err naming file, line and column.
 */
#ifndef BSPGPU_IMPORT_H
#define BSPGPU_IMPORT_H

#include <stddef.h>
#include "bspgpu/common.h"
#include "bspgpu/profile.h"

/* What a file was recognised as. */
typedef enum bsp_import_fmt {
    BSP_IMPORT_UNKNOWN = 0,
    BSP_IMPORT_NCU_RAW,         /* ncu --csv --page raw */
    BSP_IMPORT_NCU_DETAILS,     /* ncu --csv (details page, long format) */
    BSP_IMPORT_NVPROF_TRACE,    /* nvprof --print-gpu-trace --csv */
    BSP_IMPORT_NVPROF_SUMMARY   /* nvprof --csv --metrics/--events */
} bsp_import_fmt;

/* Short static name of a format ("ncu-raw", ...). */
const char *bsp_import_fmt_name(bsp_import_fmt fmt);

typedef struct bsp_import_opts {
    /* nvprof: derive l1_ld_hit_sectors from global_hit_rate x gld_transactions
     * and l2_hit_sectors from l2_tex_hit_rate x l2 sectors.  Off by default:
     * both are approximations (docs/formats.md says when they are exact). */
    int derive_hits;
} bsp_import_opts;

/* The launches read so far, in file order.  Strings are owned by the
 * import and live until bsp_import_free(). */
typedef struct bsp_import {
    bsp_launch *l;
    size_t n;
    size_t skipped;          /* rows that are not kernel launches (memcpy, memset) */
    char device[128];        /* device name if an input names it, else "" */
    char tool[32];           /* "ncu" or "nvprof" once something was read */
    char **warn;             /* warnings for the user, owned */
    size_t nwarn;
    char notes[1024];        /* what was read and how counters were mapped */
    void *priv_;
} bsp_import;

/* Zero an import.  Must be called before the first read. */
void bsp_import_init(bsp_import *im);

/* Recognise a file's format from its header row without reading the rest. */
int bsp_import_detect(const char *path, bsp_import_fmt *fmt, bsp_err *err);

/* Read an ncu CSV (raw or details page) and append its launches to im.
 * Fails on a missing required column, a bad number, a wrong cell count, an
 * unknown unit or an unterminated quote, naming path:line and the column. */
int bsp_import_ncu(bsp_import *im, const char *path, bsp_err *err);

/* Read nvprof CSV files: at least one --print-gpu-trace file (launch
 * configurations and durations) and any number of --metrics/--events
 * summary files, whose per-kernel averages (Avg column) are copied to every
 * launch of that kernel in the trace.  opts may be NULL. */
int bsp_import_nvprof(bsp_import *im, const char *const *paths, size_t npaths,
                      const bsp_import_opts *opts, bsp_err *err);

/* Write the launches as a profile at out_path and its sidecar
 * out_path.meta.json (command recorded there; may be NULL), whole or not
 * at all: on failure neither file is left behind.  Fails if there is no
 * launch. */
int bsp_import_write(const bsp_import *im, const char *out_path, const char *command, bsp_err *err);

/* Free what im owns (not im itself).  Accepts NULL. */
void bsp_import_free(bsp_import *im);

#endif
