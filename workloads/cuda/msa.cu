/*
 * msa: maximum subarray sum of an integer sequence (the best sum of a
 * non-empty contiguous run), as in Amaris et al.'s BSP papers: each thread
 * scans a contiguous chunk, then the chunk summaries are combined.
 *   msa_chunk_scan     each thread runs Kadane's scan over MSA_CHUNK = 64
 *                      consecutive elements (a warp's loads stride by 256 B)
 *                      and writes the chunk's summary: total, best, best
 *                      prefix, best suffix
 *   msa_combine_block  each 256-thread block combines 256 consecutive
 *                      summaries (an ordered shared-memory tree) into one;
 *                      launched until one summary remains (grids differ)
 * Sizes n = 2^20, 2^22, 2^24 ints in [-1000, 1000].
 */
#include "wl.cuh"

#define MSA_CHUNK 64
#define MSA_BLOCK 256
#define MSA_NEG (-(1LL << 60))

struct msa_sum {
    long long total, best, pre, suf;
};

__host__ __device__ static inline msa_sum msa_join(const msa_sum &l, const msa_sum &r)
{
    msa_sum o;
    o.total = l.total + r.total;
    o.pre = l.pre > l.total + r.pre ? l.pre : l.total + r.pre;
    o.suf = r.suf > r.total + l.suf ? r.suf : r.total + l.suf;
    long long m = l.best > r.best ? l.best : r.best;
    long long c = l.suf + r.pre;
    o.best = m > c ? m : c;
    return o;
}

__global__ void msa_chunk_scan(const int *__restrict__ x, msa_sum *__restrict__ out, int n)
{
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    size_t lo = (size_t)t * MSA_CHUNK;
    if (lo >= (size_t)n)
        return;
    size_t hi = lo + MSA_CHUNK < (size_t)n ? lo + MSA_CHUNK : (size_t)n;
    long long total = 0, pre = MSA_NEG, best = MSA_NEG, run = MSA_NEG;
    for (size_t i = lo; i < hi; i++) {
        long long v = x[i];
        total += v;
        pre = pre > total ? pre : total;
        run = run > 0 ? run + v : v; /* best sum ending here */
        best = best > run ? best : run;
    }
    /* best suffix: a second, backward pass over the chunk (now in L1) */
    long long acc = 0, suf = MSA_NEG;
    for (size_t i = hi; i > lo; i--) {
        acc += x[i - 1];
        suf = suf > acc ? suf : acc;
    }
    msa_sum s;
    s.total = total;
    s.best = best;
    s.pre = pre;
    s.suf = suf;
    out[t] = s;
}

__global__ void msa_combine_block(const msa_sum *__restrict__ in, msa_sum *__restrict__ out,
                                  int m)
{
    __shared__ msa_sum s[MSA_BLOCK];
    int i = blockIdx.x * MSA_BLOCK + threadIdx.x;
    msa_sum id = {0, MSA_NEG, MSA_NEG, MSA_NEG};
    s[threadIdx.x] = i < m ? in[i] : id;
    __syncthreads();
    for (int h = 1; h < MSA_BLOCK; h <<= 1) {
        /* ordered tree: element k absorbs k+h for k a multiple of 2h */
        if ((threadIdx.x & (2 * h - 1)) == 0)
            s[threadIdx.x] = msa_join(s[threadIdx.x], s[threadIdx.x + h]);
        __syncthreads();
    }
    if (threadIdx.x == 0)
        out[blockIdx.x] = s[0];
}

static const char *const variants[] = {"msa", NULL};

int main(int argc, char **argv)
{
    wl_init(argc, argv, "msa", "Maximum subarray sum of an int sequence.", variants);
    const int sizes[] = {1 << 20, 1 << 22, 1 << 24};
    wl_rng rng(5);
    for (int n : sizes) {
        std::vector<int> x(n);
        for (auto &v : x) {
            do
                v = (int)rng.range(-1000, 1000);
            while (v == 0);
        }
        long long best = MSA_NEG, run = MSA_NEG;
        for (int v : x) {
            run = run > 0 ? run + v : v;
            best = std::max(best, run);
        }

        int m = (int)wl_cdiv(n, MSA_CHUNK);
        int *dx;
        msa_sum *d0, *d1;
        CK(cudaMalloc(&dx, n * sizeof(int)));
        CK(cudaMalloc(&d0, m * sizeof(msa_sum)));
        CK(cudaMalloc(&d1, wl_cdiv(m, MSA_BLOCK) * sizeof(msa_sum)));
        CK(cudaMemcpy(dx, x.data(), n * sizeof(int), cudaMemcpyHostToDevice));
        char size[32];
        snprintf(size, sizeof size, "n=%d", n);
        dim3 block(MSA_BLOCK), grid(wl_cdiv(m, MSA_BLOCK));
        wl_time("msa_chunk_scan", size, grid, block,
                [&] { msa_chunk_scan<<<grid, block>>>(dx, d0, n); });
        /* combine until one summary is left, ping-ponging d0 and d1 */
        msa_sum *src = d0, *dst = d1;
        for (int k = m; k > 1; k = (int)wl_cdiv(k, MSA_BLOCK)) {
            dim3 g(wl_cdiv(k, MSA_BLOCK));
            char sz[48];
            snprintf(sz, sizeof sz, "n=%d,m=%d", n, k);
            wl_time("msa_combine_block", sz, g, block,
                    [&] { msa_combine_block<<<g, block>>>(src, dst, k); });
            std::swap(src, dst);
        }
        msa_sum got;
        CK(cudaMemcpy(&got, src, sizeof got, cudaMemcpyDeviceToHost));
        uint64_t g = (uint64_t)got.best, w = (uint64_t)best;
        char what[64];
        snprintf(what, sizeof what, "msa %s", size);
        wl_equal_u64(what, &g, &w, 1);
        CK(cudaFree(dx));
        CK(cudaFree(d0));
        CK(cudaFree(d1));
    }
    return wl_finish();
}
