/* bspgpu crossboard: fit on A, predict B, score against B, several models
 * and several applications in one run. */
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/study.h"
#include "cmds.h"

#define MAX_APPS 256
#define MAX_MODELS 16

static void help(void)
{
    puts("usage: bspgpu crossboard --board-a A.json --board-b B.json\n"
         "                         --profile-a A.csv --profile-b B.csv [--profile-a ... --profile-b ...]\n"
         "                         [--models LIST] [--match order|key] [--max-edits N]\n"
         "                         [-o kernels.csv] [--summary apps.csv] [--quiet]\n\n"
         "For each pair of profiles of one application (same order), fit every model on board A,\n"
         "predict each kernel and the application on board B, and score against B's profile.\n"
         "Kernels found on one board only are listed with status only_a / only_b, never dropped.\n\n"
         "  --models LIST   comma-separated model names, or 'all' (default: all)\n"
         "  --match order   (default) measure a kernel on both boards over the launches that are the\n"
         "                  same call: the two launch sequences are paired by a shortest edit script\n"
         "                  over their configuration keys (docs/model.md, \"Matching kernels\")\n"
         "  --match key     medians over all launches of a configuration on each board\n"
         "  --param NAME=V  set a model parameter (floor_bw.beta, floor_bw.beta_mma, bound.p,\n"
         "                  bound_l2.replay, bound_grid.grid, .replay, .dram, .call, .norm, .l2,\n"
         "                  .burst, .dburst, .dcopy, .rnorm;\n"
         "                  docs/model.md)\n"
         "  --max-edits N   give up the edit search beyond N insertions+deletions and pair the i-th\n"
         "                  launches of kernels whose counts agree (default: 2048)\n"
         "  -o FILE         per-kernel rows, one per (model, application, kernel) (default: none)\n"
         "  --summary FILE  one row per (model, application) (default: none)\n"
         "  --quiet         no table on stdout\n\n"
         "The application name is the basename of profile A without .csv or .csv.gz.\n\n"
         "example:\n"
         "  bspgpu crossboard --board-a data/boards/h100-sxm.json --board-b data/boards/h200.json \\\n"
         "      --profile-a data/profiles/h100-sxm/mm_tiled.csv --profile-b data/profiles/h200/mm_tiled.csv \\\n"
         "      --models seed,same,hybrid -o kernels.csv --summary apps.csv\n\n"
         "models (docs/model.md):");
    for (int i = 0; bsp_models[i]; i++)
        printf("  %-11s %s\n", bsp_models[i]->name, bsp_models[i]->what);
}

static void app_name(const char *path, char *out, size_t n)
{
    const char *b = strrchr(path, '/');
    snprintf(out, n, "%s", b ? b + 1 : path);
    size_t l = strlen(out);
    if (l > 7 && strcmp(out + l - 7, ".csv.gz") == 0)
        out[l - 7] = '\0';
    else if (l > 4 && strcmp(out + l - 4, ".csv") == 0)
        out[l - 4] = '\0';
}

