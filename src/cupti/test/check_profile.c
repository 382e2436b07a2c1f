/* Check a profile of build/bsp_cupti_test taken by `bspgpu profile`:
 *   cupti_check_profile PROFILE.csv PROGRAM_STDOUT
 * The program's stdout says how many launches of each kernel it made
 * ("expect NAME COUNT", "expect-graph COUNT") and, where it knows them, how
 * many copies and sets ("expect-memops COUNT"), host API calls of a class
 * ("expect-api CLASS COUNT") and capture ranges ("expect-capture COUNT")
 * the profile must hold.  Checked: launches per kernel, graph launches,
 * launch ids 0..n-1, at least one launch of each kernel with counters and
 * those counters nonzero (none with counters under --metrics none),
 * durations positive, the memops sidecar, the host API sidecar (every class
 * present; every kernel's correlation id is that of a launch or
 * graph-launch call, every copy's and set's that of a recorded call; which
 * domain's calls the kernels join is printed) and the metadata.  With
 * "expect-capture": the metadata's capture range and range count, and the
 * first launch of each configuration (not a graph node) is the one with
 * counters, so no launch outside the ranges took a configuration's
 * sample.  Exit 0 if all hold. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/profile.h"

#define MAXK 16
#define MAXC 4096

typedef struct kstat {
    char name[128];
    long want, launches, profiled, bad_counters, bad_duration;
} kstat;

/* A configuration (name, grid, block) and whether its first launch had
 * counters. */
typedef struct cfg {
    char name[128];
    uint32_t grid[3], block[3];
    int first_profiled;
} cfg;

typedef struct state {
    kstat k[MAXK];
    int nk;
    long graph_rows, rows, bad_ids;
    uint64_t kcorr[MAXC];    /* correlation ids of the launches */
    int nkcorr;
    cfg c[MAXK * 4];
    int nc;
} state;

/* One row of PATH.api.csv. */
typedef struct api_row {
    char domain[16], cls[16];
    unsigned long corr;
} api_row;

/* The api rows with correlation id corr: count by domain, and whether one
 * is of class cls (NULL: any). */
static void api_find(const api_row *a, int n, unsigned long corr, const char *cls, int *rt, int *drv, int *cls_ok)
{
    *rt = *drv = *cls_ok = 0;
    for (int i = 0; i < n; i++)
        if (a[i].corr == corr) {
            *rt += strcmp(a[i].domain, "runtime") == 0;
            *drv += strcmp(a[i].domain, "driver") == 0;
            if (!cls || strcmp(a[i].cls, cls) == 0)
                *cls_ok = 1;
        }
}

/* "void matmul_tiled<16>(float const*, ...)" -> "matmul_tiled" */
static void base_name(const char *demangled, char *out, size_t n)
{
    if (strncmp(demangled, "void ", 5) == 0)
        demangled += 5;
    size_t k = strcspn(demangled, "<(");
    snprintf(out, n, "%.*s", (int)k, demangled);
}

