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
// All grids fill the chip (2048 threads per SM); each launch is followed by
// a synchronization, so launches do not overlap.  Results are checked.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include <cuda_runtime.h>

#define LINE_WORDS 32u            // 128-byte line of 4-byte words
#define HOT_WORDS 256u

#define CK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
    fprintf(stderr, "bspgpu-l2rates: %s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e_)); return 1; } } while (0)

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

// Thread t reads 16-byte word (t + i * nthreads) mod words, for i < N.
template <int N>
__global__ void l2r_burst(const uint4 *buf, size_t words, unsigned *out)
{
    const size_t nthreads = (size_t)gridDim.x * blockDim.x;
    const size_t tid = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    unsigned acc = 0;
#pragma unroll
    for (int i = 0; i < N; i++) {
        unsigned a, b, c, d;
        asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d) : "l"(buf + (tid + (size_t)i * nthreads) % words));
        acc += a ^ b ^ c ^ d;
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
        unsigned a, b, c, d;
        asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d) : "l"(buf + base + tid + (size_t)i * nthreads));
        acc += a ^ b ^ c ^ d;
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
        unsigned a, b, c, d;
        asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d) : "l"(src + w));
        dst[w] = make_uint4(a, b, c, d);
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
        e = cudaDeviceSynchronize();
    }
    for (int r = 0; r < reps && e == cudaSuccess; r++) {
        l2r_dcopy<N><<<blocks, threads>>>(src, dst, (size_t)((r + nreg / 2) % nreg) * region);
        e = cudaDeviceSynchronize();
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

// reps launches of l2r_burst<N>, each followed by a synchronization
template <int N>
static cudaError_t burst(const uint4 *buf, size_t words, unsigned *out, int blocks, int threads, int reps)
{
    cudaError_t e = cudaSuccess;
    for (int r = 0; r < reps && e == cudaSuccess; r++) {
        l2r_burst<N><<<blocks, threads>>>(buf, words, out);
        e = cudaDeviceSynchronize();
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
    int dram_only = argc > 2 && strcmp(argv[2], "dram") == 0;
    if (reps < 2 || reps > 10000 || argc > 3 || (argc > 2 && !dram_only && strcmp(argv[2], "l2") != 0)) {
        fprintf(stderr, "usage: bspgpu-l2rates [REPS [l2|dram]]   (REPS 2..10000, default 20; l2 by default)\n");
        return 2;
    }
    int sms = 0, tpsm = 0, l2 = 0;
    CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    CK(cudaDeviceGetAttribute(&tpsm, cudaDevAttrMaxThreadsPerMultiProcessor, 0));
    CK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
    const int threads = 256, blocks = sms * (tpsm / threads);
    if (dram_only)
        return dram_main(reps, blocks, threads);
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
