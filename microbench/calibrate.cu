/*
 * bspgpu-calibrate: run every microbenchmark on one GPU (or a green-context
 * partition of it) and write the board file whole (bsp_board_save), with
 * provenance and the latency sweep.  `bspgpu calibrate` execs this program.
 */
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <getopt.h>
#include <unistd.h>

#include "mb.h"
#include "calibrate_usage.h"

extern "C" {
#include "bspgpu/greenctx.h"
}

#define MiB (1024.0 * 1024.0)
#define KiB 1024.0

int mb_cuda_fail(bsp_err *err, const char *file, int line, const char *call,
                 cudaError_t st)
{
    return bsp_err_set(err, BSP_ECUDA, "%s:%d: %s failed: %s (%s)", file, line, call,
                       cudaGetErrorName(st), cudaGetErrorString(st));
}

void mb_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("calibrate: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

struct opts {
    const char *out = nullptr;
    const char *name = nullptr;
    const char *sweep_csv = nullptr;
    int sms = 0;
    int repeats = 5;
    int quick = 0;
};

/* One point of the latency sweep, with its spread (for --sweep-csv). */
struct sweep_row {
    std::string level;      /* shared, l1, l2, dram */
    std::string path;       /* ld.shared, ld.global, ld.global.cg */
    double footprint;
    mb_lat lat;
};

/* FP32 lanes per SM by compute capability (CUDA C Programming Guide,
 * "Arithmetic Instructions" throughput table); 0 when not in the table. */
static int cores_per_sm(int major, int minor)
{
    switch (major) {
    case 3: return 192;
    case 5: return 128;
    case 6: return minor == 0 ? 64 : 128;
    case 7: return 64;                          /* 7.0, 7.2 (Xavier), 7.5 */
    case 8: return minor == 0 ? 64 : 128;       /* 8.0 A100; 8.6, 8.7, 8.9 */
    case 9: return 128;                         /* 9.0 Hopper */
    case 10: case 11: case 12: return 128;
    default: return 0;
    }
}

static long parse_int(const char *s, const char *opt, long lo, long hi)
{
    char *end = nullptr;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !end || *end || end == s || v < lo || v > hi) {
        fprintf(stderr, "bspgpu calibrate: %s: '%s' is not an integer in %ld..%ld\n", opt, s,
                lo, hi);
        return -1;
    }
    return v;
}

/* 0 ok, 2 misuse, 3 help printed. */
static int parse_args(int argc, char **argv, opts *o)
{
    enum { O_NAME = 256, O_SMS, O_REPEATS, O_QUICK, O_SWEEP };
    static const struct option lo[] = {
        { "output", required_argument, nullptr, 'o' },
        { "name", required_argument, nullptr, O_NAME },
        { "sms", required_argument, nullptr, O_SMS },
        { "repeats", required_argument, nullptr, O_REPEATS },
        { "quick", no_argument, nullptr, O_QUICK },
        { "sweep-csv", required_argument, nullptr, O_SWEEP },
        { "help", no_argument, nullptr, 'h' },
        { nullptr, 0, nullptr, 0 },
    };
    int ch;
    long v;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":o:h", lo, nullptr)) != -1) {
        switch (ch) {
        case 'o': o->out = optarg; break;
        case O_NAME: o->name = optarg; break;
        case O_SWEEP: o->sweep_csv = optarg; break;
        case O_QUICK: o->quick = 1; break;
        case O_SMS:
            if ((v = parse_int(optarg, "--sms", 1, 100000)) < 0)
                return 2;
            o->sms = (int)v;
            break;
        case O_REPEATS:
            if ((v = parse_int(optarg, "--repeats", 3, 1000)) < 0)
                return 2;
            o->repeats = (int)v;
            break;
        case 'h': fputs(BSP_CALIBRATE_USAGE, stdout); return 3;
        case ':':
            fprintf(stderr, "bspgpu calibrate: option '%s' needs a value\n", argv[optind - 1]);
            return 2;
        default:
            fprintf(stderr, "bspgpu calibrate: unknown option '%s'\n", argv[optind - 1]);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "bspgpu calibrate: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!o->out || !*o->out) {
        fprintf(stderr, "bspgpu calibrate: -o FILE is required (see --help)\n");
        return 2;
    }
    if (o->name && (strlen(o->name) == 0 || strlen(o->name) >= sizeof(((bsp_board *)0)->name))) {
        fprintf(stderr, "bspgpu calibrate: --name: want 1 to %zu characters\n",
                sizeof(((bsp_board *)0)->name) - 1);
        return 2;
    }
    return 0;
}

