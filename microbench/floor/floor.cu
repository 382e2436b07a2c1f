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
// give the fixed cost of kernels that run 1 to 16 us.
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
        const int spin_grid[3] = { 1, sms < 16 ? sms : 16, sms };
        for (int g = 0; g < 3; g++) {  // about 1, 4 and 16 us at 2 GHz
            floor_spin<2><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
            floor_spin<8><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
            floor_spin<32><<<spin_grid[g], 128>>>(buf);
            cudaDeviceSynchronize();
        }
    }
    cudaError_t e = cudaGetLastError();
    int host[1] = { -1 };
    cudaMemcpy(host, buf, sizeof(int), cudaMemcpyDeviceToHost);
    cudaFree(buf);
    if (e != cudaSuccess || host[0] != 0) {
        fprintf(stderr, "bspgpu-floor: kernels failed (%s)\n", cudaGetErrorString(e));
        return 1;
    }
    int grids = 0;
    for (int n = 1; n < sms; n *= 2)
        grids++;
    printf("bspgpu-floor: %d x %d launches on %d SMs\n", reps, 8 + grids + 9, sms);
    return 0;
}
