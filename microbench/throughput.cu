/*
 * Throughput microbenchmarks: sustained bandwidth of device memory (STREAM
 * triad and copy), L2 and shared memory; FP32 FMA and tensor-core FP16
 * throughput.  Each grid fills the SMs in use (all, or a green-context
 * partition), each kernel is timed with CUDA events after one untimed run,
 * and each result is checked against the host's expectation.
 */
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <cuda_fp16.h>
#include <mma.h>

#include "mb.h"

/* ------------------------------------------------------ device memory -- */

__host__ __device__ static inline float pat_b(size_t i) { return (float)(i & 1023) * 0.5f; }
__host__ __device__ static inline float pat_c(size_t i) { return (float)((i * 7) % 17); }
#define TRIAD_S 3.0f   /* with the patterns above every result is exact */
#define POISON -12345.0f

__global__ void k_fill(float *a, float *b, float *c, size_t n)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x) {
        b[i] = pat_b(i);
        c[i] = pat_c(i);
        a[i] = POISON;
    }
}

__global__ void k_poison(float4 *a, size_t n4)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n4;
         i += (size_t)gridDim.x * blockDim.x)
        a[i] = make_float4(POISON, POISON, POISON, POISON);
}

/* Three variants of the STREAM kernels; the board keeps the fastest
 * (median), the notes all three.  SV_GRID: a grid that fills the SMs once,
 * grid-stride loop, STREAM_ILP float4 per thread and iteration with every
 * load issued before the stores; SV_CS: the same with evict-first hints
 * (ld.global.cs / st.global.cs); SV_FLAT: one float4 per thread, as many
 * blocks as needed. */
enum { SV_GRID = 0, SV_CS, SV_FLAT, SV_COUNT };
static const char *const sv_name[SV_COUNT] = { "grid", "grid-cs", "flat" };
#define STREAM_ILP 4

template <int V>
__device__ __forceinline__ float4 sv_load(const float4 *p)
{
    if constexpr (V == SV_CS)
        return __ldcs(p);
    else
        return *p;
}

template <int V>
__device__ __forceinline__ void sv_store(float4 *p, float4 v)
{
    if constexpr (V == SV_CS)
        __stcs(p, v);
    else
        *p = v;
}

__device__ __forceinline__ float4 triad4(float4 x, float4 y, float s)
{
    return make_float4(x.x + s * y.x, x.y + s * y.y, x.z + s * y.z, x.w + s * y.w);
}

/* a = b + s * c (TRIAD) or a = b, over n4 float4. */
template <int V, int TRIAD>
__global__ void k_stream(float4 *__restrict__ a, const float4 *__restrict__ b,
                         const float4 *__restrict__ c, float s, size_t n4)
{
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    if constexpr (V == SV_FLAT) {
        if (i < n4)
            a[i] = TRIAD ? triad4(b[i], c[i], s) : b[i];
    } else {
        const size_t stride = (size_t)gridDim.x * blockDim.x;
        for (; i + (STREAM_ILP - 1) * stride < n4; i += STREAM_ILP * stride) {
            float4 x[STREAM_ILP], y[STREAM_ILP];
#pragma unroll
            for (int k = 0; k < STREAM_ILP; k++) {
                x[k] = sv_load<V>(b + i + k * stride);
                if (TRIAD)
                    y[k] = sv_load<V>(c + i + k * stride);
            }
#pragma unroll
            for (int k = 0; k < STREAM_ILP; k++)
                sv_store<V>(a + i + k * stride, TRIAD ? triad4(x[k], y[k], s) : x[k]);
        }
        for (; i < n4; i += stride)
            sv_store<V>(a + i, TRIAD ? triad4(sv_load<V>(b + i), sv_load<V>(c + i), s)
                                     : sv_load<V>(b + i));
    }
}

/* Count elements of a that differ from the triad (triad=1) or copy result. */
__global__ void k_check_stream(const float *a, size_t n, int triad, unsigned long long *bad)
{
    unsigned long long mine = 0;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x) {
        float want = triad ? pat_b(i) + TRIAD_S * pat_c(i) : pat_b(i);
        mine += a[i] != want;
    }
    if (mine)
        atomicAdd(bad, mine);
}

