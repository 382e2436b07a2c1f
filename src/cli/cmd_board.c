/* bspgpu board: validate a board file and print what the models use. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "bspgpu/board.h"
#include "cmds.h"

static void help(void)
{
    puts("usage: bspgpu board FILE...\n\n"
         "Load each board file, validate every field, and print its summary.\n"
         "Exit 0 if all are valid, 1 if one is not (the message names file and field).\n\n"
         "example:\n  bspgpu board data/boards/h100-sxm.json");
}

static void show_meas(const char *what, const bsp_meas *m, const char *unit)
{
    if (m->n)
        printf("  %-22s %10.4g %-7s (min %.4g, max %.4g, n %d)\n", what, m->median, unit, m->min, m->max, m->n);
}

int bsp_cmd_board(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return help(), 0;
    if (argc < 2)
        return cli_usage_error("board", "no board file given");
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        bsp_board b;
        bsp_err err = { 0, "" };
        if (bsp_board_load(&b, argv[i], &err)) {
            cli_error("board", "%s", err.msg);
            bad = 1;
            continue;
        }
        printf("%s: %s (%s), %d/%d SMs x %d cores, %.0f MHz, driver %s, CUDA %s, %s\n", argv[i], b.name, b.device,
               b.sms, b.sms_total, b.cores_per_sm, b.clock_mhz, b.driver, b.cuda, b.date);
        show_meas("latency shared", &b.lat_shared_cycles, "cycles");
        show_meas("latency L1", &b.lat_l1_cycles, "cycles");
        show_meas("latency L2", &b.lat_l2_cycles, "cycles");
        show_meas("latency L2 far", &b.lat_l2_far_cycles, "cycles");
        show_meas("latency global", &b.lat_global_cycles, "cycles");
        show_meas("latency instruction", &b.lat_inst_cycles, "cycles");
        show_meas("bandwidth DRAM", &b.bw_dram_gbs, "GB/s");
        show_meas("bandwidth L2", &b.bw_l2_gbs, "GB/s");
        show_meas("bandwidth shared", &b.bw_shared_gbs, "GB/s");
        show_meas("FP32", &b.fp32_gflops, "GFLOP/s");
        show_meas("tensor FP16", &b.tensor_fp16_tflops, "TFLOP/s");
        show_meas("L2 requests", &b.l2_requests_gps, "G/s");
        show_meas("L2 hot reductions", &b.l2_red_hot_gsps, "G sectors/s");
        bsp_board_free(&b);
    }
    return bad;
}