int bsp_cmd_crossboard(int argc, char **argv)
{
    static const struct option opts[] = {
        { "board-a", required_argument, 0, 'A' }, { "board-b", required_argument, 0, 'B' },
        { "profile-a", required_argument, 0, 'a' }, { "profile-b", required_argument, 0, 'b' },
        { "models", required_argument, 0, 'm' }, { "summary", required_argument, 0, 's' },
        { "quiet", no_argument, 0, 'q' }, { "match", required_argument, 0, 'M' },
        { "max-edits", required_argument, 0, 'E' }, { "param", required_argument, 0, 'P' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *board_a = NULL, *board_b = NULL, *out = NULL, *summary = NULL, *models = "all";
    const char *pa[MAX_APPS], *pb[MAX_APPS];
    int na = 0, nb = 0, quiet = 0, by_order = 1, c;
    size_t max_edits = BSP_ALIGN_MAX_EDITS;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'A': board_a = optarg; break;
        case 'B': board_b = optarg; break;
        case 'a':
            if (na == MAX_APPS)
                return cli_usage_error("crossboard", "more than %d profiles", MAX_APPS);
            pa[na++] = optarg;
            break;
        case 'b':
            if (nb == MAX_APPS)
                return cli_usage_error("crossboard", "more than %d profiles", MAX_APPS);
            pb[nb++] = optarg;
            break;
        case 'm': models = optarg; break;
        case 'o': out = optarg; break;
        case 's': summary = optarg; break;
        case 'q': quiet = 1; break;
        case 'M':
            if (strcmp(optarg, "order") == 0)
                by_order = 1;
            else if (strcmp(optarg, "key") == 0)
                by_order = 0;
            else
                return cli_usage_error("crossboard", "--match takes 'order' or 'key', not '%s'", optarg);
            break;
        case 'P': {
            char name[64], *eq = strchr(optarg, '='), *end;
            bsp_err pe = { 0, "" };
            if (!eq || eq == optarg || (size_t)(eq - optarg) >= sizeof name)
                return cli_usage_error("crossboard", "--param takes NAME=VALUE, not '%s'", optarg);
            snprintf(name, sizeof name, "%.*s", (int)(eq - optarg), optarg);
            double v = strtod(eq + 1, &end);
            if (!eq[1] || *end)
                return cli_usage_error("crossboard", "--param %s: bad value '%s'", name, eq + 1);
            if (bsp_model_param(name, v, &pe))
                return cli_usage_error("crossboard", "%s", pe.msg);
            break;
        }
        case 'E': {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (*optarg == '\0' || *end || v < 1)
                return cli_usage_error("crossboard", "--max-edits takes a positive integer, not '%s'", optarg);
            max_edits = (size_t)v;
            break;
        }
        case 'h': help(); return 0;
        default: return cli_usage_error("crossboard", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("crossboard", "unexpected argument '%s'", argv[optind]);
    if (!board_a || !board_b)
        return cli_usage_error("crossboard", "--board-a and --board-b are required");
    if (na == 0 || na != nb)
        return cli_usage_error("crossboard", "give --profile-a and --profile-b in pairs (got %d and %d)", na, nb);
    const bsp_model *ms[MAX_MODELS];
    int nm = cli_models("crossboard", models, ms, MAX_MODELS);
    if (nm <= 0)
        return 2;

    int rc = 1;
    bsp_err err = { 0, "" };
    bsp_board A, B;
    bsp_board_init(&A);
    bsp_board_init(&B);
    FILE *fo = NULL, *fs = NULL;
    char *to = NULL, *ts = NULL;
    if (bsp_board_load(&A, board_a, &err) || bsp_board_load(&B, board_b, &err)) {
        cli_error("crossboard", "%s", err.msg);
        goto out;
    }
    if (out && !(fo = cli_out_open(out, &to, &err))) {
        cli_error("crossboard", "%s", err.msg);
        goto out;
    }
    if (summary && !(fs = cli_out_open(summary, &ts, &err))) {
        cli_error("crossboard", "%s", err.msg);
        goto out;
    }
    if (fo)
        bsp_study_fprint_header(fo);
    if (fs)
        bsp_app_fprint_header(fs);
    if (!quiet)
        printf("%-10s %-28s %8s %8s %8s %9s %9s %5s %4s %4s\n", "model", "app", "k_med%", "k_p90%", "k_max%",
               "app_err%", "match_err%", "kern", "onlyA", "onlyB");
    for (int i = 0; i < na; i++) {
        bsp_kernel_set ka, kb;
        char app[256];
        app_name(pa[i], app, sizeof app);
        if (bsp_profile_aggregate(pa[i], &ka, &err)) {
            cli_error("crossboard", "%s", err.msg);
            goto out;
        }
        if (bsp_profile_aggregate(pb[i], &kb, &err)) {
            cli_error("crossboard", "%s", err.msg);
            bsp_kernel_set_free(&ka);
            goto out;
        }
        bsp_align al;
        memset(&al, 0, sizeof al);
        if (by_order && bsp_align_runs(&ka, &kb, max_edits, &al, &err)) {
            cli_error("crossboard", "%s: %s", app, err.msg);
            bsp_kernel_set_free(&ka);
            bsp_kernel_set_free(&kb);
            goto out;
        }
        for (int m = 0; m < nm; m++) {
            bsp_pred *rows = NULL;
            size_t n = 0;
            bsp_app_score s;
            if (bsp_study_predict_paired(ms[m], &A, &ka, &B, &kb, by_order ? &al : NULL, &rows, &n, &err) ||
                bsp_study_score(rows, n, &ka, &kb, &s, &err)) {
                cli_error("crossboard", "%s: model %s: %s", app, ms[m]->name, err.msg);
                free(rows);
                bsp_align_free(&al);
                bsp_kernel_set_free(&ka);
                bsp_kernel_set_free(&kb);
                goto out;
            }
            if (by_order) {
                s.launches_paired = al.pairs;
                s.edits = al.edits == SIZE_MAX ? NAN : (double)al.edits;
            }
            if (fo)
                bsp_study_fprint_rows(fo, ms[m]->name, app, A.name, B.name, rows, n);
            if (fs)
                bsp_app_fprint_row(fs, ms[m]->name, app, A.name, B.name, &s);
            if (!quiet)
                printf("%-10s %-28.28s %8.2f %8.2f %8.2f %9.2f %9.2f %5zu %4zu %4zu\n", ms[m]->name, app,
                       s.kern.median_abs_pct, s.kern.p90_abs_pct, s.kern.max_abs_pct,
                       bsp_pct_err(s.pred_ns, s.meas_ns),
                       s.meas_matched_ns > 0 ? bsp_pct_err(s.pred_matched_ns, s.meas_matched_ns) : NAN, s.matched,
                       s.only_a, s.only_b);
            free(rows);
        }
        bsp_align_free(&al);
        bsp_kernel_set_free(&ka);
        bsp_kernel_set_free(&kb);
    }
    rc = 0;
out:
    if (fo && cli_out_close(fo, to, out, rc == 0, &err) && rc == 0) {
        cli_error("crossboard", "%s", err.msg);
        rc = 1;
    }
    if (fs && cli_out_close(fs, ts, summary, rc == 0, &err) && rc == 0) {
        cli_error("crossboard", "%s", err.msg);
        rc = 1;
    }
    free(to);
    free(ts);
    bsp_board_free(&A);
    bsp_board_free(&B);
    return rc;
}