static int stream_check(mb_ctx *c, const float *a, size_t n, int triad, bsp_err *err)
{
    mb_dbuf dbad;
    unsigned long long bad = 0;
    MB_CUDA(dbad.alloc(sizeof bad));
    MB_CUDA(cudaMemset(dbad.p, 0, sizeof bad));
    k_check_stream<<<c->sms * 8, 256>>>(a, n, triad, dbad.as<unsigned long long>());
    MB_LAUNCHED("check");
    MB_CUDA(cudaMemcpy(&bad, dbad.p, sizeof bad, cudaMemcpyDeviceToHost));
    if (bad)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: %s: %llu of %zu elements wrong",
                           __FILE__, __LINE__, triad ? "triad" : "copy", bad, n);
    return 0;
}

/* Time one variant: the output poisoned once before the untimed run (not
 * before every run, which would leave up to an L2 of dirty lines to write
 * back inside the timed kernel), checked after the last. */
template <int V, int TRIAD>
static int stream_variant(mb_ctx *c, float *a, const float *b, const float *cc, size_t n4,
                          mb_timer &t, bsp_meas *m, bsp_err *err)
{
    const int threads = 256;
    const size_t blocks = V == SV_FLAT ? (n4 + threads - 1) / threads
                                       : (size_t)c->sms * (c->max_threads_per_sm / threads);
    const double bytes = (TRIAD ? 3.0 : 2.0) * (double)n4 * sizeof(float4);
    std::vector<double> v;
    k_poison<<<c->sms * 8, 256>>>(reinterpret_cast<float4 *>(a), n4);
    MB_LAUNCHED("poison");
    for (int r = 0; r < c->repeats + 1; r++) {
        float ms = 0;
        MB_CUDA(cudaEventRecord(t.a));
        k_stream<V, TRIAD><<<(unsigned)blocks, threads>>>(
            reinterpret_cast<float4 *>(a), reinterpret_cast<const float4 *>(b),
            reinterpret_cast<const float4 *>(cc), TRIAD_S, n4);
        MB_CUDA(cudaEventRecord(t.b));
        MB_LAUNCHED(TRIAD ? "triad" : "copy");
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        if (r > 0)
            v.push_back(bytes / (ms * 1e-3) / 1e9);
    }
    int rc = stream_check(c, a, n4 * 4, TRIAD, err);
    if (rc)
        return rc;
    if (mb_meas(v.data(), (int)v.size(), m))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: stream: no valid repeat", __FILE__, __LINE__);
    return 0;
}

int mb_bw_dram(mb_ctx *c, size_t bytes_per_array, bsp_meas *triad, bsp_meas *copy,
               std::string *desc, bsp_err *err)
{
    const size_t n4 = bytes_per_array / sizeof(float4), n = n4 * 4;
    mb_dbuf a, b, cc;
    mb_timer t;
    bsp_meas mt[SV_COUNT], mc[SV_COUNT];
    int rc;
    MB_CUDA(a.alloc(n * sizeof(float)));
    MB_CUDA(b.alloc(n * sizeof(float)));
    MB_CUDA(cc.alloc(n * sizeof(float)));
    MB_CUDA(t.init());
    k_fill<<<c->sms * 8, 256>>>(a.as<float>(), b.as<float>(), cc.as<float>(), n);
    MB_LAUNCHED("fill");
    float *pa = a.as<float>();
    const float *pb = b.as<float>(), *pc = cc.as<float>();
    if ((rc = stream_variant<SV_GRID, 1>(c, pa, pb, pc, n4, t, &mt[SV_GRID], err)) ||
        (rc = stream_variant<SV_CS, 1>(c, pa, pb, pc, n4, t, &mt[SV_CS], err)) ||
        (rc = stream_variant<SV_FLAT, 1>(c, pa, pb, pc, n4, t, &mt[SV_FLAT], err)) ||
        (rc = stream_variant<SV_GRID, 0>(c, pa, pb, pc, n4, t, &mc[SV_GRID], err)) ||
        (rc = stream_variant<SV_CS, 0>(c, pa, pb, pc, n4, t, &mc[SV_CS], err)) ||
        (rc = stream_variant<SV_FLAT, 0>(c, pa, pb, pc, n4, t, &mc[SV_FLAT], err)))
        return rc;
    int bt = 0, bc = 0;
    char buf[160];
    for (int k = 1; k < SV_COUNT; k++) {
        if (mt[k].median > mt[bt].median)
            bt = k;
        if (mc[k].median > mc[bc].median)
            bc = k;
    }
    *triad = mt[bt];
    *copy = mc[bc];
    snprintf(buf, sizeof buf, "triad %s %.0f/%s %.0f/%s %.0f, copy %s %.0f/%s %.0f/%s %.0f GB/s",
             sv_name[0], mt[0].median, sv_name[1], mt[1].median, sv_name[2], mt[2].median,
             sv_name[0], mc[0].median, sv_name[1], mc[1].median, sv_name[2], mc[2].median);
    *desc = buf;
    return 0;
}

