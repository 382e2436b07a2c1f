/* Generate a synthetic profile of N launches over K kernel configurations
 * (deterministic), for the throughput benchmark of fit + predict + score.
 * usage: gen_profile N K SEED OUT.csv */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "bspgpu/profile.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen_profile N K SEED OUT.csv\n");
        return 2;
    }
    long n = atol(argv[1]), k = atol(argv[2]);
    unsigned seed = (unsigned)atol(argv[3]);
    bsp_err err = { 0, "" };
    bsp_profile_writer *w;
    if (n <= 0 || k <= 0)
        return 2;
    if (bsp_profile_writer_open(&w, argv[4], &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    char name[128];
    srand(seed);
    for (long i = 0; i < n; i++) {
        long c = rand() % k;
        bsp_launch l;
        bsp_launch_init(&l);
        snprintf(name, sizeof name, "void kernel_%ld<float, %ld>(float const*, float*, int)", c % 97, c);
        l.launch_id = (uint64_t)i;
        l.kernel = name;
        l.grid[0] = (uint32_t)(1 + c), l.grid[1] = l.grid[2] = 1;
        l.block[0] = 256, l.block[1] = l.block[2] = 1;
        l.registers_per_thread = 32;
        l.start_ns = (uint64_t)i * 5000;
        l.duration_ns = 1000.0 + (double)(c % 1000) * 10.0 + (rand() % 100);
        if (i < k * 2) { /* the first launches of each configuration carry counters */
            l.profiled = 1;
            double N = 256.0 * (1 + c);
            l.ctr[BSP_CTR_INST_WARP] = N / 32 * 120;
            l.ctr[BSP_CTR_INST_THREAD] = N * 120;
            l.ctr[BSP_CTR_LD_GLOBAL] = N / 32 * 4;
            l.ctr[BSP_CTR_ST_GLOBAL] = N / 32;
            l.ctr[BSP_CTR_LD_SHARED] = N / 32 * 8;
            l.ctr[BSP_CTR_ST_SHARED] = N / 32 * 2;
            l.ctr[BSP_CTR_L1_LD_SECTORS] = N / 32 * 16;
            l.ctr[BSP_CTR_L1_LD_HIT] = N / 32 * 4;
            l.ctr[BSP_CTR_L2_SECTORS] = N / 32 * 16;
            l.ctr[BSP_CTR_L2_HIT] = N / 32 * 8;
            l.ctr[BSP_CTR_DRAM_READ] = N * 16;
            l.ctr[BSP_CTR_DRAM_WRITE] = N * 4;
        }
        if (bsp_profile_writer_row(w, &l, &err)) {
            bsp_profile_writer_close(w, 0, NULL);
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    }
    if (bsp_profile_writer_close(w, 1, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return 0;
}
