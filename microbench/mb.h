/*
 * mb: internal interface of the calibration microbenchmarks (microbench/).
 * CUDA C++ host code; every benchmark checks its own result and returns 0 or
 * a negative BSP_E* code with err filled (file:line, the failed call).
 */
#ifndef BSPGPU_MB_H
#define BSPGPU_MB_H

#include <cuda_runtime.h>
#include <stddef.h>
#include <string>
#include <vector>

extern "C" {
#include "bspgpu/board.h"
#include "bspgpu/common.h"
}
#include "mb_stats.h"

/* A failed CUDA runtime call becomes BSP_ECUDA naming the call; returns
 * from the enclosing function (cleanup is by RAII holders below). */
#define MB_CUDA(call)                                                        \
    do {                                                                     \
        cudaError_t mb_st_ = (call);                                         \
        if (mb_st_ != cudaSuccess)                                           \
            return mb_cuda_fail(err, __FILE__, __LINE__, #call, mb_st_);     \
    } while (0)

/* After a <<<>>> launch: launch errors and (synchronously) faults. */
#define MB_LAUNCHED(what)                                                    \
    do {                                                                     \
        MB_CUDA(cudaGetLastError());                                         \
        MB_CUDA(cudaDeviceSynchronize());                                    \
        (void)(what);                                                        \
    } while (0)

int mb_cuda_fail(bsp_err *err, const char *file, int line, const char *call,
                 cudaError_t st);

/* Device memory freed when the holder goes out of scope. */
struct mb_dbuf {
    void *p = nullptr;
    size_t bytes = 0;
    mb_dbuf() = default;
    mb_dbuf(const mb_dbuf &) = delete;
    mb_dbuf &operator=(const mb_dbuf &) = delete;
    ~mb_dbuf() { if (p) cudaFree(p); }
    cudaError_t alloc(size_t n) { bytes = n; return cudaMalloc(&p, n); }
    void release() { if (p) cudaFree(p); p = nullptr; bytes = 0; }
    template <typename T> T *as() const { return static_cast<T *>(p); }
};

/* Pinned host memory freed when the holder goes out of scope. */
struct mb_hbuf {
    void *p = nullptr;
    mb_hbuf() = default;
    mb_hbuf(const mb_hbuf &) = delete;
    mb_hbuf &operator=(const mb_hbuf &) = delete;
    ~mb_hbuf() { if (p) cudaFreeHost(p); }
    cudaError_t alloc(size_t n) { return cudaMallocHost(&p, n); }
};

/* CUDA events freed when the holder goes out of scope. */
struct mb_timer {
    cudaEvent_t a = nullptr, b = nullptr;
    mb_timer() = default;
    mb_timer(const mb_timer &) = delete;
    mb_timer &operator=(const mb_timer &) = delete;
    ~mb_timer() { if (a) cudaEventDestroy(a); if (b) cudaEventDestroy(b); }
    cudaError_t init()
    {
        cudaError_t st = cudaEventCreate(&a);
        return st != cudaSuccess ? st : cudaEventCreate(&b);
    }
};

/* What the benchmarks share: the device, the run's settings, and the core
 * clocks seen by timed kernels (MHz = d(clock64) / d(globaltimer)). */
struct mb_ctx {
    int dev = 0;
    int sms = 0;               /* SMs usable: a green-context partition or all */
    int sms_total = 0;
    int cc_major = 0, cc_minor = 0;
    size_t l2_bytes = 0;
    size_t mem_free = 0;
    int max_threads_per_sm = 0;
    int repeats = 5;
    int quick = 0;
    std::vector<unsigned> sm_ids;     /* SMs seen (%smid), sorted; see mb_find_sms */
    std::vector<double> mhz_latency;  /* one per timed latency kernel */
};

/* One latency result: per load (or op), and the clock it ran at. */
struct mb_lat {
    bsp_meas cycles;
    bsp_meas ns;
    bsp_meas mhz;
};

/* Host monotonic clock in seconds. */
double mb_now(void);

/* Progress on stderr. */
void mb_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- latency.cu ---- */

/* Learn the SMs that blocks run on (the partition's, under a green
 * context) into c->sm_ids. */
int mb_find_sms(mb_ctx *c, bsp_err *err);

/* Dependent-chain latencies (cycles per op) of FP32 add, FP32 FMA and
 * integer multiply-add, empty-loop cost subtracted. */
int mb_inst_latency(mb_ctx *c, mb_lat *add, mb_lat *fma, mb_lat *imad, bsp_err *err);

/* Pointer chase in shared memory over `footprint` bytes (one pointer per
 * 128-byte line, random cyclic order). */
int mb_chase_shared(mb_ctx *c, size_t footprint, mb_lat *res, bsp_err *err);

enum mb_chase_path { MB_PLAIN = 1, MB_CG = 2 };

/* Pointer chase in device memory: buf (at least footprint bytes), one
 * pointer per 128-byte line in a random single cycle over the whole
 * footprint; path MB_PLAIN (ld.global, cached in L1) or MB_CG
 * (ld.global.cg, L2 only).  Each timed chase walks max(min_steps, lines)
 * steps after `warm` untimed steps; `reps` timed repeats, repeat r on
 * another SM of c->sm_ids (spread evenly), so that min..max spans SMs near
 * to and far from the memory partitions. */
int mb_chase_global(mb_ctx *c, void *buf, size_t footprint, int path,
                    long long min_steps, long long warm, int reps, mb_lat *res,
                    bsp_err *err);

/* ---- throughput.cu ---- */

/* Device-memory bandwidth (GB/s, bytes read + written): STREAM triad and
 * copy over arrays of `bytes_per_array` each, three kernel variants of
 * each; *triad and *copy get the fastest variant (median), *desc the
 * medians of all. */
int mb_bw_dram(mb_ctx *c, size_t bytes_per_array, bsp_meas *triad, bsp_meas *copy,
               std::string *desc, bsp_err *err);
/* L2 read bandwidth (GB/s) over a footprint inside L2 (ld.global.cg). */
int mb_bw_l2(mb_ctx *c, size_t footprint, bsp_meas *bw, bsp_err *err);
/* Shared-memory read bandwidth (GB/s), whole partition. */
int mb_bw_shared(mb_ctx *c, bsp_meas *bw, bsp_err *err);
/* FP32 FMA throughput (GFLOP/s, FMA = 2 flops); *mhz: clock under load. */
int mb_fp32_flops(mb_ctx *c, bsp_meas *gflops, double *mhz, bsp_err *err);
/* Tensor-core FP16 throughput (TFLOP/s; WMMA 16x16x16, FP32 accumulate). */
int mb_tensor_flops(mb_ctx *c, bsp_meas *tflops, double *mhz, bsp_err *err);

/* ---- hostcopy.cu ---- */

struct mb_copy_res {
    bsp_meas h2d_pinned, d2h_pinned, h2d_pageable, d2h_pageable, d2d;  /* GB/s */
    bsp_meas lat_h2d_us, lat_d2h_us;      /* 4-byte cudaMemcpy, pinned */
    bsp_meas lat_h2d_pageable_us, lat_d2h_pageable_us; /* the same, pageable */
};

/* Host<->device and device-to-device copy bandwidth (cudaMemcpy of
 * `bytes`; device-to-device counts bytes read + written) and small-copy
 * latency. */
int mb_copies(mb_ctx *c, size_t bytes, mb_copy_res *r, bsp_err *err);

/* Launching an empty kernel, in us per launch: *host, the launch call
 * alone (batches of 256 from an idle GPU, the host's cost); *back_to_back,
 * thousands of launches then one synchronize (the larger of the host's cost
 * and the GPU's turnaround per kernel); *round_trip, launch + synchronize. */
int mb_launch_overhead(mb_ctx *c, bsp_meas *host, bsp_meas *back_to_back,
                       bsp_meas *round_trip, bsp_err *err);

#endif
