/*
 * Host-side microbenchmarks: host<->device copy bandwidth (pinned and
 * pageable host memory), device-to-device copy bandwidth, small-copy
 * latency, and the host-side cost of launching an empty kernel.
 * Times are host wall-clock (CLOCK_MONOTONIC) around synchronous calls,
 * except device-to-device copies (CUDA events).  Copied data is checked.
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "mb.h"

double mb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

__global__ void k_empty(void) {}

/* Fill host memory with a pattern that depends on the position and `salt`. */
static void fill_pattern(uint32_t *p, size_t n, uint32_t salt)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint32_t)(i * 2654435761u) ^ salt;
}

/* Index of the first word that breaks the pattern, or n. */
static size_t check_pattern(const uint32_t *p, size_t n, uint32_t salt)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ((uint32_t)(i * 2654435761u) ^ salt))
            return i;
    return n;
}

/* Time `reps` synchronous copies of `bytes` after one untimed copy; GB/s. */
static int time_copy(void *dst, const void *src, size_t bytes, cudaMemcpyKind kind,
                     int reps, std::vector<double> &gbs, bsp_err *err)
{
    for (int r = 0; r < reps + 1; r++) {
        double t0 = mb_now();
        MB_CUDA(cudaMemcpy(dst, src, bytes, kind));
        double t1 = mb_now();
        if (r > 0)
            gbs.push_back((double)bytes / (t1 - t0) / 1e9);
    }
    return 0;
}

/* The pageable buffer, freed when out of scope. */
struct mb_pageable {
    void *p = nullptr;
    ~mb_pageable() { free(p); }
};

int mb_copies(mb_ctx *c, size_t bytes, mb_copy_res *r, bsp_err *err)
{
    const size_t nw = bytes / sizeof(uint32_t);
    int rc;
    mb_hbuf pin, pin2;
    mb_pageable pag;
    mb_dbuf d, d2;
    mb_timer t;
    MB_CUDA(pin.alloc(bytes));
    MB_CUDA(pin2.alloc(bytes));
    MB_CUDA(d.alloc(bytes));
    MB_CUDA(d2.alloc(bytes));
    MB_CUDA(t.init());
    pag.p = malloc(bytes);
    if (!pag.p)
        return bsp_err_set(err, BSP_ENOMEM, "%s:%d: %zu bytes of pageable host memory",
                           __FILE__, __LINE__, bytes);
    uint32_t *hp = static_cast<uint32_t *>(pin.p), *hp2 = static_cast<uint32_t *>(pin2.p);
    uint32_t *hg = static_cast<uint32_t *>(pag.p);
    std::vector<double> v;
    size_t bad;

    /* pinned: host -> device -> host, then compare */
    fill_pattern(hp, nw, 0xA5A5A5A5u);
    memset(hp2, 0, bytes);
    if ((rc = time_copy(d.p, hp, bytes, cudaMemcpyHostToDevice, c->repeats, v, err)))
        return rc;
    mb_meas(v.data(), (int)v.size(), &r->h2d_pinned);
    v.clear();
    if ((rc = time_copy(hp2, d.p, bytes, cudaMemcpyDeviceToHost, c->repeats, v, err)))
        return rc;
    mb_meas(v.data(), (int)v.size(), &r->d2h_pinned);
    v.clear();
    if ((bad = check_pattern(hp2, nw, 0xA5A5A5A5u)) != nw)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: pinned round trip: word %zu differs",
                           __FILE__, __LINE__, bad);

    /* device to device (bytes read + written), events */
    for (int k = 0; k < c->repeats + 1; k++) {
        float ms = 0;
        MB_CUDA(cudaEventRecord(t.a));
        MB_CUDA(cudaMemcpyAsync(d2.p, d.p, bytes, cudaMemcpyDeviceToDevice, 0));
        MB_CUDA(cudaEventRecord(t.b));
        MB_CUDA(cudaEventSynchronize(t.b));
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        if (k > 0)
            v.push_back(2.0 * (double)bytes / (ms * 1e-3) / 1e9);
    }
    mb_meas(v.data(), (int)v.size(), &r->d2d);
    v.clear();
    memset(hp2, 0, bytes);
    MB_CUDA(cudaMemcpy(hp2, d2.p, bytes, cudaMemcpyDeviceToHost));
    if ((bad = check_pattern(hp2, nw, 0xA5A5A5A5u)) != nw)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: device-to-device copy: word %zu differs",
                           __FILE__, __LINE__, bad);

    /* pageable (malloc'd, touched first) */
    fill_pattern(hg, nw, 0x3C3C3C3Cu);
    if ((rc = time_copy(d.p, hg, bytes, cudaMemcpyHostToDevice, c->repeats, v, err)))
        return rc;
    mb_meas(v.data(), (int)v.size(), &r->h2d_pageable);
    v.clear();
    memset(hg, 0, bytes);
    if ((rc = time_copy(hg, d.p, bytes, cudaMemcpyDeviceToHost, c->repeats, v, err)))
        return rc;
    mb_meas(v.data(), (int)v.size(), &r->d2h_pageable);
    v.clear();
    if ((bad = check_pattern(hg, nw, 0x3C3C3C3Cu)) != nw)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: pageable round trip: word %zu differs",
                           __FILE__, __LINE__, bad);

    /* small copies: 4 bytes, each call timed alone; pinned, then pageable */
    const int nsmall = c->quick ? 200 : 1000;
    for (int kind = 0; kind < 2; kind++) {
        uint32_t *src = kind ? hg : hp, *dst = kind ? hg + 1 : hp2;
        std::vector<double> up, down;
        for (int k = 0; k < nsmall + 20; k++) {      /* 20 untimed */
            src[0] = (uint32_t)k;
            double t0 = mb_now();
            MB_CUDA(cudaMemcpy(d.p, src, 4, cudaMemcpyHostToDevice));
            double t1 = mb_now();
            dst[0] = ~0u;
            MB_CUDA(cudaMemcpy(dst, d.p, 4, cudaMemcpyDeviceToHost));
            double t2 = mb_now();
            if (dst[0] != (uint32_t)k)
                return bsp_err_set(err, BSP_ECUDA, "%s:%d: small %s copy %d came back as %u",
                                   __FILE__, __LINE__, kind ? "pageable" : "pinned", k, dst[0]);
            if (k >= 20) {
                up.push_back((t1 - t0) * 1e6);
                down.push_back((t2 - t1) * 1e6);
            }
        }
        mb_meas(up.data(), (int)up.size(), kind ? &r->lat_h2d_pageable_us : &r->lat_h2d_us);
        mb_meas(down.data(), (int)down.size(), kind ? &r->lat_d2h_pageable_us : &r->lat_d2h_us);
    }
    return 0;
}