/* The kernel driver's version string ("580.159.04"), from
 * /proc/driver/nvidia/version; else the CUDA driver API version. */
static int is_version(const char *t, size_t len)
{
    int dots = 0;
    if (len == 0 || !isdigit((unsigned char)t[0]))
        return 0;
    for (size_t k = 0; k < len; k++) {
        if (t[k] == '.')
            dots++;
        else if (!isdigit((unsigned char)t[k]))
            return 0;
    }
    return dots >= 1;
}

/* The kernel driver's version ("580.159.04"): the first token of the form
 * N.N[.N] in /proc/driver/nvidia/version; else the CUDA driver API version. */
static void driver_version(char *buf, size_t n)
{
    FILE *f = fopen("/proc/driver/nvidia/version", "r");
    char line[512];
    buf[0] = '\0';
    if (f) {
        if (fgets(line, sizeof line, f)) {
            const char *p = line;
            while (*p && !buf[0]) {
                while (*p && isspace((unsigned char)*p))
                    p++;
                size_t len = strcspn(p, " \t\n");
                if (is_version(p, len) && len < n)
                    snprintf(buf, n, "%.*s", (int)len, p);
                p += len;
            }
        }
        fclose(f);
    }
    if (!buf[0]) {
        int v = 0;
        cudaDriverGetVersion(&v);
        snprintf(buf, n, "cuda-driver-%d.%d", v / 1000, (v % 1000) / 10);
    }
}

static void slug(const char *in, char *out, size_t n)
{
    size_t k = 0;
    int dash = 0;
    for (const char *p = in; *p && k + 1 < n; p++) {
        if (isalnum((unsigned char)*p)) {
            out[k++] = (char)tolower((unsigned char)*p);
            dash = 0;
        } else if (!dash && k > 0) {
            out[k++] = '-';
            dash = 1;
        }
    }
    while (k > 0 && out[k - 1] == '-')
        k--;
    out[k] = '\0';
}

static void join_command(int argc, char **argv, char *out, size_t n)
{
    std::string s;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i == 0) {
            const char *b = strrchr(a, '/');
            a = b ? b + 1 : a;
        }
        if (i)
            s += ' ';
        if (*a && strspn(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == strlen(a)) {
            s += a;
        } else {
            s += '\'';
            for (const char *p = a; *p; p++) {
                if (*p == '\'')
                    s += "'\\''";
                else
                    s += *p;
            }
            s += '\'';
        }
    }
    snprintf(out, n, "%s", s.c_str());
}

__global__ void k_spin(long long cycles, int *flag)
{
    long long t0 = clock64();
    while (clock64() - t0 < cycles) {
    }
    if (flag && blockIdx.x == 0 && threadIdx.x == 0)
        *flag = 1;
}

/* Keep every SM busy for about `seconds` so the clock leaves idle. */
static int warm_up(mb_ctx *c, double seconds, bsp_err *err)
{
    mb_dbuf flag;
    int h = 0;
    MB_CUDA(flag.alloc(sizeof(int)));
    MB_CUDA(cudaMemset(flag.p, 0, sizeof(int)));
    double t0 = mb_now();
    while (mb_now() - t0 < seconds) {
        k_spin<<<c->sms * 2, 128>>>(10000000LL, flag.as<int>());
        MB_LAUNCHED("spin");
    }
    MB_CUDA(cudaMemcpy(&h, flag.p, sizeof h, cudaMemcpyDeviceToHost));
    if (h != 1)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: warm-up kernel did not run", __FILE__, __LINE__);
    return 0;
}

static size_t pow2_ceil(size_t x)
{
    size_t p = 1;
    while (p < x)
        p <<= 1;
    return p;
}

static void log_lat(const char *what, double footprint, const mb_lat &l)
{
    char fp[32] = "";
    if (footprint > 0) {
        if (footprint >= MiB)
            snprintf(fp, sizeof fp, " %7.2f MiB", footprint / MiB);
        else
            snprintf(fp, sizeof fp, " %7.1f KiB", footprint / KiB);
    }
    mb_log("%-10s%s: %7.1f cycles (%.1f..%.1f), %7.1f ns, %.0f MHz", what, fp,
           l.cycles.median, l.cycles.min, l.cycles.max, l.ns.median, l.mhz.median);
}

static void log_meas(const char *what, const char *unit, const bsp_meas &m)
{
    mb_log("%-22s %10.2f %s (%.2f..%.2f, n=%d)", what, m.median, unit, m.min, m.max, m.n);
}

