/* Metric sets over the counter table of include/bspgpu/counters.h.
 *
 * seed: what the seed's BSP model (docs/model.md) reads: instructions (warp
 *       and thread level), global and shared loads and stores, L1 and L2
 *       lookups and hits, and SM cycles (for the clock seen).
 * full: every row of the table.
 * mem:  L2 (sectors, hits, requests, atomics, reductions), DRAM bytes and SM
 *       cycles: the memory side of the models, meant to fit one replay pass,
 *       so that the counters see the caches as the application left them.
 * none: no counters; durations only. */
#include "cupti_internal.h"

static const int seed_ids[] = {
    BSP_CTR_INST_WARP, BSP_CTR_INST_THREAD,
    BSP_CTR_LD_GLOBAL, BSP_CTR_ST_GLOBAL, BSP_CTR_LD_SHARED, BSP_CTR_ST_SHARED,
    BSP_CTR_L1_LD_SECTORS, BSP_CTR_L1_LD_HIT, BSP_CTR_L2_SECTORS, BSP_CTR_L2_HIT,
    BSP_CTR_CYCLES,
};

static const int mem_ids[] = {
    BSP_CTR_L2_SECTORS, BSP_CTR_L2_HIT, BSP_CTR_DRAM_READ, BSP_CTR_DRAM_WRITE, BSP_CTR_CYCLES,
    BSP_CTR_L2_REQUESTS, BSP_CTR_L2_ATOM, BSP_CTR_L2_RED,
};

int bsp_metric_set_ids(int set, int *ids)
{
    int n = 0;
    switch (set) {
    case BSP_MSET_NONE:
        return 0;
    case BSP_MSET_SEED:
        for (size_t i = 0; i < sizeof seed_ids / sizeof seed_ids[0]; i++)
            ids[n++] = seed_ids[i];
        return n;
    case BSP_MSET_MEM:
        for (size_t i = 0; i < sizeof mem_ids / sizeof mem_ids[0]; i++)
            ids[n++] = mem_ids[i];
        return n;
    case BSP_MSET_FULL:
        for (int i = 0; i < BSP_NCTR; i++)
            ids[n++] = i;
        return n;
    default:
        return -1;
    }
}
