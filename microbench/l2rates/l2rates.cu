// bspgpu-l2rates: two L2 throughput kernels for `bspgpu profile --metrics full`
// (scripts/l2-rates.sh), whose counters and durations give the L2's request
// rate and its reduction rate on a hot region:
//
//   l2r_scatter  every thread loads one word per iteration through L2 only
//                (ld.global.cg), each lane of a warp from its own 128-byte
//                line of an L2-resident buffer: one sector per request, so
//                the kernel runs at the L2's request (tag) rate, not its
//                byte rate;
//   l2r_red_hot  every thread adds 1 to a pseudo-random word of a 1 KiB
//                region (256 words, 8 lines) with atomicAdd whose value is
//                unused (RED): reductions serialized on a few hot lines;
//   l2r_burst<N> every thread loads N 16-byte words of the same buffer
//                through L2 only, coalesced (a warp reads 512 contiguous
//                bytes), N = 1, 2, 4, ... 64: bursts of L2 traffic from
//                about 4 MiB to 280 MiB on an H100, whose durations against
//                their bytes show the L2's bandwidth and the time a burst
//                needs to reach it.
//
// With the argument `dram` it runs two DRAM ladders instead, over buffers of
// 2 GiB that each launch enters at another region (the regions rotate, so the
// L2 never holds a region's data when a launch reads it):
//
//   l2r_dram<N>  every thread loads N 16-byte words through L2 only,
//                coalesced, from its region: bursts of DRAM reads of about
//                4 MiB to 280 MiB on an H100;
//   l2r_dcopy<N> the same loads, each word stored to the same place of a
//                region of a second buffer: bursts of DRAM reads and writes.
//
// With `work`, two ladders of chip-wide compute instead (1024 threads per SM):
//
//   l2r_mma<N>   each warp runs 4 N iterations of 4 independent WMMA
//                16x16x16 (FP16 in, FP32 accumulate) on registers;
//   l2r_fma<N>   each thread runs 32 N iterations of 8 independent FP32 FMA
//                chains;
//
// N = 1, 2, 4, ... 64 (about 1 to 60 us each): the time a board takes for
// the same work against its length.  Thread 0 of block 0 also reports its
// SM clock over its run (clock64 against %globaltimer), printed per N.
//
// A third argument, GAP_US, idles the GPU that long before each ladder
// launch (the host spins after the synchronization): kernels of a host-bound
// application start on an idle GPU.
//
// All grids but the work ladders' fill the chip (2048 threads per SM); each launch is followed by
// a synchronization, so launches do not overlap.  Results are checked.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <chrono>
#include <vector>
#include <cuda_runtime.h>
#include <mma.h>
#include <cuda_fp16.h>

#define LINE_WORDS 32u            // 128-byte line of 4-byte words
#define HOT_WORDS 256u

#define CK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
    fprintf(stderr, "bspgpu-l2rates: %s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e_)); return 1; } } while (0)

// Idle time before each ladder launch (`bspgpu-l2rates REPS PART GAP_US`):
// the host spins for it after the synchronization, so that every launch
// starts on an idle GPU, as a kernel of a host-bound application does.
static int g_gap_us = 0;

static cudaError_t sync_gap(void)
{
    cudaError_t e = cudaDeviceSynchronize();
    if (g_gap_us > 0) {
        auto t0 = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() - t0 < std::chrono::microseconds(g_gap_us))
            ;
    }
    return e;
}

__global__ void l2r_fill(unsigned *buf, size_t lines)
{
    for (size_t l = blockIdx.x * (size_t)blockDim.x + threadIdx.x; l < lines; l += (size_t)gridDim.x * blockDim.x)
        buf[l * LINE_WORDS] = (unsigned)(l & 0xff);
}

// Thread t reads line (t + i * nthreads) mod lines, word 0, for i < iters.
__global__ void l2r_scatter(const unsigned *buf, size_t lines, int iters, unsigned *out)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    unsigned acc = 0;
#pragma unroll 8
    for (int i = 0; i < iters; i++) {
        size_t l = (tid + (size_t)i * nthreads) % lines;
        unsigned v;
        asm volatile("ld.global.cg.u32 %0, [%1];" : "=r"(v) : "l"(buf + l * LINE_WORDS));
        acc += v;
    }
    out[tid] = acc;
}

// A 16-byte load through L2 only (ld.global.cg: not cached in L1).
__device__ static inline uint4 ld_cg(const uint4 *p)
{
    uint4 v;
    asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];" : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
    return v;
}

