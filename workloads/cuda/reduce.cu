/*
 * reduce: sum of unsigned 32-bit integers into a 64-bit total, two ways:
 *   reduce_shared_tree    each 256-thread block adds 512 inputs (two per
 *                         thread on load), sums them by a shared-memory tree
 *                         with __syncthreads, and adds the block's sum to
 *                         the total with one atomicAdd
 *   reduce_warp_shuffle   grid-stride loop, 8 inputs per thread, warp sums by
 *                         __shfl_down_sync, one shared slot per warp, one
 *                         atomicAdd per block
 * Sizes n = 2^20, 2^22, 2^24 values in [1, 1023]; the sum is checked exactly.
 */
#include "wl.cuh"

#define RED_BLOCK 256
#define RED_PER_THREAD 8

__global__ void reduce_shared_tree(const unsigned *__restrict__ x,
                                   unsigned long long *__restrict__ total, int n)
{
    __shared__ unsigned long long s[RED_BLOCK];
    size_t i = (size_t)blockIdx.x * (2 * RED_BLOCK) + threadIdx.x;
    unsigned long long v = 0;
    if (i < (size_t)n)
        v += x[i];
    if (i + RED_BLOCK < (size_t)n)
        v += x[i + RED_BLOCK];
    s[threadIdx.x] = v;
    __syncthreads();
    for (int h = RED_BLOCK / 2; h > 0; h >>= 1) {
        if (threadIdx.x < h)
            s[threadIdx.x] += s[threadIdx.x + h];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        atomicAdd(total, s[0]);
}

__global__ void reduce_warp_shuffle(const unsigned *__restrict__ x,
                                    unsigned long long *__restrict__ total, int n)
{
    __shared__ unsigned long long warp_sum[RED_BLOCK / 32];
    unsigned long long v = 0;
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)n; i += stride)
        v += x[i];
    for (int o = 16; o > 0; o >>= 1)
        v += __shfl_down_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, w = threadIdx.x >> 5;
    if (lane == 0)
        warp_sum[w] = v;
    __syncthreads();
    if (w == 0) {
        v = lane < RED_BLOCK / 32 ? warp_sum[lane] : 0;
        for (int o = 16; o > 0; o >>= 1)
            v += __shfl_down_sync(0xffffffffu, v, o);
        if (lane == 0)
            atomicAdd(total, v);
    }
}

static const char *const variants[] = {"tree", "shuffle", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "reduce", "Sum of unsigned ints into a 64-bit total.", variants);
    const int sizes[] = {1 << 20, 1 << 22, 1 << 24};
    wl_rng rng(6);
    for (int n : sizes) {
        std::vector<unsigned> x(n);
        uint64_t ref = 0;
        for (auto &v : x) {
            v = (unsigned)rng.range(1, 1023);
            ref += v;
        }
        unsigned *dx;
        unsigned long long *dt;
        CK(cudaMalloc(&dx, n * sizeof(unsigned)));
        CK(cudaMalloc(&dt, sizeof(unsigned long long)));
        CK(cudaMemcpy(dx, x.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(RED_BLOCK);
        struct {
            const char *variant, *name;
            void (*k)(const unsigned *, unsigned long long *, int);
            dim3 grid;
        } runs[] = {
            {"tree", "reduce_shared_tree", reduce_shared_tree,
             dim3(wl_cdiv(n, 2 * RED_BLOCK))},
            {"shuffle", "reduce_warp_shuffle", reduce_warp_shuffle,
             dim3(wl_cdiv(n, RED_BLOCK * RED_PER_THREAD))},
        };
        for (auto &r : runs) {
            if (!wl_want(r.variant))
                continue;
            wl_time(r.name, size, r.grid, block, [&] {
                CK(cudaMemsetAsync(dt, 0, sizeof(unsigned long long)));
                r.k<<<r.grid, block>>>(dx, dt, n);
            });
            uint64_t got;
            CK(cudaMemcpy(&got, dt, sizeof got, cudaMemcpyDeviceToHost));
            char what[64];
            snprintf(what, sizeof what, "%s %s", r.name, size);
            wl_equal_u64(what, &got, &ref, 1);
        }
        CK(cudaFree(dx));
        CK(cudaFree(dt));
    }
    return wl_finish();
}
