/*
 * histogram: 256-bin histogram of bytes, with atomics:
 *   hist_global_atomics  every input does an atomicAdd on a global bin
 *                        (contended atomics in L2)
 *   hist_shared_atomics  each block counts into a private shared-memory
 *                        histogram, then adds its 256 bins to the global one
 * Both: 256-thread blocks, grid-stride loop, 16 inputs per thread.
 * Sizes n = 2^20, 2^22, 2^24 uniformly random bytes; counts checked exactly.
 */
#include "wl.cuh"

#define HIST_BINS 256
#define HIST_BLOCK 256
#define HIST_PER_THREAD 16

__global__ void hist_global_atomics(const unsigned char *__restrict__ x,
                                    unsigned *__restrict__ bins, int n)
{
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)n; i += stride)
        atomicAdd(&bins[x[i]], 1u);
}

__global__ void hist_shared_atomics(const unsigned char *__restrict__ x,
                                    unsigned *__restrict__ bins, int n)
{
    __shared__ unsigned s[HIST_BINS];
    for (int b = threadIdx.x; b < HIST_BINS; b += blockDim.x)
        s[b] = 0;
    __syncthreads();
    size_t stride = (size_t)gridDim.x * blockDim.x;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (size_t)n; i += stride)
        atomicAdd(&s[x[i]], 1u);
    __syncthreads();
    for (int b = threadIdx.x; b < HIST_BINS; b += blockDim.x)
        if (s[b])
            atomicAdd(&bins[b], s[b]);
}

static const char *const variants[] = {"global", "shared", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "histogram", "256-bin histogram of bytes with atomics.", variants);
    const int sizes[] = {1 << 20, 1 << 22, 1 << 24};
    wl_rng rng(9);
    for (int n : sizes) {
        std::vector<unsigned char> x(n);
        std::vector<uint64_t> ref(HIST_BINS, 0), got(HIST_BINS);
        for (auto &v : x) {
            v = (unsigned char)rng.range(0, 255);
            ref[v]++;
        }
        unsigned char *dx;
        unsigned *db;
        CK(cudaMalloc(&dx, n));
        CK(cudaMalloc(&db, HIST_BINS * sizeof(unsigned)));
        CK(cudaMemcpy(dx, x.data(), n, cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(HIST_BLOCK), grid(wl_cdiv(n, HIST_BLOCK * HIST_PER_THREAD));
        struct {
            const char *variant, *name;
            void (*k)(const unsigned char *, unsigned *, int);
        } runs[] = {{"global", "hist_global_atomics", hist_global_atomics},
                    {"shared", "hist_shared_atomics", hist_shared_atomics}};
        for (auto &r : runs) {
            if (!wl_want(r.variant))
                continue;
            wl_time(r.name, size, grid, block, [&] {
                CK(cudaMemsetAsync(db, 0, HIST_BINS * sizeof(unsigned)));
                r.k<<<grid, block>>>(dx, db, n);
            });
            std::vector<unsigned> g(HIST_BINS);
            CK(cudaMemcpy(g.data(), db, HIST_BINS * sizeof(unsigned), cudaMemcpyDeviceToHost));
            for (int b = 0; b < HIST_BINS; b++)
                got[b] = g[b];
            char what[64];
            snprintf(what, sizeof what, "%s %s", r.name, size);
            wl_equal_u64(what, got.data(), ref.data(), HIST_BINS);
        }
        CK(cudaFree(dx));
        CK(cudaFree(db));
    }
    return wl_finish();
}
