/* Board and profile files: good and bad inputs, round trips, atomic output. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>
#include "bspgpu/board.h"
#include "bspgpu/profile.h"
#include "check.h"

static const char *good_board =
    "{\"schema\":\"bspgpu-board\",\"version\":1,\"name\":\"t\",\n"
    "\"device\":{\"sms\":2,\"cores_per_sm\":64,\"clock_mhz\":1000},\n"
    "\"latency_cycles\":{\"shared\":5,\"l1\":10,\"l2\":100,\"global\":500,\"inst\":4}}";

/* Parse json, expect failure with a message containing want. */
static void bad_board(const char *json, const char *want)
{
    bsp_board b;
    bsp_err err = { 0, "" };
    int rc = bsp_board_parse(&b, json, "x.json", &err);
    CHECK(rc == BSP_EPARSE);
    CHECK_STR_HAS(err.msg, "x.json");
    CHECK_STR_HAS(err.msg, want);
}

static char *replace(const char *s, const char *from, const char *to)
{
    static char buf[4096];
    const char *p = strstr(s, from);
    if (!p)
        return NULL;
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    return buf;
}

static void test_board(void)
{
    bsp_board b;
    bsp_err err = { 0, "" };
    CHECK(bsp_board_parse(&b, good_board, "x.json", &err) == 0);
    CHECK(b.sms == 2 && b.sms_total == 2 && b.cores_per_sm == 64);
    CHECK_NEAR(bsp_board_cores(&b), 128, 0);
    CHECK_NEAR(b.lat_global_cycles.median, 500, 0);
    CHECK(b.lat_global_cycles.n == 1);
    CHECK(b.bw_dram_gbs.n == 0);

    /* round trip through a file, with optional fields and a sweep */
    b.bw_dram_gbs = (bsp_meas){ 3000, 2900, 3100, 3 };
    snprintf(b.notes, sizeof b.notes, "quote \" and, comma");
    bsp_sweep_pt pt = { "l2", 1 << 20, 270.5, 140.2 };
    CHECK(bsp_board_add_sweep(&b, &pt, &err) == 0);
    char path[] = "/tmp/bspgpu_test_board_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK(bsp_board_save(&b, path, &err) == 0);
    bsp_board c;
    CHECK(bsp_board_load(&c, path, &err) == 0);
    CHECK_NEAR(c.bw_dram_gbs.max, 3100, 0);
    CHECK(c.bw_dram_gbs.n == 3);
    CHECK(c.nsweep == 1 && !strcmp(c.sweep[0].level, "l2"));
    CHECK(c.nfloor_grid == 0);
    CHECK_NEAR(c.sweep[0].cycles, 270.5, 0);
    CHECK(!strcmp(c.notes, b.notes));
    bsp_board_free(&c);
    bsp_board_free(&b);
    bsp_board_free(NULL);
    unlink(path);

    /* each bad input names the field */
    bad_board(replace(good_board, "\"global\":500,", ""), "latency_cycles.global': missing");
    bad_board(replace(good_board, "\"global\":500", "\"global\":-3"), "latency_cycles.global': must be positive");
    bad_board(replace(good_board, "\"l2\":100", "\"l2\":\"fast\""), "latency_cycles.l2'");
    bad_board(replace(good_board, "\"l1\":10", "\"l1\":{\"min\":3}"), "latency_cycles.l1.median': missing");
    bad_board(replace(good_board, "\"l1\":10", "\"l1\":{\"median\":3,\"min\":4}"), "min <= median <= max");
    bad_board(replace(good_board, "\"sms\":2,", ""), "device.sms': missing");
    bad_board(replace(good_board, "\"sms\":2", "\"sms\":2.5"), "device.sms': expected an integer");
    bad_board(replace(good_board, "\"version\":1", "\"version\":2"), "version': 2 is not supported");
    bad_board(replace(good_board, "bspgpu-board", "other"), "schema'");
    bad_board(replace(good_board, "\"clock_mhz\":1000}", "\"clock_mhz\":1000"), "x.json:3: invalid JSON");
    bad_board("", "invalid JSON");

    /* the floor against the grid: points by ascending blocks, each a measurement */
    const char *fg = replace(good_board, "\"inst\":4}}",
                             "\"inst\":4},\"floor_grid\":[{\"blocks\":1,\"median\":672,\"min\":640,\"max\":704,\"n\":299},"
                             "{\"blocks\":2,\"median\":700,\"replay\":{\"median\":2100,\"n\":9}},{\"blocks\":132,\"median\":800}]}");
    char fgood[1024];
    snprintf(fgood, sizeof fgood, "%s", fg);
    CHECK(bsp_board_parse(&b, fgood, "x.json", &err) == 0);
    CHECK(b.nfloor_grid == 3 && b.floor_grid[0].blocks == 1 && b.floor_grid[2].blocks == 132);
    CHECK_NEAR(b.floor_grid[0].ns.median, 672, 0);
    CHECK(b.floor_grid[0].ns.n == 299 && b.floor_grid[1].ns.n == 1);
    CHECK(b.floor_grid[0].replay.n == 0 && b.floor_grid[1].replay.n == 9);
    CHECK_NEAR(b.floor_grid[1].replay.median, 2100, 0);
    CHECK(bsp_board_save(&b, path, &err) == 0);
    CHECK(bsp_board_load(&c, path, &err) == 0);
    CHECK(c.nfloor_grid == 3 && c.floor_grid[1].blocks == 2);
    CHECK_NEAR(c.floor_grid[0].ns.min, 640, 0);
    CHECK_NEAR(c.floor_grid[2].ns.median, 800, 0);
    CHECK(c.floor_grid[1].replay.n == 9 && c.floor_grid[2].replay.n == 0);
    bsp_board_free(&c);
    bsp_board_free(&b);
    unlink(path);
    bad_board(replace(fgood, "\"floor_grid\":[", "\"floor_grid\":5,\"unused\":["), "floor_grid': expected an array");
    bad_board(replace(fgood, "\"blocks\":2,", "\"blocks\":1,"), "floor_grid[1].blocks': blocks must ascend");
    bad_board(replace(fgood, "\"blocks\":2,", "\"blocks\":2.5,"), "floor_grid[1].blocks': expected a positive integer");
    bad_board(replace(fgood, "\"blocks\":2,", "\"blocks\":0,"), "floor_grid[1].blocks': expected a positive integer");
    bad_board(replace(fgood, "\"blocks\":2,", ""), "floor_grid[1].blocks': missing");
    bad_board(replace(fgood, "\"median\":700", "\"median\":-7"), "floor_grid[1]': must be positive");
    bad_board(replace(fgood, "\"median\":700", "\"mean\":700"), "floor_grid[1].median': missing");
    bad_board(replace(fgood, "\"median\":2100", "\"median\":\"x\""), "floor_grid[1].replay.median': expected a number");

    /* L2 bursts: points by ascending bytes, each a measurement */
    const char *lb = replace(good_board, "\"inst\":4}}",
                             "\"inst\":4},\"l2_burst\":[{\"bytes\":8167712,\"median\":1920,\"min\":1888,\"max\":1952,\"n\":18},"
                             "{\"bytes\":2.5e8,\"median\":37985}]}");
    char lgood[1024];
    snprintf(lgood, sizeof lgood, "%s", lb);
    CHECK(bsp_board_parse(&b, lgood, "x.json", &err) == 0);
    CHECK(b.nl2_burst == 2 && b.l2_burst[0].ns.n == 18 && b.l2_burst[1].ns.n == 1);
    CHECK_NEAR(b.l2_burst[0].bytes, 8167712, 0);
    CHECK_NEAR(b.l2_burst[1].ns.median, 37985, 0);
    CHECK(bsp_board_save(&b, path, &err) == 0);
    CHECK(bsp_board_load(&c, path, &err) == 0);
    CHECK(c.nl2_burst == 2);
    CHECK_NEAR(c.l2_burst[1].bytes, 2.5e8, 0);
    CHECK_NEAR(c.l2_burst[0].ns.min, 1888, 0);
    bsp_board_free(&c);
    bsp_board_free(&b);
    unlink(path);
    bad_board(replace(lgood, "\"l2_burst\":[", "\"l2_burst\":{},\"unused\":["), "l2_burst': expected an array");
    bad_board(replace(lgood, "\"bytes\":2.5e8", "\"bytes\":8167712"), "l2_burst[1].bytes': bytes must ascend");
    bad_board(replace(lgood, "\"bytes\":2.5e8", "\"bytes\":-1"), "l2_burst[1].bytes': must be positive");
    bad_board(replace(lgood, "\"bytes\":2.5e8,", ""), "l2_burst[1].bytes': missing");
    bad_board(replace(lgood, "\"median\":37985", "\"median\":\"x\""), "l2_burst[1].median': expected a number");
    bad_board(replace(lgood, "\"median\":37985", "\"mean\":37985"), "l2_burst[1].median': missing");
    /* the DRAM ladders: the same form, each its own field */
    const char *db = replace(good_board, "\"inst\":4}}",
                             "\"inst\":4},\"dram_burst\":[{\"bytes\":4599296,\"median\":3440},{\"bytes\":2.77e8,\"median\":107411}],"
                             "\"dram_copy\":[{\"bytes\":7169280,\"median\":4880,\"min\":4672,\"max\":5281,\"n\":18}]}");
    char dgood[1024];
    snprintf(dgood, sizeof dgood, "%s", db);
    CHECK(bsp_board_parse(&b, dgood, "x.json", &err) == 0);
    CHECK(b.ndram_burst == 2 && b.ndram_copy == 1 && b.nl2_burst == 0);
    CHECK_NEAR(b.dram_burst[1].bytes, 2.77e8, 0);
    CHECK(bsp_board_save(&b, path, &err) == 0);
    CHECK(bsp_board_load(&c, path, &err) == 0);
    CHECK(c.ndram_burst == 2 && c.ndram_copy == 1);
    CHECK_NEAR(c.dram_burst[0].ns.median, 3440, 0);
    CHECK_NEAR(c.dram_copy[0].ns.max, 5281, 0);
    bsp_board_free(&c);
    bsp_board_free(&b);
    unlink(path);
    bad_board(replace(dgood, "\"bytes\":2.77e8", "\"bytes\":4599296"), "dram_burst[1].bytes': bytes must ascend");
    bad_board(replace(dgood, "\"median\":4880", "\"median\":\"x\""), "dram_copy[0].median': expected a number");
    bad_board(replace(dgood, "\"dram_copy\":[", "\"dram_copy\":3,\"unused\":["), "dram_copy': expected an array");
    CHECK(bsp_board_load(&b, "/nonexistent/board.json", &err) == BSP_EIO);
    CHECK_STR_HAS(err.msg, "/nonexistent/board.json");
}

