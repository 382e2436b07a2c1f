/* bspgpu predict: each kernel's time and the application's time on board
 * B, from A's profile and board file, with one model. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/study.h"
#include "cmds.h"

static void help(void)
{
    puts("usage: bspgpu predict --board-a A.json --profile-a A.csv --board-b B.json [--model NAME]\n"
         "                      [--app NAME] [-o pred.csv]\n\n"
         "Fit the model on board A, then predict every kernel configuration's time on board B and\n"
         "the application's time: the sum over kernels of T_n x j_n (j_n: launches on A).\n"
         "The table has the columns of 'crossboard' with B's measured columns empty; give it to\n"
         "'bspgpu score' with B's profile.\n\n"
         "  --model NAME   seed (default), or another of those 'bspgpu crossboard --help' lists\n"
         "  -o FILE        per-kernel predictions (default: stdout)\n\n"
         "example:\n"
         "  bspgpu predict --board-a data/boards/h100-sxm.json --profile-a A.csv \\\n"
         "      --board-b data/boards/h200.json -o pred.csv");
}

int bsp_cmd_predict(int argc, char **argv)
{
    static const struct option opts[] = {
        { "board-a", required_argument, 0, 'A' }, { "board-b", required_argument, 0, 'B' },
        { "profile-a", required_argument, 0, 'a' }, { "model", required_argument, 0, 'm' },
        { "app", required_argument, 0, 'n' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *board_a = NULL, *board_b = NULL, *profile = NULL, *out = "-", *model = "seed", *app = "app";
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'A': board_a = optarg; break;
        case 'B': board_b = optarg; break;
        case 'a': profile = optarg; break;
        case 'm': model = optarg; break;
        case 'n': app = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("predict", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("predict", "unexpected argument '%s'", argv[optind]);
    if (!board_a || !board_b || !profile)
        return cli_usage_error("predict", "--board-a, --profile-a and --board-b are required");
    const bsp_model *m = bsp_model_find(model);
    if (!m)
        return cli_usage_error("predict", "unknown model '%s'", model);

    bsp_err err = { 0, "" };
    bsp_board A, B;
    bsp_kernel_set ka;
    bsp_pred *rows = NULL;
    size_t n = 0;
    bsp_app_score s;
    FILE *f = NULL;
    char *tmp = NULL;
    int rc = 1;
    bsp_board_init(&A);
    bsp_board_init(&B);
    memset(&ka, 0, sizeof ka);
    if (bsp_board_load(&A, board_a, &err) || bsp_board_load(&B, board_b, &err) ||
        bsp_profile_aggregate(profile, &ka, &err) || bsp_study_predict(m, &A, &ka, &B, NULL, &rows, &n, &err) ||
        bsp_study_score(rows, n, &ka, NULL, &s, &err))
        goto out;
    if (s.failed == n) {
        bsp_err_set(&err, BSP_EPARSE, "%s: model %s predicted no kernel (first: %s)", profile, m->name,
                    n ? rows[0].note : "no kernels");
        goto out;
    }
    if (!(f = cli_out_open(out, &tmp, &err)))
        goto out;
    bsp_study_fprint_header(f);
    bsp_study_fprint_rows(f, m->name, app, A.name, B.name, rows, n);
    fprintf(stderr, "bspgpu predict: %s on %s: %.6g ns measured on %s, %.6g ns predicted on %s (%zu kernels, %zu not "
                    "predicted and counted at A's time)\n",
            app, m->name, ka.dur_sum_ns, A.name, s.pred_ns, B.name, n, s.failed);
    rc = 0;
out:
    if (rc)
        cli_error("predict", "%s", err.msg);
    if (f && cli_out_close(f, tmp, out, rc == 0, &err) && rc == 0) {
        cli_error("predict", "%s", err.msg);
        rc = 1;
    }
    free(tmp);
    free(rows);
    bsp_kernel_set_free(&ka);
    bsp_board_free(&A);
    bsp_board_free(&B);
    return rc;
}
