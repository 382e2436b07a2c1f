// bspgpu-floor: launches kernels that do (almost) nothing, for measuring the
// GPU-side fixed cost of a kernel launch with `bspgpu profile --metrics none`
// (the Activity API's duration of a kernel that has no work).  See
// scripts/kernel-floor.sh.  With BSP_SMS=N set it runs on a green context
// of at least N SMs, and the chip-wide kernel spans the SMs granted.  The
// one-store kernel also runs on 1, 2, 4, ... 128-thread blocks below the SM
// count (the floor of a launch that reaches fewer SMs).  The floor_blocks
// launches (2 to 512 one-store blocks per SM) give the cost of
// dispatching blocks beyond one per SM.  The floor_spin launches (1, 16
// and all SMs' blocks spinning 2, 8 or 32 thousand cycles, then storing)
// give the fixed cost of kernels that run 1 to 16 us.  The floor_chase
// launches do the same with memory instead of the clock: thread 0 of each
// block follows a chain of dependent loads through L2 (a 4 MiB region) or
// DRAM (256 MiB), 1 to 20 us, on the same grids.  The floor_stream
// launches stream from DRAM instead: each 256-thread block reads N 16-byte
// words per thread, coalesced, from a part of a 2 GiB buffer that no recent
// launch read, on the same grids.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cuda_runtime.h>
extern "C" {
#include "bspgpu/greenctx.h"
}

__global__ void floor_empty(int *never)
{
    if (never && threadIdx.x == 1u << 30)  // never true: keeps the launch real
        *never = 1;
}

__global__ void floor_store(int *out)
{
    // one store per block: the smallest kernel that writes memory
    if (threadIdx.x == 0)
        out[blockIdx.x] = (int)blockIdx.x;
}

__global__ void floor_blocks(int *out)
{
    // one store per block, many blocks: the fixed cost of dispatching them
    if (threadIdx.x == 0)
        out[blockIdx.x & 4095] = (int)(blockIdx.x & 4095);
}

template <int KCYCLES>
__global__ void floor_spin(int *out)
{
    // thread 0 of each block spins KCYCLES thousand SM cycles, then stores:
    // a kernel of known length on few or many SMs, whose duration less its
    // cycles at the clock seen is the fixed cost of a kernel that works
    if (threadIdx.x == 0) {
        long long t0 = clock64();
        while (clock64() - t0 < KCYCLES * 1000LL) {
        }
        out[blockIdx.x] = (int)blockIdx.x;
    }
}

#define CHASE_L2_LINES ((4u << 20) / 128u)        // L2-resident region
#define CHASE_DRAM_LINES ((256u << 20) / 128u)    // far beyond L2

template <int HOPS>
__global__ void floor_chase(const unsigned *next, unsigned lines, unsigned start, int *out)
{
    // thread 0 of each block follows HOPS links of a random cycle of lines
    // (one 4-byte word per 128-byte line, loaded through L2 only), then
    // stores: a kernel of known length whose time is memory latency
    if (threadIdx.x == 0) {
        unsigned i = (unsigned)((start + blockIdx.x * 977ull) % lines);
        for (int h = 0; h < HOPS; h++) {
            unsigned v;
            asm volatile("ld.global.cg.u32 %0, [%1];" : "=r"(v) : "l"(next + (size_t)i * 32u));
            i = v;
        }
        out[blockIdx.x] = (int)(i == 0xffffffffu);   // 0: keeps the chase live
    }
}

#define STREAM_WORDS ((2ull << 30) / 16u)       // 2 GiB of 16-byte words

template <int N>
__global__ void floor_stream(const uint4 *buf, unsigned long long start, int *out)
{
    // block b reads words [start + b N 256, start + (b + 1) N 256), each
    // thread every 256th: N coalesced loads through L2 only, then a store
    const unsigned long long base = start + (unsigned long long)blockIdx.x * N * 256u + threadIdx.x;
    unsigned acc = 0;
#pragma unroll 8
    for (int i = 0; i < N; i++) {
        unsigned a, b, c, d;
        asm volatile("ld.global.cg.v4.u32 {%0, %1, %2, %3}, [%4];"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d) : "l"(buf + (base + (unsigned long long)i * 256u) % STREAM_WORDS));
        acc += a ^ b ^ c ^ d;
    }
    if (threadIdx.x == 0)
        out[blockIdx.x] = (int)(acc == 0xffffffffu);   // 0: the buffer is zero
}

