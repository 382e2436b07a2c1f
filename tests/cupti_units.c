/* GPU-free unit tests of the CUPTI collector's parts: options, metric sets,
 * sampling, demangling, host API classes, the capture range, and the record
 * store that writes the profile, memops and API CSVs. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bspgpu/profile.h"
#include "check.h"
#include "../src/cupti/cupti_internal.h"

/* ---- options from a fake environment ---- */

static const char *fake_env[16][2];

static const char *fake_lookup(const char *name)
{
    for (int i = 0; fake_env[i][0]; i++)
        if (strcmp(fake_env[i][0], name) == 0)
            return fake_env[i][1];
    return NULL;
}

static void set_env(int i, const char *k, const char *v)
{
    fake_env[i][0] = k;
    fake_env[i][1] = v;
    fake_env[i + 1][0] = NULL;
}

static void test_options(void)
{
    bsp_prof_opts o;
    bsp_err err = { 0 };
    fake_env[0][0] = NULL;
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_OUT);

    set_env(0, BSP_ENV_OUT, "/tmp/x.csv");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0);
    CHECK(strcmp(o.out, "/tmp/x.csv") == 0);
    CHECK(o.metric_set == BSP_MSET_SEED);
    CHECK(o.samples == 1 && o.launch_skip == 0 && o.launch_count == 0 && o.config_skip == 0 && !o.kernel_regex[0]);
    CHECK(!o.verbose && !o.serialize && o.release);
    CHECK(o.api_mode == BSP_APIMODE_CALLS);
    CHECK(o.capture == BSP_CAPTURE_NONE);

    set_env(1, BSP_ENV_METRICS, "full");
    set_env(2, BSP_ENV_SAMPLES, "0");
    set_env(3, BSP_ENV_LAUNCH_SKIP, "5");
    set_env(4, BSP_ENV_LAUNCH_COUNT, "7");
    set_env(5, BSP_ENV_KERNEL_REGEX, "^gemm");
    set_env(6, BSP_ENV_SERIALIZE, "1");
    set_env(7, BSP_ENV_API, "kinds");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0);
    CHECK(o.serialize == 1 && o.api_mode == BSP_APIMODE_KINDS);
    set_env(6, BSP_ENV_RELEASE, "0");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && !o.release && !o.serialize);
    set_env(6, BSP_ENV_RELEASE, "1");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.release);
    set_env(6, BSP_ENV_SERIALIZE, "1");
    set_env(7, BSP_ENV_API, "off");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.api_mode == BSP_APIMODE_OFF);
    set_env(7, BSP_ENV_API, "some");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_API);
    set_env(7, BSP_ENV_API, "calls");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0);
    CHECK(o.metric_set == BSP_MSET_FULL && o.samples == 0 && o.launch_skip == 5 && o.launch_count == 7);
    CHECK(strcmp(o.kernel_regex, "^gemm") == 0);
    set_env(8, BSP_ENV_CONFIG_SKIP, "2");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.config_skip == 2 && o.launch_skip == 5);
    set_env(8, BSP_ENV_CONFIG_SKIP, "two");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_CONFIG_SKIP);
    set_env(8, BSP_ENV_CONFIG_SKIP, "0");
    set_env(9, BSP_ENV_CAPTURE, "profiler-api");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.capture == BSP_CAPTURE_PROFILER_API);
    set_env(9, BSP_ENV_CAPTURE, "none");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.capture == BSP_CAPTURE_NONE);
    set_env(9, BSP_ENV_CAPTURE, "cudaProfilerApi");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_CAPTURE "=cudaProfilerApi");
    set_env(9, BSP_ENV_CAPTURE, "");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == 0 && o.capture == BSP_CAPTURE_NONE);

    set_env(1, BSP_ENV_METRICS, "most");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_METRICS);
    set_env(1, BSP_ENV_SAMPLES, "-1");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);
    CHECK_STR_HAS(err.msg, BSP_ENV_SAMPLES);
    set_env(1, BSP_ENV_LAUNCH_SKIP, "3x");
    CHECK(bsp_prof_opts_load(&o, fake_lookup, &err) == BSP_EINVAL);

    uint64_t u = 0;
    CHECK(bsp_parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX);
    CHECK(bsp_parse_u64("18446744073709551616", &u) == -1);
    CHECK(bsp_parse_u64("", &u) == -1 && bsp_parse_u64("+1", &u) == -1 && bsp_parse_u64(" 1", &u) == -1);
    CHECK(bsp_metric_set_parse("none") == BSP_MSET_NONE && bsp_metric_set_parse(NULL) == -1);
    CHECK(strcmp(bsp_metric_set_name(BSP_MSET_SEED), "seed") == 0);
    CHECK(bsp_capture_mode_parse("profiler-api") == BSP_CAPTURE_PROFILER_API);
    CHECK(bsp_capture_mode_parse("none") == BSP_CAPTURE_NONE);
    CHECK(bsp_capture_mode_parse("Profiler-API") == -1 && bsp_capture_mode_parse("") == -1 &&
          bsp_capture_mode_parse(NULL) == -1);
    CHECK(strcmp(bsp_capture_mode_name(BSP_CAPTURE_PROFILER_API), "profiler-api") == 0);
    CHECK(strcmp(bsp_capture_mode_name(BSP_CAPTURE_NONE), "none") == 0);
}

/* ---- metric sets ---- */