/* ----------------------------------------------------------------- L2 -- */

__host__ __device__ static inline float pat_l2(size_t i) { return (float)(i % 3 + 1); }

__global__ void k_fill_l2(float4 *a, size_t n4)
{
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n4;
         i += (size_t)gridDim.x * blockDim.x) {
        float v = pat_l2(i);
        a[i] = make_float4(v, v, v, v);
    }
}

/* Thread t reads elements t + j * nthreads, j < per_thread, reps times,
 * through L2 only (ld.global.cg); volatile asm keeps every load. */
__global__ void k_l2_read(const float4 *a, int per_thread, int reps, float *out)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    float acc0 = 0.f, acc1 = 0.f;
    for (int r = 0; r < reps; r++) {
#pragma unroll 4
        for (int j = 0; j < per_thread; j++) {
            float x, y, z, w;
            asm volatile("ld.global.cg.v4.f32 {%0, %1, %2, %3}, [%4];"
                         : "=f"(x), "=f"(y), "=f"(z), "=f"(w)
                         : "l"(a + tid + (size_t)j * nthreads));
            if (j & 1)
                acc1 += (x + y) + (z + w);
            else
                acc0 += (x + y) + (z + w);
        }
    }
    out[tid] = acc0 + acc1;
}

int mb_bw_l2(mb_ctx *c, size_t footprint, bsp_meas *bw, bsp_err *err)
{
    const int threads = 256, blocks = c->sms * (c->max_threads_per_sm / threads);
    const size_t nthreads = (size_t)blocks * threads;
    int per_thread = (int)(footprint / sizeof(float4) / nthreads);
    if (per_thread < 1)
        per_thread = 1;
    const size_t n4 = nthreads * (size_t)per_thread;
    const double bytes_pass = (double)n4 * sizeof(float4);
    int reps = (int)(4e9 / bytes_pass);            /* about 4 GB per kernel */
    if (c->quick)
        reps /= 4;
    if (reps < 4)
        reps = 4;
    mb_dbuf a, out;
    mb_timer t;
    MB_CUDA(a.alloc(n4 * sizeof(float4)));
    MB_CUDA(out.alloc(nthreads * sizeof(float)));
    MB_CUDA(t.init());
    k_fill_l2<<<blocks, threads>>>(a.as<float4>(), n4);
    MB_LAUNCHED("fill l2");

    std::vector<double> v;
    for (int r = 0; r < c->repeats + 1; r++) {
        float ms = 0;
        MB_CUDA(cudaMemset(out.p, 0xff, nthreads * sizeof(float)));   /* NaN */
        MB_CUDA(cudaEventRecord(t.a));
        k_l2_read<<<blocks, threads>>>(a.as<float4>(), per_thread, reps, out.as<float>());
        MB_CUDA(cudaEventRecord(t.b));
        MB_LAUNCHED("l2 read");
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        if (r > 0)
            v.push_back((double)reps * bytes_pass / (ms * 1e-3) / 1e9);
    }
    std::vector<float> h(nthreads);
    MB_CUDA(cudaMemcpy(h.data(), out.p, nthreads * sizeof(float), cudaMemcpyDeviceToHost));
    for (size_t tid = 0; tid < nthreads; tid++) {
        double want = 0;
        for (int j = 0; j < per_thread; j++)
            want += 4.0 * pat_l2(tid + (size_t)j * nthreads);
        want *= reps;
        if ((double)h[tid] != want)
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: l2 read: thread %zu summed %g, want %g",
                               __FILE__, __LINE__, tid, (double)h[tid], want);
    }
    if (mb_meas(v.data(), (int)v.size(), bw))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: l2: no valid repeat", __FILE__, __LINE__);
    return 0;
}

