/*
 * vadd: vector addition c = a + b (float), one element per thread
 * (kernel vadd), as in Amaris et al.  Sizes n = 2^20, 2^22, 2^24.
 */
#include "wl.cuh"

__global__ void vadd(const float *__restrict__ a, const float *__restrict__ b,
                     float *__restrict__ c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

static const char *const variants[] = {"vadd", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "vadd", "Vector addition c = a+b, float.", variants);
    const int sizes[] = {1 << 20, 1 << 22, 1 << 24};
    wl_rng rng(3);
    for (int n : sizes) {
        std::vector<float> a(n), b(n), c(n);
        wl_fill(a, rng, -1.0f, 1.0f);
        wl_fill(b, rng, -1.0f, 1.0f);
        std::vector<double> ref(n);
        for (int i = 0; i < n; i++)
            ref[i] = (double)(a[i] + b[i]);
        double tol = 0.0;

        float *da, *db, *dc;
        CK(cudaMalloc(&da, n * sizeof(float)));
        CK(cudaMalloc(&db, n * sizeof(float)));
        CK(cudaMalloc(&dc, n * sizeof(float)));
        CK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemset(dc, 0, n * sizeof(float)));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(256), grid(wl_cdiv(n, 256));
        wl_time("vadd", size, grid, block, [&] { vadd<<<grid, block>>>(da, db, dc, n); });
        CK(cudaMemcpy(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost));
        char what[64];
        snprintf(what, sizeof what, "vadd %s", size);
        wl_close(what, c.data(), ref.data(), &tol, 1, n);
        CK(cudaFree(da));
        CK(cudaFree(db));
        CK(cudaFree(dc));
    }
    return wl_finish();
}