static void test_sets(void)
{
    int ids[BSP_NCTR];
    CHECK(bsp_metric_set_ids(BSP_MSET_NONE, ids) == 0);
    CHECK(bsp_metric_set_ids(BSP_MSET_FULL, ids) == BSP_NCTR);
    CHECK(bsp_metric_set_ids(99, ids) == -1);
    int n = bsp_metric_set_ids(BSP_MSET_SEED, ids);
    CHECK(n > 0 && n < BSP_NCTR);
    /* the seed model's inputs are all there, each once, in table order */
    int want[] = { BSP_CTR_INST_THREAD, BSP_CTR_LD_GLOBAL, BSP_CTR_ST_GLOBAL, BSP_CTR_LD_SHARED,
                   BSP_CTR_ST_SHARED, BSP_CTR_L1_LD_HIT, BSP_CTR_L2_HIT, BSP_CTR_CYCLES };
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        int found = 0;
        for (int i = 0; i < n; i++)
            found += ids[i] == want[w];
        CHECK(found == 1);
    }
    for (int i = 1; i < n; i++)
        CHECK(ids[i] > ids[i - 1]);
    /* mem: the L2 and DRAM counters and cycles, in table order, nothing of the SMs' */
    n = bsp_metric_set_ids(BSP_MSET_MEM, ids);
    CHECK(n == 8);
    for (int i = 1; i < n; i++)
        CHECK(ids[i] > ids[i - 1]);
    for (int i = 0; i < n; i++)
        CHECK(ids[i] != BSP_CTR_INST_WARP && ids[i] != BSP_CTR_TENSOR && ids[i] != BSP_CTR_L1_LD_SECTORS);
    CHECK(bsp_metric_set_parse("mem") == BSP_MSET_MEM && strcmp(bsp_metric_set_name(BSP_MSET_MEM), "mem") == 0);
    /* every metric name of the table is a CUPTI-style dotted name */
    for (int i = 0; i < BSP_NCTR; i++)
        CHECK(strchr(bsp_counters[i].metric, '.') && !strchr(bsp_counters[i].metric, ' '));
}

/* ---- demangling ---- */

static void test_demangle(void)
{
    char *d = bsp_demangle("_Z7vec_addPKfS0_Pfi");
    CHECK(d && strcmp(d, "vec_add(float const*, float const*, float*, int)") == 0);
    free(d);
    d = bsp_demangle("_Z12matmul_tiledILi16EEvPKfS1_Pfi");
    CHECK(d && strcmp(d, "void matmul_tiled<16>(float const*, float const*, float*, int)") == 0);
    free(d);
    d = bsp_demangle("plain_c_kernel");
    CHECK(d && strcmp(d, "plain_c_kernel") == 0);
    free(d);
    d = bsp_demangle("_Zbroken@@");
    CHECK(d && strcmp(d, "_Zbroken@@") == 0);
    free(d);
    d = bsp_demangle(NULL);
    CHECK(d && !*d);
    free(d);
}

/* ---- sampling ---- */

static bsp_sampler *sampler_cs(const char *regex, uint64_t skip, uint64_t count, uint64_t samples,
                               uint64_t config_skip)
{
    bsp_prof_opts o;
    bsp_sampler *s = NULL;
    bsp_err err = { 0 };
    memset(&o, 0, sizeof o);
    snprintf(o.kernel_regex, sizeof o.kernel_regex, "%s", regex ? regex : "");
    o.launch_skip = skip;
    o.launch_count = count;
    o.samples = samples;
    o.config_skip = config_skip;
    o.metric_set = BSP_MSET_SEED;
    CHECK(bsp_sampler_new(&s, &o, &err) == 0);
    return s;
}

static bsp_sampler *sampler(const char *regex, uint64_t skip, uint64_t count, uint64_t samples)
{
    return sampler_cs(regex, skip, count, samples, 0);
}

