/* bspgpu apptime: an application's whole time on board B (kernels, copies
 * and sets, device idle time, the host alone) from its timeline on board A. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/study.h"
#include "bspgpu/timeline.h"
#include "../csv.h"
#include "cmds.h"

static void help(void)
{
    puts("usage: bspgpu apptime --board-a A.json --profile-a A.csv --board-b B.json\n"
         "                      [--timeline-a T.csv] [--timeline-b U.csv] [--model NAME]\n"
         "                      [--host same|measured|both] [--host-scale X] [--app NAME] [-o FILE]\n\n"
         "Predict the application's time on board B from its run on board A: each kernel's\n"
         "duration scaled by the model (fitted on --profile-a, which has counters), each copy\n"
         "and set by B's calibrated copy cost over A's, plus the device idle time and the host\n"
         "alone carried from A.  Two predictions: additive (kernels + copies + idle, + host)\n"
         "and a replay of A's timeline with B's durations that keeps the host's API calls and\n"
         "waits (needs --timeline-a's .api.csv).  docs/model.md gives the equations.\n"
         "The host is assumed the same as A's, or measured: host times scaled by B's calibrated\n"
         "launch overhead over A's.  With --timeline-b the row also holds B's measured parts.\n\n"
         "  --timeline-a T    A's run to replay (default: --profile-a); best a --metrics none run\n"
         "  --timeline-b U    B's run of the same application, for scoring\n"
         "  --model NAME      kernel model (default seed; see 'bspgpu crossboard --help')\n"
         "  --host MODE       same, measured or both (default both: one row each)\n"
         "  --host-scale X    also a row with host times x X (host 'given'): a host known to be\n"
         "                    X times as slow as A's\n"
         "  -o FILE           output CSV (default: stdout; docs/formats.md)\n\n"
         "example:\n"
         "  bspgpu apptime --board-a data/boards/h100-sxm.json --board-b data/boards/h200.json \\\n"
         "      --profile-a data/profiles/h100-sxm/vadd.csv --timeline-a data/timelines/h100-sxm/vadd.csv \\\n"
         "      --timeline-b data/timelines/h200/vadd.csv --model hybrid");
}

typedef struct ratio_ctx {
    const bsp_kernel_set *ka;
    const bsp_pred *rows;
} ratio_ctx;

static double kernel_ratio(const char *key, void *ud)
{
    const ratio_ctx *r = ud;
    const bsp_kernel *k = bsp_kernel_set_find(r->ka, key);
    if (!k)
        return NAN;
    const bsp_pred *p = &r->rows[k - r->ka->k];
    return p->pred_b_ns / p->t_a_ns;
}

static const char *host_name(int mode)
{
    return mode == BSP_HOST_SAME ? "same" : mode == BSP_HOST_MEASURED ? "measured" : "given";
}

int bsp_cmd_apptime(int argc, char **argv)
{
    static const struct option opts[] = {
        { "board-a", required_argument, 0, 'A' }, { "board-b", required_argument, 0, 'B' },
        { "profile-a", required_argument, 0, 'a' }, { "timeline-a", required_argument, 0, 't' },
        { "timeline-b", required_argument, 0, 'u' }, { "model", required_argument, 0, 'm' },
        { "host", required_argument, 0, 'H' }, { "app", required_argument, 0, 'n' },
        { "host-scale", required_argument, 0, 'S' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *board_a = NULL, *board_b = NULL, *profile = NULL, *tl_a = NULL, *tl_b = NULL;
    const char *out = "-", *model = "seed", *app = "app", *host = "both";
    double given = NAN;
    char *end;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'A': board_a = optarg; break;
        case 'B': board_b = optarg; break;
        case 'a': profile = optarg; break;
        case 't': tl_a = optarg; break;
        case 'u': tl_b = optarg; break;
        case 'm': model = optarg; break;
        case 'H': host = optarg; break;
        case 'n': app = optarg; break;
        case 'S':
            given = strtod(optarg, &end);
            if (end == optarg || *end || !(given > 0) || isinf(given))
                return cli_usage_error("apptime", "--host-scale: '%s', want a factor > 0", optarg);
            break;
        case 'o': out = optarg; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("apptime", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("apptime", "unexpected argument '%s'", argv[optind]);
    if (!board_a || !board_b || !profile)
        return cli_usage_error("apptime", "--board-a, --profile-a and --board-b are required");
    const bsp_model *m = bsp_model_find(model);
    if (!m)
        return cli_usage_error("apptime", "unknown model '%s'", model);
    int modes[3], nmodes = 0;
    if (strcmp(host, "same") == 0 || strcmp(host, "both") == 0)
        modes[nmodes++] = BSP_HOST_SAME;
    if (strcmp(host, "measured") == 0 || strcmp(host, "both") == 0)
        modes[nmodes++] = BSP_HOST_MEASURED;
    if (!nmodes)
        return cli_usage_error("apptime", "--host: '%s', want same, measured or both", host);
    if (!isnan(given))
        modes[nmodes++] = BSP_HOST_GIVEN;
    if (!tl_a)
        tl_a = profile;

    bsp_err err = { 0, "" };
    bsp_board A, B;
    bsp_kernel_set ka;
    bsp_timeline ta, tb;
    bsp_tl_summary sa, sb;
    bsp_app_pred p[3];
    bsp_pred *rows = NULL;
    size_t n = 0;
    FILE *f = NULL;
    char *tmp = NULL;
    int rc = 1;
    bsp_board_init(&A);
    bsp_board_init(&B);
    memset(&ka, 0, sizeof ka);
    memset(&ta, 0, sizeof ta);
    memset(&tb, 0, sizeof tb);
    if (bsp_board_load(&A, board_a, &err) || bsp_board_load(&B, board_b, &err) ||
        bsp_profile_aggregate(profile, &ka, &err) || bsp_study_predict(m, &A, &ka, &B, NULL, &rows, &n, &err) ||
        bsp_timeline_load(&ta, tl_a, &err) || bsp_timeline_summarize(&ta, &sa, &err))
        goto out;
    if (tl_b && (bsp_timeline_load(&tb, tl_b, &err) || bsp_timeline_summarize(&tb, &sb, &err)))
        goto out;
    ratio_ctx rc_ = { &ka, rows };
    for (int i = 0; i < nmodes; i++)
        if (bsp_timeline_predict(&ta, &A, &B, modes[i], given, kernel_ratio, &rc_, &p[i], &err))
            goto out;
    if (!(f = cli_out_open(out, &tmp, &err)))
        goto out;
    fputs("app,board_a,board_b,model,host,host_scale,pred_kernel_ns,pred_memcpy_ns,pred_memset_ns,pred_idle_ns,"
          "pred_host_ns,pred_window_add_ns,pred_wall_add_ns,pred_window_sim_ns,pred_wall_sim_ns,"
          "kernels_unpredicted,a_kernel_ns,a_memop_ns,a_idle_ns,a_window_ns,a_wall_ns,"
          "b_kernel_ns,b_memop_ns,b_idle_ns,b_window_ns,b_wall_ns,pred_last_seg_sim_ns,a_last_seg_ns,b_last_seg_ns\n",
          f);
    for (int i = 0; i < nmodes; i++) {
        bsp_csv_put_str(f, app);
        fputc(',', f);
        bsp_csv_put_str(f, A.name);
        fputc(',', f);
        bsp_csv_put_str(f, B.name);
        fprintf(f, ",%s,%s", m->name, host_name(p[i].host_mode));
        bsp_csv_put_num(f, p[i].host_scale);
        bsp_csv_put_num(f, p[i].kernel_ns);
        bsp_csv_put_num(f, p[i].memcpy_ns);
        bsp_csv_put_num(f, p[i].memset_ns);
        bsp_csv_put_num(f, p[i].idle_ns);
        bsp_csv_put_num(f, p[i].host_ns);
        bsp_csv_put_num(f, p[i].window_add_ns);
        bsp_csv_put_num(f, p[i].wall_add_ns);
        bsp_csv_put_num(f, p[i].window_sim_ns);
        bsp_csv_put_num(f, p[i].wall_sim_ns);
        fprintf(f, ",%zu", p[i].kernels_unpredicted);
        bsp_csv_put_num(f, sa.kernel_sum_ns);
        bsp_csv_put_num(f, sa.memcpy_sum_ns + sa.memset_sum_ns);
        bsp_csv_put_num(f, sa.idle_ns);
        bsp_csv_put_num(f, sa.window_ns);
        bsp_csv_put_num(f, sa.wall_ns);
        if (tl_b) {
            bsp_csv_put_num(f, sb.kernel_sum_ns);
            bsp_csv_put_num(f, sb.memcpy_sum_ns + sb.memset_sum_ns);
            bsp_csv_put_num(f, sb.idle_ns);
            bsp_csv_put_num(f, sb.window_ns);
            bsp_csv_put_num(f, sb.wall_ns);
        } else {
            fputs(",,,,,", f);
        }
        bsp_csv_put_num(f, p[i].last_seg_sim_ns);
        bsp_csv_put_num(f, sa.last_seg_ns);
        bsp_csv_put_num(f, tl_b ? sb.last_seg_ns : NAN);
        fputc('\n', f);
        fprintf(stderr,
                "bspgpu apptime: %s on %s, host %s (x%.3f): kernels %.6g + copies/sets %.6g + idle %.6g = window "
                "%.6g ms (replay %.6g ms)%s",
                app, B.name, host_name(p[i].host_mode), p[i].host_scale,
                p[i].kernel_ns / 1e6, (p[i].memcpy_ns + p[i].memset_ns) / 1e6, p[i].idle_ns / 1e6,
                p[i].window_add_ns / 1e6, p[i].window_sim_ns / 1e6, "");
        if (tl_b)
            fprintf(stderr, "; measured %.6g ms", sb.window_ns / 1e6);
        if (!isnan(p[i].last_seg_sim_ns))
            fprintf(stderr, "; one iteration %.6g ms (A %.6g ms%s", p[i].last_seg_sim_ns / 1e6, sa.last_seg_ns / 1e6,
                    tl_b && !isnan(sb.last_seg_ns) ? "" : ")");
        if (!isnan(p[i].last_seg_sim_ns) && tl_b && !isnan(sb.last_seg_ns))
            fprintf(stderr, ", B measured %.6g ms)", sb.last_seg_ns / 1e6);
        fputc('\n', stderr);
    }
    rc = 0;
out:
    if (rc)
        cli_error("apptime", "%s", err.msg);
    if (f && cli_out_close(f, tmp, out, rc == 0, &err) && rc == 0) {
        cli_error("apptime", "%s", err.msg);
        rc = 1;
    }
    free(tmp);
    free(rows);
    bsp_kernel_set_free(&ka);
    bsp_timeline_free(&ta);
    bsp_timeline_free(&tb);
    bsp_board_free(&A);
    bsp_board_free(&B);
    return rc;
}
