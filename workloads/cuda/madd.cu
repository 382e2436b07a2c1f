/*
 * madd: matrix addition C = A + B (n x n, float, row-major), as in Amaris et al.:
 *   madd_coalesced    threadIdx.x walks columns: a warp touches 128 contiguous bytes
 *   madd_uncoalesced  threadIdx.x walks rows: a warp touches 32 rows, n*4 bytes apart
 * Sizes n = 1024, 2048, 4096.
 */
#include "wl.cuh"

__global__ void madd_coalesced(const float *__restrict__ a, const float *__restrict__ b,
                               float *__restrict__ c, int n)
{
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    int row = blockIdx.y * blockDim.y + threadIdx.y;
    if (row < n && col < n) {
        size_t i = (size_t)row * n + col;
        c[i] = a[i] + b[i];
    }
}

__global__ void madd_uncoalesced(const float *__restrict__ a, const float *__restrict__ b,
                                 float *__restrict__ c, int n)
{
    int row = blockIdx.x * blockDim.x + threadIdx.x;
    int col = blockIdx.y * blockDim.y + threadIdx.y;
    if (row < n && col < n) {
        size_t i = (size_t)row * n + col;
        c[i] = a[i] + b[i];
    }
}

static const char *const variants[] = {"coalesced", "uncoalesced", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "madd", "Matrix addition C = A+B, n x n float.", variants);
    const int sizes[] = {1024, 2048, 4096};
    wl_rng rng(2);
    for (int n : sizes) {
        size_t nn = (size_t)n * n;
        std::vector<float> a(nn), b(nn), c(nn);
        wl_fill(a, rng, -1.0f, 1.0f);
        wl_fill(b, rng, -1.0f, 1.0f);
        std::vector<double> ref(nn);
        for (size_t i = 0; i < nn; i++)
            ref[i] = (double)(a[i] + b[i]);
        double tol = 0.0;

        float *da, *db, *dc;
        CK(cudaMalloc(&da, nn * sizeof(float)));
        CK(cudaMalloc(&db, nn * sizeof(float)));
        CK(cudaMalloc(&dc, nn * sizeof(float)));
        CK(cudaMemcpy(da, a.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(db, b.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(32, 8), grid(wl_cdiv(n, 32), wl_cdiv(n, 8));

        struct {
            const char *variant, *name;
            void (*k)(const float *, const float *, float *, int);
        } runs[] = {{"coalesced", "madd_coalesced", madd_coalesced},
                    {"uncoalesced", "madd_uncoalesced", madd_uncoalesced}};
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