__device__ static inline unsigned long long gtimer(void)
{
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

// Thread t reads 16-byte word (t + i * nthreads) mod words, for i < N.
template <int N>
__global__ void l2r_burst(const uint4 *buf, size_t words, unsigned *out)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    unsigned acc = 0;
#pragma unroll
    for (int i = 0; i < N; i++) {
        uint4 v = ld_cg(buf + (tid + (size_t)i * nthreads) % words);
        acc += v.x ^ v.y ^ v.z ^ v.w;
    }
    out[tid] = acc;
}

// Thread t of a launch at region word `base` reads 16-byte word
// base + t + i * nthreads, for i < N; word w holds (w, 0, 0, 0).  Each warp's
// lane 0 stores the XOR over the warp of the lanes' sums.
template <int N>
__global__ void l2r_dram(const uint4 *buf, size_t base, unsigned *out)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    unsigned acc = 0;
#pragma unroll
    for (int i = 0; i < N; i++) {
        uint4 v = ld_cg(buf + base + tid + (size_t)i * nthreads);
        acc += v.x ^ v.y ^ v.z ^ v.w;
    }
    for (int o = 16; o > 0; o >>= 1)
        acc ^= __shfl_xor_sync(0xffffffffu, acc, o);
    if ((threadIdx.x & 31) == 0)
        out[tid / 32] = acc;
}

// The same loads, each word stored to dst at the same index.
template <int N>
__global__ void l2r_dcopy(const uint4 *src, uint4 *dst, size_t base)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
#pragma unroll
    for (int i = 0; i < N; i++) {
        size_t w = base + tid + (size_t)i * nthreads;
        dst[w] = ld_cg(src + w);
    }
}

__global__ void l2r_dfill(uint4 *buf, size_t words)
{
    for (size_t w = blockIdx.x * (size_t)blockDim.x + threadIdx.x; w < words; w += (size_t)gridDim.x * blockDim.x)
        buf[w] = make_uint4((unsigned)w, 0u, 0u, 0u);
}

// reps launches of l2r_dram<N> and then of l2r_dcopy<N>, each followed by a
// synchronization, read launch r at region r mod (words / region), copy
// launch r half the regions further; *last the region word of the last read
template <int N>
static cudaError_t dram(const uint4 *src, uint4 *dst, size_t words, unsigned *out, int blocks, int threads,
                        int reps, size_t *last)
{
    const size_t region = (size_t)blocks * threads * N, nreg = words / region;
    cudaError_t e = cudaSuccess;
    for (int r = 0; r < reps && e == cudaSuccess; r++) {
        *last = (size_t)(r % nreg) * region;
        l2r_dram<N><<<blocks, threads>>>(src, *last, out);
        e = sync_gap();
    }
    for (int r = 0; r < reps && e == cudaSuccess; r++) {
        l2r_dcopy<N><<<blocks, threads>>>(src, dst, (size_t)((r + nreg / 2) % nreg) * region);
        e = sync_gap();
    }
    return e;
}

// The DRAM ladders (`bspgpu-l2rates REPS dram`); checks the last read
// launch's sums and the copied words.
static int dram_main(int reps, int blocks, int threads)
{
    const size_t bytes = (size_t)2 << 30, words = bytes / 16, nthreads = (size_t)blocks * threads;
    uint4 *src, *dst;
    unsigned *out;
    size_t last = 0;
    CK(cudaMalloc(&src, bytes));
    CK(cudaMalloc(&dst, bytes));
    CK(cudaMalloc(&out, nthreads / 32 * sizeof(unsigned)));
    CK(cudaMemset(dst, 0, bytes));
    l2r_dfill<<<blocks, threads>>>(src, words);
    CK(cudaDeviceSynchronize());
    CK(dram<1>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<2>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<4>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<8>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<16>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<32>(src, dst, words, out, blocks, threads, reps, &last));
    CK(dram<64>(src, dst, words, out, blocks, threads, reps, &last));
    CK(cudaGetLastError());
    std::vector<unsigned> h(nthreads / 32);
    CK(cudaMemcpy(h.data(), out, h.size() * sizeof(unsigned), cudaMemcpyDeviceToHost));
    size_t bad = 0;
    for (size_t wp = 0; wp < h.size(); wp++) {
        unsigned want = 0;
        for (size_t t = wp * 32; t < wp * 32 + 32; t++) {
            unsigned s = 0;
            for (int i = 0; i < 64; i++)
                s += (unsigned)(last + t + (size_t)i * nthreads);
            want ^= s;
        }
        bad += h[wp] != want;
    }
    // each copied word holds the source's, each other word 0: sample each 4 KiB
    // of the regions the longest copies can reach
    const size_t region64 = nthreads * 64, step = 256;
    std::vector<uint4> d(words / region64 * region64 / step);
    CK(cudaMemcpy2D(d.data(), sizeof(uint4), dst, step * sizeof(uint4), sizeof(uint4), d.size(), cudaMemcpyDeviceToHost));
    for (size_t j = 0; j < d.size(); j++)
        bad += (d[j].x != (unsigned)(j * step) && d[j].x) || d[j].y || d[j].z || d[j].w;
    cudaFree(src);
    cudaFree(dst);
    cudaFree(out);
    if (bad) {
        fprintf(stderr, "bspgpu-l2rates: %zu wrong results\n", bad);
        return 1;
    }
    printf("bspgpu-l2rates: dram, %d x (read, copy) bursts of 1..64 x 16 B per thread, %zu threads, 2 GiB buffers\n",
           reps, nthreads);
    return 0;
}

