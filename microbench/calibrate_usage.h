/* Usage text of `bspgpu calibrate`, shared by src/cli/cmd_calibrate.c (which
 * prints it without a GPU) and the bspgpu-calibrate program. */
#ifndef BSPGPU_CALIBRATE_USAGE_H
#define BSPGPU_CALIBRATE_USAGE_H

#define BSP_CALIBRATE_PROG "bspgpu-calibrate"

#define BSP_CALIBRATE_USAGE                                                          \
    "Usage: bspgpu calibrate -o FILE [--name NAME] [--sms N] [--repeats R] [--quick]\n" \
    "                        [--sweep-csv FILE]\n"                                  \
    "\n"                                                                            \
    "Measure the GPU (device 0; pick another with CUDA_VISIBLE_DEVICES) with\n"     \
    "microbenchmarks and write a board file (JSON, docs/formats.md): pointer-chase\n" \
    "latencies of shared memory, L1, L2 and device memory (cycles and ns, with the\n" \
    "footprint sweep), dependent instruction latencies, the core clock reached,\n"  \
    "bandwidths (device memory, L2, shared, host<->device), FP32 and tensor FP16\n"  \
    "throughput, launch overhead and device facts, with provenance.  Every\n"       \
    "benchmark checks its own result.  Progress goes to stderr.  Method and\n"      \
    "definitions: docs/calibration.md.\n"                                           \
    "\n"                                                                            \
    "Options:\n"                                                                    \
    "  -o, --output FILE   board file to write (required); written whole or not at all\n" \
    "  --name NAME         board id (default: the device name in lower case, e.g.\n" \
    "                      nvidia-h100-80gb-hbm3, plus -smsN with --sms)\n"         \
    "  --sms N             calibrate a green-context partition of N SMs (CUDA 12.4+):\n" \
    "                      a smaller virtual board; 'sms' = SMs granted (rounded up\n" \
    "                      by the hardware), 'sms_total' = SMs of the chip\n"       \
    "  --repeats R         timed repeats per measurement (default 5, 3 to 1000)\n"  \
    "  --quick             fewer sweep points and shorter runs (a fast check, ~10 s)\n" \
    "  --sweep-csv FILE    also write every latency sweep point with its spread (CSV)\n" \
    "  -h, --help          print this help and exit\n"                              \
    "\n"                                                                            \
    "Exit status: 0 board written; 1 runtime failure (no GPU, a CUDA call or a\n"   \
    "result check failed); 2 misuse.\n"                                             \
    "\n"                                                                            \
    "Examples:\n"                                                                   \
    "  bspgpu calibrate -o data/boards/h100-sxm.json --name h100-sxm\n"             \
    "  bspgpu calibrate -o h100-sxm-sms16.json --name h100-sxm-sms16 --sms 16\n"     \
    "  bspgpu calibrate --quick -o /tmp/board.json\n"

#endif
