/* Timeline: loading, the cut into parts, and the whole-application
 * prediction, against the hand-worked example of docs/model.md
 * (tests/fixtures/timeline/run.csv). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bspgpu/timeline.h"
#include "check.h"

#define FX "tests/fixtures/timeline/"

static double ratio_ab(const char *key, void *ud)
{
    (void)ud;
    if (strncmp(key, "kA|", 3) == 0)
        return 0.1;
    if (strncmp(key, "kB|", 3) == 0)
        return 3.0;
    return NAN;
}

static double ratio_half(const char *key, void *ud)
{
    (void)key;
    (void)ud;
    return 0.5;
}

static double ratio_none(const char *key, void *ud)
{
    (void)key;
    (void)ud;
    return NAN;
}

static void meas(bsp_meas *m, double v)
{
    m->median = m->min = m->max = v;
    m->n = 1;
}

/* Copy costs: A 2 us + 1 GB/s, B 1 us + 2 GB/s, both ways (4096 B: ratio 0.5);
 * launch overhead A 1 us, B 2 us (host scale 2). */
static void boards(bsp_board *a, bsp_board *b)
{
    bsp_board_init(a);
    bsp_board_init(b);
    snprintf(a->name, sizeof a->name, "a");
    snprintf(b->name, sizeof b->name, "b");
    meas(&a->lat_h2d_us, 2);
    meas(&a->lat_d2h_us, 2);
    meas(&a->bw_h2d_pageable_gbs, 1);
    meas(&a->bw_d2h_pageable_gbs, 1);
    meas(&a->launch_overhead_us, 1);
    meas(&b->lat_h2d_us, 1);
    meas(&b->lat_d2h_us, 1);
    meas(&b->bw_h2d_pageable_gbs, 2);
    meas(&b->bw_d2h_pageable_gbs, 2);
    meas(&b->launch_overhead_us, 2);
}

static void test_load_and_summary(void)
{
    bsp_timeline t;
    bsp_err err = { 0, "" };
    CHECK(bsp_timeline_load(&t, FX "run.csv", &err) == 0);
    CHECK(t.nact == 5 && t.ntimed == 5);
    CHECK(t.napi == 8 && t.has_api && t.has_memops);
    CHECK(t.nkeys == 2);
    CHECK_NEAR(t.app_wall_ns, 1e6, 0);
    /* the nested driver call points at its runtime call; the rest are top level */
    size_t nested = 0;
    for (size_t i = 0; i < t.napi; i++)
        if (t.api[i].outer >= 0) {
            nested++;
            CHECK(t.api[i].driver == 1);
            CHECK(t.api[t.api[i].outer].correlation_id == 2);
        }
    CHECK(nested == 1);
    /* every activity found its call; the query reads as 'other' */
    for (size_t i = 0; i < t.nact; i++)
        CHECK(t.act[i].api >= 0 && t.api[t.act[i].api].correlation_id == t.act[i].correlation_id);
    int other = 0;
    for (size_t i = 0; i < t.napi; i++)
        other += t.api[i].klass == BSP_API_OTHER;
    CHECK(other == 1);

    bsp_tl_summary s;
    CHECK(bsp_timeline_summarize(&t, &s, &err) == 0);
    CHECK_NEAR(s.window_ns, 120000, 0);
    CHECK_NEAR(s.kernel_ns, 70000, 0);   /* [20,60] + [75,105] us */
    CHECK_NEAR(s.memop_ns, 18000, 0);    /* 8 + 10 us of copies */
    CHECK_NEAR(s.idle_ns, 32000, 0);
    CHECK_NEAR(s.host_ns, 880000, 0);
    CHECK_NEAR(s.kernel_sum_ns, 70000, 0);
    CHECK_NEAR(s.memcpy_sum_ns, 18000, 0);
    CHECK_NEAR(s.stream_gap_ns, 25000, 0); /* 10 us before k1, 15 us before k3 */
    CHECK(s.kernels == 3 && s.memcpys == 2 && s.memsets == 0 && s.untimed == 0);
    CHECK(s.api_calls == 7 && s.streams == 1);
    CHECK_NEAR(s.bytes[BSP_DIR_HTOD], 4096, 0);
    CHECK_NEAR(s.bytes[BSP_DIR_DTOH], 4096, 0);
    bsp_timeline_free(&t);
}

