/* GPU-free tests of bspgpu import: every input layout the importer accepts
 * (ncu raw page with and without units, in base and scaled units, the ncu
 * details page, nvprof trace and metric/event summaries), bad inputs with
 * their messages, exit codes and no output left behind, and, where real
 * captures exist in tests/fixtures/ncu/, checks against them.
 *
 * Run from the repository root.  Prints one line per check and ends with
 * "N passed, M failed"; exits non-zero on any failure. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bspgpu/import.h"
#include "bspgpu/profile.h"
#include "cmds.h"

#define FX "tests/fixtures"

static int npass, nfail;
static char tmpdir[64];

static void check(int ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    printf("%s - ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    if (ok)
        npass++;
    else
        nfail++;
}

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int near(double a, double b, double rel)
{
    return fabs(a - b) <= rel * fmax(fabs(a), fabs(b));
}

/* Launch fields equal; counters in skip (bitmask of BSP_CTR_*) ignored. */
static int same_launch(const bsp_launch *a, const bsp_launch *b, unsigned skip, char *why, size_t n)
{
#define DIFF(...) do { snprintf(why, n, __VA_ARGS__); return 0; } while (0)
    if (strcmp(a->kernel, b->kernel))
        DIFF("kernel '%s' vs '%s'", a->kernel, b->kernel);
    if (a->launch_id != b->launch_id)
        DIFF("launch_id");
    for (int i = 0; i < 3; i++)
        if (a->grid[i] != b->grid[i] || a->block[i] != b->block[i])
            DIFF("grid/block");
    if (a->registers_per_thread != b->registers_per_thread)
        DIFF("registers");
    if (a->shared_static_bytes != b->shared_static_bytes || a->shared_dynamic_bytes != b->shared_dynamic_bytes)
        DIFF("shared memory");
    if (!same_num(a->duration_ns, b->duration_ns))
        DIFF("duration %g vs %g", a->duration_ns, b->duration_ns);
    for (int c = 0; c < BSP_NCTR; c++)
        if (!(skip >> c & 1) && !same_num(a->ctr[c], b->ctr[c]))
            DIFF("%s %.17g vs %.17g", bsp_counters[c].column, a->ctr[c], b->ctr[c]);
    return 1;
#undef DIFF
}

static int has_warning(const bsp_import *im, const char *sub)
{
    for (size_t i = 0; i < im->nwarn; i++)
        if (strstr(im->warn[i], sub))
            return 1;
    return 0;
}