// Thread 0 of block 0: its cycles and ns over its run, into clk[0..1].
__device__ static inline void clock_run(long long c0, unsigned long long t0, unsigned long long *clk)
{
    if (blockIdx.x == 0 && threadIdx.x == 0) {
        long long c1 = clock64();
        unsigned long long t1 = gtimer();
        clk[0] = (unsigned long long)(c1 - c0);
        clk[1] = t1 - t0;
    }
}

// 4 N iterations of 4 independent WMMA per warp; the warp stores its sum.
template <int N>
__global__ void l2r_mma(const __half *A, const __half *B, float *out, unsigned long long *clk)
{
    using namespace nvcuda;
    wmma::fragment<wmma::matrix_a, 16, 16, 16, __half, wmma::row_major> fa;
    wmma::fragment<wmma::matrix_b, 16, 16, 16, __half, wmma::col_major> fb;
    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[4];
    wmma::load_matrix_sync(fa, A, 16);
    wmma::load_matrix_sync(fb, B, 16);
#pragma unroll
    for (int k = 0; k < 4; k++)
        wmma::fill_fragment(acc[k], 0.0f);
    long long c0 = clock64();
    unsigned long long t0 = gtimer();
#pragma unroll 4
    for (int i = 0; i < 4 * N; i++) {
#pragma unroll
        for (int k = 0; k < 4; k++)
            wmma::mma_sync(acc[k], fa, fb, acc[k]);
    }
#pragma unroll
    for (int k = 1; k < 4; k++)
        for (int e = 0; e < acc[0].num_elements; e++)
            acc[0].x[e] += acc[k].x[e];
    const size_t warp = (blockIdx.x * (size_t)blockDim.x + threadIdx.x) / 32;
    wmma::store_matrix_sync(out + (warp % 64) * 256, acc[0], 16, wmma::mem_row_major);
    clock_run(c0, t0, clk);
}

// 32 N iterations of 8 independent FMA chains x = x a + b per thread.
template <int N>
__global__ void l2r_fma(float a, float b, float *out, unsigned long long *clk)
{
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    float x[8];
#pragma unroll
    for (int k = 0; k < 8; k++)
        x[k] = (float)(tid & 15) * 0.0625f + 0.125f * k;
    long long c0 = clock64();
    unsigned long long t0 = gtimer();
#pragma unroll 16
    for (int i = 0; i < 32 * N; i++) {
#pragma unroll
        for (int k = 0; k < 8; k++)
            x[k] = fmaf(x[k], a, b);
    }
    float s = x[0];
#pragma unroll
    for (int k = 1; k < 8; k++)
        s += x[k];
    out[tid] = s;
    clock_run(c0, t0, clk);
}

// reps launches of l2r_mma<N>, then of l2r_fma<N>, each followed by a
// synchronization; prints the median SM clock thread 0 of block 0 saw
template <int N>
static int work(const __half *A, const __half *B, float *out, unsigned long long *clk, int blocks, int threads,
                int reps)
{
    std::vector<double> mhz[2];
    for (int kind = 0; kind < 2; kind++)
        for (int r = 0; r < reps; r++) {
            unsigned long long h[2];
            if (kind == 0)
                l2r_mma<N><<<blocks, threads>>>(A, B, out, clk);
            else
                l2r_fma<N><<<blocks, threads>>>(1.0f, 0.0f, out, clk);
            CK(sync_gap());
            CK(cudaMemcpy(h, clk, sizeof h, cudaMemcpyDeviceToHost));
            if (h[1] > 0)
                mhz[kind].push_back(1e3 * (double)h[0] / (double)h[1]);
        }
    for (int kind = 0; kind < 2; kind++) {
        std::vector<double> &v = mhz[kind];
        std::sort(v.begin(), v.end());
        printf("bspgpu-l2rates: %s<%d> SM clock MHz median %.0f (min %.0f, max %.0f, n %zu)\n",
               kind ? "l2r_fma" : "l2r_mma", N, v.empty() ? 0.0 : v[v.size() / 2], v.empty() ? 0.0 : v[0],
               v.empty() ? 0.0 : v.back(), v.size());
    }
    return 0;
}

