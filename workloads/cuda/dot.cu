/*
 * dot: dot product s = a . b (float), as in Amaris et al.: two kernels,
 *   dot_partial_shared  each 256-thread block multiplies 1024 pairs (4 per
 *                       thread) and sums them by a shared-memory tree into
 *                       one partial sum per block
 *   dot_final_reduce    one 1024-thread block sums the partials
 * Sizes n = 2^20, 2^22, 2^24.
 */
#include "wl.cuh"

#define DOT_BLOCK 256
#define DOT_PER_THREAD 4
#define DOT_FINAL 1024

__global__ void dot_partial_shared(const float *__restrict__ a, const float *__restrict__ b,
                                   float *__restrict__ partial, int n)
{
    __shared__ float s[DOT_BLOCK];
    size_t base = (size_t)blockIdx.x * DOT_BLOCK * DOT_PER_THREAD + threadIdx.x;
    float x = 0.0f;
#pragma unroll
    for (int k = 0; k < DOT_PER_THREAD; k++) {
        size_t i = base + (size_t)k * DOT_BLOCK;
        if (i < (size_t)n)
            x += a[i] * b[i];
    }
    s[threadIdx.x] = x;
    __syncthreads();
    for (int h = DOT_BLOCK / 2; h > 0; h >>= 1) {
        if (threadIdx.x < h)
            s[threadIdx.x] += s[threadIdx.x + h];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        partial[blockIdx.x] = s[0];
}

__global__ void dot_final_reduce(const float *__restrict__ partial, float *__restrict__ out,
                                 int m)
{
    __shared__ float s[DOT_FINAL];
    float x = 0.0f;
    for (int i = threadIdx.x; i < m; i += DOT_FINAL)
        x += partial[i];
    s[threadIdx.x] = x;
    __syncthreads();
    for (int h = DOT_FINAL / 2; h > 0; h >>= 1) {
        if (threadIdx.x < h)
            s[threadIdx.x] += s[threadIdx.x + h];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        *out = s[0];
}

static const char *const variants[] = {"dot", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "dot", "Dot product of two float vectors.", variants);
    const int sizes[] = {1 << 20, 1 << 22, 1 << 24};
    wl_rng rng(4);
    for (int n : sizes) {
        std::vector<float> a(n), b(n);
        wl_fill(a, rng, -1.0f, 1.0f);
        wl_fill(b, rng, -1.0f, 1.0f);
        double ref = 0.0, mag = 0.0;
        for (int i = 0; i < n; i++) {
            ref += (double)a[i] * b[i];
            mag += std::fabs((double)a[i] * b[i]);
        }
        /* float tree sums: error grows with log2(n) ulps of the magnitude */
        double tol = mag * 1e-5 + 1e-4;

        int m = (int)wl_cdiv(n, DOT_BLOCK * DOT_PER_THREAD);
        float *da, *db, *dp, *dout;
        CK(cudaMalloc(&da, n * sizeof(float)));
        CK(cudaMalloc(&db, n * sizeof(float)));
        CK(cudaMalloc(&dp, m * sizeof(float)));
        CK(cudaMalloc(&dout, sizeof(float)));
        CK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(DOT_BLOCK), grid(m);
        wl_time("dot_partial_shared", size, grid, block,
                [&] { dot_partial_shared<<<grid, block>>>(da, db, dp, n); });
        wl_time("dot_final_reduce", size, dim3(1), dim3(DOT_FINAL),
                [&] { dot_final_reduce<<<1, DOT_FINAL>>>(dp, dout, m); });
        float got;
        CK(cudaMemcpy(&got, dout, sizeof(float), cudaMemcpyDeviceToHost));
        char what[64];
        snprintf(what, sizeof what, "dot %s", size);
        wl_close(what, &got, &ref, &tol, 1, 1);
        CK(cudaFree(da));
        CK(cudaFree(db));
        CK(cudaFree(dp));
        CK(cudaFree(dout));
    }
    return wl_finish();
}