/* ------------------------------------------------------------- shared -- */

#define SMEM_F4 2048                /* 32 KiB per block */
__host__ __device__ static inline float pat_smem(unsigned lane) { return (float)((lane & 3) + 1); }

/* Each warp reads 512 contiguous bytes per load (conflict-free); thread t
 * reads element (t + 32 r) mod SMEM_F4, whose value depends on t mod 32. */
__global__ void k_smem_read(int reps, float *out)
{
    __shared__ float4 s[SMEM_F4];
    for (int i = threadIdx.x; i < SMEM_F4; i += blockDim.x) {
        float v = pat_smem((unsigned)i & 31);
        s[i] = make_float4(v, v, v, v);
    }
    __syncthreads();
    const unsigned base = (unsigned)__cvta_generic_to_shared(&s[0]);
    float acc[4] = { 0.f, 0.f, 0.f, 0.f };
    for (int r = 0; r < reps; r += 8) {
#pragma unroll
        for (int k = 0; k < 8; k++) {
            unsigned idx = (threadIdx.x + 32u * (unsigned)(r + k)) & (SMEM_F4 - 1);
            float x, y, z, w;
            asm volatile("ld.shared.v4.f32 {%0, %1, %2, %3}, [%4];"
                         : "=f"(x), "=f"(y), "=f"(z), "=f"(w)
                         : "r"(base + idx * 16u));
            acc[k & 3] += (x + y) + (z + w);
        }
    }
    out[blockIdx.x * (size_t)blockDim.x + threadIdx.x] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

int mb_bw_shared(mb_ctx *c, bsp_meas *bw, bsp_err *err)
{
    const int threads = 1024, blocks = c->sms * (c->max_threads_per_sm / threads);
    const size_t nthreads = (size_t)blocks * threads;
    const int reps = c->quick ? 1024 : 4096;       /* a multiple of 8 */
    mb_dbuf out;
    mb_timer t;
    MB_CUDA(out.alloc(nthreads * sizeof(float)));
    MB_CUDA(t.init());
    std::vector<double> v;
    for (int r = 0; r < c->repeats + 1; r++) {
        float ms = 0;
        MB_CUDA(cudaMemset(out.p, 0xff, nthreads * sizeof(float)));
        MB_CUDA(cudaEventRecord(t.a));
        k_smem_read<<<blocks, threads>>>(reps, out.as<float>());
        MB_CUDA(cudaEventRecord(t.b));
        MB_LAUNCHED("shared read");
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        if (r > 0)
            v.push_back((double)nthreads * reps * sizeof(float4) / (ms * 1e-3) / 1e9);
    }
    std::vector<float> h(nthreads);
    MB_CUDA(cudaMemcpy(h.data(), out.p, nthreads * sizeof(float), cudaMemcpyDeviceToHost));
    for (size_t tid = 0; tid < nthreads; tid++) {
        double want = 4.0 * pat_smem((unsigned)(tid % threads) & 31) * reps;
        if ((double)h[tid] != want)
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: shared read: thread %zu summed %g, want %g",
                               __FILE__, __LINE__, tid, (double)h[tid], want);
    }
    if (mb_meas(v.data(), (int)v.size(), bw))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: shared: no valid repeat", __FILE__, __LINE__);
    return 0;
}

/* --------------------------------------------------------------- FP32 -- */

#define FMA_CHAINS 8