static kstat *find(state *s, const char *name, int add)
{
    for (int i = 0; i < s->nk; i++)
        if (strcmp(s->k[i].name, name) == 0)
            return &s->k[i];
    if (!add || s->nk == MAXK)
        return NULL;
    kstat *k = &s->k[s->nk++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", name);
    return k;
}

static int on_row(const bsp_launch *l, void *ud)
{
    state *s = ud;
    char name[128];
    base_name(l->kernel, name, sizeof name);
    kstat *k = find(s, name, 1);
    s->bad_ids += l->launch_id != (uint64_t)s->rows;
    s->rows++;
    if (!l->graph) {
        int i = 0;
        while (i < s->nc && !(strcmp(s->c[i].name, name) == 0 && !memcmp(s->c[i].grid, l->grid, sizeof l->grid) &&
                              !memcmp(s->c[i].block, l->block, sizeof l->block)))
            i++;
        if (i == s->nc && s->nc < (int)(sizeof s->c / sizeof s->c[0])) {
            cfg *c = &s->c[s->nc++];
            snprintf(c->name, sizeof c->name, "%s", name);
            memcpy(c->grid, l->grid, sizeof c->grid);
            memcpy(c->block, l->block, sizeof c->block);
            c->first_profiled = l->profiled;
        }
    }
    s->graph_rows += l->graph;
    if (s->nkcorr < MAXC)
        s->kcorr[s->nkcorr++] = l->correlation_id;
    if (!k)
        return 0;
    k->launches++;
    if (!(l->duration_ns > 0))
        k->bad_duration++;
    if (l->profiled) {
        k->profiled++;
        if (!(l->ctr[BSP_CTR_INST_WARP] > 0) || !(l->ctr[BSP_CTR_INST_THREAD] > 0) ||
            !(l->ctr[BSP_CTR_LD_GLOBAL] > 0) || !(l->ctr[BSP_CTR_CYCLES] > 0))
            k->bad_counters++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static state s;
    static api_row api[MAXC];
    bsp_err err = { 0 };
    bsp_profile_meta m;
    static const char *const classes[] = { "launch", "graph", "memcpy", "memset", "sync" };
    enum { NCLS = sizeof classes / sizeof classes[0] };
    char line[256], name[128], path[4200];
    long want_graph = -1, want_memops = -1, want_capture = -1, want_api[NCLS], n;
    int bad = 0, counters = 1, meta_ok = 1;
    for (int c = 0; c < NCLS; c++)
        want_api[c] = -1;

    if (argc != 3) {
        fprintf(stderr, "usage: %s PROFILE.csv PROGRAM_STDOUT\n", argv[0]);
        return 2;
    }
    memset(&s, 0, sizeof s);
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "expect-graph %ld", &n) == 1) {
            want_graph = n;
        } else if (sscanf(line, "expect-memops %ld", &n) == 1) {
            want_memops = n;
        } else if (sscanf(line, "expect-capture %ld", &n) == 1) {
            want_capture = n;
        } else if (sscanf(line, "expect-api %127s %ld", name, &n) == 2) {
            for (int c = 0; c < NCLS; c++)
                if (strcmp(name, classes[c]) == 0)
                    want_api[c] = n;
        } else if (sscanf(line, "expect %127s %ld", name, &n) == 2) {
            kstat *k = find(&s, name, 1);
            if (k)
                k->want = n;
        }
    }
    fclose(f);
    if (bsp_profile_meta_load(&m, argv[1], &err)) {
        printf("FAIL metadata: %s\n", err.msg);
        memset(&m, 0, sizeof m);
        meta_ok = 0;
        bad++;
    }
    counters = strcmp(m.metric_set, "none") != 0;
    if (bsp_profile_read(argv[1], on_row, &s, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    printf("%s launch ids 0..%ld in order (%ld out of place)\n", s.bad_ids ? "FAIL" : "ok  ", s.rows - 1, s.bad_ids);
    bad += s.bad_ids > 0;
    for (int i = 0; i < s.nk; i++) {
        kstat *k = &s.k[i];
        int ok = k->launches == k->want && (counters ? k->profiled > 0 : k->profiled == 0) && !k->bad_counters &&
                 !k->bad_duration;
        printf("%s %-14s launches %ld (want %ld), with counters %ld, bad counters %ld, bad durations %ld\n",
               ok ? "ok  " : "FAIL", k->name, k->launches, k->want, k->profiled, k->bad_counters, k->bad_duration);
        bad += !ok;
    }
    if (want_graph >= 0) {
        int ok = s.graph_rows == want_graph;
        printf("%s graph launches %ld (want %ld)\n", ok ? "ok  " : "FAIL", s.graph_rows, want_graph);
        bad += !ok;
    }
    snprintf(path, sizeof path, "%s.memops.csv", argv[1]);
    f = fopen(path, "r");
    int htod = 0, dtoh = 0, mset = 0, nmemops = 0;
    if (f) {
        while (fgets(line, sizeof line, f)) {
            nmemops += line[0] >= '0' && line[0] <= '9';
            htod += strstr(line, ",memcpy,HtoD,") != NULL;
            dtoh += strstr(line, ",memcpy,DtoH,") != NULL;
            mset += strstr(line, ",memset,") != NULL;
        }
        fclose(f);
    }
    printf("%s memops: %d HtoD, %d DtoH, %d memset\n", htod && dtoh && mset ? "ok  " : "FAIL", htod, dtoh, mset);
    bad += !(htod && dtoh && mset);
    if (want_memops >= 0) {
        int ok = nmemops == want_memops;
        printf("%s memops: %d copies and sets (want %ld)\n", ok ? "ok  " : "FAIL", nmemops, want_memops);
        bad += !ok;
    }

    /* host API calls */
    int napi = 0, header = 0;
    snprintf(path, sizeof path, "%s.api.csv", argv[1]);
    f = fopen(path, "r");
    if (f) {
        header = fgets(line, sizeof line, f) &&
                 strcmp(line, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n") == 0;
        while (napi < MAXC && fgets(line, sizeof line, f)) {
            api_row *a = &api[napi];
            if (sscanf(line, "%*u,%15[^,],%*[^,],%15[^,],%*u,%lu,", a->domain, a->cls, &a->corr) == 3)
                napi++;
        }
        fclose(f);
    }
    {
        int ok = header && napi > 0, k[NCLS];
        for (int c = 0; c < NCLS; c++) {
            k[c] = 0;
            for (int i = 0; i < napi; i++)
                k[c] += strcmp(api[i].cls, classes[c]) == 0;
            ok &= k[c] > 0 && (want_api[c] < 0 || k[c] == want_api[c]);
        }
        printf("%s api: %d calls;", ok ? "ok  " : "FAIL", napi);
        for (int c = 0; c < NCLS; c++) {
            printf(" %s %d", classes[c], k[c]);
            if (want_api[c] >= 0)
                printf(" (want %ld)", want_api[c]);
        }
        printf("\n");
        bad += !ok;
    }
    {
        int rt_only = 0, drv_only = 0, both = 0, missing = 0, rt, drv, cls_ok, graph_ok;
        for (int i = 0; i < s.nkcorr; i++) {
            api_find(api, napi, (unsigned long)s.kcorr[i], "launch", &rt, &drv, &cls_ok);
            if (!cls_ok)
                api_find(api, napi, (unsigned long)s.kcorr[i], "graph", &rt, &drv, &graph_ok);
            else
                graph_ok = 0;
            if (!cls_ok && !graph_ok)
                missing++;
            else if (rt && drv)
                both++;
            else if (rt)
                rt_only++;
            else
                drv_only++;
        }
        printf("%s api: launches joined to their call by correlation id: %d of %d (runtime and driver row %d, "
               "runtime row only %d, driver row only %d)\n",
               missing ? "FAIL" : "ok  ", s.nkcorr - missing, s.nkcorr, both, rt_only, drv_only);
        bad += missing > 0;
    }
    snprintf(path, sizeof path, "%s.memops.csv", argv[1]);
    f = fopen(path, "r");
    if (f) {
        int nm = 0, found = 0, rt, drv, any;
        unsigned long corr;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "%*u,%*[^,],%*[^,],%*u,%*[^,],%*[^,],%*u,%*u,%*u,%*u,%*u,%*d,%lu,", &corr) == 1 ||
                sscanf(line, "%*u,%*[^,],,%*u,,%*[^,],%*u,%*u,%*u,%*u,%*u,%*d,%lu,", &corr) == 1) {
                nm++;
                api_find(api, napi, corr, NULL, &rt, &drv, &any);
                found += any;
            }
        fclose(f);
        printf("%s api: copies and sets joined to their call: %d of %d\n", found == nm && nm ? "ok  " : "FAIL",
               found, nm);
        bad += !(found == nm && nm);
    }
    if (meta_ok) {
        int ok = (counters ? m.passes > 0 && m.clock_mhz_seen > 100 && m.clock_mhz_seen < 5000 : m.passes == 0) &&
                 m.app_wall_ns > 0 && m.app_exit_code == 0 && m.device[0];
        printf("%s metadata: device '%s', driver %s, CUDA %s, metrics %s, %d passes, clock seen %.0f MHz, wall %.3f s\n",
               ok ? "ok  " : "FAIL", m.device, m.driver, m.cuda, m.metric_set, m.passes, m.clock_mhz_seen,
               m.app_wall_ns * 1e-9);
        bad += !ok;
    }
    if (want_capture >= 0) {
        char want[64];
        snprintf(want, sizeof want, "capture range profiler-api: %ld range%s", want_capture, want_capture == 1 ? "" : "s");
        int ok = strcmp(m.capture_range, "profiler-api") == 0 && strstr(m.notes, want) != NULL;
        printf("%s metadata: capture range '%s', notes %s '%s'\n", ok ? "ok  " : "FAIL", m.capture_range,
               ok ? "say" : "lack", want);
        bad += !ok;
        if (counters) {
            int first = 0;
            for (int i = 0; i < s.nc; i++) {
                first += s.c[i].first_profiled;
                if (!s.c[i].first_profiled)
                    printf("FAIL %s (%u,%u,%u)x(%u,%u,%u): its first launch in the ranges has no counters\n",
                           s.c[i].name, s.c[i].grid[0], s.c[i].grid[1], s.c[i].grid[2], s.c[i].block[0],
                           s.c[i].block[1], s.c[i].block[2]);
            }
            printf("%s configurations whose first launch in the ranges has the counters: %d of %d\n",
                   first == s.nc ? "ok  " : "FAIL", first, s.nc);
            bad += first != s.nc;
        }
    }
    printf("%s\n", bad ? "profile check FAILED" : "profile check passed");
    return bad ? 1 : 0;
}
