/*
 * transpose: out = in^T (n x n, float), the CUDA-samples pair:
 *   transpose_naive  each thread copies 4 elements (32 x 8 threads per 32 x 32
 *                    tile); reads coalesced, writes strided by n
 *   transpose_tiled  the tile goes through shared memory (padded to 33
 *                    columns, no bank conflicts); reads and writes coalesced
 * Sizes n = 1024, 2048, 4096.
 */
#include "wl.cuh"

#define TR_TILE 32
#define TR_ROWS 8

__global__ void transpose_naive(const float *__restrict__ in, float *__restrict__ out, int n)
{
    int x = blockIdx.x * TR_TILE + threadIdx.x;
    int y = blockIdx.y * TR_TILE + threadIdx.y;
    for (int j = 0; j < TR_TILE; j += TR_ROWS)
        if (x < n && y + j < n)
            out[(size_t)x * n + y + j] = in[(size_t)(y + j) * n + x];
}

__global__ void transpose_tiled(const float *__restrict__ in, float *__restrict__ out, int n)
{
    __shared__ float tile[TR_TILE][TR_TILE + 1];
    int x = blockIdx.x * TR_TILE + threadIdx.x;
    int y = blockIdx.y * TR_TILE + threadIdx.y;
    for (int j = 0; j < TR_TILE; j += TR_ROWS)
        if (x < n && y + j < n)
            tile[threadIdx.y + j][threadIdx.x] = in[(size_t)(y + j) * n + x];
    __syncthreads();
    x = blockIdx.y * TR_TILE + threadIdx.x;
    y = blockIdx.x * TR_TILE + threadIdx.y;
    for (int j = 0; j < TR_TILE; j += TR_ROWS)
        if (x < n && y + j < n)
            out[(size_t)(y + j) * n + x] = tile[threadIdx.x][threadIdx.y + j];
}

static const char *const variants[] = {"naive", "tiled", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "transpose", "Matrix transpose, n x n float.", variants);
    const int sizes[] = {1024, 2048, 4096};
    wl_rng rng(7);
    for (int n : sizes) {
        size_t nn = (size_t)n * n;
        std::vector<float> a(nn), c(nn);
        wl_fill(a, rng, -1.0f, 1.0f);
        std::vector<double> ref(nn);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                ref[(size_t)j * n + i] = a[(size_t)i * n + j];
        double tol = 0.0;
        float *din, *dout;
        CK(cudaMalloc(&din, nn * sizeof(float)));
        CK(cudaMalloc(&dout, nn * sizeof(float)));
        CK(cudaMemcpy(din, a.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(TR_TILE, TR_ROWS), grid(wl_cdiv(n, TR_TILE), wl_cdiv(n, TR_TILE));
        struct {
            const char *variant, *name;
            void (*k)(const float *, float *, int);
        } runs[] = {{"naive", "transpose_naive", transpose_naive},
                    {"tiled", "transpose_tiled", transpose_tiled}};
        for (auto &r : runs) {
            if (!wl_want(r.variant))
                continue;
            CK(cudaMemset(dout, 0, nn * sizeof(float)));
            wl_time(r.name, size, grid, block, [&] { r.k<<<grid, block>>>(din, dout, n); });
            CK(cudaMemcpy(c.data(), dout, nn * sizeof(float), cudaMemcpyDeviceToHost));
            char what[64];
            snprintf(what, sizeof what, "%s %s", r.name, size);
            wl_close(what, c.data(), ref.data(), &tol, 1, nn);
        }
        CK(cudaFree(din));
        CK(cudaFree(dout));
    }
    return wl_finish();
}