__device__ __forceinline__ unsigned long long tp_globaltimer()
{
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

/* FMA_CHAINS independent chains x = x * a + b per thread; clk (thread 0 of
 * block 0): cycles and ns of its run, for the clock under load. */
__global__ void k_fma(float a, float b, int iters, float *out, unsigned long long *clk)
{
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    const float base = (float)(tid & 15) * 0.0625f;
    float x[FMA_CHAINS];
#pragma unroll
    for (int k = 0; k < FMA_CHAINS; k++)
        x[k] = base + 0.125f * k;
    long long c0 = clock64();
    unsigned long long t0 = tp_globaltimer();
#pragma unroll 16
    for (int i = 0; i < iters; i++) {
#pragma unroll
        for (int k = 0; k < FMA_CHAINS; k++)
            x[k] = fmaf(x[k], a, b);
    }
    float s = x[0];
#pragma unroll
    for (int k = 1; k < FMA_CHAINS; k++)
        s = s + x[k];
    out[tid] = s;
    if (tid == 0) {
        long long c1 = clock64();
        unsigned long long t1 = tp_globaltimer();
        clk[0] = (unsigned long long)(c1 - c0);
        clk[1] = t1 - t0;
    }
}

int mb_fp32_flops(mb_ctx *c, bsp_meas *gflops, double *mhz, bsp_err *err)
{
    const int threads = 256, blocks = c->sms * (c->max_threads_per_sm / threads);
    const size_t nthreads = (size_t)blocks * threads;
    const int iters = c->quick ? 4096 : 16384;
    const float a = 0.999f, b = 0.001f;
    float want[16];
    for (int t = 0; t < 16; t++) {
        float x[FMA_CHAINS];
        for (int k = 0; k < FMA_CHAINS; k++)
            x[k] = (float)t * 0.0625f + 0.125f * k;
        for (int i = 0; i < iters; i++)
            for (int k = 0; k < FMA_CHAINS; k++)
                x[k] = fmaf(x[k], a, b);
        float s = x[0];
        for (int k = 1; k < FMA_CHAINS; k++)
            s = s + x[k];
        want[t] = s;
    }
    mb_dbuf out, clk;
    mb_timer t;
    MB_CUDA(out.alloc(nthreads * sizeof(float)));
    MB_CUDA(clk.alloc(2 * sizeof(unsigned long long)));
    MB_CUDA(t.init());
    std::vector<double> v, mh;
    for (int r = 0; r < c->repeats + 1; r++) {
        float ms = 0;
        unsigned long long hc[2];
        MB_CUDA(cudaMemset(out.p, 0xff, nthreads * sizeof(float)));
        MB_CUDA(cudaEventRecord(t.a));
        k_fma<<<blocks, threads>>>(a, b, iters, out.as<float>(), clk.as<unsigned long long>());
        MB_CUDA(cudaEventRecord(t.b));
        MB_LAUNCHED("fma");
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        MB_CUDA(cudaMemcpy(hc, clk.p, sizeof hc, cudaMemcpyDeviceToHost));
        if (r > 0) {
            v.push_back(2.0 * FMA_CHAINS * (double)iters * nthreads / (ms * 1e-3) / 1e9);
            if (hc[1])
                mh.push_back((double)hc[0] / (double)hc[1] * 1e3);
        }
    }
    std::vector<float> h(nthreads);
    MB_CUDA(cudaMemcpy(h.data(), out.p, nthreads * sizeof(float), cudaMemcpyDeviceToHost));
    for (size_t tid = 0; tid < nthreads; tid++)
        if (memcmp(&h[tid], &want[tid & 15], sizeof(float)))
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: fma: thread %zu got %.9g, want %.9g",
                               __FILE__, __LINE__, tid, (double)h[tid], (double)want[tid & 15]);
    *mhz = mh.empty() ? 0.0 : mb_median(mh.data(), (int)mh.size());
    if (mb_meas(v.data(), (int)v.size(), gflops))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: fma: no valid repeat", __FILE__, __LINE__);
    return 0;
}

/* ------------------------------------------------------------- tensor -- */

#define TC_ACC 4

/* Each warp: TC_ACC independent accumulators, iters WMMA 16x16x16 (FP16
 * in, FP32 accumulate) each; stores the sum of its accumulators. */
__global__ void k_wmma(const __half *A, const __half *B, int iters, float *out,
                       unsigned long long *clk)
{
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 700
    using namespace nvcuda;
    wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb;
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[TC_ACC];
    wmma::load_matrix_sync(fa, A, 16);
    wmma::load_matrix_sync(fb, B, 16);
#pragma unroll
    for (int k = 0; k < TC_ACC; k++)
        wmma::fill_fragment(acc[k], 0.0f);
    long long c0 = clock64();
    unsigned long long t0 = tp_globaltimer();
#pragma unroll 4
    for (int i = 0; i < iters; i++) {
#pragma unroll
        for (int k = 0; k < TC_ACC; k++)
            wmma::mma_sync(acc[k], fa, fb, acc[k]);
    }
#pragma unroll
    for (int k = 1; k < TC_ACC; k++)
        for (int e = 0; e < acc[0].num_elements; e++)
            acc[0].x[e] += acc[k].x[e];
    const size_t warp = (blockIdx.x * (size_t)blockDim.x + threadIdx.x) / 32;
    wmma::store_matrix_sync(out + warp * 256, acc[0], 16, wmma::mem_row_major);
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        long long c1 = clock64();
        unsigned long long t1 = tp_globaltimer();
        clk[0] = (unsigned long long)(c1 - c0);
        clk[1] = t1 - t0;
    }
