/*
 * stencil: one Jacobi sweep of the 2D 5-point stencil on an n x n float grid,
 *   out[i][j] = 0.5 in[i][j] + 0.125 (in[i-1][j] + in[i+1][j] + in[i][j-1] + in[i][j+1])
 * on interior points; boundary points are copied.  Kernel stencil5_2d: one
 * thread per point, 32 x 8 blocks, neighbours read from global memory (the
 * row above and below reach L1/L2).  Sizes n = 1024, 2048, 4096.
 */
#include "wl.cuh"

__global__ void stencil5_2d(const float *__restrict__ in, float *__restrict__ out, int n)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    int i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || j >= n)
        return;
    size_t k = (size_t)i * n + j;
    if (i == 0 || j == 0 || i == n - 1 || j == n - 1) {
        out[k] = in[k];
        return;
    }
    out[k] = 0.5f * in[k] + 0.125f * (in[k - n] + in[k + n] + in[k - 1] + in[k + 1]);
}

static const char *const variants[] = {"stencil2d", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "stencil", "2D 5-point Jacobi sweep, n x n float.", variants);
    const int sizes[] = {1024, 2048, 4096};
    wl_rng rng(8);
    for (int n : sizes) {
        size_t nn = (size_t)n * n;
        std::vector<float> a(nn), c(nn);
        wl_fill(a, rng, -1.0f, 1.0f);
        std::vector<double> ref(nn);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                size_t k = (size_t)i * n + j;
                if (i == 0 || j == 0 || i == n - 1 || j == n - 1)
                    ref[k] = a[k];
                else
                    ref[k] = 0.5 * a[k] + 0.125 * ((double)a[k - n] + a[k + n] + a[k - 1] + a[k + 1]);
            }
        double tol = 1e-6;
        float *din, *dout;
        CK(cudaMalloc(&din, nn * sizeof(float)));
        CK(cudaMalloc(&dout, nn * sizeof(float)));
        CK(cudaMemcpy(din, a.data(), nn * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemset(dout, 0, nn * sizeof(float)));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(32, 8), grid(wl_cdiv(n, 32), wl_cdiv(n, 8));
        wl_time("stencil5_2d", size, grid, block,
                [&] { stencil5_2d<<<grid, block>>>(din, dout, n); });
        CK(cudaMemcpy(c.data(), dout, nn * sizeof(float), cudaMemcpyDeviceToHost));
        char what[64];
        snprintf(what, sizeof what, "stencil5_2d %s", size);
        wl_close(what, c.data(), ref.data(), &tol, 1, nn);
        CK(cudaFree(din));
        CK(cudaFree(dout));
    }
    return wl_finish();
}