// The work ladders (`bspgpu-l2rates REPS work`): A and B of WMMA hold 1;
// with FMA x = x 1 + 0 every result is its start.  Checks both.
static int work_main(int reps, int sms)
{
    const int threads = 256, blocks = sms * 4;
    const size_t nthreads = (size_t)blocks * threads;
    std::vector<__half> one(256, __float2half(1.0f));
    __half *A, *B;
    float *out;
    unsigned long long *clk;
    CK(cudaMalloc(&A, 256 * sizeof(__half)));
    CK(cudaMalloc(&B, 256 * sizeof(__half)));
    CK(cudaMalloc(&out, nthreads * sizeof(float)));
    CK(cudaMalloc(&clk, 2 * sizeof(unsigned long long)));
    CK(cudaMemcpy(A, one.data(), 256 * sizeof(__half), cudaMemcpyHostToDevice));
    CK(cudaMemcpy(B, one.data(), 256 * sizeof(__half), cudaMemcpyHostToDevice));
    if (work<1>(A, B, out, clk, blocks, threads, reps) || work<2>(A, B, out, clk, blocks, threads, reps) ||
        work<4>(A, B, out, clk, blocks, threads, reps) || work<8>(A, B, out, clk, blocks, threads, reps) ||
        work<16>(A, B, out, clk, blocks, threads, reps) || work<32>(A, B, out, clk, blocks, threads, reps) ||
        work<64>(A, B, out, clk, blocks, threads, reps))
        return 1;
    // the last launches: l2r_fma<64> over every thread, and then one l2r_mma<64>
    // whose first 64 warps' tiles hold 16 x 4 x 4 x 64 each
    std::vector<float> h(nthreads);
    CK(cudaMemcpy(h.data(), out, nthreads * sizeof(float), cudaMemcpyDeviceToHost));
    size_t bad = 0;
    for (size_t t = 0; t < nthreads; t++)
        bad += h[t] != 8 * ((float)(t & 15) * 0.0625f) + 0.125f * 28;
    l2r_mma<64><<<blocks, threads>>>(A, B, out, clk);
    CK(cudaDeviceSynchronize());
    CK(cudaMemcpy(h.data(), out, 64 * 256 * sizeof(float), cudaMemcpyDeviceToHost));
    for (size_t e = 0; e < 64 * 256; e++)
        bad += h[e] != 16.0f * 4 * 4 * 64;
    cudaFree(A);
    cudaFree(B);
    cudaFree(out);
    cudaFree(clk);
    if (bad) {
        fprintf(stderr, "bspgpu-l2rates: %zu wrong results\n", bad);
        return 1;
    }
    printf("bspgpu-l2rates: work, %d x (mma, fma) ladders of N = 1..64, %zu threads\n", reps, nthreads);
    return 0;
}

// reps launches of l2r_burst<N>, each followed by a synchronization
template <int N>
static cudaError_t burst(const uint4 *buf, size_t words, unsigned *out, int blocks, int threads, int reps)
{
    cudaError_t e = cudaSuccess;
    for (int r = 0; r < reps && e == cudaSuccess; r++) {
        l2r_burst<N><<<blocks, threads>>>(buf, words, out);
        e = sync_gap();
    }
    return e;
}

__device__ __host__ static inline unsigned hot_word(unsigned tid, unsigned i)
{
    return (tid * 2654435761u + i * 2246822519u) >> 24;   // 0..255
}