static void test_sampler(void)
{
    uint32_t g1[3] = { 64, 1, 1 }, g2[3] = { 128, 1, 1 }, b[3] = { 256, 1, 1 };
    uint64_t configs, launches, profiled;

    /* default: once per configuration */
    bsp_sampler *s = sampler(NULL, 0, 0, 1);
    CHECK(bsp_sampler_decide(s, "_Z1kv", g1, b) == 1);
    CHECK(bsp_sampler_decide(s, "_Z1kv", g1, b) == 0);
    CHECK(bsp_sampler_decide(s, "_Z1kv", g2, b) == 1);
    CHECK(bsp_sampler_decide(s, "_Z1jv", g1, b) == 1);
    CHECK(bsp_sampler_decide(s, "_Z1jv", g1, b) == 0);
    bsp_sampler_stats(s, &configs, &launches, &profiled);
    CHECK(configs == 3 && launches == 5 && profiled == 3);
    /* undo gives the configuration's sample back */
    bsp_sampler_undo(s, "_Z1jv", g1, b);
    CHECK(bsp_sampler_decide(s, "_Z1jv", g1, b) == 1);
    bsp_sampler_undo(s, "_Z1unknownv", g1, b); /* harmless */
    bsp_sampler_free(s);

    /* samples 2 and 0 (every launch) */
    s = sampler(NULL, 0, 0, 2);
    CHECK(bsp_sampler_decide(s, "k", g1, b) + bsp_sampler_decide(s, "k", g1, b) + bsp_sampler_decide(s, "k", g1, b) == 2);
    bsp_sampler_free(s);
    s = sampler(NULL, 0, 0, 0);
    int n = 0;
    for (int i = 0; i < 100; i++)
        n += bsp_sampler_decide(s, "k", g1, b);
    CHECK(n == 100);
    bsp_sampler_free(s);

    /* config skip 2: the third launch of each configuration is the first profiled */
    s = sampler_cs(NULL, 0, 0, 1, 2);
    CHECK(bsp_sampler_decide(s, "k", g1, b) == 0);
    CHECK(bsp_sampler_decide(s, "k", g2, b) == 0);
    CHECK(bsp_sampler_decide(s, "k", g1, b) == 0);
    CHECK(bsp_sampler_decide(s, "k", g1, b) == 1);
    CHECK(bsp_sampler_decide(s, "k", g1, b) == 0); /* samples 1 */
    CHECK(bsp_sampler_decide(s, "k", g2, b) == 0);
    CHECK(bsp_sampler_decide(s, "k", g2, b) == 1);
    bsp_sampler_free(s);

    /* regex on the demangled name, skip and count over matching launches */
    s = sampler("^vec_add\\(", 1, 2, 0);
    CHECK(bsp_sampler_decide(s, "_Z7vec_addPKfS0_Pfi", g1, b) == 0); /* skipped */
    CHECK(bsp_sampler_decide(s, "_Z5otherv", g1, b) == 0);           /* no match */
    CHECK(bsp_sampler_decide(s, "_Z7vec_addPKfS0_Pfi", g1, b) == 1);
    CHECK(bsp_sampler_decide(s, "_Z7vec_addPKfS0_Pfi", g2, b) == 1);
    CHECK(bsp_sampler_decide(s, "_Z7vec_addPKfS0_Pfi", g2, b) == 0); /* count reached */
    bsp_sampler_free(s);
    /* the regex also sees the mangled name */
    s = sampler("^_Z5other", 0, 0, 1);
    CHECK(bsp_sampler_decide(s, "_Z5otherv", g1, b) == 1);
    bsp_sampler_free(s);

    /* many names and configurations: the tables grow */
    s = sampler(NULL, 0, 0, 1);
    char name[32];
    n = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "_Z%dkv", i % 700);
        uint32_t g[3] = { (uint32_t)(i % 13), 1, 1 };
        n += bsp_sampler_decide(s, name, g, b);
    }
    bsp_sampler_stats(s, &configs, &launches, &profiled);
    CHECK(launches == 5000 && configs == (uint64_t)n && profiled == (uint64_t)n);
    CHECK(n == 5000); /* (i%700, i%13) repeats only every 9100 launches */
    bsp_sampler_free(s);

    /* bad regex */
    bsp_prof_opts o;
    bsp_err err = { 0 };
    memset(&o, 0, sizeof o);
    snprintf(o.kernel_regex, sizeof o.kernel_regex, "(");
    s = NULL;
    CHECK(bsp_sampler_new(&s, &o, &err) == BSP_EINVAL && s == NULL);
    CHECK_STR_HAS(err.msg, BSP_ENV_KERNEL_REGEX);
}

/* ---- capture range: marks, the flag, what is held, what is sampled ---- */

static void test_capture(void)
{
    uint32_t g1[3] = { 64, 1, 1 }, g2[3] = { 128, 1, 1 }, b[3] = { 256, 1, 1 };
    uint64_t configs, launches, profiled;
    bsp_capture *c = NULL;
    CHECK(bsp_capture_new(&c) == 0);
    /* nothing started: nothing held, nothing open */
    CHECK(!bsp_capture_active(c) && !bsp_capture_holds(c, 1) && !bsp_capture_holds(c, UINT32_MAX));
    CHECK(bsp_capture_ranges(c) == 0);
    /* a stop before any start changes nothing */
    CHECK(bsp_capture_mark(c, 0, 3) == 0);
    CHECK(!bsp_capture_active(c) && !bsp_capture_holds(c, 5) && bsp_capture_ranges(c) == 0);

    /* the sampler counts only launches made while a range is open: the
     * first launch of each configuration inside is the one profiled, and
     * --config-skip 1 skips the first launch inside, not one before */
    bsp_sampler *s = sampler(NULL, 0, 0, 1), *sk = sampler_cs(NULL, 0, 0, 1, 1);
    CHECK(bsp_capture_decide(c, s, "k", g1, b) == 0);
    CHECK(bsp_capture_decide(c, s, "k", g1, b) == 0);
    CHECK(bsp_capture_decide(c, sk, "k", g1, b) == 0);
    bsp_sampler_stats(s, &configs, &launches, &profiled);
    CHECK(configs == 0 && launches == 0 && profiled == 0);

    /* start at 10 (the runtime's and the driver's entry point of one call
     * give it twice), stop at 20 */
    CHECK(bsp_capture_mark(c, 1, 10) == 0 && bsp_capture_mark(c, 1, 10) == 0);
    CHECK(bsp_capture_active(c));
    CHECK(bsp_capture_decide(c, s, "k", g1, b) == 1);
    CHECK(bsp_capture_decide(c, s, "k", g1, b) == 0);
    CHECK(bsp_capture_decide(c, s, "k", g2, b) == 1);
    CHECK(bsp_capture_decide(c, sk, "k", g1, b) == 0);
    CHECK(bsp_capture_decide(c, sk, "k", g1, b) == 1);
    CHECK(bsp_capture_mark(c, 1, 15) == 0); /* a start inside a range: no new range */
    CHECK(bsp_capture_mark(c, 0, 20) == 0);
    CHECK(!bsp_capture_active(c));
    CHECK(bsp_capture_decide(c, s, "k", g2, b) == 0 && bsp_capture_decide(c, s, "j", g1, b) == 0);
    bsp_sampler_stats(s, &configs, &launches, &profiled);
    CHECK(configs == 2 && launches == 3 && profiled == 2);
    /* no capture object: the whole process */
    CHECK(bsp_capture_decide(NULL, s, "j", g1, b) == 1);
    bsp_sampler_free(s);
    bsp_sampler_free(sk);

    CHECK(!bsp_capture_holds(c, 9) && !bsp_capture_holds(c, 10));
    CHECK(bsp_capture_holds(c, 11) && bsp_capture_holds(c, 16) && bsp_capture_holds(c, 19));
    CHECK(!bsp_capture_holds(c, 20) && !bsp_capture_holds(c, 21) && !bsp_capture_holds(c, 0));
    CHECK(bsp_capture_ranges(c) == 1);

    /* marks reported out of id order (two threads): the ids decide, and the
     * flag follows the mark with the largest id */
    CHECK(bsp_capture_mark(c, 1, 50) == 0);
    CHECK(bsp_capture_mark(c, 0, 40) == 0);
    CHECK(bsp_capture_mark(c, 1, 30) == 0);
    CHECK(bsp_capture_active(c));
    CHECK(bsp_capture_holds(c, 35) && !bsp_capture_holds(c, 45) && bsp_capture_holds(c, 51));
    /* the last range is open to the end of the process */
    CHECK(bsp_capture_holds(c, UINT32_MAX));
    CHECK(bsp_capture_ranges(c) == 3);
    /* many marks, reported last id first: the table grows and stays in id
     * order (stop at 1002, start at 1004, ..., stop at 2998, start at 3000) */
    int ok = 1;
    for (uint32_t i = 0; i < 1000; i++)
        ok &= bsp_capture_mark(c, i % 2 == 0, 3000 - 2 * i) == 0;
    CHECK(ok);
    CHECK(bsp_capture_holds(c, 3001) && !bsp_capture_holds(c, 2999) && bsp_capture_holds(c, 2997));
    CHECK(bsp_capture_holds(c, 1001) && !bsp_capture_holds(c, 1003) && bsp_capture_holds(c, 1005));
    CHECK(bsp_capture_active(c) && bsp_capture_ranges(c) == 3 + 500);
    bsp_capture_free(c);
    bsp_capture_free(NULL);
}