static void test_predict(void)
{
    bsp_timeline t;
    bsp_board a, b;
    bsp_err err = { 0, "" };
    bsp_app_pred p;
    boards(&a, &b);
    CHECK(bsp_timeline_load(&t, FX "run.csv", &err) == 0);

    /* copy ratio: (1000 + 2048) / (2000 + 4096) */
    CHECK_NEAR(bsp_memop_ratio(&t.act[0], &a, &b), 0.5, 1e-12);

    /* same host: K = 3 + 30 + 3, C = 4 + 5, G = 32 (us) */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_SAME, 0, ratio_ab, NULL, &p, &err) == 0);
    CHECK_NEAR(p.host_scale, 1, 0);
    CHECK_NEAR(p.kernel_ns, 36000, 1e-12);
    CHECK_NEAR(p.memcpy_ns, 9000, 1e-12);
    CHECK_NEAR(p.idle_ns, 32000, 1e-12);
    CHECK_NEAR(p.window_add_ns, 77000, 1e-12);
    CHECK_NEAR(p.host_ns, 880000, 1e-12);
    CHECK_NEAR(p.wall_add_ns, 957000, 1e-12);
    /* the replay: k2 waits for its call (20 us), not for k1 (19 us); the
     * sync ends 2 us after the GPU (50 us); the D2H copy ends at 73 us and
     * its call 5 us later */
    CHECK_NEAR(p.window_sim_ns, 78000, 1e-12);
    CHECK_NEAR(p.wall_sim_ns, 958000, 1e-12);
    CHECK(p.kernels_unpredicted == 0);

    /* host measured: host times x2, issue latencies kept */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_MEASURED, 0, ratio_ab, NULL, &p, &err) == 0);
    CHECK_NEAR(p.host_scale, 2, 0);
    CHECK_NEAR(p.idle_ns, 64000, 1e-12);
    CHECK_NEAR(p.window_add_ns, 109000, 1e-12);
    CHECK_NEAR(p.host_ns, 1760000, 1e-12);
    CHECK_NEAR(p.window_sim_ns, 105000, 1e-12);

    /* a given host factor acts as the measured one */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_GIVEN, 2.0, ratio_ab, NULL, &p, &err) == 0);
    CHECK_NEAR(p.window_sim_ns, 105000, 1e-12);
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_GIVEN, 0.0, ratio_ab, NULL, &p, &err) != 0);
    CHECK_STR_HAS(err.msg, "want a factor > 0");
    /* launch calls of the fixture: 3, 2 and 2 us long */
    CHECK_NEAR(bsp_timeline_launch_call_ns(&t), 2000, 0);

    /* unknown kernels keep A's durations and are counted */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_SAME, 0, ratio_none, NULL, &p, &err) == 0);
    CHECK(p.kernels_unpredicted == 3);
    CHECK_NEAR(p.kernel_ns, 70000, 1e-12);

    /* host measured needs both launch overheads */
    b.launch_overhead_us.n = 0;
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_MEASURED, 0, ratio_ab, NULL, &p, &err) != 0);
    CHECK_STR_HAS(err.msg, "launch_overhead");
    /* a board without copy figures: copies keep A's durations */
    b.lat_h2d_us.n = 0;
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_SAME, 0, ratio_ab, NULL, &p, &err) == 0);
    CHECK_NEAR(p.memcpy_ns, 8000 + 5000, 1e-12);
    bsp_timeline_free(&t);
    bsp_board_free(&a);
    bsp_board_free(&b);
}