static int write_sweep_csv(const char *path, const std::vector<sweep_row> &rows, bsp_err *err)
{
    std::string tmp = std::string(path) + ".tmp";
    FILE *f = fopen(tmp.c_str(), "w");
    if (!f)
        return bsp_err_set(err, BSP_EIO, "%s: cannot open for writing: %s", tmp.c_str(),
                           strerror(errno));
    fprintf(f, "level,load,footprint_bytes,cycles,cycles_min,cycles_max,ns,ns_min,ns_max,clock_mhz,repeats\n");
    for (const sweep_row &r : rows)
        fprintf(f, "%s,%s,%.0f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.1f,%d\n", r.level.c_str(),
                r.path.c_str(), r.footprint, r.lat.cycles.median, r.lat.cycles.min,
                r.lat.cycles.max, r.lat.ns.median, r.lat.ns.min, r.lat.ns.max,
                r.lat.mhz.median, r.lat.cycles.n);
    if (fclose(f) != 0 || rename(tmp.c_str(), path) != 0) {
        int e = errno;
        remove(tmp.c_str());
        return bsp_err_set(err, BSP_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return 0;
}

static int calibrate(const opts &o, int argc, char **argv, bsp_board *b, bsp_err *err)
{
    mb_ctx c;
    cudaDeviceProp prop;
    int ndev = 0, v = 0, rc;
    std::vector<sweep_row> rows;
    const double t_start = mb_now();
    c.repeats = o.repeats;
    c.quick = o.quick;

    cudaError_t st = cudaGetDeviceCount(&ndev);
    if (st != cudaSuccess || ndev < 1)
        return bsp_err_set(err, BSP_ECUDA, "no CUDA device: %s",
                           st != cudaSuccess ? cudaGetErrorString(st) : "device count is 0");
    MB_CUDA(cudaGetDeviceProperties(&prop, c.dev));
    c.sms_total = prop.multiProcessorCount;
    c.sms = c.sms_total;
    if (o.sms > 0) {
        int got = 0;
        if ((rc = bsp_greenctx_enter(c.dev, o.sms, &got, err)))
            return rc;
        c.sms = got;
        mb_log("green context: %d SMs asked, %d granted of %d", o.sms, got, c.sms_total);
    } else {
        MB_CUDA(cudaSetDevice(c.dev));
    }
    MB_CUDA(cudaFree(nullptr));          /* create (or bind) the context now */
    c.cc_major = prop.major;
    c.cc_minor = prop.minor;
    c.l2_bytes = (size_t)prop.l2CacheSize;
    c.max_threads_per_sm = prop.maxThreadsPerMultiProcessor;
    size_t mem_total = 0;
    MB_CUDA(cudaMemGetInfo(&c.mem_free, &mem_total));

    /* device facts and provenance */
    snprintf(b->device, sizeof b->device, "%.127s", prop.name);
    driver_version(b->driver, sizeof b->driver);
    MB_CUDA(cudaRuntimeGetVersion(&v));
    snprintf(b->cuda, sizeof b->cuda, "%d.%d", v / 1000, (v % 1000) / 10);
    {
        time_t now = time(nullptr);
        struct tm tmv;
        gmtime_r(&now, &tmv);
        strftime(b->date, sizeof b->date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    }
    snprintf(b->tool_version, sizeof b->tool_version, "%s", BSP_VERSION);
    join_command(argc, argv, b->command, sizeof b->command);
    if (gethostname(b->host, sizeof b->host - 1) != 0)
        snprintf(b->host, sizeof b->host, "unknown");
    if (o.name) {
        snprintf(b->name, sizeof b->name, "%.63s", o.name);
    } else {
        char s[64];
        slug(prop.name, s, sizeof s);
        if (o.sms > 0)
            snprintf(b->name, sizeof b->name, "%.50s-sms%d", s, c.sms);
        else
            snprintf(b->name, sizeof b->name, "%.63s", s);
    }
    b->sms = c.sms;
    b->sms_total = c.sms_total;
    b->cc_major = prop.major;
    b->cc_minor = prop.minor;
    int cps = cores_per_sm(prop.major, prop.minor);
    b->cores_per_sm = cps ? cps : 128;
    int attr = 0;
    MB_CUDA(cudaDeviceGetAttribute(&attr, cudaDevAttrClockRate, c.dev));
    b->clock_mhz_max = attr / 1000.0;
    MB_CUDA(cudaDeviceGetAttribute(&attr, cudaDevAttrMemoryClockRate, c.dev));
    b->mem_clock_mhz = attr / 1000.0;
    MB_CUDA(cudaDeviceGetAttribute(&attr, cudaDevAttrGlobalMemoryBusWidth, c.dev));
    b->mem_bus_bits = attr;
    b->l2_bytes = (double)prop.l2CacheSize;
    b->smem_per_sm_bytes = (double)prop.sharedMemPerMultiprocessor;
    b->max_threads_per_sm = prop.maxThreadsPerMultiProcessor;
    b->max_blocks_per_sm = prop.maxBlocksPerMultiProcessor;
    b->regs_per_sm = prop.regsPerMultiprocessor;
    b->warp_size = prop.warpSize;
    mb_log("%s (cc %d.%d), %d of %d SMs x %d cores, L2 %.1f MiB, driver %s, CUDA %s, %s mode, %d repeats",
           prop.name, prop.major, prop.minor, c.sms, c.sms_total, b->cores_per_sm,
           c.l2_bytes / MiB, b->driver, b->cuda, c.quick ? "quick" : "full", c.repeats);

    if ((rc = warm_up(&c, c.quick ? 0.2 : 0.5, err)) || (rc = mb_find_sms(&c, err)))
        return rc;
    if ((int)c.sm_ids.size() != c.sms)
        mb_log("blocks ran on %zu SMs, %d expected", c.sm_ids.size(), c.sms);

    /* instruction latencies */
    mb_lat ladd, lfma, lmad;
    if ((rc = mb_inst_latency(&c, &ladd, &lfma, &lmad, err)))
        return rc;
    log_lat("fp32 add", 0, ladd);
    log_lat("fp32 fma", 0, lfma);
    log_lat("int mad", 0, lmad);

    /* shared memory */
    const size_t smem_fp = 16 * 1024;
    mb_lat lsh;
    if ((rc = mb_chase_shared(&c, smem_fp, &lsh, err)))
        return rc;
    log_lat("shared", smem_fp, lsh);
    rows.push_back({ "shared", "ld.shared", (double)smem_fp, lsh });

    /* device memory: one buffer for every chase, sized for the largest */
    const size_t l2 = c.l2_bytes ? c.l2_bytes : (size_t)(4 * MiB);
    size_t dram_main = pow2_ceil(4 * l2);
    if (dram_main < (size_t)(32 * MiB))
        dram_main = (size_t)(32 * MiB);
    std::vector<size_t> dram_fp;
    if (c.quick) {
        dram_fp = { dram_main };
    } else {
        dram_fp = { dram_main / 2, dram_main, dram_main * 2, dram_main * 4 };
    }
    while (dram_fp.size() > 1 && dram_fp.back() > c.mem_free / 3)
        dram_fp.pop_back();
    if (dram_fp.back() > c.mem_free / 2)
        return bsp_err_set(err, BSP_ENOMEM, "%s:%d: %.0f MiB free, the DRAM chase needs %.0f MiB",
                           __FILE__, __LINE__, c.mem_free / MiB, dram_fp.back() / MiB);
    mb_dbuf chase;
    MB_CUDA(chase.alloc(dram_fp.back()));

    /* L1: plain loads */
    const size_t l1_main = 16 * 1024;
    std::vector<size_t> l1_fp;
    if (c.quick)
        l1_fp = { l1_main };
    else
        l1_fp = { 8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 128 * 1024, 192 * 1024,
                  224 * 1024, 256 * 1024, 384 * 1024, 1024 * 1024 };
    mb_lat ll1 = {};
    for (size_t fp : l1_fp) {
        mb_lat l;
        const long long lines = (long long)(fp / 128);
        if ((rc = mb_chase_global(&c, chase.p, fp, MB_PLAIN, c.quick ? 16384 : 65536,
                                  2 * lines, c.repeats, &l, err)))
            return rc;
        log_lat("l1 path", (double)fp, l);
        rows.push_back({ "l1", "ld.global", (double)fp, l });
        if (fp == l1_main)
            ll1 = l;
    }

    /* L2: ld.global.cg, footprints as fractions (x/64) of L2 */
    const int near_frac = 8, far_frac = 48;      /* L2/8 and 3/4 of L2 */
    std::vector<int> l2_frac;
    if (c.quick)
        l2_frac = { near_frac, far_frac };
    else
        l2_frac = { 1, 2, 4, 8, 16, 24, 28, 32, 36, 40, 48, 56, 64 };
    mb_lat ll2 = {}, ll2far = {};
    for (int fr : l2_frac) {
        mb_lat l;
        size_t fp = l2 / 64 * (size_t)fr / 128 * 128;
        const long long lines = (long long)(fp / 128);
        if ((rc = mb_chase_global(&c, chase.p, fp, MB_CG, c.quick ? 16384 : 65536, lines,
                                  c.repeats, &l, err)))
            return rc;
        log_lat("l2 path", (double)fp, l);
        rows.push_back({ "l2", "ld.global.cg", (double)fp, l });
        if (fr == near_frac)
            ll2 = l;
        if (fr == far_frac)
            ll2far = l;
    }

    /* device memory, footprint >> L2 */
    mb_lat ldram = {};
    for (size_t fp : dram_fp) {
        mb_lat l;
        int reps = fp == dram_main ? c.repeats : (c.repeats < 3 ? c.repeats : 3);
        if ((rc = mb_chase_global(&c, chase.p, fp, MB_CG, 0, 65536, reps, &l, err)))
            return rc;
        log_lat("dram", (double)fp, l);
        rows.push_back({ "dram", "ld.global.cg", (double)fp, l });
        if (fp == dram_main)
            ldram = l;
    }
    chase.release();

    /* bandwidths and throughputs */
    bsp_meas triad, copy, bwl2, bwsh, gflops, tflops = {};
    double mhz_fma = 0, mhz_tc = 0;
    std::string stream_desc;
    if ((rc = mb_bw_dram(&c, (size_t)((c.quick ? 128 : 256) * MiB), &triad, &copy, &stream_desc,
                         err)))
        return rc;
    log_meas("dram triad", "GB/s", triad);
    log_meas("dram copy", "GB/s", copy);
    mb_log("stream variants: %s", stream_desc.c_str());
    const size_t l2_bw_fp = l2 / 4;
    if ((rc = mb_bw_l2(&c, l2_bw_fp, &bwl2, err)))
        return rc;
    log_meas("l2 read", "GB/s", bwl2);
    if ((rc = mb_bw_shared(&c, &bwsh, err)))
        return rc;
    log_meas("shared read", "GB/s", bwsh);
    if ((rc = mb_fp32_flops(&c, &gflops, &mhz_fma, err)))
        return rc;
    log_meas("fp32 fma", "GFLOP/s", gflops);
    rc = mb_tensor_flops(&c, &tflops, &mhz_tc, err);
    if (rc && rc != BSP_ENOTSUP)
        return rc;
    if (rc == 0)
        log_meas("tensor fp16 (wmma)", "TFLOP/s", tflops);
    else
        mb_log("tensor fp16: %s", err->msg);

    /* host side */
    mb_copy_res cr;
    bsp_meas launch, b2b, roundtrip;
    if ((rc = mb_copies(&c, (size_t)((c.quick ? 64 : 256) * MiB), &cr, err)))
        return rc;
    log_meas("h2d pinned", "GB/s", cr.h2d_pinned);
    log_meas("d2h pinned", "GB/s", cr.d2h_pinned);
    log_meas("h2d pageable", "GB/s", cr.h2d_pageable);
    log_meas("d2h pageable", "GB/s", cr.d2h_pageable);
    log_meas("d2d copy", "GB/s", cr.d2d);
    log_meas("h2d 4 B latency", "us", cr.lat_h2d_us);
    log_meas("d2h 4 B latency", "us", cr.lat_d2h_us);
    log_meas("h2d 4 B latency, pageable", "us", cr.lat_h2d_pageable_us);
    log_meas("d2h 4 B latency, pageable", "us", cr.lat_d2h_pageable_us);
    if ((rc = mb_launch_overhead(&c, &launch, &b2b, &roundtrip, err)))
        return rc;
    log_meas("launch (host call)", "us", launch);
    log_meas("launch (back-to-back)", "us", b2b);
    log_meas("launch + sync", "us", roundtrip);

    /* the board */
    bsp_meas clk;
    if (mb_meas(c.mhz_latency.data(), (int)c.mhz_latency.size(), &clk))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: no clock seen", __FILE__, __LINE__);
    b->clock_mhz = clk.median;
    b->lat_shared_cycles = lsh.cycles;
    b->lat_l1_cycles = ll1.cycles;
    b->lat_l2_cycles = ll2.cycles;
    b->lat_global_cycles = ldram.cycles;
    b->lat_inst_cycles = lfma.cycles;
    b->lat_l2_far_cycles = ll2far.cycles;
    b->lat_fp32_add_cycles = ladd.cycles;
    b->lat_fp32_fma_cycles = lfma.cycles;
    b->lat_int_mad_cycles = lmad.cycles;
    b->lat_shared_ns = lsh.ns;
    b->lat_l1_ns = ll1.ns;
    b->lat_l2_ns = ll2.ns;
    b->lat_global_ns = ldram.ns;
    b->bw_dram_gbs = triad;
    b->bw_l2_gbs = bwl2;
    b->bw_shared_gbs = bwsh;
    b->bw_h2d_pinned_gbs = cr.h2d_pinned;
    b->bw_d2h_pinned_gbs = cr.d2h_pinned;
    b->bw_h2d_pageable_gbs = cr.h2d_pageable;
    b->bw_d2h_pageable_gbs = cr.d2h_pageable;
    b->bw_d2d_gbs = cr.d2d;
    b->lat_h2d_us = cr.lat_h2d_us;
    b->lat_d2h_us = cr.lat_d2h_us;
    b->lat_h2d_pageable_us = cr.lat_h2d_pageable_us;
    b->lat_d2h_pageable_us = cr.lat_d2h_pageable_us;
    b->launch_overhead_us = launch;
    b->fp32_gflops = gflops;
    b->tensor_fp16_tflops = tflops;
    for (const sweep_row &r : rows) {
        bsp_sweep_pt pt;
        memset(&pt, 0, sizeof pt);
        snprintf(pt.level, sizeof pt.level, "%s", r.level.c_str());
        pt.footprint_bytes = r.footprint;
        pt.cycles = r.lat.cycles.median;
        pt.ns = r.lat.ns.median;
        if ((rc = bsp_board_add_sweep(b, &pt, err)))
            return rc;
    }
    snprintf(b->notes, sizeof b->notes,
             "%s; global-memory chases rotate over %d SMs (min..max spans SMs); clock MHz seen by %d latency kernels %.0f/%.0f/%.0f (min/median/max), "
             "under FP32 FMA load %.0f, under tensor load %.0f; "
             "inst = FP32 FMA dependent latency; shared = ld.shared %.0f KiB; "
             "l1 = ld.global %.0f KiB (carve-out 0); l2 = ld.global.cg %.2f MiB (L2/8); "
             "l2_far = %.2f MiB (3/4 L2); global = ld.global.cg %.0f MiB; "
             "bw_dram = STREAM triad %.0f MiB/array, fastest of 3 kernels (%s); bw_l2 = %.2f MiB cg reads; "
             "bw_d2d counts read+write; tensor = WMMA 16x16x16 fp16->fp32 (mma.sync, not wgmma); "
             "launch_overhead = host call; back-to-back %.2f us, launch + sync %.1f us; %.0f s",
             o.sms > 0 ? "green-context partition" : "whole GPU", c.repeats,
             (int)c.mhz_latency.size(),
             clk.min, clk.median, clk.max, mhz_fma, mhz_tc, smem_fp / KiB, l1_main / KiB,
             (l2 / 64 * near_frac / 128 * 128) / MiB, (l2 / 64 * far_frac / 128 * 128) / MiB,
             dram_main / MiB, (c.quick ? 128.0 : 256.0), stream_desc.c_str(), l2_bw_fp / MiB,
             b2b.median, roundtrip.median, mb_now() - t_start);
    if (!cps) {
        size_t len = strlen(b->notes);
        snprintf(b->notes + len, sizeof b->notes - len,
                 "; cores_per_sm: cc %d.%d not in the table, 128 assumed", prop.major, prop.minor);
    }
    mb_log("clock %.0f MHz (%.0f..%.0f) seen; %.1f s in all", clk.median, clk.min, clk.max,
           mb_now() - t_start);
    if (o.sweep_csv && (rc = write_sweep_csv(o.sweep_csv, rows, err)))
        return rc;
    return 0;
}

int main(int argc, char **argv)
{
    opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc == 3)
        return 0;
    if (rc)
        return 2;
    bsp_board b;
    bsp_err err;
    memset(&err, 0, sizeof err);
    bsp_board_init(&b);
    rc = calibrate(o, argc, argv, &b, &err);
    if (rc == 0)
        rc = bsp_board_save(&b, o.out, &err);
    if (rc == 0)
        mb_log("wrote %s", o.out);
    else
        fprintf(stderr, "bspgpu calibrate: %s\n", err.msg[0] ? err.msg : bsp_strerror(rc));
    bsp_board_free(&b);
    return rc ? 1 : 0;
}
