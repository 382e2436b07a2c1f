// bspgpu-gemm: cuBLAS half-precision GEMMs of growing size, each call alone
// (a synchronization after it), for `bspgpu profile --metrics none`: the
// time a board takes for the same library tensor-core work against its
// length, beside the WMMA ladder of bspgpu-l2rates (registers only), whose
// kernels load no operands.
//
//   square  M = N = K = 512 .. 4096 (7 sizes)
//   narrow  M = 8192, N = 256, K = 256 .. 4096 (5 sizes): the shapes of a
//           convolution's implicit GEMM (many pixels, few channels)
//
// A, B and C are FP16, the sums FP32 (CUBLAS_COMPUTE_32F), column-major,
// C = A B.  A and B hold small integers (-2..2, in a pattern without
// structure a GEMM could exploit), so the FP32 sums are exact and C is
// their FP16 rounding; a sample of each size's C is checked on the host.
#include <cstdio>
#include <cstdlib>
#include <vector>
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cublas_v2.h>

#define CK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
    fprintf(stderr, "bspgpu-gemm: %s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e_)); return 1; } } while (0)
#define CB(x) do { cublasStatus_t s_ = (x); if (s_ != CUBLAS_STATUS_SUCCESS) { \
    fprintf(stderr, "bspgpu-gemm: %s:%d: cuBLAS status %d\n", __FILE__, __LINE__, (int)s_); return 1; } } while (0)

static int aval(size_t i, size_t k) { return (int)((7 * i + 13 * k + (i * k) % 7) % 5) - 2; }   // A(i, k)
static int bval(size_t k, size_t j) { return (int)((11 * k + 3 * j + (k * j) % 11) % 5) - 2; }  // B(k, j)

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 20;
    if (reps < 2 || reps > 10000 || argc > 2) {
        fprintf(stderr, "usage: bspgpu-gemm [REPS]   (2..10000, default 20)\n");
        return 2;
    }
    struct { int m, n, k; } sz[] = {
        { 512, 512, 512 }, { 768, 768, 768 }, { 1024, 1024, 1024 }, { 1536, 1536, 1536 },
        { 2048, 2048, 2048 }, { 3072, 3072, 3072 }, { 4096, 4096, 4096 },
        { 8192, 256, 256 }, { 8192, 256, 512 }, { 8192, 256, 1024 }, { 8192, 256, 2048 }, { 8192, 256, 4096 },
    };
    const int nsz = (int)(sizeof sz / sizeof sz[0]);
    const size_t maxa = (size_t)8192 * 4096, maxb = (size_t)4096 * 4096, maxc = (size_t)8192 * 4096;
    __half *A, *B, *C;
    CK(cudaMalloc(&A, maxa * sizeof(__half)));
    CK(cudaMalloc(&B, maxb * sizeof(__half)));
    CK(cudaMalloc(&C, maxc * sizeof(__half)));
    cublasHandle_t h;
    CB(cublasCreate(&h));
    const float one = 1.0f, zero = 0.0f;
    size_t bad = 0;
    for (int s = 0; s < nsz; s++) {
        const int m = sz[s].m, n = sz[s].n, k = sz[s].k;
        std::vector<__half> ha((size_t)m * k), hb((size_t)k * n);
        for (size_t i = 0; i < (size_t)m; i++)
            for (size_t q = 0; q < (size_t)k; q++)
                ha[q * m + i] = __float2half((float)aval(i, q));
        for (size_t q = 0; q < (size_t)k; q++)
            for (size_t j = 0; j < (size_t)n; j++)
                hb[j * k + q] = __float2half((float)bval(q, j));
        CK(cudaMemcpy(A, ha.data(), ha.size() * sizeof(__half), cudaMemcpyHostToDevice));
        CK(cudaMemcpy(B, hb.data(), hb.size() * sizeof(__half), cudaMemcpyHostToDevice));
        for (int r = 0; r < reps; r++) {
            CB(cublasGemmEx(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &one, A, CUDA_R_16F, m, B, CUDA_R_16F, k,
                            &zero, C, CUDA_R_16F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
            CK(cudaDeviceSynchronize());
        }
        // C(i, j) for a sample of 64 x 8 entries, to FP16's rounding
        std::vector<__half> hc((size_t)m * n);
        CK(cudaMemcpy(hc.data(), C, hc.size() * sizeof(__half), cudaMemcpyDeviceToHost));
        for (size_t i = 0; i < (size_t)m; i += (size_t)m / 64)
            for (size_t j = 0; j < (size_t)n; j += (size_t)n / 8) {
                long want = 0;
                for (size_t q = 0; q < (size_t)k; q++)
                    want += (long)aval(i, q) * bval(q, j);
                double got = __half2float(hc[j * m + i]);
                bad += got - want > 1e-3 * labs(want) + 0.5 || want - got > 1e-3 * labs(want) + 0.5;
            }
    }
    cublasDestroy(h);
    cudaFree(A);
    cudaFree(B);
    cudaFree(C);
    if (bad) {
        fprintf(stderr, "bspgpu-gemm: %zu wrong results\n", bad);
        return 1;
    }
    printf("bspgpu-gemm: %d sizes x %d calls, checked\n", nsz, reps);
    return 0;
}