// next[line * 32] = the line after `line` in one random cycle over `lines` lines
static unsigned *chase_chain(unsigned lines)
{
    unsigned *h = (unsigned *)calloc((size_t)lines * 32u, sizeof(unsigned)), *perm = (unsigned *)malloc(lines * sizeof(unsigned));
    unsigned *d = nullptr;
    if (h && perm) {
        for (unsigned i = 0; i < lines; i++)
            perm[i] = i;
        unsigned long long x = 88172645463325252ull;
        for (unsigned i = lines - 1; i > 0; i--) {   // Fisher-Yates, xorshift
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            unsigned j = (unsigned)(x % (i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (unsigned i = 0; i < lines; i++)
            h[(size_t)perm[i] * 32u] = perm[(i + 1) % lines];
        if (cudaMalloc(&d, (size_t)lines * 128u) != cudaSuccess ||
            cudaMemcpy(d, h, (size_t)lines * 128u, cudaMemcpyHostToDevice) != cudaSuccess) {
            cudaFree(d);
            d = nullptr;
        }
    }
    free(h);
    free(perm);
    return d;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 200;
    int sms = 0, *buf = nullptr;
    const char *env = getenv("BSP_SMS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (*end || n < 1 || n > 4096) {
            fprintf(stderr, "bspgpu-floor: BSP_SMS: '%s', want a positive SM count\n", env);
            return 2;
        }
        bsp_err err;
        memset(&err, 0, sizeof err);
        if (bsp_greenctx_enter(0, (int)n, &sms, &err) != 0) {
            fprintf(stderr, "bspgpu-floor: BSP_SMS=%ld: %s\n", n, err.msg);
            return 1;
        }
    }
    if ((!sms && cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0) != cudaSuccess) ||
        cudaMalloc(&buf, 4096 * sizeof(int)) != cudaSuccess) {
        fprintf(stderr, "bspgpu-floor: no CUDA device\n");
        return 1;
    }
    unsigned *chain_l2 = chase_chain(CHASE_L2_LINES), *chain_dram = chase_chain(CHASE_DRAM_LINES);
    uint4 *sbuf = nullptr;
    if (cudaMalloc(&sbuf, STREAM_WORDS * 16u) != cudaSuccess || cudaMemset(sbuf, 0, STREAM_WORDS * 16u) != cudaSuccess)
        sbuf = nullptr;
    unsigned long long sstart = 0;
    if (!chain_l2 || !chain_dram || !sbuf) {
        fprintf(stderr, "bspgpu-floor: no memory for the chase chains or the stream buffer\n");
        return 1;
    }
    const int spin_grid[3] = { 1, sms < 16 ? sms : 16, sms };   // the spin, chase and stream grids
    for (int i = 0; i < reps; i++) {
        floor_empty<<<1, 32>>>(nullptr);
        floor_store<<<1, 32>>>(buf);
        floor_store<<<sms, 128>>>(buf);
        cudaDeviceSynchronize();   // launches one at a time: no overlap
        for (int n = 1; n < sms; n *= 2) {
            floor_store<<<n, 128>>>(buf);
            cudaDeviceSynchronize();
        }
        for (int m = 2; m <= 512; m *= 4) {  // 2, 8, 32, 128, 512 blocks per SM
            floor_blocks<<<sms * m, 128>>>(buf);
            cudaDeviceSynchronize();
        }
        for (int g = 0; g < 3; g++) {  // about 1, 4 and 16 us at 2 GHz
            floor_spin<2><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
            floor_spin<8><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
            floor_spin<32><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
            // about 1, 4 and 16 us of L2 hops (~140 ns), 1.4, 5.5 and 22 of DRAM hops (~345 ns);
            // the DRAM chases start elsewhere each time, so that L2 does not keep their lines
            unsigned start = (unsigned)(((i * 9u + g * 3u) * 2654435761ull) % CHASE_DRAM_LINES);
            floor_chase<8><<<spin_grid[g], 128>>>(chain_l2, CHASE_L2_LINES, 0u, buf);
            cudaDeviceSynchronize();
            floor_chase<32><<<spin_grid[g], 128>>>(chain_l2, CHASE_L2_LINES, 0u, buf);
            cudaDeviceSynchronize();
            floor_chase<128><<<spin_grid[g], 128>>>(chain_l2, CHASE_L2_LINES, 0u, buf);
            cudaDeviceSynchronize();
            floor_chase<4><<<spin_grid[g], 128>>>(chain_dram, CHASE_DRAM_LINES, start, buf);
            cudaDeviceSynchronize();
            floor_chase<16><<<spin_grid[g], 128>>>(chain_dram, CHASE_DRAM_LINES, start + CHASE_DRAM_LINES / 3, buf);
            cudaDeviceSynchronize();
            floor_chase<64><<<spin_grid[g], 128>>>(chain_dram, CHASE_DRAM_LINES, start + 2 * (CHASE_DRAM_LINES / 3), buf);
            cudaDeviceSynchronize();
        }
    }
    // the streams after every other launch: they sweep L2, which the L2 chases need
    for (int i = 0; i < reps; i++) {
        for (int g = 0; g < 3; g++) {
            // 64 KiB, 256 KiB and 1 MiB per block, each from where the last launch stopped
            floor_stream<16><<<spin_grid[g], 256>>>(sbuf, sstart, buf);
            sstart = (sstart + (unsigned long long)spin_grid[g] * 16 * 256) % STREAM_WORDS;
            cudaDeviceSynchronize();
            floor_stream<64><<<spin_grid[g], 256>>>(sbuf, sstart, buf);
            sstart = (sstart + (unsigned long long)spin_grid[g] * 64 * 256) % STREAM_WORDS;
            cudaDeviceSynchronize();
            floor_stream<256><<<spin_grid[g], 256>>>(sbuf, sstart, buf);
            sstart = (sstart + (unsigned long long)spin_grid[g] * 256 * 256) % STREAM_WORDS;
            cudaDeviceSynchronize();
        }
    }
    cudaError_t e = cudaGetLastError();
    int host[1] = { -1 };
    cudaMemcpy(host, buf, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(buf);
    cudaFree(chain_l2);
    cudaFree(chain_dram);
    cudaFree(sbuf);
    if (e != cudaSuccess || host[0] != 0) {
        fprintf(stderr, "bspgpu-floor: kernels failed (%s)\n", cudaGetErrorString(e));
        return 1;
    }
    int grids = 0;
    for (int n = 1; n < sms; n *= 2)
        grids++;
    printf("bspgpu-floor: %d x %d launches on %d SMs\n", reps, 8 + grids + 36, sms);
    return 0;
}
