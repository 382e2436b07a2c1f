/* bspgpu score: predictions (from 'bspgpu predict') against B's measured
 * profile: error per kernel, per application, and lambda on each board. */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/study.h"
#include "cmds.h"
#include "../csv.h"

static void help(void)
{
    puts("usage: bspgpu score --pred pred.csv --profile-b B.csv [--board-b B.json] [-o scored.csv]\n"
         "                    [--summary app.csv]\n\n"
         "Join the predictions with B's measured profile by kernel configuration and report the\n"
         "error of each kernel, the median, p90 and max absolute percentage errors, and the\n"
         "application's error.  With --board-b, lambda is also fitted on B (seed's Table XVIII).\n"
         "Kernels on one board only are listed (status only_a / only_b).\n\n"
         "example:\n  bspgpu score --pred pred.csv --profile-b B.csv --board-b data/boards/h200.json -o scored.csv");
}

/* Columns of the prediction table that scoring reads. */
enum { P_MODEL, P_APP, P_BA, P_BB, P_KEY, P_KERNEL, P_GX, P_GY, P_GZ, P_BX, P_BY, P_BZ, P_THREADS, P_LA,
       P_TA, P_TOTA, P_PRED, P_LAMA, P_NCOL };
static const char *const pcols[P_NCOL] = { "model", "app", "board_a", "board_b", "key", "kernel", "grid_x", "grid_y",
                                           "grid_z", "block_x", "block_y", "block_z", "threads", "launches_a",
                                           "measured_a_ns", "total_a_ns", "predicted_b_ns", "lambda_a" };

typedef struct pred_file {
    bsp_kernel *k;     /* A's kernels as the prediction file gives them */
    double *pred, *lambda_a;
    double *ptot;      /* predicted_total_b_ns when the table has it, else pred x launches */
    size_t n, cap;
    char model[64], app[256], board_a[64], board_b[64];
    double a_ns;
} pred_file;

static int num_cell(const bsp_csv *c, int idx, const char *col, double *v, int allow_empty, bsp_err *err)
{
    const char *s = c->cell[idx];
    if (!*s && allow_empty) {
        *v = NAN;
        return 0;
    }
    if (bsp_csv_num(s, v))
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad number '%s'", c->path, c->line, col, s);
    return 0;
}