/* ---- store: join, order, dedupe, CSV round trip ---- */

typedef struct seen {
    int n;
    uint64_t id[16];
    char kernel[16][128];
    uint32_t corr_order[16];
    double dur[16], inst[16], cyc[16];
    int profiled[16], graph[16];
    uint32_t grid0[16];
} seen;

static int collect(const bsp_launch *l, void *ud)
{
    seen *s = ud;
    if (s->n >= 16)
        return 1;
    s->id[s->n] = l->launch_id;
    snprintf(s->kernel[s->n], sizeof s->kernel[0], "%s", l->kernel);
    s->dur[s->n] = l->duration_ns;
    s->inst[s->n] = l->ctr[BSP_CTR_INST_WARP];
    s->cyc[s->n] = l->ctr[BSP_CTR_CYCLES];
    s->profiled[s->n] = l->profiled;
    s->graph[s->n] = l->graph;
    s->grid0[s->n] = l->grid[0];
    s->n++;
    return 0;
}

static bsp_krec krec(bsp_store *st, const char *name, uint32_t corr, uint64_t start, uint64_t dur, uint32_t graph)
{
    bsp_krec r;
    memset(&r, 0, sizeof r);
    r.name_id = bsp_store_intern(st, name);
    r.correlation_id = corr;
    r.graph_id = graph;
    r.grid[0] = corr, r.grid[1] = r.grid[2] = 1;
    r.block[0] = 128, r.block[1] = r.block[2] = 1;
    r.registers_per_thread = 32;
    r.start_ns = start;
    r.end_ns = start + dur;
    return r;
}

