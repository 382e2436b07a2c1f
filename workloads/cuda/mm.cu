/*
 * mm: dense matrix multiplication C = A * B (n x n, float, row-major), three
 * ways, as in the BSP model papers of Amaris et al.:
 *   mm_global_uncoalesced  one thread per C element, threadIdx.x walks rows:
 *                          a warp's loads of A and stores of C stride by n
 *   mm_global_coalesced    one thread per C element, threadIdx.x walks
 *                          columns: a warp reads B and writes C contiguously
 *   mm_shared_tiled        16 x 16 tiles of A and B staged in shared memory
 * Sizes n = 256, 512, 768.
 */
#include "wl.cuh"

#define TILE 16

__global__ void mm_global_uncoalesced(const float *__restrict__ a, const float *__restrict__ b,
                                      float *__restrict__ c, int n)
{
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    int col = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= n || col >= n)
        return;
    float s = 0.0f;
    for (int k = 0; k < n; k++)
        s += a[(size_t)row * n + k] * b[(size_t)k * n + col];
    c[(size_t)row * n + col] = s;
}

__global__ void mm_global_coalesced(const float *__restrict__ a, const float *__restrict__ b,
                                    float *__restrict__ c, int n)
{
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= n || col >= n)
        return;
    float s = 0.0f;
    for (int k = 0; k < n; k++)
        s += a[(size_t)row * n + k] * b[(size_t)k * n + col];
    c[(size_t)row * n + col] = s;
}

__global__ void mm_shared_tiled(const float *__restrict__ a, const float *__restrict__ b,
                                float *__restrict__ c, int n)
{
    __shared__ float ta[TILE][TILE];
    __shared__ float tb[TILE][TILE];
    int col = blockIdx.x * TILE + threadIdx.x;
    int row = blockIdx.y * TILE + threadIdx.y;
    float s = 0.0f;
    for (int t = 0; t < n; t += TILE) {
        int ka = t + threadIdx.x, kb = t + threadIdx.y;
        ta[threadIdx.y][threadIdx.x] = (row < n && ka < n) ? a[(size_t)row * n + ka] : 0.0f;
        tb[threadIdx.y][threadIdx.x] = (kb < n && col < n) ? b[(size_t)kb * n + col] : 0.0f;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TILE; k++)
            s += ta[threadIdx.y][k] * tb[k][threadIdx.x];
        __syncthreads();
    }
    if (row < n && col < n)
        c[(size_t)row * n + col] = s;
}

static const char *const variants[] = {"uncoalesced", "coalesced", "tiled", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "mm", "Dense matrix multiplication C = A*B, n x n float.", variants);
    const int sizes[] = {256, 512, 768};
    wl_rng rng(1);
    for (int n : sizes) {
        size_t nn = (size_t)n * n;
        std::vector<float> a(nn), b(nn), c(nn);
        wl_fill(a, rng, -1.0f, 1.0f);
        wl_fill(b, rng, -1.0f, 1.0f);
        std::vector<double> ref(nn, 0.0);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double x = a[(size_t)i * n + k];
                const float *brow = &b[(size_t)k * n];
                double *crow = &ref[(size_t)i * n];
                for (int j = 0; j < n; j++)
                    crow[j] += x * brow[j];
            }
        /* |a|,|b| < 1: a float dot product of n terms errs by well under n*2^-20 */
        double tol = n * 1e-6 + 1e-5;

        float *da, *db, *dc;
        CK(cudaMalloc(&da, nn * sizeof(float)));
        CK(cudaMalloc(&db, nn * sizeof(float)));
        CK(cudaMalloc(&dc, nn * sizeof(float)));
        CK(cudaMemcpy(da, a.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(db, b.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(TILE, TILE), grid(wl_cdiv(n, TILE), wl_cdiv(n, TILE));

        struct {
            const char *variant, *name;
            void (*k)(const float *, const float *, float *, int);
        } runs[] = {{"uncoalesced", "mm_global_uncoalesced", mm_global_uncoalesced},
                    {"coalesced", "mm_global_coalesced", mm_global_coalesced},
                    {"tiled", "mm_shared_tiled", mm_shared_tiled}};
        for (auto &r : runs) {
            if (!wl_want(r.variant))
                continue;
            CK(cudaMemset(dc, 0, nn * sizeof(float)));
            wl_time(r.name, size, grid, block, [&] { r.k<<<grid, block>>>(da, db, dc, n); });
            CK(cudaMemcpy(c.data(), dc, nn * sizeof(float), cudaMemcpyDeviceToHost));
            char what[64];
            snprintf(what, sizeof what, "%s %s", r.name, size);
            wl_close(what, c.data(), ref.data(), &tol, 1, nn);
        }
        CK(cudaFree(da));
        CK(cudaFree(db));
        CK(cudaFree(dc));
    }
    return wl_finish();
}