static int read_pred(const char *path, pred_file *p, bsp_err *err)
{
    bsp_csv c;
    int idx[P_NCOL], rc = bsp_csv_open(&c, path, err);
    if (rc)
        return rc;
    if ((rc = bsp_csv_next(&c, err)) <= 0) {
        if (rc == 0)
            rc = bsp_err_set(err, BSP_EPARSE, "%s: empty file", path);
        goto out;
    }
    int ncol = c.ncell, itot = -1;
    for (int j = 0; j < ncol; j++)
        if (!strcmp(c.cell[j], "predicted_total_b_ns"))
            itot = j;
    for (int i = 0; i < P_NCOL; i++) {
        idx[i] = -1;
        for (int j = 0; j < ncol; j++)
            if (!strcmp(c.cell[j], pcols[i]))
                idx[i] = j;
        if (idx[i] < 0) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:1: missing column '%s' (is this a 'bspgpu predict' table?)", path,
                             pcols[i]);
            goto out;
        }
    }
    while ((rc = bsp_csv_next(&c, err)) == 1) {
        if (c.ncell != ncol) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: %d cells, header has %d", path, c.line, c.ncell, ncol);
            goto out;
        }
        if (p->n == p->cap) {
            size_t nc = p->cap ? 2 * p->cap : 64;
            bsp_kernel *nk = realloc(p->k, nc * sizeof *nk);
            double *np = nk ? realloc(p->pred, nc * sizeof *np) : NULL;
            double *nl = np ? realloc(p->lambda_a, nc * sizeof *nl) : NULL;
            if (nk)
                p->k = nk;
            if (np)
                p->pred = np;
            if (nl)
                p->lambda_a = nl;
            double *nt = nl ? realloc(p->ptot, nc * sizeof *nt) : NULL;
            if (!nt) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
                goto out;
            }
            p->ptot = nt;
            p->cap = nc;
        }
        bsp_kernel *k = &p->k[p->n];
        memset(k, 0, sizeof *k);
        double v[6], threads, la, ta, tota;
        for (int d = 0; d < 6; d++)
            if ((rc = num_cell(&c, idx[P_GX + d], pcols[P_GX + d], &v[d], 0, err)))
                goto out;
        if ((rc = num_cell(&c, idx[P_THREADS], "threads", &threads, 0, err)) ||
            (rc = num_cell(&c, idx[P_LA], "launches_a", &la, 0, err)) ||
            (rc = num_cell(&c, idx[P_TA], "measured_a_ns", &ta, 0, err)) ||
            (rc = num_cell(&c, idx[P_TOTA], "total_a_ns", &tota, 0, err)) ||
            (rc = num_cell(&c, idx[P_PRED], "predicted_b_ns", &p->pred[p->n], 1, err)) ||
            (rc = num_cell(&c, idx[P_LAMA], "lambda_a", &p->lambda_a[p->n], 1, err)))
            goto out;
        p->ptot[p->n] = p->pred[p->n] * la;
        if (itot >= 0 && (rc = num_cell(&c, itot, "predicted_total_b_ns", &p->ptot[p->n], 1, err)))
            goto out;
        if (!c.cell[idx[P_KEY]][0] || la < 1) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: a row needs a key and launches_a >= 1", path, c.line);
            goto out;
        }
        k->key = strdup(c.cell[idx[P_KEY]]);
        k->name = strdup(c.cell[idx[P_KERNEL]]);
        p->n++;
        if (!k->key || !k->name) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto out;
        }
        for (int d = 0; d < 3; d++) {
            k->grid[d] = (uint32_t)v[d];
            k->block[d] = (uint32_t)v[3 + d];
        }
        k->threads = threads;
        k->launches = (uint64_t)la;
        k->dur_median_ns = k->dur_mean_ns = ta;
        k->dur_sum_ns = tota;
        p->a_ns += k->dur_sum_ns;
        snprintf(p->model, sizeof p->model, "%s", c.cell[idx[P_MODEL]]);
        snprintf(p->app, sizeof p->app, "%s", c.cell[idx[P_APP]]);
        snprintf(p->board_a, sizeof p->board_a, "%s", c.cell[idx[P_BA]]);
        snprintf(p->board_b, sizeof p->board_b, "%s", c.cell[idx[P_BB]]);
    }
    if (rc == 0 && p->n == 0)
        rc = bsp_err_set(err, BSP_EPARSE, "%s: no prediction rows", path);
out:
    bsp_csv_close(&c);
    return rc;
}

static void free_pred(pred_file *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->k[i].key);
        free(p->k[i].name);
    }
    free(p->k);
    free(p->pred);
    free(p->lambda_a);
    free(p->ptot);
}