static void test_store(void)
{
    char dir[] = "/tmp/cupti_units.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256], mops[256];
    snprintf(csv, sizeof csv, "%s/p.csv", dir);
    snprintf(mops, sizeof mops, "%s/p.csv.memops.csv", dir);

    bsp_store *st = NULL;
    CHECK(bsp_store_new(&st) == 0);
    CHECK(bsp_store_intern(st, "_Z1av") == bsp_store_intern(st, "_Z1av"));
    /* arrival order differs from launch order; corr 3 has a replay record */
    bsp_krec r;
    r = krec(st, "_Z1bv", 3, 5000, 700, 0); CHECK(bsp_store_add_kernel(st, &r) == 0);
    r = krec(st, "_Z1av", 1, 1000, 100, 0); CHECK(bsp_store_add_kernel(st, &r) == 0);
    r = krec(st, "_Z1bv", 3, 4000, 800, 0); CHECK(bsp_store_add_kernel(st, &r) == 0);
    r = krec(st, "_Z1av", 2, 2000, 200, 0); CHECK(bsp_store_add_kernel(st, &r) == 0);
    /* two graph nodes of one graph launch (corr 4), one with counters by mistake */
    r = krec(st, "_Z1cv", 4, 9000, 50, 7); CHECK(bsp_store_add_kernel(st, &r) == 0);
    r = krec(st, "_Z1av", 4, 8000, 60, 7); CHECK(bsp_store_add_kernel(st, &r) == 0);
    CHECK(bsp_store_kernel_count(st) == 6);

    double ctr[BSP_NCTR];
    for (int i = 0; i < BSP_NCTR; i++)
        ctr[i] = NAN;
    ctr[BSP_CTR_INST_WARP] = 1234;
    ctr[BSP_CTR_CYCLES] = 800 * 1.5; /* 1500 MHz over 800 ns */
    CHECK(bsp_store_add_counters(st, 3, ctr, 999) == 0);
    ctr[BSP_CTR_CYCLES] = 100 * 1.7;
    CHECK(bsp_store_add_counters(st, 1, ctr, NAN) == 0);
    CHECK(bsp_store_add_counters(st, 4, ctr, 5) == 0); /* graph: must not attach */
    CHECK(bsp_store_add_counters(st, 99, ctr, 5) == 0); /* no record */
    /* a replayed launch: no timestamps, the profiler's duration is used */
    r = krec(st, "_Z1dv", 5, 0, 0, 0); r.end_ns = 0; CHECK(bsp_store_add_kernel(st, &r) == 0);
    ctr[BSP_CTR_CYCLES] = 1250 * 1.6;
    CHECK(bsp_store_add_counters(st, 5, ctr, 1250) == 0);
    /* one with neither */
    r = krec(st, "_Z1ev", 6, 0, 0, 0); r.end_ns = 0; CHECK(bsp_store_add_kernel(st, &r) == 0);

    bsp_mrec m;
    memset(&m, 0, sizeof m);
    m.op = BSP_MEMOP_MEMCPY, m.copy_kind = 1, m.src_kind = 2, m.dst_kind = 3, m.bytes = 4096;
    m.start_ns = 300, m.end_ns = 400;
    CHECK(bsp_store_add_memop(st, &m) == 0);
    m.op = BSP_MEMOP_MEMSET, m.copy_kind = 0, m.src_kind = -1, m.dst_kind = 3, m.bytes = 64;
    m.start_ns = 100, m.end_ns = 150;
    CHECK(bsp_store_add_memop(st, &m) == 0);

    bsp_store_summary sum;
    bsp_err err = { 0 };
    CHECK(bsp_store_write(st, csv, mops, NULL, &sum, &err) == 0);
    CHECK(sum.launches == 7 && sum.profiled == 3 && sum.replay_records_dropped == 1 && sum.memops == 2);
    CHECK(sum.counters_unmatched == 2 && sum.profiler_durations == 1 && sum.no_duration == 1);
    CHECK_NEAR(sum.clock_mhz_seen, 1600, 1e-9); /* median of 1500, 1600, 1700 */
    bsp_store_free(st);

    seen s;
    memset(&s, 0, sizeof s);
    CHECK(bsp_profile_read(csv, collect, &s, &err) == 0);
    CHECK(s.n == 7);
    for (int i = 0; i < s.n; i++)
        CHECK(s.id[i] == (uint64_t)i);
    CHECK(strcmp(s.kernel[0], "a()") == 0 && s.grid0[0] == 1 && s.profiled[0] == 1 && s.inst[0] == 1234);
    CHECK(strcmp(s.kernel[1], "a()") == 0 && s.grid0[1] == 2 && s.profiled[1] == 0 && isnan(s.inst[1]));
    /* the first record (earliest start) of the replayed launch is kept */
    CHECK(strcmp(s.kernel[2], "b()") == 0 && s.dur[2] == 800 && s.profiled[2] == 1);
    /* graph nodes in start order, no counters */
    CHECK(strcmp(s.kernel[3], "a()") == 0 && s.graph[3] == 1 && s.profiled[3] == 0 && isnan(s.cyc[3]));
    CHECK(strcmp(s.kernel[4], "c()") == 0 && s.graph[4] == 1);
    CHECK(strcmp(s.kernel[5], "d()") == 0 && s.dur[5] == 1250 && s.profiled[5] == 1);
    CHECK(strcmp(s.kernel[6], "e()") == 0 && s.dur[6] == 0 && s.profiled[6] == 0);

    char *text = NULL;
    FILE *f = fopen(mops, "r");
    CHECK(f != NULL);
    if (f) {
        char buf[1024];
        size_t k = fread(buf, 1, sizeof buf - 1, f);
        buf[k] = '\0';
        fclose(f);
        text = buf;
        CHECK_STR_HAS(text, "op_id,op,direction,bytes,src_kind,dst_kind,device,src_device,dst_device,"
                            "context_id,stream_id,graph,correlation_id,start_ns,duration_ns\n");
        CHECK_STR_HAS(text, "\n0,memset,,64,,device,0,0,0,0,0,0,0,100,50\n");
        CHECK_STR_HAS(text, "\n1,memcpy,HtoD,4096,pinned,device,");
    }

    /* an empty store writes header-only files */
    CHECK(bsp_store_new(&st) == 0);
    CHECK(bsp_store_write(st, csv, mops, NULL, &sum, &err) == 0);
    CHECK(sum.launches == 0 && sum.clock_mhz_seen == 0);
    bsp_store_free(st);
    memset(&s, 0, sizeof s);
    CHECK(bsp_profile_read(csv, collect, &s, &err) == 0 && s.n == 0);

    /* unwritable path: error, nothing left behind */
    CHECK(bsp_store_new(&st) == 0);
    CHECK(bsp_store_write(st, "/nonexistent-dir/p.csv", NULL, NULL, &sum, &err) != 0);
    bsp_store_free(st);

    CHECK(strcmp(bsp_memcpy_kind_name(8), "DtoD") == 0 && strcmp(bsp_memcpy_kind_name(77), "unknown") == 0);
    CHECK(strcmp(bsp_memory_kind_name(-1), "") == 0 && strcmp(bsp_memory_kind_name(5), "managed") == 0);

    unlink(csv);
    unlink(mops);
    rmdir(dir);
}

/* ---- host API calls: classes, names, the API CSV ---- */