/* Write text to path. */
static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_bad_files(void)
{
    char dir[] = "/tmp/bsp_tl_XXXXXX", p[256], q[300];
    bsp_timeline t;
    bsp_err err = { 0, "" };
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    snprintf(p, sizeof p, "%s/x.csv", dir);
    put(p, "launch_id,kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,start_ns,duration_ns\n"
           "0,k,1,1,1,1,1,1,100,10\n");
    /* no sidecars: kernels only, no API, no wall time */
    CHECK(bsp_timeline_load(&t, p, &err) == 0);
    CHECK(!t.has_api && !t.has_memops && isnan(t.app_wall_ns) && t.nact == 1);
    bsp_tl_summary s;
    CHECK(bsp_timeline_summarize(&t, &s, &err) == 0);
    CHECK_NEAR(s.window_ns, 10, 0);
    CHECK(isnan(s.host_ns));
    bsp_timeline_free(&t);

    /* a wall time in the meta file: the host is the rest; not so for a
     * profile of a capture range, which holds part of the process */
    snprintf(q, sizeof q, "%s.meta.json", p);
    put(q, "{\"schema\": \"bspgpu-profile-meta\", \"version\": 1, \"app_wall_ns\": 1000, \"capture_range\": \"none\"}\n");
    CHECK(bsp_timeline_load(&t, p, &err) == 0);
    CHECK_NEAR(t.app_wall_ns, 1000, 0);
    CHECK(bsp_timeline_summarize(&t, &s, &err) == 0);
    CHECK_NEAR(s.host_ns, 990, 0);
    bsp_timeline_free(&t);
    put(q, "{\"schema\": \"bspgpu-profile-meta\", \"version\": 1, \"app_wall_ns\": 1000, "
           "\"capture_range\": \"profiler-api\"}\n");
    CHECK(bsp_timeline_load(&t, p, &err) == 0);
    CHECK(isnan(t.app_wall_ns));
    CHECK(bsp_timeline_summarize(&t, &s, &err) == 0);
    CHECK(isnan(s.host_ns) && isnan(s.wall_ns));
    bsp_timeline_free(&t);
    unlink(q);

    snprintf(q, sizeof q, "%s.api.csv", p);
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n0,kernel,x,launch,1,1,5,6\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "x.csv.api.csv:2: column 'domain'");
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n0,runtime,x,teleport,1,1,5,6\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, ":2: column 'class'");
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n0,runtime,x,sync,1,1,9,6\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "column 'end_ns': before start_ns");
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "missing required column 'end_ns'");
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n0,runtime,x,sync,1,-1,5,6\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "column 'correlation_id': bad value '-1'");
    unlink(q);

    snprintf(q, sizeof q, "%s.memops.csv", p);
    put(q, "op_id,op,direction,bytes,src_kind,dst_kind,start_ns,duration_ns\n0,memmove,HtoD,4,pageable,device,1,1\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "x.csv.memops.csv:2: column 'op'");
    put(q, "op_id,op,direction,bytes,src_kind,dst_kind,start_ns,duration_ns\n0,memset,,4,,device,1\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "7 cells, header has 8");
    put(q, "op_id,op,direction,bytes,src_kind,start_ns,duration_ns\n");
    CHECK(bsp_timeline_load(&t, p, &err) != 0);
    CHECK_STR_HAS(err.msg, "missing required column 'dst_kind'");
    unlink(q);

    /* replayed launches only: nothing to place */
    put(p, "launch_id,kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,start_ns,duration_ns\n"
           "0,k,1,1,1,1,1,1,0,10\n");
    CHECK(bsp_timeline_load(&t, p, &err) == 0);
    CHECK(t.ntimed == 0 && t.nact == 1);
    CHECK(bsp_timeline_summarize(&t, &s, &err) != 0);
    CHECK_STR_HAS(err.msg, "no timed activity");
    bsp_timeline_free(&t);
    unlink(p);
    rmdir(dir);
}

/* Two launch + synchronize iterations: the last sync-to-sync segment. */
static void test_segments(void)
{
    char dir[] = "/tmp/bsp_tl_XXXXXX", p[256], q[300];
    bsp_timeline t;
    bsp_err err = { 0, "" };
    bsp_board a, b;
    bsp_tl_summary s;
    bsp_app_pred pr;
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    snprintf(p, sizeof p, "%s/s.csv", dir);
    put(p, "launch_id,kernel,correlation_id,grid_x,grid_y,grid_z,block_x,block_y,block_z,start_ns,duration_ns\n"
           "0,kA,2,4,1,1,32,1,1,100000,10000\n1,kA,4,4,1,1,32,1,1,130000,10000\n");
    snprintf(q, sizeof q, "%s.api.csv", p);
    put(q, "api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n"
           "0,runtime,cudaLaunchKernel,launch,1,2,95000,96000\n"
           "1,runtime,cudaDeviceSynchronize,sync,1,3,97000,112000\n"
           "2,runtime,cudaLaunchKernel,launch,1,4,120000,121000\n"
           "3,runtime,cudaDeviceSynchronize,sync,1,5,122000,142000\n");
    CHECK(bsp_timeline_load(&t, p, &err) == 0);
    CHECK(bsp_timeline_summarize(&t, &s, &err) == 0);
    CHECK(s.syncs == 2);
    CHECK_NEAR(s.last_seg_ns, 30000, 0);
    boards(&a, &b);
    /* kernels at half time: each sync ends 2 us after its kernel (12 and 37 us) */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_SAME, 0, ratio_ab, NULL, &pr, &err) == 0);
    CHECK_NEAR(pr.kernel_ns, 2000, 1e-12); /* kA ratio 0.1 */
    CHECK(bsp_timeline_predict(&t, &a, &b, BSP_HOST_SAME, 0, ratio_half, NULL, &pr, &err) == 0);
    CHECK_NEAR(pr.window_sim_ns, 37000, 1e-12);
    CHECK_NEAR(pr.last_seg_sim_ns, 25000, 1e-12);
    bsp_timeline_free(&t);
    bsp_board_free(&a);
    bsp_board_free(&b);
    unlink(q);
    unlink(p);
    rmdir(dir);
}

int main(void)
{
    test_load_and_summary();
    test_predict();
    test_bad_files();
    test_segments();
    return check_report("test_timeline");
}