int bsp_cmd_score(int argc, char **argv)
{
    static const struct option opts[] = {
        { "pred", required_argument, 0, 'p' }, { "profile-b", required_argument, 0, 'b' },
        { "board-b", required_argument, 0, 'B' }, { "summary", required_argument, 0, 's' },
        { "help", no_argument, 0, 'h' }, { 0, 0, 0, 0 },
    };
    const char *pred = NULL, *profile = NULL, *board = NULL, *out = "-", *summary = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': pred = optarg; break;
        case 'b': profile = optarg; break;
        case 'B': board = optarg; break;
        case 's': summary = optarg; break;
        case 'o': out = optarg; break;
        case 'h': help(); return 0;
        default: return cli_usage_error("score", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error("score", "unexpected argument '%s'", argv[optind]);
    if (!pred || !profile)
        return cli_usage_error("score", "--pred and --profile-b are required");

    bsp_err err = { 0, "" };
    pred_file p;
    bsp_kernel_set kb, ka;
    bsp_board B;
    bsp_pred *rows = NULL;
    FILE *f = NULL, *fs = NULL;
    char *tmp = NULL, *tmps = NULL;
    int rc = 1, have_b = 0;
    memset(&p, 0, sizeof p);
    memset(&kb, 0, sizeof kb);
    memset(&ka, 0, sizeof ka);
    bsp_board_init(&B);
    if (read_pred(pred, &p, &err) || bsp_profile_aggregate(profile, &kb, &err))
        goto out;
    if (board) {
        if (bsp_board_load(&B, board, &err))
            goto out;
        have_b = 1;
    }
    /* A's side as the prediction file gives it: an index for lookups */
    if (bsp_kernel_set_init(&ka)) {
        bsp_err_set(&err, BSP_ENOMEM, "out of memory");
        goto out;
    }
    rows = calloc(p.n + kb.n + 1, sizeof *rows);
    if (!rows) {
        bsp_err_set(&err, BSP_ENOMEM, "out of memory");
        goto out;
    }
    size_t n = 0;
    char *seen = calloc(kb.n + 1, 1);
    if (!seen) {
        bsp_err_set(&err, BSP_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < p.n; i++) {
        bsp_pred *r = &rows[n++];
        r->ka = &p.k[i];
        r->kb = bsp_kernel_set_find(&kb, p.k[i].key);
        r->t_a_ns = p.k[i].dur_median_ns;
        r->t_b_ns = r->kb ? bsp_kernel_time_ns(r->kb) : NAN;
        r->pred_b_ns = p.pred[i];
        r->pred_sum_b_ns = p.ptot[i];
        r->lambda_a = p.lambda_a[i];
        r->lambda_b = NAN;
        r->model_b1_ns = NAN;
        if (r->kb) {
            seen[r->kb - kb.k] = 1;
            if (have_b)
                r->lambda_b = bsp_seed_lambda(r->kb, &B, &r->model_b1_ns);
        }
        if (isnan(r->pred_b_ns))
            snprintf(r->note, sizeof r->note, "no prediction");
    }
    for (size_t i = 0; i < kb.n; i++) {
        if (seen[i])
            continue;
        bsp_pred *r = &rows[n++];
        r->kb = &kb.k[i];
        r->t_a_ns = r->pred_b_ns = r->pred_sum_b_ns = r->lambda_a = r->lambda_b = r->model_b1_ns = NAN;
        r->t_b_ns = bsp_kernel_time_ns(r->kb);
        snprintf(r->note, sizeof r->note, "only on board B");
    }
    free(seen);
    ka.k = p.k;
    ka.n = p.n;
    ka.dur_sum_ns = p.a_ns;
    bsp_app_score s;
    int src = bsp_study_score(rows, n, &ka, &kb, &s, &err);
    ka.k = NULL;
    ka.n = 0;
    if (src)
        goto out;
    if (!(f = cli_out_open(out, &tmp, &err)))
        goto out;
    if (summary && !(fs = cli_out_open(summary, &tmps, &err)))
        goto out;
    bsp_study_fprint_header(f);
    bsp_study_fprint_rows(f, p.model, p.app, p.board_a, p.board_b, rows, n);
    if (fs) {
        bsp_app_fprint_header(fs);
        bsp_app_fprint_row(fs, p.model, p.app, p.board_a, p.board_b, &s);
    }
    fprintf(stderr,
            "bspgpu score: %s, %s -> %s, model %s: kernels matched %zu (only A %zu, only B %zu); |error| median "
            "%.2f%%, p90 %.2f%%, max %.2f%%; application predicted %.6g ns, measured %.6g ns, error %+.2f%%\n",
            p.app, p.board_a, p.board_b, p.model, s.matched, s.only_a, s.only_b, s.kern.median_abs_pct,
            s.kern.p90_abs_pct, s.kern.max_abs_pct, s.pred_ns, s.meas_ns, bsp_pct_err(s.pred_ns, s.meas_ns));
    rc = 0;
out:
    if (rc)
        cli_error("score", "%s", err.msg);
    if (f && cli_out_close(f, tmp, out, rc == 0, &err) && rc == 0) {
        cli_error("score", "%s", err.msg);
        rc = 1;
    }
    if (fs && cli_out_close(fs, tmps, summary, rc == 0, &err) && rc == 0) {
        cli_error("score", "%s", err.msg);
        rc = 1;
    }
    free(tmp);
    free(tmps);
    free(rows);
    free_pred(&p);
    bsp_kernel_set_free(&ka);
    bsp_kernel_set_free(&kb);
    bsp_board_free(&B);
    return rc;
}
