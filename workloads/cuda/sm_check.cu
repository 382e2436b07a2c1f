/*
 * sm_check: checks the SM-count axis (BSP_SMS).  Not a profiled workload.
 *   sm_fma_spin    compute-bound: 4224 blocks x 256 threads, 4 independent
 *                  FMA chains of 4096 steps per thread; 4224 blocks are 4 full
 *                  waves on 132 SMs and 33 on 16 SMs (8 blocks of 256 threads
 *                  per SM), so 16 SMs should take about 132/16 = 8.25x longer
 *   sm_record_smid each block records the SM it ran on (%smid); the program
 *                  prints how many distinct SMs it saw, and fails if that
 *                  exceeds the SMs the green context granted
 * Prints "sms_seen=N sms_granted=M" to stdout.
 */
#include "wl.cuh"

#define SPIN_BLOCKS 4224
#define SPIN_THREADS 256
#define SPIN_ITERS 4096
#define SPIN_CHECK 512

__global__ void sm_fma_spin(float *__restrict__ out, int iters, float a, float b)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    float x0 = t * 1e-6f, x1 = x0 + 0.25f, x2 = x0 + 0.5f, x3 = x0 + 0.75f;
    for (int i = 0; i < iters; i++) {
        x0 = fmaf(x0, a, b);
        x1 = fmaf(x1, a, b);
        x2 = fmaf(x2, a, b);
        x3 = fmaf(x3, a, b);
    }
    out[t] = x0 + x1 + x2 + x3;
}

__global__ void sm_record_smid(unsigned *__restrict__ smid, long long spin_cycles)
{
    if (threadIdx.x == 0) {
        unsigned id;
        asm volatile("mov.u32 %0, %%smid;" : "=r"(id));
        long long t0 = clock64();
        while (clock64() - t0 < spin_cycles)
            ;
        smid[blockIdx.x] = id;
    }
}

static const char *const variants[] = {"sm_check", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "sm_check", "Check the green-context SM partition (BSP_SMS).",
            variants);
    const int n = SPIN_BLOCKS * SPIN_THREADS;
    const float a = 0.999f, b = 0.001f;
    float *dout;
    CK(cudaMalloc(&dout, n * sizeof(float)));
    wl_time("sm_fma_spin", "iters=4096", dim3(SPIN_BLOCKS), dim3(SPIN_THREADS),
            [&] { sm_fma_spin<<<SPIN_BLOCKS, SPIN_THREADS>>>(dout, SPIN_ITERS, a, b); });
    std::vector<float> got(SPIN_CHECK);
    std::vector<double> ref(SPIN_CHECK);
    CK(cudaMemcpy(got.data(), dout, SPIN_CHECK * sizeof(float), cudaMemcpyDeviceToHost));
    for (int t = 0; t < SPIN_CHECK; t++) {
        float x0 = t * 1e-6f, x1 = x0 + 0.25f, x2 = x0 + 0.5f, x3 = x0 + 0.75f;
        for (int i = 0; i < SPIN_ITERS; i++) {
            x0 = fmaf(x0, a, b);
            x1 = fmaf(x1, a, b);
            x2 = fmaf(x2, a, b);
            x3 = fmaf(x3, a, b);
        }
        ref[t] = x0 + x1 + x2 + x3;
    }
    double tol = 1e-5;
    wl_close("sm_fma_spin", got.data(), ref.data(), &tol, 1, SPIN_CHECK);

    const int blocks = 4096;
    unsigned *dsm;
    CK(cudaMalloc(&dsm, blocks * sizeof(unsigned)));
    wl_time("sm_record_smid", "blocks=4096", dim3(blocks), dim3(32),
            [&] { sm_record_smid<<<blocks, 32>>>(dsm, 20000); });
    std::vector<unsigned> ids(blocks);
    CK(cudaMemcpy(ids.data(), dsm, blocks * sizeof(unsigned), cudaMemcpyDeviceToHost));
    std::sort(ids.begin(), ids.end());
    int seen = (int)(std::unique(ids.begin(), ids.end()) - ids.begin());
    int dev_sms = 0;
    CK(cudaDeviceGetAttribute(&dev_sms, cudaDevAttrMultiProcessorCount, 0));
    printf("sms_seen=%d sms_granted=%d sms_device=%d\n", seen, wl.sms_got ? wl.sms_got : dev_sms,
           dev_sms);
    if (wl.sms_got && seen > wl.sms_got) {
        fprintf(stderr, "sm_check: kernels ran on %d SMs, more than the %d granted\n", seen,
                wl.sms_got);
        wl.failures++;
    }
    CK(cudaFree(dout));
    CK(cudaFree(dsm));
    return wl_finish();
}
