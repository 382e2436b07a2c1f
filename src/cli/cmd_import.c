/* bspgpu import: Nsight Compute or nvprof CSV -> bspgpu profile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/import.h"
#include "cmds.h"

static const char *const CMD = "import";

static void usage(FILE *f)
{
    fprintf(f,
        "usage: bspgpu import --from ncu|nvprof -o OUT.csv [--derive-hits] FILE...\n"
        "\n"
        "Turn Nsight Compute or nvprof CSV output into a bspgpu profile (one row per\n"
        "kernel launch, docs/formats.md), written with its sidecar OUT.csv.meta.json,\n"
        "whole or not at all.\n"
        "\n"
        "options:\n"
        "  --from ncu|nvprof   which profiler wrote the input (required)\n"
        "  -o, --output PATH   profile to write (required)\n"
        "  --derive-hits       nvprof: derive l1_ld_hit_sectors from global_hit_rate and\n"
        "                      l2_hit_sectors from l2_tex_hit_rate (approximations)\n"
        "  -h, --help          this text\n"
        "\n"
        "inputs:\n"
        "  ncu     one file from `ncu --csv --page raw [--print-units base] ...` (one row\n"
        "          per launch) or from `ncu --csv ...` (details page, one row per metric).\n"
        "          Needs gpu__time_duration.sum and the launch configuration.\n"
        "  nvprof  one or more files: at least one from `nvprof --print-gpu-trace --csv`\n"
        "          (launch configurations, durations), and optionally summaries from\n"
        "          `nvprof --csv --metrics ... [--events ...]` whose per-kernel averages\n"
        "          become the counters of every launch of that kernel.\n"
        "  Lines before the CSV header (==PROF== lines, application output) are skipped.\n"
        "\n"
        "exit status: 0 written, 1 bad input or I/O error (nothing written), 2 misuse.\n"
        "\n"
        "examples:\n"
        "  ncu --csv --page raw --print-units base \\\n"
        "      --metrics gpu__time_duration.sum,launch__registers_per_thread,smsp__inst_executed.sum \\\n"
        "      ./app > app.ncu.csv\n"
        "  bspgpu import --from ncu app.ncu.csv -o profiles/app-h100.csv\n"
        "\n"
        "  nvprof --print-gpu-trace --csv --log-file trace.csv ./app\n"
        "  nvprof --csv --metrics inst_executed,inst_executed_global_loads,gld_transactions \\\n"
        "      --events thread_inst_executed --log-file metrics.csv ./app\n"
        "  bspgpu import --from nvprof trace.csv metrics.csv -o profiles/app-xavier.csv\n");
}

/* "bspgpu import ..." for the sidecar's command field. */
static char *join_command(int argc, char **argv)
{
    size_t n = strlen("bspgpu") + 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    strcpy(s, "bspgpu");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int bsp_cmd_import(int argc, char **argv)
{
    const char *from = NULL, *out = NULL;
    const char **inputs = NULL;
    size_t ninputs = 0;
    bsp_import_opts opts = { 0 };
    bsp_import im;
    bsp_err err = { 0 };
    char *command = NULL;
    int rc, status = 1;

    bsp_import_init(&im);
    if (!(inputs = calloc((size_t)argc + 1, sizeof *inputs))) {
        cli_error(CMD, "out of memory");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            status = 0;
            goto out;
        } else if (!strcmp(a, "--from") || !strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (i + 1 >= argc) {
                status = cli_usage_error(CMD, "option '%s' needs a value", a);
                goto out;
            }
            if (!strcmp(a, "--from"))
                from = argv[++i];
            else
                out = argv[++i];
        } else if (!strncmp(a, "--from=", 7)) {
            from = a + 7;
        } else if (!strncmp(a, "--output=", 9)) {
            out = a + 9;
        } else if (!strcmp(a, "--derive-hits")) {
            opts.derive_hits = 1;
        } else if (!strcmp(a, "--")) {
            while (++i < argc)
                inputs[ninputs++] = argv[i];
        } else if (a[0] == '-' && a[1]) {
            status = cli_usage_error(CMD, "unknown option '%s'", a);
            goto out;
        } else {
            inputs[ninputs++] = a;
        }
    }
    if (!from) {
        status = cli_usage_error(CMD, "--from ncu|nvprof is required");
        goto out;
    }
    if (strcmp(from, "ncu") && strcmp(from, "nvprof")) {
        status = cli_usage_error(CMD, "--from '%s': want ncu or nvprof", from);
        goto out;
    }
    if (!out) {
        status = cli_usage_error(CMD, "-o OUT.csv is required");
        goto out;
    }
    if (!ninputs) {
        status = cli_usage_error(CMD, "no input file");
        goto out;
    }
    if (!strcmp(from, "ncu") && ninputs > 1) {
        status = cli_usage_error(CMD, "--from ncu takes one input file, got %zu", ninputs);
        goto out;
    }
    if (!strcmp(from, "ncu") && opts.derive_hits) {
        status = cli_usage_error(CMD, "--derive-hits applies to --from nvprof only (ncu reports hit sectors)");
        goto out;
    }
    for (size_t i = 0; i < ninputs; i++)
        if (!strcmp(inputs[i], out)) {
            status = cli_usage_error(CMD, "output '%s' is also an input", out);
            goto out;
        }

    if (!strcmp(from, "ncu"))
        rc = bsp_import_ncu(&im, inputs[0], &err);
    else
        rc = bsp_import_nvprof(&im, inputs, ninputs, &opts, &err);
    for (size_t i = 0; i < im.nwarn; i++)
        fprintf(stderr, "bspgpu %s: warning: %s\n", CMD, im.warn[i]);
    if (rc) {
        cli_error(CMD, "%s", err.msg);
        status = rc == BSP_EINVAL ? 2 : 1;
        goto out;
    }
    if (!(command = join_command(argc, argv))) {
        cli_error(CMD, "out of memory");
        goto out;
    }
    if ((rc = bsp_import_write(&im, out, command, &err))) {
        cli_error(CMD, "%s", err.msg);
        goto out;
    }
    size_t nprof = 0;
    for (size_t i = 0; i < im.n; i++)
        nprof += im.l[i].profiled != 0;
    printf("bspgpu %s: %zu launches (%zu with counters", CMD, im.n, nprof);
    if (im.skipped)
        printf(", %zu memcpy/memset rows skipped", im.skipped);
    printf(") -> %s\n", out);
    status = 0;
out:
    free(command);
    free(inputs);
    bsp_import_free(&im);
    return status;
}
