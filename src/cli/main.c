/* bspgpu: one command, subcommands from a table. */
#include <stdio.h>
#include <string.h>
#include "bspgpu/common.h"
#include "cmds.h"

/* Subcommands that need the GPU toolchain's parts may be left out of a
 * build: they are weak, and the table says so when they are absent. */
#pragma weak bsp_cmd_calibrate
#pragma weak bsp_cmd_profile
#pragma weak bsp_cmd_import

typedef struct cmd_entry {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *what;
} cmd_entry;

static const cmd_entry cmd_table[] = {
    { "calibrate", bsp_cmd_calibrate, "measure a board with microbenchmarks -> board file (GPU)" },
    { "profile", bsp_cmd_profile, "run an unmodified CUDA application under CUPTI -> profile CSV (GPU)" },
    { "import", bsp_cmd_import, "turn Nsight Compute or nvprof CSV into a bspgpu profile" },
    { "board", bsp_cmd_board, "validate and summarize a board file" },
    { "fit", bsp_cmd_fit, "fit lambda per kernel on board A" },
    { "predict", bsp_cmd_predict, "predict each kernel and the application on board B" },
    { "score", bsp_cmd_score, "score predictions against board B's measured profile" },
    { "crossboard", bsp_cmd_crossboard, "fit, predict and score in one go, for several models" },
    { "timeline", bsp_cmd_timeline, "cut a run into kernels, copies, device idle time and the host" },
    { "apptime", bsp_cmd_apptime, "predict the whole application's time on board B (copies, gaps, host)" },
};
#define NCMDS (sizeof cmd_table / sizeof cmd_table[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: bspgpu COMMAND [ARGS...]\n\nPredict GPU kernel and application run times across boards.\n\n"
               "commands:\n");
    for (size_t i = 0; i < NCMDS; i++)
        fprintf(f, "  %-11s %s\n", cmd_table[i].name, cmd_table[i].what);
    fprintf(f, "\n'bspgpu COMMAND --help' describes each.\n\nexample:\n"
               "  bspgpu crossboard --board-a data/boards/h100-sxm.json --profile-a A.csv \\\n"
               "                    --board-b data/boards/h200.json --profile-b B.csv --models all\n");
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr), 2;
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        return usage(stdout), 0;
    if (!strcmp(argv[1], "--version")) {
        printf("bspgpu %s\n", BSP_VERSION);
        return 0;
    }
    for (size_t i = 0; i < NCMDS; i++)
        if (strcmp(argv[1], cmd_table[i].name) == 0) {
            if (!cmd_table[i].fn) {
                fprintf(stderr, "bspgpu: '%s' is not part of this build\n", argv[1]);
                return 1;
            }
            return cmd_table[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "bspgpu: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
