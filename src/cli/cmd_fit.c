/* bspgpu fit: lambda per kernel on one board, and lambda per kernel name
 * fitted over its configurations (input sizes) with its uncertainty. */
#include <getopt.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/model.h"
#include "cmds.h"
#include "../csv.h"

static void help(void)
{
    puts("usage: bspgpu fit --board A.json --profile A.csv [-o fit.csv] [--by-name names.csv]\n\n"
         "Fit the seed's lambda for every kernel configuration (name, grid, block) of the profile:\n"
         "lambda = model time with lambda 1 / measured median time.  Writes the per-thread inputs\n"
         "of the model beside it (docs/model.md gives the mapping from counters).\n\n"
         "  -o FILE          per-configuration table (default: stdout)\n"
         "  --by-name FILE   one lambda per kernel name, least squares over its configurations,\n"
         "                   with standard error and 95% confidence interval\n\n"
         "example:\n  bspgpu fit --board data/boards/h100-sxm.json --profile A.csv -o fit.csv --by-name names.csv");
}

typedef struct name_fit {
    const char *name;
    double *x, *y; /* model (lambda 1) and measured times, ns */
    size_t n;
} name_fit;

static int write_by_name(const bsp_kernel_set *ks, const double *model1, const char *path, bsp_err *err)
{
    char *tmp = NULL;
    FILE *f = cli_out_open(path, &tmp, err);
    if (!f)
        return err->code;
    double *x = malloc(ks->n * sizeof *x), *y = malloc(ks->n * sizeof *y);
    char *done = calloc(ks->n, 1);
    int rc = 0;
    if (!x || !y || !done) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
        goto out;
    }
    fputs("kernel,configs,lambda,lambda_se,lambda_ci95_lo,lambda_ci95_hi,lambda_min,lambda_max\n", f);
    for (size_t i = 0; i < ks->n; i++) {
        if (done[i] || isnan(model1[i]))
            continue;
        size_t n = 0;
        double lmin = INFINITY, lmax = -INFINITY;
        for (size_t j = i; j < ks->n; j++) {
            if (done[j] || isnan(model1[j]) || strcmp(ks->k[j].name, ks->k[i].name) != 0)
                continue;
            done[j] = 1;
            x[n] = model1[j];
            y[n] = bsp_kernel_time_ns(&ks->k[j]);
            double l = x[n] / y[n];
            lmin = fmin(lmin, l);
            lmax = fmax(lmax, l);
            n++;
        }
        /* measured = model1 / lambda: fit c = 1/lambda through the origin */
        double cfit, se;
        if ((rc = bsp_fit_through_origin(x, y, n, &cfit, &se, err)))
            goto out;
        double lambda = 1.0 / cfit, lse = se / (cfit * cfit);
        double t = n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) : NAN;
        bsp_csv_put_str(f, ks->k[i].name);
        fprintf(f, ",%zu,%.6g,%.6g,", n, lambda, lse);
        if (n > 1)
            fprintf(f, "%.6g,%.6g", lambda - t * lse, lambda + t * lse);
        else
            fputs(",", f);
        fprintf(f, ",%.6g,%.6g\n", lmin, lmax);
    }
out:
    free(x);
    free(y);
    free(done);
    int rc2 = cli_out_close(f, tmp, path, rc == 0, err);
    free(tmp);
    return rc ? rc : rc2;
}

int bsp_cmd_fit(int argc, char **argv)
{
    static const struct option opts[] = {
        { "board", required_argument, 0, 'B' }, { "profile", required_argument, 0, 'p' },
        { "by-name", required_argument, 0, 'n' }, { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *board = NULL, *profile = NULL, *out = "-", *by_name = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': board = optarg; break;
        case 'p': profile = optarg; break;
        case 'n': by_name = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("fit", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("fit", "unexpected argument '%s'", argv[optind]);
    if (!board || !profile)
        return cli_usage_error("fit", "--board and --profile are required");

    bsp_err err = { 0, "" };
    bsp_board b;
    bsp_kernel_set ks;
    memset(&ks, 0, sizeof ks);
    double *model1 = NULL;
    FILE *f = NULL;
    char *tmp = NULL;
    int rc = 1, fitted = 0;
    if (bsp_board_load(&b, board, &err)) {
        cli_error("fit", "%s", err.msg);
        return 1;
    }
    if (bsp_profile_aggregate(profile, &ks, &err))
        goto fail;
    model1 = malloc(ks.n * sizeof *model1);
    if (!model1 || !(f = cli_out_open(out, &tmp, &err)))
        goto fail;
    fputs("key,kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,threads,launches,measured_ns,"
          "model_lambda1_ns,lambda,inst_per_thread,ld_global_per_thread,st_global_per_thread,"
          "ld_shared_per_thread,st_shared_per_thread,l1_hits_per_thread,l2_hits_per_thread,note\n", f);
    for (size_t i = 0; i < ks.n; i++) {
        const bsp_kernel *k = &ks.k[i];
        bsp_seed_in in;
        bsp_err e = { 0, "" };
        double t = bsp_kernel_time_ns(k);
        bsp_csv_put_str(f, k->key);
        fputc(',', f);
        bsp_csv_put_str(f, k->name);
        fprintf(f, ",%u,%u,%u,%u,%u,%u,%.0f,%llu,%.6g", k->grid[0], k->grid[1], k->grid[2], k->block[0],
                k->block[1], k->block[2], k->threads, (unsigned long long)k->launches, t);
        if (bsp_seed_in_from_kernel(k, &in, &e)) {
            model1[i] = NAN;
            fputs(",,,,,,,,,,", f);
            bsp_csv_put_str(f, e.msg);
            fputc('\n', f);
            continue;
        }
        model1[i] = bsp_seed_time_ns(&in, &b, 1.0);
        fitted++;
        fprintf(f, ",%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,\n", model1[i], model1[i] / t, in.inst, in.ld_g,
                in.st_g, in.ld_s, in.st_s, in.h1, in.h2);
    }
    if (!fitted) {
        bsp_err_set(&err, BSP_EPARSE, "%s: no kernel has the counters the seed's model needs", profile);
        goto fail;
    }
    if (by_name && write_by_name(&ks, model1, by_name, &err))
        goto fail;
    rc = 0;
fail:
    if (rc)
        cli_error("fit", "%s", err.msg);
    if (f && cli_out_close(f, tmp, out, rc == 0, &err) && rc == 0) {
        cli_error("fit", "%s", err.msg);
        rc = 1;
    }
    free(tmp);
    free(model1);
    bsp_kernel_set_free(&ks);
    bsp_board_free(&b);
    return rc;
}
