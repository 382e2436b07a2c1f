/* bspgpu timeline: a run's wall time cut into kernels, copies and sets,
 * device idle time and the host alone, from a profile and its sidecars. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/timeline.h"
#include "../csv.h"
#include "cmds.h"

static void help(void)
{
    puts("usage: bspgpu timeline PROFILE.csv [--streams] [--app NAME] [-o FILE]\n\n"
         "Read a profile with its sidecars (PROFILE.csv.memops.csv, PROFILE.csv.api.csv,\n"
         "PROFILE.csv.meta.json) and cut the run into parts: the window from the first GPU\n"
         "activity or API call to the last, split into kernel time, copy/set time and device\n"
         "idle time (they add up to the window), and the host alone (wall - window).\n"
         "Writes one CSV row (docs/formats.md); a summary goes to stderr.  Launches replayed\n"
         "for counters have no timestamps and are left out (counted as untimed): profile with\n"
         "--metrics none for the exact timeline.\n\n"
         "  --streams      one row per stream instead (activities, busy, gaps)\n"
         "  --app NAME     the app column (default: the file name)\n"
         "  -o FILE        output (default: stdout)\n\n"
         "example:\n"
         "  bspgpu timeline data/timelines/h100-sxm/vadd.csv");
}

static double share(double part, double whole)
{
    return whole > 0 ? 100.0 * part / whole : NAN;
}

int bsp_cmd_timeline(int argc, char **argv)
{
    static const struct option opts[] = {
        { "streams", no_argument, 0, 's' }, { "app", required_argument, 0, 'n' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *out = "-", *app = NULL;
    int streams = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': streams = 1; break;
        case 'n': app = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("timeline", "bad option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("timeline", optind < argc ? "one profile, please" : "missing PROFILE.csv");
    const char *path = argv[optind];
    if (!app) {
        app = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    }
    bsp_err err = { 0, "" };
    bsp_timeline t;
    bsp_tl_summary s;
    bsp_tl_stream *st = NULL;
    size_t nst = 0;
    FILE *f = NULL;
    char *tmp = NULL;
    int rc = 1;
    if (bsp_timeline_load(&t, path, &err))
        goto out_nofree;
    if (bsp_timeline_summarize(&t, &s, &err) || (streams && bsp_timeline_streams(&t, &st, &nst, &err)))
        goto out;
    if (!(f = cli_out_open(out, &tmp, &err)))
        goto out;
    if (streams) {
        fputs("app,context_id,stream_id,activities,busy_ns,gap_ns,first_ns,last_ns\n", f);
        for (size_t i = 0; i < nst; i++) {
            bsp_csv_put_str(f, app);
            fprintf(f, ",%u,%u,%zu,%.6g,%.6g,%.6g,%.6g\n", (unsigned)(st[i].stream >> 32),
                    (unsigned)(st[i].stream & 0xffffffffu), st[i].activities, st[i].busy_ns, st[i].gap_ns,
                    st[i].first_ns, st[i].last_ns);
        }
    } else {
        fputs("app,wall_ns,window_ns,host_ns,kernel_ns,memop_ns,idle_ns,kernel_pct,memop_pct,idle_pct,host_pct,"
              "kernel_sum_ns,memcpy_sum_ns,memset_sum_ns,stream_gap_ns,kernels,memcpys,memsets,untimed,api_calls,"
              "streams,htod_bytes,dtoh_bytes,dtod_bytes,syncs,last_seg_ns,launch_call_ns\n", f);
        double whole = isnan(s.wall_ns) ? s.window_ns : s.wall_ns;
        bsp_csv_put_str(f, app);
        bsp_csv_put_num(f, s.wall_ns);
        bsp_csv_put_num(f, s.window_ns);
        bsp_csv_put_num(f, s.host_ns);
        bsp_csv_put_num(f, s.kernel_ns);
        bsp_csv_put_num(f, s.memop_ns);
        bsp_csv_put_num(f, s.idle_ns);
        bsp_csv_put_num(f, share(s.kernel_ns, whole));
        bsp_csv_put_num(f, share(s.memop_ns, whole));
        bsp_csv_put_num(f, share(s.idle_ns, whole));
        bsp_csv_put_num(f, isnan(s.host_ns) ? NAN : share(s.host_ns, whole));
        bsp_csv_put_num(f, s.kernel_sum_ns);
        bsp_csv_put_num(f, s.memcpy_sum_ns);
        bsp_csv_put_num(f, s.memset_sum_ns);
        bsp_csv_put_num(f, s.stream_gap_ns);
        fprintf(f, ",%zu,%zu,%zu,%zu,%zu,%zu", s.kernels, s.memcpys, s.memsets, s.untimed, s.api_calls, s.streams);
        bsp_csv_put_num(f, s.bytes[BSP_DIR_HTOD]);
        bsp_csv_put_num(f, s.bytes[BSP_DIR_DTOH]);
        bsp_csv_put_num(f, s.bytes[BSP_DIR_DTOD]);
        fprintf(f, ",%zu", s.syncs);
        bsp_csv_put_num(f, s.last_seg_ns);
        bsp_csv_put_num(f, bsp_timeline_launch_call_ns(&t));
        fputc('\n', f);
    }
    {
        double whole = isnan(s.wall_ns) ? s.window_ns : s.wall_ns;
        fprintf(stderr,
                "bspgpu timeline: %s: %s %.6g ms: kernels %.2f%%, copies/sets %.2f%%, device idle %.2f%%, "
                "host alone %s%.2f%% (%zu kernels, %zu copies, %zu sets, %zu API calls%s)\n",
                app, isnan(s.wall_ns) ? "window" : "wall", whole / 1e6, share(s.kernel_ns, whole),
                share(s.memop_ns, whole), share(s.idle_ns, whole), isnan(s.host_ns) ? "n/a " : "",
                isnan(s.host_ns) ? 0.0 : share(s.host_ns, whole), s.kernels, s.memcpys, s.memsets, s.api_calls,
                s.untimed ? "; replayed launches left out: their gaps hold replay time" : "");
    }
    rc = 0;
out:
    bsp_timeline_free(&t);
out_nofree:
    if (rc)
        cli_error("timeline", "%s", err.msg);
    if (f && cli_out_close(f, tmp, out, rc == 0, &err) && rc == 0) {
        cli_error("timeline", "%s", err.msg);
        rc = 1;
    }
    free(tmp);
    free(st);
    return rc;
}