static void test_hostapi_names(void)
{
    static const struct {
        const char *name;
        int cls;
    } cases[] = {
        { "cudaLaunchKernel_v7000", BSP_HAPI_LAUNCH }, { "cudaLaunchKernel_ptsz_v7000", BSP_HAPI_LAUNCH },
        { "cudaLaunchKernelExC_v11060", BSP_HAPI_LAUNCH }, { "cudaLaunchCooperativeKernel_v9000", BSP_HAPI_LAUNCH },
        { "cuLaunchKernel", BSP_HAPI_LAUNCH }, { "cuLaunchKernelEx_ptsz", BSP_HAPI_LAUNCH },
        { "cuLaunchCooperativeKernel_ptsz", BSP_HAPI_LAUNCH },
        { "cudaGraphLaunch_v10000", BSP_HAPI_GRAPH }, { "cuGraphLaunch_ptsz", BSP_HAPI_GRAPH },
        { "cudaMemcpy_v3020", BSP_HAPI_MEMCPY }, { "cudaMemcpy3DPeerAsync_ptsz_v7000", BSP_HAPI_MEMCPY },
        { "cudaMemcpyToSymbol_v3020", BSP_HAPI_MEMCPY }, { "cuMemcpyHtoDAsync_v2_ptsz", BSP_HAPI_MEMCPY },
        { "cudaMemsetAsync_v3020", BSP_HAPI_MEMSET }, { "cuMemsetD32_v2", BSP_HAPI_MEMSET },
        { "cudaDeviceSynchronize_v3020", BSP_HAPI_SYNC }, { "cudaStreamSynchronize_ptsz_v7000", BSP_HAPI_SYNC },
        { "cudaStreamWaitEvent_v3020", BSP_HAPI_SYNC }, { "cudaEventQuery_v3020", BSP_HAPI_SYNC },
        { "cuCtxSynchronize", BSP_HAPI_SYNC }, { "cuCtxSynchronize_v2", BSP_HAPI_SYNC },
        { "cuStreamQuery_ptsz", BSP_HAPI_SYNC }, { "cuEventSynchronize", BSP_HAPI_SYNC },
        /* not recorded */
        { "cudaGetDevice_v3020", -1 }, { "cudaLaunch_v3020", -1 }, { "cudaLaunchHostFunc_v10000", -1 },
        { "cuLaunch", -1 }, { "cuLaunchGrid", -1 }, { "cuLaunchHostFunc", -1 }, { "cuMemSetAccess", -1 },
        { "cudaStreamSynchronizeX", -1 }, { "cuStreamGetCaptureInfo", -1 }, { "cuCtxGetDevice", -1 },
        { "cudaEventRecord_v3020", -1 }, { "cudaGraphInstantiate_v10000", -1 }, { "", -1 }, { NULL, -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = bsp_hostapi_class(cases[i].name);
        CHECK(got == cases[i].cls);
        if (got != cases[i].cls)
            fprintf(stderr, "  class of %s: %d, want %d\n", cases[i].name ? cases[i].name : "NULL", got, cases[i].cls);
    }
    CHECK(bsp_hostapi_name_len("cudaLaunchKernel_v7000") == strlen("cudaLaunchKernel"));
    CHECK(bsp_hostapi_name_len("cudaMemcpyAsync_ptsz_v7000") == strlen("cudaMemcpyAsync_ptsz"));
    CHECK(bsp_hostapi_name_len("cudaMemcpyBatchAsync_v12080") == strlen("cudaMemcpyBatchAsync"));
    CHECK(bsp_hostapi_name_len("cuLaunchKernel_ptsz") == strlen("cuLaunchKernel_ptsz"));
    CHECK(bsp_hostapi_name_len("cuMemcpyHtoD_v2") == strlen("cuMemcpyHtoD_v2"));
    CHECK(bsp_hostapi_name_len("cuMemsetD8_v2_ptds") == strlen("cuMemsetD8_v2_ptds"));
    CHECK(bsp_hostapi_name_len("_v1234") == 0 && bsp_hostapi_name_len("v1234") == 5);
    CHECK(bsp_hostapi_name_len("") == 0);
    CHECK(strcmp(bsp_hostapi_class_name(BSP_HAPI_SYNC), "sync") == 0 && strcmp(bsp_hostapi_class_name(9), "?") == 0);
    CHECK(strcmp(bsp_hostapi_domain_name(BSP_HDOM_DRIVER), "driver") == 0);
}

static int read_text(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t k = fread(buf, 1, n - 1, f);
    buf[k] = '\0';
    fclose(f);
    return 0;
}

static bsp_hrec hrec(bsp_store *st, const char *name, int domain, uint32_t tid, uint32_t corr, uint64_t start,
                     uint64_t end)
{
    bsp_hrec r;
    memset(&r, 0, sizeof r);
    r.name_id = bsp_store_intern(st, name);
    r.domain = domain;
    r.cls = bsp_hostapi_class(name);
    r.thread_id = tid;
    r.correlation_id = corr;
    r.start_ns = start;
    r.end_ns = end;
    return r;
}

static void test_store_api(void)
{
    char dir[] = "/tmp/cupti_units_api.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256], api[256], api_dir[256], tmp[320];
    snprintf(csv, sizeof csv, "%s/p.csv", dir);
    snprintf(api, sizeof api, "%s/p.csv.api.csv", dir);
    snprintf(api_dir, sizeof api_dir, "%s/adir", dir);

    bsp_store *st = NULL;
    CHECK(bsp_store_new(&st) == 0);
    bsp_krec k = krec(st, "_Z1av", 12, 5000, 100, 0);
    CHECK(bsp_store_add_kernel(st, &k) == 0);
    /* arrival order is not file order; a runtime launch and its nested
     * driver call; two calls with the same start ordered by correlation id */
    bsp_hrec r;
    r = hrec(st, "cudaDeviceSynchronize_v3020", BSP_HDOM_RUNTIME, 7, 13, 4000, 6000);
    CHECK(bsp_store_add_api(st, &r) == 0);
    r = hrec(st, "cuLaunchKernel", BSP_HDOM_DRIVER, 7, 12, 2100, 2900);
    CHECK(bsp_store_add_api(st, &r) == 0);
    r = hrec(st, "cudaLaunchKernel_v7000", BSP_HDOM_RUNTIME, 7, 11, 2000, 3000);
    CHECK(bsp_store_add_api(st, &r) == 0);
    r = hrec(st, "cuMemcpyHtoDAsync_v2_ptsz", BSP_HDOM_DRIVER, 4294967295u, 10, 1000, 1500);
    CHECK(bsp_store_add_api(st, &r) == 0);
    r = hrec(st, "cudaMemsetAsync_v3020", BSP_HDOM_RUNTIME, 8, 9, 1000, 1200);
    CHECK(bsp_store_add_api(st, &r) == 0);
    r = hrec(st, "cuGraphLaunch", BSP_HDOM_DRIVER, 8, 14, 7000, 7100);
    CHECK(bsp_store_add_api(st, &r) == 0);
    /* bad records are refused */
    r = hrec(st, "cuGraphLaunch", 2, 8, 15, 7000, 7100);
    CHECK(bsp_store_add_api(st, &r) == BSP_EINVAL);
    r = hrec(st, "cudaGetDevice_v3020", BSP_HDOM_RUNTIME, 8, 15, 7000, 7100);
    CHECK(r.cls == -1 && bsp_store_add_api(st, &r) == BSP_EINVAL);
    r.cls = BSP_HAPI_NCLASS;
    CHECK(bsp_store_add_api(st, &r) == BSP_EINVAL);
    r = hrec(st, "cuGraphLaunch", BSP_HDOM_DRIVER, 8, 15, 7000, 7100);
    r.name_id = 1000;
    CHECK(bsp_store_add_api(st, &r) == BSP_EINVAL);

    bsp_store_summary sum;
    bsp_err err = { 0 };
    CHECK(bsp_store_write(st, csv, NULL, api, &sum, &err) == 0);
    CHECK(sum.launches == 1 && sum.api_calls == 6);
    char buf[2048];
    CHECK(read_text(api, buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n"
                      "0,runtime,cudaMemsetAsync,memset,8,9,1000,1200\n"
                      "1,driver,cuMemcpyHtoDAsync_v2_ptsz,memcpy,4294967295,10,1000,1500\n"
                      "2,runtime,cudaLaunchKernel,launch,7,11,2000,3000\n"
                      "3,driver,cuLaunchKernel,launch,7,12,2100,2900\n"
                      "4,runtime,cudaDeviceSynchronize,sync,7,13,4000,6000\n"
                      "5,driver,cuGraphLaunch,graph,8,14,7000,7100\n") == 0);
    /* kernel names are unaffected by the API names in the same table */
    seen s;
    memset(&s, 0, sizeof s);
    CHECK(bsp_profile_read(csv, collect, &s, &err) == 0 && s.n == 1 && strcmp(s.kernel[0], "a()") == 0);

    /* whole or nothing: the API file cannot be renamed into place (a
     * directory has its name): an error, the old file state kept, no
     * temporary file left */
    CHECK(mkdir(api_dir, 0755) == 0);
    snprintf(tmp, sizeof tmp, "%s/keep", api_dir);
    FILE *f = fopen(tmp, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    err.msg[0] = '\0';
    CHECK(bsp_store_write(st, csv, NULL, api_dir, &sum, &err) != 0);
    CHECK_STR_HAS(err.msg, api_dir);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", api_dir, (long)getpid());
    CHECK(access(tmp, F_OK) != 0);
    CHECK(sum.api_calls == 0);
    /* a directory that does not exist */
    CHECK(bsp_store_write(st, csv, NULL, "/nonexistent-dir/p.csv.api.csv", &sum, &err) != 0);
    bsp_store_free(st);

    /* an empty store writes a header-only API file */
    unlink(api);
    CHECK(bsp_store_new(&st) == 0);
    CHECK(bsp_store_write(st, csv, NULL, api, &sum, &err) == 0 && sum.api_calls == 0);
    CHECK(read_text(api, buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n") == 0);
    bsp_store_free(st);

    snprintf(tmp, sizeof tmp, "%s/keep", api_dir);
    unlink(tmp);
    rmdir(api_dir);
    unlink(csv);
    unlink(api);
    rmdir(dir);
}

/* ---- store under a capture range: only what was issued inside is written ---- */

static void test_store_capture(void)
{
    char dir[] = "/tmp/cupti_units_cap.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256], mops[256], api[256], buf[2048];
    snprintf(csv, sizeof csv, "%s/p.csv", dir);
    snprintf(mops, sizeof mops, "%s/p.csv.memops.csv", dir);
    snprintf(api, sizeof api, "%s/p.csv.api.csv", dir);

    /* ranges: start 10 .. stop 20, start 30 .. the end */
    bsp_capture *c = NULL;
    CHECK(bsp_capture_new(&c) == 0);
    CHECK(bsp_capture_mark(c, 1, 10) == 0 && bsp_capture_mark(c, 0, 20) == 0 && bsp_capture_mark(c, 1, 30) == 0);

    bsp_store *st = NULL;
    CHECK(bsp_store_new(&st) == 0);
    /* before, inside (one profiled, two graph nodes), between, inside the
     * open range; a counter set of a launch between the ranges too */
    static const uint32_t kcorr[] = { 5, 12, 13, 14, 14, 25, 35 };
    for (size_t i = 0; i < sizeof kcorr / sizeof kcorr[0]; i++) {
        bsp_krec r = krec(st, "_Z1av", kcorr[i], 1000 * (i + 1), 100, kcorr[i] == 14 ? 3 : 0);
        CHECK(bsp_store_add_kernel(st, &r) == 0);
    }
    double ctr[BSP_NCTR];
    for (int i = 0; i < BSP_NCTR; i++)
        ctr[i] = NAN;
    ctr[BSP_CTR_INST_WARP] = 77;
    CHECK(bsp_store_add_counters(st, 12, ctr, NAN) == 0);
    CHECK(bsp_store_add_counters(st, 25, ctr, NAN) == 0);
    static const uint32_t mcorr[] = { 6, 11, 26, 36 };
    for (size_t i = 0; i < sizeof mcorr / sizeof mcorr[0]; i++) {
        bsp_mrec m;
        memset(&m, 0, sizeof m);
        m.op = BSP_MEMOP_MEMCPY, m.copy_kind = 1, m.src_kind = 1, m.dst_kind = 3, m.bytes = 64;
        m.correlation_id = mcorr[i];
        m.start_ns = 100 * (i + 1), m.end_ns = 100 * (i + 1) + 10;
        CHECK(bsp_store_add_memop(st, &m) == 0);
    }
    static const struct { const char *name; uint32_t corr; } calls[] = {
        { "cudaMemcpy_v3020", 6 }, { "cudaMemcpy_v3020", 11 }, { "cudaLaunchKernel_v7000", 12 },
        { "cudaLaunchKernel_v7000", 13 }, { "cudaGraphLaunch_v10000", 14 }, { "cudaLaunchKernel_v7000", 25 },
        { "cudaMemcpy_v3020", 26 }, { "cudaLaunchKernel_v7000", 35 }, { "cudaMemcpy_v3020", 36 },
        { "cudaDeviceSynchronize_v3020", 37 },
    };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        bsp_hrec r = hrec(st, calls[i].name, BSP_HDOM_RUNTIME, 1, calls[i].corr, 10 * (i + 1), 10 * (i + 1) + 5);
        CHECK(bsp_store_add_api(st, &r) == 0);
    }

    bsp_store_dropped d;
    memset(&d, 0xff, sizeof d);
    bsp_store_keep_captured(st, c, &d);
    CHECK(d.kernels == 2 && d.memops == 2 && d.api_calls == 3 && d.counters == 1);
    CHECK(bsp_store_kernel_count(st) == 5);

    bsp_store_summary sum;
    bsp_err err = { 0 };
    CHECK(bsp_store_write(st, csv, mops, api, &sum, &err) == 0);
    CHECK(sum.launches == 5 && sum.profiled == 1 && sum.counters_unmatched == 0);
    CHECK(sum.memops == 2 && sum.api_calls == 7);
    bsp_store_free(st);

    /* launch ids stay dense over the launches written */
    seen s;
    memset(&s, 0, sizeof s);
    CHECK(bsp_profile_read(csv, collect, &s, &err) == 0 && s.n == 5);
    for (int i = 0; i < s.n; i++)
        CHECK(s.id[i] == (uint64_t)i);
    CHECK(s.grid0[0] == 12 && s.profiled[0] == 1 && s.inst[0] == 77);
    CHECK(s.grid0[1] == 13 && s.grid0[2] == 14 && s.graph[2] && s.grid0[3] == 14 && s.grid0[4] == 35);
    CHECK(s.profiled[1] == 0 && s.profiled[4] == 0);

    CHECK(read_text(mops, buf, sizeof buf) == 0);
    CHECK_STR_HAS(buf, "\n0,memcpy,HtoD,64,pageable,device,0,0,0,0,0,0,11,200,10\n");
    CHECK_STR_HAS(buf, "\n1,memcpy,HtoD,64,pageable,device,0,0,0,0,0,0,36,400,10\n");
    CHECK(strstr(buf, "\n2,") == NULL);
    CHECK(read_text(api, buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n"
                      "0,runtime,cudaMemcpy,memcpy,1,11,20,25\n"
                      "1,runtime,cudaLaunchKernel,launch,1,12,30,35\n"
                      "2,runtime,cudaLaunchKernel,launch,1,13,40,45\n"
                      "3,runtime,cudaGraphLaunch,graph,1,14,50,55\n"
                      "4,runtime,cudaLaunchKernel,launch,1,35,80,85\n"
                      "5,runtime,cudaMemcpy,memcpy,1,36,90,95\n"
                      "6,runtime,cudaDeviceSynchronize,sync,1,37,100,105\n") == 0);

    /* no range ever started: header-only files, everything dropped */
    bsp_capture_free(c);
    CHECK(bsp_capture_new(&c) == 0);
    CHECK(bsp_store_new(&st) == 0);
    bsp_krec r = krec(st, "_Z1av", 12, 1000, 100, 0);
    CHECK(bsp_store_add_kernel(st, &r) == 0);
    CHECK(bsp_store_add_counters(st, 12, ctr, NAN) == 0);
    bsp_hrec h = hrec(st, "cudaLaunchKernel_v7000", BSP_HDOM_RUNTIME, 1, 12, 10, 20);
    CHECK(bsp_store_add_api(st, &h) == 0);
    bsp_store_keep_captured(st, c, NULL);
    bsp_store_keep_captured(st, c, &d);
    CHECK(d.kernels == 0 && d.api_calls == 0);
    CHECK(bsp_store_write(st, csv, mops, api, &sum, &err) == 0);
    CHECK(sum.launches == 0 && sum.memops == 0 && sum.api_calls == 0 && sum.counters_unmatched == 0);
    bsp_store_free(st);
    bsp_capture_free(c);
    memset(&s, 0, sizeof s);
    CHECK(bsp_profile_read(csv, collect, &s, &err) == 0 && s.n == 0);
    CHECK(read_text(api, buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n") == 0);

    unlink(csv);
    unlink(mops);
    unlink(api);
    rmdir(dir);
}

int main(void)
{
    test_options();
    test_sets();
    test_demangle();
    test_sampler();
    test_capture();
    test_store();
    test_hostapi_names();
    test_store_api();
    test_store_capture();
    return check_report("cupti_units");
}
