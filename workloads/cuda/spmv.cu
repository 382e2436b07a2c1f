/*
 * spmv: sparse matrix-vector product y = A x, A in CSR (float values, int
 * column indices), square, 4 to 60 non-zeros per row (32 on average) at
 * random columns, so reads of x are irregular gathers:
 *   spmv_csr_scalar  one thread per row (a warp's loads of A stride by row)
 *   spmv_csr_vector  one warp per row, lanes read the row contiguously and
 *                    sum by __shfl_down_sync
 * Sizes rows = 2^14, 2^16, 2^18 (about 0.5M, 2M, 8M non-zeros).
 */
#include "wl.cuh"

#define SPMV_BLOCK 256

__global__ void spmv_csr_scalar(const int *__restrict__ rowptr, const int *__restrict__ col,
                                const float *__restrict__ val, const float *__restrict__ x,
                                float *__restrict__ y, int rows)
{
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows)
        return;
    float s = 0.0f;
    for (int k = rowptr[r]; k < rowptr[r + 1]; k++)
        s += val[k] * x[col[k]];
    y[r] = s;
}

__global__ void spmv_csr_vector(const int *__restrict__ rowptr, const int *__restrict__ col,
                                const float *__restrict__ val, const float *__restrict__ x,
                                float *__restrict__ y, int rows)
{
    int r = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    int lane = threadIdx.x & 31;
    if (r >= rows)
        return; /* a whole warp leaves together: rows are warp-aligned */
    float s = 0.0f;
    for (int k = rowptr[r] + lane; k < rowptr[r + 1]; k += 32)
        s += val[k] * x[col[k]];
    for (int o = 16; o > 0; o >>= 1)
        s += __shfl_down_sync(0xffffffffu, s, o);
    if (lane == 0)
        y[r] = s;
}

static const char *const variants[] = {"scalar", "vector", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "spmv", "Sparse matrix-vector product, CSR.", variants);
    const int sizes[] = {1 << 14, 1 << 16, 1 << 18};
    wl_rng rng(10);
    for (int rows : sizes) {
        std::vector<int> rowptr(rows + 1);
        rowptr[0] = 0;
        for (int r = 0; r < rows; r++)
            rowptr[r + 1] = rowptr[r] + (int)rng.range(4, 60);
        int nnz = rowptr[rows];
        std::vector<int> col(nnz);
        std::vector<float> val(nnz), x(rows), y(rows);
        for (auto &c : col)
            c = (int)rng.range(0, rows - 1);
        wl_fill(val, rng, -1.0f, 1.0f);
        wl_fill(x, rng, -1.0f, 1.0f);
        std::vector<double> ref(rows), tol(rows);
        for (int r = 0; r < rows; r++) {
            double s = 0.0, mag = 0.0;
            for (int k = rowptr[r]; k < rowptr[r + 1]; k++) {
                s += (double)val[k] * x[col[k]];
                mag += std::fabs((double)val[k] * x[col[k]]);
            }
            ref[r] = s;
            tol[r] = mag * 1e-5 + 1e-6;
        }
        int *drp, *dcol;
        float *dval, *dx, *dy;
        CK(cudaMalloc(&drp, (rows + 1) * sizeof(int)));
        CK(cudaMalloc(&dcol, nnz * sizeof(int)));
        CK(cudaMalloc(&dval, nnz * sizeof(float)));
        CK(cudaMalloc(&dx, rows * sizeof(float)));
        CK(cudaMalloc(&dy, rows * sizeof(float)));
        CK(cudaMemcpy(drp, rowptr.data(), (rows + 1) * sizeof(int), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(dcol, col.data(), nnz * sizeof(int), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(dval, val.data(), nnz * sizeof(float), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(dx, x.data(), rows * sizeof(float), cudaMemcpyHostToDevice));
        char size[48];
        snprintf(size, sizeof size, "rows=%d,nnz=%d", rows, nnz);
        dim3 block(SPMV_BLOCK);
        struct {
            const char *variant, *name;
            void (*k)(const int *, const int *, const float *, const float *, float *, int);
            dim3 grid;
        } runs[] = {
            {"scalar", "spmv_csr_scalar", spmv_csr_scalar, dim3(wl_cdiv(rows, SPMV_BLOCK))},
            {"vector", "spmv_csr_vector", spmv_csr_vector,
             dim3(wl_cdiv((size_t)rows * 32, SPMV_BLOCK))},
        };
        for (auto &r : runs) {
            if (!wl_want(r.variant))
                continue;
            CK(cudaMemset(dy, 0, rows * sizeof(float)));
            wl_time(r.name, size, r.grid, block,
                    [&] { r.k<<<r.grid, block>>>(drp, dcol, dval, dx, dy, rows); });
            CK(cudaMemcpy(y.data(), dy, rows * sizeof(float), cudaMemcpyDeviceToHost));
            char what[80];
            snprintf(what, sizeof what, "%s %s", r.name, size);
            wl_close(what, y.data(), ref.data(), tol.data(), rows, rows);
        }
        CK(cudaFree(drp));
        CK(cudaFree(dcol));
        CK(cudaFree(dval));
        CK(cudaFree(dx));
        CK(cudaFree(dy));
    }
    return wl_finish();
}