#endif
}

int mb_tensor_flops(mb_ctx *c, bsp_meas *tflops, double *mhz, bsp_err *err)
{
    if (c->cc_major < 7)
        return bsp_err_set(err, BSP_ENOTSUP, "%s:%d: tensor cores need compute capability 7.0+",
                           __FILE__, __LINE__);
    const int threads = 256, blocks = c->sms * (c->max_threads_per_sm / threads / 2);
    const size_t nwarps = (size_t)blocks * threads / 32;
    const int iters = c->quick ? 2048 : 8192;
    /* A row-major, B column-major (element (k, j) at j * 16 + k); values in
     * -2..2 so that every sum is an exact integer in FP32. */
    std::vector<__half> ha(256), hb(256);
    int ia[16][16], ib[16][16];
    for (int i = 0; i < 16; i++)
        for (int k = 0; k < 16; k++) {
            ia[i][k] = (i + 2 * k) % 5 - 2;
            ha[i * 16 + k] = __float2half((float)ia[i][k]);
        }
    for (int k = 0; k < 16; k++)
        for (int j = 0; j < 16; j++) {
            ib[k][j] = (3 * k + j) % 5 - 2;
            hb[j * 16 + k] = __float2half((float)ib[k][j]);
        }
    double want[256];
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            int s = 0;
            for (int k = 0; k < 16; k++)
                s += ia[i][k] * ib[k][j];
            want[i * 16 + j] = (double)s * iters * TC_ACC;
        }
    mb_dbuf da, db, out, clk;
    mb_timer t;
    MB_CUDA(da.alloc(256 * sizeof(__half)));
    MB_CUDA(db.alloc(256 * sizeof(__half)));
    MB_CUDA(out.alloc(nwarps * 256 * sizeof(float)));
    MB_CUDA(clk.alloc(2 * sizeof(unsigned long long)));
    MB_CUDA(t.init());
    MB_CUDA(cudaMemcpy(da.p, ha.data(), 256 * sizeof(__half), cudaMemcpyHostToDevice));
    MB_CUDA(cudaMemcpy(db.p, hb.data(), 256 * sizeof(__half), cudaMemcpyHostToDevice));
    std::vector<double> v, mh;
    for (int r = 0; r < c->repeats + 1; r++) {
        float ms = 0;
        unsigned long long hc[2];
        MB_CUDA(cudaMemset(out.p, 0xff, nwarps * 256 * sizeof(float)));
        MB_CUDA(cudaEventRecord(t.a));
        k_wmma<<<blocks, threads>>>(da.as<__half>(), db.as<__half>(), iters, out.as<float>(),
                                    clk.as<unsigned long long>());
        MB_CUDA(cudaEventRecord(t.b));
        MB_LAUNCHED("wmma");
        MB_CUDA(cudaEventElapsedTime(&ms, t.a, t.b));
        MB_CUDA(cudaMemcpy(hc, clk.p, sizeof hc, cudaMemcpyDeviceToHost));
        if (r > 0) {
            v.push_back(2.0 * 16 * 16 * 16 * (double)iters * TC_ACC * nwarps / (ms * 1e-3) / 1e12);
            if (hc[1])
                mh.push_back((double)hc[0] / (double)hc[1] * 1e3);
        }
    }
    std::vector<float> h(nwarps * 256);
    MB_CUDA(cudaMemcpy(h.data(), out.p, h.size() * sizeof(float), cudaMemcpyDeviceToHost));
    for (size_t i = 0; i < h.size(); i++)
        if ((double)h[i] != want[i % 256])
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: wmma: warp %zu element %zu is %g, want %g",
                               __FILE__, __LINE__, i / 256, i % 256, (double)h[i], want[i % 256]);
    *mhz = mh.empty() ? 0.0 : mb_median(mh.data(), (int)mh.size());
    if (mb_meas(v.data(), (int)v.size(), tflops))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: wmma: no valid repeat", __FILE__, __LINE__);
    return 0;
}
