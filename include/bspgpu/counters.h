/*
 * bsp_counters: the counter set as data.  One row per profile column that
 * holds a hardware counter: its CSV column name, the CUPTI/ncu metric it is
 * read from, and its unit.  The collector (src/cupti), the CSV reader and
 * writer (src/profile.c), the ncu importer and the models all index counters
 * through this table; nothing else names a metric.
 *
 * Units: "warp_inst" counts warp-level (SASS) instructions, "thread_inst"
 * counts instructions times active threads, "sector" is 32 bytes.
 */
#ifndef BSPGPU_COUNTERS_H
#define BSPGPU_COUNTERS_H

/* X(enum id, csv column, metric, unit, what) */
#define BSP_COUNTER_TABLE(X) \
    X(INST_WARP,        "inst_warp",        "smsp__inst_executed.sum",                       "warp_inst",   "warp-level instructions executed") \
    X(INST_THREAD,      "inst_thread",      "smsp__thread_inst_executed.sum",                "thread_inst", "thread-level instructions executed") \
    X(LD_GLOBAL,        "ld_global_warp",   "smsp__sass_inst_executed_op_global_ld.sum",     "warp_inst",   "global load instructions (LDG and generic LD to global)") \
    X(ST_GLOBAL,        "st_global_warp",   "smsp__sass_inst_executed_op_global_st.sum",     "warp_inst",   "global store instructions (STG and generic ST to global)") \
    X(LD_SHARED,        "ld_shared_warp",   "smsp__sass_inst_executed_op_shared_ld.sum",     "warp_inst",   "shared load instructions (LDS, LDSM, generic LD to shared)") \
    X(ST_SHARED,        "st_shared_warp",   "smsp__sass_inst_executed_op_shared_st.sum",     "warp_inst",   "shared store instructions (STS, generic ST to shared)") \
    X(LDGSTS,           "ldgsts_warp",      "smsp__inst_executed_op_ldgsts.sum",             "warp_inst",   "async global-to-shared copies (LDGSTS)") \
    X(TENSOR,           "tensor_warp",      "sm__inst_executed_pipe_tensor.sum",             "warp_inst",   "tensor-pipe instructions (HMMA/GMMA)") \
    X(L1_LD_SECTORS,    "l1_ld_sectors",    "l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum","sector",      "L1 sectors requested by global loads") \
    X(L1_LD_HIT,        "l1_ld_hit_sectors","l1tex__t_sectors_pipe_lsu_mem_global_op_ld_lookup_hit.sum","sector","of those, L1 hits") \
    X(L1_ST_SECTORS,    "l1_st_sectors",    "l1tex__t_sectors_pipe_lsu_mem_global_op_st.sum","sector",      "L1 sectors written by global stores") \
    X(L2_SECTORS,       "l2_sectors",       "lts__t_sectors.sum",                            "sector",      "L2 sectors accessed (all clients)") \
    X(L2_HIT,           "l2_hit_sectors",   "lts__t_sectors_lookup_hit.sum",                 "sector",      "of those, L2 hits") \
    X(DRAM_READ,        "dram_read_bytes",  "dram__bytes_read.sum",                          "byte",        "bytes read from device memory") \
    X(DRAM_WRITE,       "dram_write_bytes", "dram__bytes_write.sum",                         "byte",        "bytes written to device memory") \
    X(SHARED_WAVES,     "shared_wavefronts","l1tex__data_pipe_lsu_wavefronts_mem_shared.sum","wavefront",   "shared-memory wavefronts (all shared ops, GMMA operands included)") \
    X(CYCLES,           "sm_cycles",        "sm__cycles_elapsed.max",                        "cycle",       "elapsed SM cycles of the busiest SM") \
    X(WARPS_ACTIVE_PCT, "occupancy_pct",    "sm__warps_active.avg.pct_of_peak_sustained_active", "percent", "achieved occupancy") \
    X(L2_REQUESTS,      "l2_requests",      "lts__t_requests.sum",                           "request",     "L2 requests (all clients); one request carries 1 to 4 sectors of one line") \
    X(L2_ATOM,          "l2_atom_sectors",  "lts__t_sectors_op_atom.sum",                    "sector",      "L2 sectors of atomics that return a value (ATOM)") \
    X(L2_RED,           "l2_red_sectors",   "lts__t_sectors_op_red.sum",                     "sector",      "L2 sectors of reductions (RED: atomics whose value is not returned)")

enum {
#define BSP_X_ENUM(id, col, metric, unit, what) BSP_CTR_##id,
    BSP_COUNTER_TABLE(BSP_X_ENUM)
#undef BSP_X_ENUM
    BSP_NCTR
};

typedef struct bsp_counter_def {
    const char *column;  /* CSV column name */
    const char *metric;  /* CUPTI / Nsight Compute metric name */
    const char *unit;
    const char *what;
} bsp_counter_def;

/* The table, indexed by BSP_CTR_*; BSP_NCTR rows. Static storage. */
extern const bsp_counter_def bsp_counters[BSP_NCTR];

/* Index of a counter by CSV column or by metric name; -1 if unknown. */
int bsp_counter_by_column(const char *column);
int bsp_counter_by_metric(const char *metric);

#endif