int mb_launch_overhead(mb_ctx *c, bsp_meas *host, bsp_meas *back_to_back,
                       bsp_meas *round_trip, bsp_err *err)
{
    const int batch = 256;                 /* well inside the launch queue */
    const int nlaunch = c->quick ? 1000 : 5000;
    std::vector<double> h, v, rt;
    for (int k = 0; k < 8; k++)            /* untimed: module load, first launches */
        k_empty<<<1, 32>>>();
    MB_CUDA(cudaGetLastError());
    MB_CUDA(cudaDeviceSynchronize());
    /* host cost: the launch calls alone, the GPU idle at the start */
    for (int r = 0; r < c->repeats; r++) {
        double t0 = mb_now();
        for (int k = 0; k < batch; k++)
            k_empty<<<1, 32>>>();
        double t1 = mb_now();
        MB_CUDA(cudaGetLastError());
        MB_CUDA(cudaDeviceSynchronize());
        h.push_back((t1 - t0) / batch * 1e6);
    }
    /* back to back: many launches, then one synchronize */
    for (int r = 0; r < c->repeats; r++) {
        double t0 = mb_now();
        for (int k = 0; k < nlaunch; k++)
            k_empty<<<1, 32>>>();
        MB_CUDA(cudaGetLastError());
        MB_CUDA(cudaDeviceSynchronize());
        double t1 = mb_now();
        v.push_back((t1 - t0) / nlaunch * 1e6);
    }
    for (int k = 0; k < 20 + (c->quick ? 200 : 1000); k++) {
        double t0 = mb_now();
        k_empty<<<1, 32>>>();
        MB_CUDA(cudaGetLastError());
        MB_CUDA(cudaDeviceSynchronize());
        double t1 = mb_now();
        if (k >= 20)
            rt.push_back((t1 - t0) * 1e6);
    }
    if (mb_meas(h.data(), (int)h.size(), host) ||
        mb_meas(v.data(), (int)v.size(), back_to_back) ||
        mb_meas(rt.data(), (int)rt.size(), round_trip))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: launch: no valid repeat", __FILE__, __LINE__);
    return 0;
}
