/*
 * bsp_board: a calibrated board, as a JSON file (schema "bspgpu-board",
 * version 1; docs/formats.md).  All latencies are in core cycles (and ns
 * where measured), clocks in MHz, bandwidths in GB/s (1e9 B/s).
 */
#ifndef BSPGPU_BOARD_H
#define BSPGPU_BOARD_H

#include "bspgpu/common.h"

#define BSP_BOARD_SCHEMA "bspgpu-board"
#define BSP_BOARD_VERSION 1

/* One measured quantity: median over repeats, with its spread.
 * n == 0 means "not measured" (optional fields only). */
typedef struct bsp_meas {
    double median;
    double min;
    double max;
    int n;
} bsp_meas;

/* One point of a latency sweep (pointer chase over a footprint). */
typedef struct bsp_sweep_pt {
    char level[16];          /* "l1", "l2", "dram", "shared" */
    double footprint_bytes;
    double cycles;           /* median cycles per load */
    double ns;               /* median ns per load */
} bsp_sweep_pt;

/* The kernel floor of a grid of `blocks` one-store blocks of 128 threads
 * (a launch that reaches fewer SMs than the chip has, and the chip-wide one):
 * timed launches, and launches replayed for counters (n == 0: not measured). */
typedef struct bsp_floor_pt {
    int blocks;
    bsp_meas ns;
    bsp_meas replay;
} bsp_floor_pt;

#define BSP_FLOOR_GRID_MAX 32

/* A chip-wide burst (bspgpu-l2rates): of L2 reads (l2r_burst<N>: the L2
 * bytes its profiled launch counted, 32 x l2_sectors), of DRAM reads
 * (l2r_dram<N>) or DRAM reads and writes (l2r_dcopy<N>: the DRAM bytes read,
 * and written up to the bytes stored); and the durations of its timed
 * launches (n == 0: not measured). */
typedef struct bsp_burst_pt {
    double bytes;
    bsp_meas ns;
} bsp_burst_pt;

#define BSP_L2_BURST_MAX 16

typedef struct bsp_board {
    char name[64];           /* short id, e.g. "h100-sxm" */

    /* provenance */
    char device[128];        /* cudaDeviceProp.name */
    char driver[32];         /* e.g. "580.159.04" */
    char cuda[32];           /* runtime version, e.g. "13.0" */
    char date[32];           /* ISO 8601 UTC */
    char tool_version[32];
    char command[512];
    char host[64];
    char notes[1024];

    /* device facts */
    int sms;                 /* SMs usable (green-context partition if set) */
    int sms_total;           /* SMs of the whole chip */
    int cores_per_sm;        /* FP32 lanes per SM */
    int cc_major, cc_minor;
    double clock_mhz;        /* core clock reached under load (measured) */
    double clock_mhz_max;    /* cudaDevAttrClockRate */
    double mem_clock_mhz;
    int mem_bus_bits;
    double l2_bytes;
    double smem_per_sm_bytes;
    int max_threads_per_sm;
    int max_blocks_per_sm;
    int regs_per_sm;
    int warp_size;

    /* seed model inputs: latencies in core cycles (required) */
    bsp_meas lat_shared_cycles;
    bsp_meas lat_l1_cycles;
    bsp_meas lat_l2_cycles;      /* near partition */
    bsp_meas lat_global_cycles;  /* device memory, footprint >> L2 */
    bsp_meas lat_inst_cycles;    /* instruction latency used for Comp */

    /* optional extras (n == 0 when not measured) */
    bsp_meas lat_l2_far_cycles;
    bsp_meas lat_fp32_add_cycles, lat_fp32_fma_cycles, lat_int_mad_cycles;
    bsp_meas lat_shared_ns, lat_l1_ns, lat_l2_ns, lat_global_ns;
    bsp_meas kernel_floor_ns;                         /* GPU duration of an empty kernel */
    bsp_meas kernel_floor_chip_ns;                    /* the same, one 128-thread block per SM, one store each */
    bsp_meas bw_dram_gbs, bw_l2_gbs, bw_shared_gbs;   /* sustained, whole chip */
    bsp_meas bw_h2d_pinned_gbs, bw_d2h_pinned_gbs;
    bsp_meas bw_h2d_pageable_gbs, bw_d2h_pageable_gbs, bw_d2d_gbs;
    bsp_meas lat_h2d_us, lat_d2h_us;                  /* small-copy latency, pinned */
    bsp_meas lat_h2d_pageable_us, lat_d2h_pageable_us;/* the same, pageable */
    bsp_meas launch_overhead_us;                      /* empty kernel, host view */
    bsp_meas fp32_gflops, tensor_fp16_tflops;
    bsp_meas l2_requests_gps;    /* L2 requests per ns (G/s), one sector each: the tag rate */
    bsp_meas l2_red_hot_gsps;    /* L2 reduction sectors per ns (G/s) on a hot 1 KiB region */

    bsp_floor_pt floor_grid[BSP_FLOOR_GRID_MAX]; /* "floor_grid": blocks ascending */
    int nfloor_grid;                              /* 0 when not measured */
    bsp_burst_pt l2_burst[BSP_L2_BURST_MAX];      /* "l2_burst": bytes ascending */
    int nl2_burst;                                /* 0 when not measured */
    bsp_burst_pt dram_burst[BSP_L2_BURST_MAX];    /* "dram_burst": bytes ascending */
    int ndram_burst;                              /* 0 when not measured */
    bsp_burst_pt dram_copy[BSP_L2_BURST_MAX];     /* "dram_copy": bytes ascending */
    int ndram_copy;                               /* 0 when not measured */

    bsp_sweep_pt *sweep;     /* owned; may be NULL */
    size_t nsweep;
} bsp_board;

/* Zero a board (all optional measurements n == 0). */
void bsp_board_init(bsp_board *b);

/* Load and validate a board file.  Every required field must be present,
 * finite and positive; a missing or bad one fails with a message naming
 * path and field.  On success the caller owns b and frees it with
 * bsp_board_free(). On failure b holds nothing to free. */
int bsp_board_load(bsp_board *b, const char *path, bsp_err *err);

/* Parse from a NUL-terminated JSON string; path is used in messages only. */
int bsp_board_parse(bsp_board *b, const char *json, const char *path, bsp_err *err);

/* Write b to path, whole or not at all (temp file + rename). */
int bsp_board_save(const bsp_board *b, const char *path, bsp_err *err);

/* Serialize to a malloc'd JSON string (caller frees with free()); NULL on OOM. */
char *bsp_board_to_json(const bsp_board *b);

/* Append a sweep point (copies it). */
int bsp_board_add_sweep(bsp_board *b, const bsp_sweep_pt *pt, bsp_err *err);

/* Free what b owns (not b itself).  Accepts NULL. */
void bsp_board_free(bsp_board *b);

/* Total FP32 cores: sms * cores_per_sm. */
double bsp_board_cores(const bsp_board *b);

#endif