__global__ void l2r_red_hot(unsigned *bins, int iters)
{
    const unsigned tid = blockIdx.x * blockDim.x + threadIdx.x;
    for (int i = 0; i < iters; i++)
        atomicAdd(&bins[hot_word(tid, (unsigned)i)], 1u);
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 20;
    const char *part = argc > 2 ? argv[2] : "l2";
    int dram_only = strcmp(part, "dram") == 0, work_only = strcmp(part, "work") == 0;
    g_gap_us = argc > 3 ? atoi(argv[3]) : 0;
    if (reps < 2 || reps > 10000 || argc > 4 || (!dram_only && !work_only && strcmp(part, "l2") != 0) ||
        g_gap_us < 0 || g_gap_us > 1000000) {
        fprintf(stderr, "usage: bspgpu-l2rates [REPS [l2|dram|work [GAP_US]]]   (REPS 2..10000, default 20; l2 by default;\n"
                        "       GAP_US 0..1000000 of idle time before each ladder launch, default 0)\n");
        return 2;
    }
    int sms = 0, tpsm = 0, l2 = 0;
    CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    CK(cudaDeviceGetAttribute(&tpsm, cudaDevAttrMaxThreadsPerMultiProcessor, 0));
    CK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
    const int threads = 256, blocks = sms * (tpsm / threads);
    if (dram_only)
        return dram_main(reps, blocks, threads);
    if (work_only)
        return work_main(reps, sms);
    const size_t nthreads = (size_t)blocks * threads;
    // a quarter of L2, whole lines, a multiple of 32 lines (a warp's lanes
    // never wrap onto one line)
    const size_t lines = ((size_t)l2 / 4 / (LINE_WORDS * 4)) & ~(size_t)31;
    const int iters_scatter = 64, iters_red = 32;
    unsigned *buf, *out, *bins;
    CK(cudaMalloc(&buf, lines * LINE_WORDS * sizeof(unsigned)));
    CK(cudaMalloc(&out, nthreads * sizeof(unsigned)));
    CK(cudaMalloc(&bins, HOT_WORDS * sizeof(unsigned)));
    CK(cudaMemset(bins, 0, HOT_WORDS * sizeof(unsigned)));
    CK(cudaMemset(buf, 0, lines * LINE_WORDS * sizeof(unsigned)));
    l2r_fill<<<blocks, threads>>>(buf, lines);
    CK(cudaDeviceSynchronize());
    for (int r = 0; r < reps; r++) {
        l2r_scatter<<<blocks, threads>>>(buf, lines, iters_scatter, out);
        CK(cudaDeviceSynchronize());
    }
    for (int r = 0; r < reps; r++) {
        l2r_red_hot<<<blocks, threads>>>(bins, iters_red);
        CK(cudaDeviceSynchronize());
    }
    CK(cudaGetLastError());
    // the same L2-resident buffer as 16-byte words (read, not checked)
    const size_t words = lines * LINE_WORDS / 4;
    const uint4 *vbuf = (const uint4 *)buf;
    unsigned *bout;
    CK(cudaMalloc(&bout, nthreads * sizeof(unsigned)));
    CK(burst<1>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<2>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<4>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<8>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<16>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<32>(vbuf, words, bout, blocks, threads, reps));
    CK(burst<64>(vbuf, words, bout, blocks, threads, reps));
    CK(cudaGetLastError());
    cudaFree(bout);

    std::vector<unsigned> h(nthreads), hb(HOT_WORDS);
    CK(cudaMemcpy(h.data(), out, nthreads * sizeof(unsigned), cudaMemcpyDeviceToHost));
    CK(cudaMemcpy(hb.data(), bins, HOT_WORDS * sizeof(unsigned), cudaMemcpyDeviceToHost));
    size_t bad = 0;
    for (size_t t = 0; t < nthreads; t++) {
        unsigned want = 0;
        for (int i = 0; i < iters_scatter; i++)
            want += (unsigned)(((t + (size_t)i * nthreads) % lines) & 0xff);
        bad += h[t] != want;
    }
    std::vector<unsigned long long> wb(HOT_WORDS, 0);
    for (size_t t = 0; t < nthreads; t++)
        for (int i = 0; i < iters_red; i++)
            wb[hot_word((unsigned)t, (unsigned)i)] += (unsigned long long)reps;
    for (unsigned w = 0; w < HOT_WORDS; w++)
        bad += hb[w] != (unsigned)wb[w];
    cudaFree(buf);
    cudaFree(out);
    cudaFree(bins);
    if (bad) {
        fprintf(stderr, "bspgpu-l2rates: %zu wrong results\n", bad);
        return 1;
    }
    printf("bspgpu-l2rates: %d SMs, %zu lines (%zu KiB), %d x (scatter %d loads, red %d adds, burst 1..64 x 16 B) "
           "per thread, %zu threads\n", sms, lines, lines * 128 / 1024, reps, iters_scatter, iters_red, nthreads);
    return 0;
}