/* Run the CLI with stdout and stderr captured; returns its exit status. */
static int run_cli(char *errbuf, size_t n, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, n);
    for (char *a; argc < 31 && (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    char outp[128], errp[128];
    snprintf(outp, sizeof outp, "%s/stdout.txt", tmpdir);
    snprintf(errp, sizeof errp, "%s/stderr.txt", tmpdir);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    int fo = open(outp, O_CREAT | O_TRUNC | O_WRONLY, 0600), fe = open(errp, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(fo, 1);
    dup2(fe, 2);
    int rc = bsp_cmd_import(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    close(fo);
    close(fe);
    errbuf[0] = '\0';
    FILE *f = fopen(errp, "r");
    if (f) {
        size_t got = fread(errbuf, 1, n - 1, f);
        errbuf[got] = '\0';
        fclose(f);
    }
    unlink(outp);
    unlink(errp);
    return rc;
}

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

/* Entries of dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static int count_cb(const bsp_launch *l, void *ud)
{
    (void)l;
    (*(size_t *)ud)++;
    return 0;
}

static int load_ncu(bsp_import *im, const char *path)
{
    bsp_err err = { 0 };
    bsp_import_init(im);
    int rc = bsp_import_ncu(im, path, &err);
    if (rc)
        printf("     (%s)\n", err.msg);
    return rc;
}

/* ---- ncu ---- */

static void test_ncu_raw_base(void)
{
    bsp_import im;
    int rc = load_ncu(&im, FX "/ncu_synthetic/raw_base.csv");
    check(rc == 0, "ncu raw page, base units: imports");
    check(im.n == 3, "ncu raw page: 3 launches (got %zu)", im.n);
    if (rc || im.n != 3)
        goto out;
    const bsp_launch *m = &im.l[1];
    check(!strcmp(im.l[0].kernel, "vectorAdd(const float *, const float *, float *, int)"),
          "ncu raw: quoted kernel name with commas kept whole");
    check(im.l[0].launch_id == 0 && m->launch_id == 1 && im.l[2].launch_id == 2, "ncu raw: launch_id from the ID column");
    check(m->grid[0] == 64 && m->grid[1] == 64 && m->grid[2] == 1 && m->block[0] == 16 && m->block[1] == 16 &&
          m->block[2] == 1, "ncu raw: grid and block from \"(x, y, z)\" columns");
    check(m->registers_per_thread == 38 && m->shared_static_bytes == 2048, "ncu raw: registers and static shared memory");
    check(m->duration_ns == 1234560, "ncu raw: duration '1,234,560' nsecond -> 1234560 ns (got %g)", m->duration_ns);
    check(m->context_id == 1 && m->stream_id == 7, "ncu raw: context and stream");
    check(m->ctr[BSP_CTR_INST_WARP] == 93585408 && m->ctr[BSP_CTR_INST_THREAD] == 2994733056.0,
          "ncu raw: thousands separators in counters");
    check(m->ctr[BSP_CTR_L1_LD_HIT] == 7340032 && m->ctr[BSP_CTR_L2_HIT] == 9142272 &&
          m->ctr[BSP_CTR_SHARED_WAVES] == 142606336, "ncu raw: cache counters mapped by metric name");
    check(m->ctr[BSP_CTR_WARPS_ACTIVE_PCT] == 93.75 && m->ctr[BSP_CTR_CYCLES] == 2198214, "ncu raw: percent and cycle counters");
    check(isnan(im.l[2].ctr[BSP_CTR_LDGSTS]) && im.l[2].ctr[BSP_CTR_L2_HIT] == 141312, "ncu raw: 'n/a' -> empty counter");
    check(im.l[0].profiled && m->profiled, "ncu raw: launches with counters are marked profiled");
    check(!strcmp(im.device, "NVIDIA H100 80GB HBM3"), "ncu raw: device name from device__attribute_display_name");
    check(im.nwarn == 0, "ncu raw, base units: no warnings (%zu)", im.nwarn);
out:
    bsp_import_free(&im);
}

/* Files that must give the same launches as raw_base.csv. */
static void test_ncu_variants(void)
{
    bsp_import base, v;
    char why[256] = "";
    if (load_ncu(&base, FX "/ncu_synthetic/raw_base.csv")) {
        check(0, "ncu variants: base file imports");
        return;
    }
    static const struct { const char *file; unsigned skip; const char *what; } cases[] = {
        { "raw_nounits.csv", 0, "raw page without units row (base units assumed)" },
        { "details_base.csv", 1u << BSP_CTR_CYCLES, "details page (display names and metric names)" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char path[256];
        snprintf(path, sizeof path, FX "/ncu_synthetic/%s", cases[k].file);
        int ok = load_ncu(&v, path) == 0 && v.n == base.n;
        for (size_t i = 0; ok && i < v.n; i++)
            ok = same_launch(&v.l[i], &base.l[i], cases[k].skip, why, sizeof why);
        check(ok, "ncu %s: same launches as the raw page%s%s", cases[k].what, ok ? "" : ": ", ok ? "" : why);
        if (k == 1) {
            check(v.n == 3 && isnan(v.l[1].ctr[BSP_CTR_CYCLES]),
                  "ncu details: 'Elapsed Cycles' (gpc__cycles_elapsed.max) is not taken for sm_cycles");
            check(v.n == 3 && v.l[0].ctr[BSP_CTR_INST_WARP] == 557056,
                  "ncu details: counters from 'Command line profiler metrics' rows");
        }
        bsp_import_free(&v);
    }
    /* scaled units: usecond, Mbyte, Kbyte/block */
    int rc = load_ncu(&v, FX "/ncu_synthetic/raw_auto.csv");
    check(rc == 0 && v.n == 3, "ncu raw page, scaled units: imports");
    if (!rc && v.n == 3) {
        check(v.l[1].duration_ns == 1234560, "ncu scaled: '1234.560' usecond -> 1234560 ns (got %.17g)", v.l[1].duration_ns);
        check(v.l[1].ctr[BSP_CTR_DRAM_READ] == 9180000, "ncu scaled: '9.18' Mbyte -> 9180000 bytes (got %.17g)",
              v.l[1].ctr[BSP_CTR_DRAM_READ]);
        check(v.l[1].shared_static_bytes == 2050, "ncu scaled: '2.05' Kbyte/block -> 2050 bytes (SI factor 1000)");
        check(v.l[1].ctr[BSP_CTR_INST_WARP] == base.l[1].ctr[BSP_CTR_INST_WARP], "ncu scaled: unscaled columns unchanged");
        check(has_warning(&v, "--print-units base"), "ncu scaled: warns that scaled values were rounded");
    }
    bsp_import_free(&v);
    bsp_import_free(&base);
}

static void test_detect(void)
{
    static const struct { const char *file; bsp_import_fmt fmt; } cases[] = {
        { FX "/ncu_synthetic/raw_base.csv", BSP_IMPORT_NCU_RAW },
        { FX "/ncu_synthetic/details_base.csv", BSP_IMPORT_NCU_DETAILS },
        { FX "/nvprof/xavier_trace.csv", BSP_IMPORT_NVPROF_TRACE },
        { FX "/nvprof/xavier_metrics.csv", BSP_IMPORT_NVPROF_SUMMARY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bsp_import_fmt f;
        bsp_err err = { 0 };
        int rc = bsp_import_detect(cases[i].file, &f, &err);
        check(rc == 0 && f == cases[i].fmt, "detect %s: %s", cases[i].file, bsp_import_fmt_name(f));
    }
}

/* ---- nvprof ---- */

static int load_nvprof(bsp_import *im, int derive, int with_metrics)
{
    const char *paths[] = { FX "/nvprof/xavier_trace.csv", FX "/nvprof/xavier_metrics.csv" };
    bsp_import_opts o = { .derive_hits = derive };
    bsp_err err = { 0 };
    bsp_import_init(im);
    int rc = bsp_import_nvprof(im, paths, with_metrics ? 2 : 1, &o, &err);
    if (rc)
        printf("     (%s)\n", err.msg);
    return rc;
}

static void test_nvprof(void)
{
    bsp_import im;
    int rc = load_nvprof(&im, 0, 0);
    check(rc == 0 && im.n == 7 && im.skipped == 3, "nvprof trace alone: 7 kernel launches, 3 memcpy rows skipped");
    if (!rc && im.n == 7) {
        const bsp_launch *a = &im.l[0], *m = &im.l[6];
        check(!strcmp(a->kernel, "vectorAdd(float const *, float const *, float*, int)"),
              "nvprof trace: ' [117]' correlation suffix dropped from the name");
        check(a->start_ns == 404251347 && a->duration_ns == 287360,
              "nvprof trace: Start in ms and Duration in us converted to ns");
        check(m->grid[0] == 64 && m->grid[1] == 64 && m->block[0] == 16 && m->block[1] == 16 && m->grid[2] == 1,
              "nvprof trace: Grid X/Y/Z and Block X/Y/Z");
        check(m->registers_per_thread == 38 && m->shared_static_bytes == 2048 && m->shared_dynamic_bytes == 1024,
              "nvprof trace: Static SMem 2 KB -> 2048 B, Dynamic SMem 1024 B");
        check(!a->profiled && isnan(a->ctr[BSP_CTR_INST_WARP]), "nvprof trace alone: no counters");
        check(!strcmp(im.device, "Xavier") && a->device == 0, "nvprof trace: device 'Xavier (0)' -> name and index");
    }
    bsp_import_free(&im);

    rc = load_nvprof(&im, 0, 1);
    check(rc == 0 && im.n == 7, "nvprof trace + metrics/events summary: imports");
    if (!rc && im.n == 7) {
        const bsp_launch *a = &im.l[0], *m = &im.l[2];
        check(a->profiled && a->ctr[BSP_CTR_INST_WARP] == 557056 && a->ctr[BSP_CTR_INST_THREAD] == 17825792,
              "nvprof: inst_executed metric and thread_inst_executed event");
        check(m->ctr[BSP_CTR_LD_GLOBAL] == 4194304 && m->ctr[BSP_CTR_ST_GLOBAL] == 32768 &&
              m->ctr[BSP_CTR_LD_SHARED] == 67108864 && m->ctr[BSP_CTR_ST_SHARED] == 4194304,
              "nvprof: inst_executed_{global,shared}_{loads,stores}");
        check(m->ctr[BSP_CTR_L1_LD_SECTORS] == 16777216 && m->ctr[BSP_CTR_L1_ST_SECTORS] == 131072,
              "nvprof: gld/gst_transactions -> L1 sectors");
        check(a->ctr[BSP_CTR_L2_SECTORS] == 278528 + 131072, "nvprof: l2 sectors = read + write - atomic/2");
        check(m->ctr[BSP_CTR_DRAM_READ] == 9175040 && m->ctr[BSP_CTR_SHARED_WAVES] == 71303168 + 4194304,
              "nvprof: dram bytes and shared wavefronts");
        check(near(a->ctr[BSP_CTR_WARPS_ACTIVE_PCT], 85.5231, 1e-12), "nvprof: achieved_occupancy 0.855231 -> 85.5231 %%");
        check(isnan(m->ctr[BSP_CTR_L1_LD_HIT]) && isnan(m->ctr[BSP_CTR_L2_HIT]),
              "nvprof without --derive-hits: hit sectors left empty");
        check(has_warning(&im, "--derive-hits"), "nvprof without --derive-hits: warns that hit rates went unused");
        check(isnan(im.l[4].ctr[BSP_CTR_INST_WARP]) && !im.l[4].profiled && isnan(im.l[5].ctr[BSP_CTR_INST_WARP]),
              "nvprof: a kernel launched with two configurations gets no averaged counters");
        check(has_warning(&im, "several grid/block configurations"), "nvprof: ... and a warning says why");
        check(im.l[3].ctr[BSP_CTR_INST_WARP] == 557056 && im.l[6].ctr[BSP_CTR_INST_WARP] == 93585408,
              "nvprof: per-kernel averages copied to every launch of the kernel");
        check(strstr(im.notes, "LDG/STG/LDS/STS only") != NULL, "nvprof: notes record the ld/st approximation");
    }
    bsp_import_free(&im);

    rc = load_nvprof(&im, 1, 1);
    check(rc == 0 && im.n == 7, "nvprof --derive-hits: imports");
    if (!rc && im.n == 7) {
        const bsp_launch *m = &im.l[2];
        check(m->ctr[BSP_CTR_L1_LD_HIT] == 0.4375 * 16777216, "nvprof --derive-hits: l1 hits = 43.75%% x gld_transactions");
        check(near(m->ctr[BSP_CTR_L2_HIT], 0.95547945 * (9437184.0 + 131072), 1e-12),
              "nvprof --derive-hits: l2 hits = l2_tex_hit_rate x l2 sectors");
        check(!has_warning(&im, "--derive-hits"), "nvprof --derive-hits: no unused-rate warning");
    }
    bsp_import_free(&im);
}

/* ---- CLI, output, bad inputs ---- */

static void test_cli_write(void)
{
    char out[128], meta[160], msg[4096];
    snprintf(out, sizeof out, "%s/ok.csv", tmpdir);
    snprintf(meta, sizeof meta, "%s.meta.json", out);
    int rc = run_cli(msg, sizeof msg, "import", "--from", "ncu", FX "/ncu_synthetic/raw_base.csv", "-o", out, NULL);
    check(rc == 0 && exists(out) && exists(meta), "cli ncu: exit 0, profile and sidecar written");
    size_t n = 0;
    bsp_err err = { 0 };
    check(bsp_profile_read(out, count_cb, &n, &err) == 0 && n == 3, "cli ncu: the profile reads back (3 rows)");
    bsp_profile_meta m;
    check(bsp_profile_meta_load(&m, out, &err) == 0 && !strcmp(m.metric_set, "import-ncu") &&
          strstr(m.command, "bspgpu import --from ncu") && !strcmp(m.device, "NVIDIA H100 80GB HBM3"),
          "cli ncu: sidecar records tool, command and device");
    bsp_kernel_set ks;
    if (bsp_profile_aggregate(out, &ks, &err) == 0) {
        const bsp_kernel *k = bsp_kernel_set_find(&ks, "vectorAdd(const float *, const float *, float *, int)|4096,1,1|256,1,1");
        check(ks.n == 2 && k && k->launches == 2 && k->dur_sum_ns == 10432 + 10208,
              "cli ncu: the profile aggregates per kernel (2 kernels, vectorAdd x2)");
        bsp_kernel_set_free(&ks);
    } else {
        check(0, "cli ncu: the profile aggregates (%s)", err.msg);
    }
    unlink(out);
    unlink(meta);

    rc = run_cli(msg, sizeof msg, "import", "--from", "nvprof", "--derive-hits", FX "/nvprof/xavier_trace.csv",
                 FX "/nvprof/xavier_metrics.csv", "-o", out, NULL);
    n = 0;
    check(rc == 0 && bsp_profile_read(out, count_cb, &n, &err) == 0 && n == 7, "cli nvprof: exit 0, 7 rows");
    check(strstr(msg, "several grid/block configurations") != NULL, "cli nvprof: warnings on stderr");
    unlink(out);
    unlink(meta);

    rc = run_cli(msg, sizeof msg, "import", "--help", NULL);
    check(rc == 0, "cli --help: exit 0");
}

typedef struct bad_case {
    const char *what;
    int want_rc;
    const char *want1, *want2;
    const char *args[8];
} bad_case;

static void test_bad(void)
{
    static const bad_case cases[] = {
        { "ncu missing duration column", 1,
          "ncu_missing_duration.csv:2:", "missing required column 'gpu__time_duration.sum'",
          { "--from", "ncu", FX "/import_bad/ncu_missing_duration.csv" } },
        { "ncu garbage number", 1,
          "ncu_garbage_number.csv:5:", "column 'smsp__inst_executed.sum': bad number '93,585,4O8'",
          { "--from", "ncu", FX "/import_bad/ncu_garbage_number.csv" } },
        { "ncu truncated quote", 1,
          "ncu_truncated_quote.csv:6:", "unterminated quoted field in column 'Kernel Name'",
          { "--from", "ncu", FX "/import_bad/ncu_truncated_quote.csv" } },
        { "ncu wrong cell count", 1,
          "ncu_wrong_cells.csv:3:", "38 cells, the header on line 1 has 37",
          { "--from", "ncu", FX "/import_bad/ncu_wrong_cells.csv" } },
        { "ncu unknown unit", 1,
          "ncu_unknown_unit.csv:2:", "column 'gpu__time_duration.sum': unknown unit 'fortnight'",
          { "--from", "ncu", FX "/import_bad/ncu_unknown_unit.csv" } },
        { "ncu locale-formatted number", 1,
          "ncu_locale.csv:3:", "LC_ALL=C",
          { "--from", "ncu", FX "/import_bad/ncu_locale.csv" } },
        { "no header", 1,
          "no_header.txt:", "no ncu or nvprof CSV header found",
          { "--from", "ncu", FX "/import_bad/no_header.txt" } },
        { "missing input file", 1,
          "does-not-exist.csv", "cannot open",
          { "--from", "ncu", FX "/import_bad/does-not-exist.csv" } },
        { "nvprof trace missing Block Z", 1,
          "nvprof_missing_blockz.csv:5:", "missing required column 'Block Z'",
          { "--from", "nvprof", FX "/import_bad/nvprof_missing_blockz.csv" } },
        { "nvprof trace without units row", 1,
          "nvprof_no_units.csv:6:", "want the units row",
          { "--from", "nvprof", FX "/import_bad/nvprof_no_units.csv" } },
        { "nvprof summary bad value", 1,
          "nvprof_bad_value.csv:34:", "(inst_executed_global_stores): bad value '32.7k'",
          { "--from", "nvprof", FX "/nvprof/xavier_trace.csv", FX "/import_bad/nvprof_bad_value.csv" } },
        { "nvprof default summary mode", 1,
          "nvprof_summary_mode.csv:4:", "use nvprof --print-gpu-trace --csv",
          { "--from", "nvprof", FX "/import_bad/nvprof_summary_mode.csv" } },
        { "nvprof summary without trace (misuse)", 2,
          "no --print-gpu-trace file", "nvprof",
          { "--from", "nvprof", FX "/nvprof/xavier_metrics.csv" } },
        { "ncu file given as nvprof (misuse)", 2,
          "raw_base.csv", "use --from ncu",
          { "--from", "nvprof", FX "/ncu_synthetic/raw_base.csv" } },
        { "nvprof file given as ncu (misuse)", 2,
          "xavier_trace.csv", "use --from nvprof",
          { "--from", "ncu", FX "/nvprof/xavier_trace.csv" } },
        { "--from missing (misuse)", 2, "--from", "required", { FX "/nvprof/xavier_trace.csv" } },
        { "--from unknown (misuse)", 2, "want ncu or nvprof", "", { "--from", "nsys", FX "/nvprof/xavier_trace.csv" } },
        { "unknown option (misuse)", 2, "unknown option '--frob'", "", { "--frob", "--from", "ncu", "x.csv" } },
        { "--derive-hits with ncu (misuse)", 2, "--derive-hits", "",
          { "--from", "ncu", "--derive-hits", FX "/ncu_synthetic/raw_base.csv" } },
    };
    char dir[128], out[160], msg[4096];
    snprintf(dir, sizeof dir, "%s/bad", tmpdir);
    mkdir(dir, 0700);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *b = &cases[i];
        char *argv[12];
        int argc = 0;
        for (int j = 0; j < 8 && b->args[j]; j++)
            argv[argc++] = (char *)(uintptr_t)b->args[j];
        int rc;
        switch (argc) {    /* -o last, so a missing -o is never the error */
        case 1: rc = run_cli(msg, sizeof msg, "import", argv[0], "-o", out, NULL); break;
        case 3: rc = run_cli(msg, sizeof msg, "import", argv[0], argv[1], argv[2], "-o", out, NULL); break;
        case 4: rc = run_cli(msg, sizeof msg, "import", argv[0], argv[1], argv[2], argv[3], "-o", out, NULL); break;
        default: rc = -1; break;
        }
        check(rc == b->want_rc, "bad input, %s: exit %d (got %d)", b->what, b->want_rc, rc);
        int ok = strstr(msg, b->want1) && strstr(msg, b->want2);
        check(ok, "bad input, %s: message names %s%s", b->what, b->want1, ok ? "" : "");
        if (!ok)
            printf("     stderr: %s", msg);
        check(dir_entries(dir) == 0, "bad input, %s: no output file left behind", b->what);
    }
    /* output into a directory that does not exist: nothing written anywhere */
    char nodir[200];
    snprintf(nodir, sizeof nodir, "%s/no/such/dir/out.csv", tmpdir);
    int rc = run_cli(msg, sizeof msg, "import", "--from", "ncu", FX "/ncu_synthetic/raw_base.csv", "-o", nodir, NULL);
    check(rc == 1 && strstr(msg, "cannot create"), "unwritable output: exit 1 with a message");
    rc = run_cli(msg, sizeof msg, "import", "--from", "ncu", FX "/ncu_synthetic/raw_base.csv", NULL);
    check(rc == 2 && strstr(msg, "-o OUT.csv is required"), "missing -o: exit 2");
    rmdir(dir);
}

/* ---- real captures (tests/fixtures/ncu/) ---- */

/* Join key that survives the two ways of printing a kernel name:
 * "void f<16>(float*, int)" and "f": base name without "void ", template
 * arguments or parameters, plus the launch shape. */
static void norm_key(const bsp_kernel *k, char *buf, size_t n)
{
    const char *s = k->name;
    if (!strncmp(s, "void ", 5))
        s += 5;
    size_t len = strcspn(s, "<(");
    snprintf(buf, n, "%.*s|%u,%u,%u|%u,%u,%u", (int)len, s, k->grid[0], k->grid[1], k->grid[2],
             k->block[0], k->block[1], k->block[2]);
}

static int aggregate_import(const bsp_import *im, bsp_kernel_set *ks)
{
    bsp_err err = { 0 };
    if (bsp_kernel_set_init(ks))
        return -1;
    for (size_t i = 0; i < im->n; i++)
        if (bsp_kernel_set_add(ks, &im->l[i], &err))
            return -1;
    return bsp_kernel_set_finish(ks, &err);
}

/* Counters that CUPTI and ncu give to the unit (docs/notes): compare them
 * exactly; print the rest (cache hits depend on ncu's --cache-control). */
static void compare_sets(const char *what, const bsp_kernel_set *a, const bsp_kernel_set *b)
{
    static const int exact[] = {
        BSP_CTR_INST_WARP, BSP_CTR_INST_THREAD, BSP_CTR_LD_GLOBAL, BSP_CTR_ST_GLOBAL,
        BSP_CTR_LD_SHARED, BSP_CTR_ST_SHARED, BSP_CTR_L1_LD_SECTORS,
    };
    int matched = 0;
    for (size_t i = 0; i < a->n; i++) {
        char ka[BSP_NAME_MAX + 96], kb[BSP_NAME_MAX + 96];
        norm_key(&a->k[i], ka, sizeof ka);
        for (size_t j = 0; j < b->n; j++) {
            norm_key(&b->k[j], kb, sizeof kb);
            if (strcmp(ka, kb))
                continue;
            matched++;
            for (size_t c = 0; c < sizeof exact / sizeof exact[0]; c++) {
                double x = a->k[i].ctr[exact[c]], y = b->k[j].ctr[exact[c]];
                if (isnan(x) || isnan(y))
                    continue;
                check(near(x, y, 1e-9), "%s: %s %s %.17g vs %.17g", what, ka, bsp_counters[exact[c]].column, x, y);
            }
            printf("info - %s: %s duration mean %.0f vs %.0f ns; l1 hits %.0f vs %.0f; l2 hits %.0f vs %.0f\n", what, ka,
                   a->k[i].dur_mean_ns, b->k[j].dur_mean_ns, a->k[i].ctr[BSP_CTR_L1_LD_HIT], b->k[j].ctr[BSP_CTR_L1_LD_HIT],
                   a->k[i].ctr[BSP_CTR_L2_HIT], b->k[j].ctr[BSP_CTR_L2_HIT]);
            break;
        }
    }
    check(matched > 0, "%s: kernels matched by name and shape (%d)", what, matched);
}

/* Every ncu CSV in tests/fixtures/ncu imports; files that share a stem
 * (text before the first '.') are the same workload and are compared: two
 * ncu captures with each other (raw and details pages, cache control all
 * and none), and ncu against any bspgpu profile of the workload (e.g.
 * STEM.bspgpu-full.csv, from `bspgpu profile --metrics full --samples 0`). */
static void test_real_ncu(void)
{
    const char *dirp = getenv("BSP_IMPORT_NCU_DIR");   /* to try other captures */
    if (!dirp || !*dirp)
        dirp = FX "/ncu";
    DIR *d = opendir(dirp);
    if (!d) {
        printf("skip - no %s\n", dirp);
        return;
    }
    char names[64][256];
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 64;) {
        size_t len = strlen(e->d_name);
        if (len > 4 && !strcmp(e->d_name + len - 4, ".csv") && !strstr(e->d_name, ".meta."))
            snprintf(names[n++], sizeof names[0], "%s", e->d_name);
    }
    closedir(d);
    if (!n)
        printf("skip - no real ncu captures in %s yet\n", dirp);
    bsp_import_fmt fmt[64];
    for (int i = 0; i < n; i++) {
        char path[512];
        bsp_err err = { 0 };
        snprintf(path, sizeof path, "%s/%.255s", dirp, names[i]);
        if (bsp_import_detect(path, &fmt[i], &err) || (fmt[i] != BSP_IMPORT_NCU_RAW && fmt[i] != BSP_IMPORT_NCU_DETAILS)) {
            fmt[i] = BSP_IMPORT_UNKNOWN;
            continue;
        }
        bsp_import im;
        int rc = load_ncu(&im, path);
        int durs = rc == 0 && im.n > 0;
        for (size_t k = 0; durs && k < im.n; k++)
            durs = im.l[k].duration_ns > 0;
        check(durs, "real ncu %s (%s): %zu launches, every one with a duration", names[i], bsp_import_fmt_name(fmt[i]), im.n);
        for (size_t w = 0; w < im.nwarn; w++)
            printf("info - %s: warning: %s\n", names[i], im.warn[w]);
        bsp_import_free(&im);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            size_t si = strcspn(names[i], "."), sj = strcspn(names[j], ".");
            if (i == j || si != sj || strncmp(names[i], names[j], si) || fmt[i] == BSP_IMPORT_UNKNOWN)
                continue;
            char pi[512], pj[512], what[600];
            snprintf(pi, sizeof pi, "%s/%.255s", dirp, names[i]);
            snprintf(pj, sizeof pj, "%s/%.255s", dirp, names[j]);
            bsp_kernel_set a, b;
            bsp_import ia, ib;
            bsp_err err = { 0 };
            if (fmt[j] == BSP_IMPORT_UNKNOWN) {
                /* a bspgpu profile of the same workload? */
                if (load_ncu(&ia, pi) || aggregate_import(&ia, &a)) {
                    bsp_import_free(&ia);
                    continue;
                }
                if (bsp_profile_aggregate(pj, &b, &err) == 0) {
                    snprintf(what, sizeof what, "ncu %.255s vs bspgpu %.255s", names[i], names[j]);
                    compare_sets(what, &a, &b);
                    bsp_kernel_set_free(&b);
                }
                bsp_kernel_set_free(&a);
                bsp_import_free(&ia);
            } else if (i < j) {
                /* two ncu captures of one workload: raw vs details, cache
                 * control all vs none; instruction counts must agree */
                if (!load_ncu(&ia, pi) && !aggregate_import(&ia, &a)) {
                    if (!load_ncu(&ib, pj) && !aggregate_import(&ib, &b)) {
                        snprintf(what, sizeof what, "ncu %.255s vs %.255s", names[i], names[j]);
                        compare_sets(what, &a, &b);
                        bsp_kernel_set_free(&b);
                    }
                    bsp_import_free(&ib);
                    bsp_kernel_set_free(&a);
                }
                bsp_import_free(&ia);
            }
        }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/bspgpu-test-import-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_ncu_raw_base();
    test_ncu_variants();
    test_detect();
    test_nvprof();
    test_cli_write();
    test_bad();
    test_real_ncu();
    rmdir(tmpdir);
    printf("%d passed, %d failed\n", npass, nfail);
    return nfail ? 1 : 0;
}