typedef struct collect {
    int n;
    char names[8][128];
    double dur[8];
    double inst[8];
} collect;

static int collect_cb(const bsp_launch *l, void *ud)
{
    collect *c = ud;
    if (c->n < 8) {
        snprintf(c->names[c->n], sizeof c->names[0], "%s", l->kernel);
        c->dur[c->n] = l->duration_ns;
        c->inst[c->n] = l->ctr[BSP_CTR_INST_WARP];
    }
    c->n++;
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void bad_profile(const char *text, const char *want)
{
    const char *path = "/tmp/bspgpu_test_bad.csv";
    collect c = { 0 };
    bsp_err err = { 0, "" };
    write_file(path, text);
    CHECK(bsp_profile_read(path, collect_cb, &c, &err) == BSP_EPARSE);
    CHECK_STR_HAS(err.msg, path);
    CHECK_STR_HAS(err.msg, want);
    unlink(path);
}

static void test_profile(void)
{
    bsp_err err = { 0, "" };
    const char *path = "/tmp/bspgpu_test_profile.csv";
    /* writer round trip: a name with comma and quote, NaN counters */
    bsp_profile_writer *w;
    CHECK(bsp_profile_writer_open(&w, path, &err) == 0);
    CHECK(access(path, F_OK) != 0); /* nothing until close */
    bsp_launch l;
    bsp_launch_init(&l);
    l.kernel = "void f<int, 2>(\"x\")";
    l.grid[0] = 3, l.grid[1] = l.grid[2] = 1;
    l.block[0] = 128, l.block[1] = l.block[2] = 1;
    l.duration_ns = 1234.5;
    l.ctr[BSP_CTR_INST_WARP] = 1e12;
    CHECK(bsp_profile_writer_row(w, &l, &err) == 0);
    l.kernel = "g";
    l.duration_ns = 10;
    l.ctr[BSP_CTR_INST_WARP] = NAN;
    CHECK(bsp_profile_writer_row(w, &l, &err) == 0);
    CHECK(bsp_profile_writer_close(w, 1, &err) == 0);
    collect c = { 0 };
    CHECK(bsp_profile_read(path, collect_cb, &c, &err) == 0);
    CHECK(c.n == 2);
    CHECK(!strcmp(c.names[0], "void f<int, 2>(\"x\")"));
    CHECK_NEAR(c.dur[0], 1234.5, 0);
    CHECK_NEAR(c.inst[0], 1e12, 0);
    CHECK(isnan(c.inst[1]));
    CHECK(bsp_launch_threads(&l) == 384);
    unlink(path);

    /* a gzip-compressed profile reads the same */
    {
        const char *gz = "/tmp/bspgpu_test_profile.csv.gz";
        gzFile z = gzopen(gz, "wb");
        gzputs(z, "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns\nzk,1,1,1,32,1,1,7.5\n");
        gzclose(z);
        c.n = 0;
        CHECK(bsp_profile_read(gz, collect_cb, &c, &err) == 0);
        CHECK(c.n == 1 && !strcmp(c.names[0], "zk") && c.dur[0] == 7.5);
        unlink(gz);
    }

    /* a discarded writer leaves nothing */
    CHECK(bsp_profile_writer_open(&w, path, &err) == 0);
    CHECK(bsp_profile_writer_close(w, 0, &err) == 0);
    CHECK(access(path, F_OK) != 0);
    CHECK(bsp_profile_writer_close(NULL, 1, &err) == 0);

    /* columns found by name, in any order, extra columns ignored */
    write_file(path, "extra,duration_ns,block_z,block_y,block_x,grid_z,grid_y,grid_x,kernel\r\n"
                     "zz,5,1,1,32,1,1,2,k\r\n\r\n");
    c.n = 0;
    CHECK(bsp_profile_read(path, collect_cb, &c, &err) == 0);
    CHECK(c.n == 1 && !strcmp(c.names[0], "k"));
    unlink(path);

    const char *hdr = "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns,inst_warp\n";
    char buf[512];
    bad_profile("", "empty file");
    bad_profile("kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z\nk,1,1,1,1,1,1\n", "missing required column 'duration_ns'");
    snprintf(buf, sizeof buf, "%sk,1,1,1,32,1,1,abc,\n", hdr);
    bad_profile(buf, ":2: column 'duration_ns': bad value 'abc'");
    snprintf(buf, sizeof buf, "%sk,1,1,1,32,1,1,5,\nk,1,1,1,32,1,1,-5,\n", hdr);
    bad_profile(buf, ":3: column 'duration_ns'");
    snprintf(buf, sizeof buf, "%sk,1,1,1,32,1,1,5,1e\n", hdr);
    bad_profile(buf, ":2: column 'inst_warp': bad value '1e'");
    snprintf(buf, sizeof buf, "%sk,1,1,1,32,1,1\n", hdr);
    bad_profile(buf, ":2: 7 cells, header has 9");
    snprintf(buf, sizeof buf, "%s\"k,1,1,1,32,1,1,5,\n", hdr);
    bad_profile(buf, ":2: unterminated quoted field");
    snprintf(buf, sizeof buf, "%sk,0,1,1,32,1,1,5,\n", hdr);
    bad_profile(buf, ":2: columns 'grid_*'/'block_*'");
    snprintf(buf, sizeof buf, "%sk,1,1,1,-32,1,1,5,\n", hdr);
    bad_profile(buf, ":2: column 'block_x': bad value '-32'");
    snprintf(buf, sizeof buf, "%s,1,1,1,32,1,1,5,\n", hdr);
    bad_profile(buf, ":2: column 'kernel': empty");

    /* aggregation: medians over even and odd counts, counters averaged over profiled launches */
    write_file(path, "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns,inst_warp\n"
                     "a,1,1,1,32,1,1,4,10\n"
                     "b,1,1,1,32,1,1,7,\n"
                     "a,1,1,1,32,1,1,1,30\n"
                     "a,2,1,1,32,1,1,9,\n"
                     "a,1,1,1,32,1,1,3,\n"
                     "a,1,1,1,32,1,1,2,\n");
    bsp_kernel_set ks;
    CHECK(bsp_profile_aggregate(path, &ks, &err) == 0);
    CHECK(ks.n == 3 && ks.launches == 6);
    CHECK_NEAR(ks.dur_sum_ns, 26, 0);
    const bsp_kernel *a = bsp_kernel_set_find(&ks, "a|1,1,1|32,1,1");
    CHECK(a && a->launches == 4);
    if (a) {
        CHECK_NEAR(a->dur_median_ns, 2.5, 1e-12); /* {1,2,3,4} */
        CHECK_NEAR(a->dur_mean_ns, 2.5, 1e-12);
        CHECK(a->dur_min_ns == 1 && a->dur_max_ns == 4);
        CHECK_NEAR(a->ctr[BSP_CTR_INST_WARP], 20, 1e-12);
        CHECK(a->profiled == 2);
        CHECK(isnan(a->ctr[BSP_CTR_LD_GLOBAL]));
        CHECK(isnan(a->dur_replay_ns)); /* no launch marked profiled */
    }
    CHECK(bsp_kernel_set_find(&ks, "a|2,1,1|32,1,1") != NULL);
    CHECK(bsp_kernel_set_find(&ks, "zzz") == NULL);
    CHECK(!strcmp(ks.k[1].name, "b")); /* order of first appearance */
    bsp_kernel_set_free(&ks);
    bsp_kernel_set_free(NULL);
    unlink(path);

    /* a profiled (replayed) launch does not time its configuration when
     * unprofiled launches exist, and counts at their median in sums */
    write_file(path, "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns,profiled\n"
                     "p,1,1,1,32,1,1,100,1\n"
                     "p,1,1,1,32,1,1,10,0\n"
                     "p,1,1,1,32,1,1,20,0\n"
                     "q,1,1,1,32,1,1,50,1\n");
    CHECK(bsp_profile_aggregate(path, &ks, &err) == 0);
    a = bsp_kernel_set_find(&ks, "p|1,1,1|32,1,1");
    CHECK(a && a->dur_median_ns == 15 && a->dur_sum_ns == 45 && a->launches == 3 && a->dur_max_ns == 100);
    CHECK(a && a->dur_replay_ns == 100); /* the replayed launch's own duration, kept apart */
    a = bsp_kernel_set_find(&ks, "q|1,1,1|32,1,1");
    CHECK(a && a->dur_median_ns == 50 && a->dur_sum_ns == 50); /* only a profiled launch: its own time */
    CHECK(a && a->dur_replay_ns == 50);
    CHECK_NEAR(ks.dur_sum_ns, 95, 0);
    bsp_kernel_set_free(&ks);
    unlink(path);

    /* the same call as the first profiled launch: the launches of its
     * configuration with the same configurations two launches either side */
    write_file(path, "kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns,profiled\n"
                     "a,1,1,1,32,1,1,1,1\n"
                     "b,1,1,1,32,1,1,1,0\n"
                     "k,1,1,1,32,1,1,900,1\n"
                     "c,1,1,1,32,1,1,1,0\n"
                     "d,1,1,1,32,1,1,1,0\n"
                     "a,1,1,1,32,1,1,1,0\n"
                     "b,1,1,1,32,1,1,1,0\n"
                     "k,1,1,1,32,1,1,100,0\n" /* the same call */
                     "c,1,1,1,32,1,1,1,0\n"
                     "d,1,1,1,32,1,1,1,0\n"
                     "a,1,1,1,32,1,1,1,0\n"
                     "b,1,1,1,32,1,1,1,0\n"
                     "k,1,1,1,32,1,1,300,0\n" /* another: c, not d, follows c */
                     "c,1,1,1,32,1,1,1,0\n"
                     "c,1,1,1,32,1,1,1,0\n"
                     "a,1,1,1,32,1,1,1,0\n"
                     "b,1,1,1,32,1,1,1,0\n"
                     "k,1,1,1,32,1,1,120,0\n" /* the same call */
                     "c,1,1,1,32,1,1,1,0\n"
                     "d,1,1,1,32,1,1,1,0\n"
                     "b,1,1,1,32,1,1,1,0\n"
                     "k,1,1,1,32,1,1,500,0\n" /* another: b, not a, two before */
                     "c,1,1,1,32,1,1,1,0\n"
                     "d,1,1,1,32,1,1,7,1\n");
    CHECK(bsp_profile_aggregate(path, &ks, &err) == 0);
    a = bsp_kernel_set_find(&ks, "k|1,1,1|32,1,1");
    CHECK(a && a->dur_call_ns == 110 && a->dur_median_ns == 210 && a->dur_replay_ns == 900);
    a = bsp_kernel_set_find(&ks, "a|1,1,1|32,1,1"); /* profiled first: nothing before it, unlike the rest */
    CHECK(a && isnan(a->dur_call_ns));
    a = bsp_kernel_set_find(&ks, "b|1,1,1|32,1,1"); /* no launch profiled */
    CHECK(a && isnan(a->dur_call_ns));
    a = bsp_kernel_set_find(&ks, "d|1,1,1|32,1,1"); /* profiled last: nothing after it */
    CHECK(a && isnan(a->dur_call_ns) && a->dur_replay_ns == 7);
    bsp_kernel_set_free(&ks);
    unlink(path);

    /* many distinct kernels: the index grows */
    FILE *f = fopen(path, "w");
    fputs("kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,duration_ns\n", f);
    for (int i = 0; i < 5000; i++)
        fprintf(f, "k%d,%d,1,1,32,1,1,%d\n", i % 2500, 1 + i % 2500, i);
    fclose(f);
    CHECK(bsp_profile_aggregate(path, &ks, &err) == 0);
    CHECK(ks.n == 2500);
    const bsp_kernel *k = bsp_kernel_set_find(&ks, "k7|8,1,1|32,1,1");
    CHECK(k && k->launches == 2 && k->dur_sum_ns == 7 + 2507);
    bsp_kernel_set_free(&ks);
    unlink(path);

    /* meta sidecar round trip */
    bsp_profile_meta m, m2;
    memset(&m, 0, sizeof m);
    snprintf(m.device, sizeof m.device, "GPU X");
    snprintf(m.capture_range, sizeof m.capture_range, "profiler-api");
    m.passes = 3;
    m.app_wall_ns = 1.5e9;
    CHECK(bsp_profile_meta_save(&m, path, &err) == 0);
    CHECK(bsp_profile_meta_load(&m2, path, &err) == 0);
    CHECK(!strcmp(m2.device, "GPU X") && m2.passes == 3 && m2.app_wall_ns == 1.5e9);
    CHECK(!strcmp(m2.capture_range, "profiler-api"));
    /* metadata written before the capture range was recorded: empty */
    snprintf(buf, sizeof buf, "%s.meta.json", path);
    write_file(buf, "{\"schema\":\"bspgpu-profile-meta\",\"version\":1,\"metric_set\":\"seed\"}");
    CHECK(bsp_profile_meta_load(&m2, path, &err) == 0 && !m2.capture_range[0] && !strcmp(m2.metric_set, "seed"));
    snprintf(buf, sizeof buf, "%s.meta.json", path);
    write_file(buf, "{\"schema\":\"bspgpu-profile-meta\",\"version\":2}");
    CHECK(bsp_profile_meta_load(&m2, path, &err) == BSP_EPARSE);
    CHECK_STR_HAS(err.msg, "field 'version'");
    write_file(buf, "{\"version\":1}");
    CHECK(bsp_profile_meta_load(&m2, path, &err) == BSP_EPARSE);
    CHECK_STR_HAS(err.msg, "field 'schema'");
    unlink(buf);
}

int main(void)
{
    test_board();
    test_profile();
    return check_report("test_io");
}
