/* The counter table of include/bspgpu/counters.h, as static data. */
#include <string.h>
#include "bspgpu/counters.h"

const bsp_counter_def bsp_counters[BSP_NCTR] = {
#define BSP_X_ROW(id, col, metric, unit, what) { col, metric, unit, what },
    BSP_COUNTER_TABLE(BSP_X_ROW)
#undef BSP_X_ROW
};

int bsp_counter_by_column(const char *column)
{
    for (int i = 0; column && i < BSP_NCTR; i++)
        if (strcmp(bsp_counters[i].column, column) == 0)
            return i;
    return -1;
}

int bsp_counter_by_metric(const char *metric)
{
    for (int i = 0; metric && i < BSP_NCTR; i++)
        if (strcmp(bsp_counters[i].metric, metric) == 0)
            return i;
    return -1;
}
