/* Metric sets over the counter table of include/bspgpu/counters.h.
 *
 * seed: what the seed's BSP model (docs/model.md) reads: instructions (warp
 *       and thread level), global and shared loads and stores, L1 and L2
 *       lookups and hits, and SM cycles (for the clock seen).
 * full: every row of the table.
 * none: no counters; durations only. */
#include "cupti_internal.h"

static const int seed_ids[] = {
    BSP_CTR_INST_WARP, BSP_CTR_INST_THREAD,
    BSP_CTR_LD_GLOBAL, BSP_CTR_ST_GLOBAL, BSP_CTR_LD_SHARED, BSP_CTR_ST_SHARED,
    BSP_CTR_L1_LD_SECTORS, BSP_CTR_L1_LD_HIT, BSP_CTR_L2_SECTORS, BSP_CTR_L2_HIT,
    BSP_CTR_CYCLES,
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
    case BSP_MSET_FULL:
        for (int i = 0; i < BSP_NCTR; i++)
            ids[n++] = i;
        return n;
    default:
        return -1;
    }
}
