/* Fit on A, predict B, score against B: the cross-board study. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/study.h"
#include "../src/csv.h"

double bsp_pct_err(double pred, double meas)
{
    return 100.0 * (pred - meas) / meas;
}

/* Fit m on A at time t and predict B; NaN and a note on failure. */
static double model_at(const bsp_model *m, const bsp_kernel *k, double t, const bsp_board *a, const bsp_board *b,
                       char *note, size_t nnote)
{
    bsp_err e = { 0, "" };
    bsp_fit fit;
    double p = NAN;
    if (m->fit(k, t, a, &fit, &e) || m->predict(k, t, a, b, &fit, &p, &e)) {
        snprintf(note, nnote, "%s", e.msg);
        return NAN;
    }
    if (!isfinite(p) || p < 0) {
        snprintf(note, nnote, "model gave %g ns", p);
        return NAN;
    }
    return p;
}

int bsp_study_predict(const bsp_model *m, const bsp_board *a, const bsp_kernel_set *ka,
                      const bsp_board *b, const bsp_kernel_set *kb,
                      bsp_pred **out, size_t *nout, bsp_err *err)
{
    return bsp_study_predict_paired(m, a, ka, b, kb, NULL, out, nout, err);
}

int bsp_study_predict_paired(const bsp_model *m, const bsp_board *a, const bsp_kernel_set *ka,
                             const bsp_board *b, const bsp_kernel_set *kb, const bsp_align *al,
                             bsp_pred **out, size_t *nout, bsp_err *err)
{
    size_t cap = ka->n + (kb ? kb->n : 0), n = 0;
    bsp_pred *rows = calloc(cap ? cap : 1, sizeof *rows);
    *out = NULL;
    *nout = 0;
    if (!rows)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    for (size_t i = 0; i < ka->n; i++) {
        const bsp_kernel *k = &ka->k[i];
        bsp_pred *r = &rows[n++];
        double dummy;
        r->ka = k;
        r->kb = kb ? bsp_kernel_set_find(kb, k->key) : NULL;
        r->t_a_ns = bsp_kernel_time_ns(k);
        r->t_b_ns = r->kb ? bsp_kernel_time_ns(r->kb) : NAN;
        if (r->kb && al && al->n[i]) {
            r->paired = al->n[i];
            r->t_a_ns = al->t_a_ns[i];
            r->t_b_ns = al->t_b_ns[i];
        }
        r->lambda_a = bsp_seed_lambda(k, a, &dummy);
        r->lambda_b = NAN;
        r->model_b1_ns = NAN;
        if (r->kb) {
            r->lambda_b = bsp_seed_lambda(r->kb, b, &dummy);
        }
        bsp_seed_lambda(k, b, &r->model_b1_ns);
        r->pred_b_ns = model_at(m, k, r->t_a_ns, a, b, r->note, sizeof r->note);
        r->pred_sum_b_ns = model_at(m, k, k->dur_mean_ns, a, b, r->note, sizeof r->note) * (double)k->launches;
    }
    for (size_t i = 0; kb && i < kb->n; i++) {
        const bsp_kernel *k = &kb->k[i];
        if (bsp_kernel_set_find(ka, k->key))
            continue;
        bsp_pred *r = &rows[n++];
        double dummy;
        r->kb = k;
        r->t_a_ns = NAN;
        r->t_b_ns = bsp_kernel_time_ns(k);
        r->pred_b_ns = r->pred_sum_b_ns = NAN;
        r->lambda_a = NAN;
        r->lambda_b = bsp_seed_lambda(k, b, &dummy);
        r->model_b1_ns = NAN;
        snprintf(r->note, sizeof r->note, "only on board B");
    }
    *out = rows;
    *nout = n;
    return 0;
}

int bsp_study_score(const bsp_pred *rows, size_t n, const bsp_kernel_set *ka, const bsp_kernel_set *kb,
                    bsp_app_score *s, bsp_err *err)
{
    memset(s, 0, sizeof *s);
    s->edits = NAN;
    double *abs_pct = malloc((n ? n : 1) * sizeof *abs_pct);
    size_t ne = 0;
    if (!abs_pct)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    s->a_ns = ka->dur_sum_ns;
    s->meas_ns = kb ? kb->dur_sum_ns : NAN;
    for (size_t i = 0; i < n; i++) {
        const bsp_pred *r = &rows[i];
        if (r->ka && !isnan(r->pred_sum_b_ns))
            s->pred_ns += r->pred_sum_b_ns;
        else if (r->ka) {
            /* no prediction: count its time on A, so the total stays whole */
            s->pred_ns += r->ka->dur_sum_ns;
            s->failed++;
        }
        if (r->ka && r->kb) {
            s->matched++;
            s->meas_matched_ns += r->kb->dur_sum_ns;
            s->pred_matched_ns += isnan(r->pred_sum_b_ns) ? r->ka->dur_sum_ns : r->pred_sum_b_ns;
            if (!isnan(r->pred_b_ns))
                abs_pct[ne++] = fabs(bsp_pct_err(r->pred_b_ns, r->t_b_ns));
        } else if (r->ka) {
            s->only_a++;
            s->only_a_ns += r->ka->dur_sum_ns;
        } else {
            s->only_b++;
            s->only_b_ns += r->kb->dur_sum_ns;
        }
    }
    int rc = 0;
    if (ne)
        rc = bsp_errstats_compute(abs_pct, ne, &s->kern, err);
    else
        s->kern.median_abs_pct = s->kern.p90_abs_pct = s->kern.max_abs_pct = s->kern.mean_abs_pct = NAN;
    free(abs_pct);
    return rc;
}

/* The identifying cells that start every row of both tables. */
static void put_ids(FILE *f, const char *model, const char *app, const char *board_a, const char *board_b)
{
    const char *ids[] = { model, app, board_a, board_b };
    for (int i = 0; i < 4; i++) {
        if (i)
            fputc(',', f);
        bsp_csv_put_str(f, ids[i]);
    }
}

void bsp_study_fprint_header(FILE *f)
{
    fputs("model,app,board_a,board_b,key,kernel,grid_x,grid_y,grid_z,block_x,block_y,block_z,threads,"
          "status,launches_a,launches_b,measured_a_ns,measured_b_ns,total_a_ns,total_b_ns,predicted_b_ns,err_pct,abs_err_pct,"
          "lambda_a,lambda_b,model_b_lambda1_ns,note,paired_launches,predicted_total_b_ns\n", f);
}

void bsp_study_fprint_rows(FILE *f, const char *model, const char *app, const char *board_a, const char *board_b,
                           const bsp_pred *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const bsp_pred *r = &rows[i];
        const bsp_kernel *k = r->ka ? r->ka : r->kb;
        const char *status = r->ka && r->kb ? "both" : r->ka ? "only_a" : "only_b";
        put_ids(f, model, app, board_a, board_b);
        fputc(',', f);
        bsp_csv_put_str(f, k->key);
        fputc(',', f);
        bsp_csv_put_str(f, k->name);
        fprintf(f, ",%u,%u,%u,%u,%u,%u,%.0f,%s,%llu,%llu", k->grid[0], k->grid[1], k->grid[2], k->block[0],
                k->block[1], k->block[2], k->threads, status,
                (unsigned long long)(r->ka ? r->ka->launches : 0), (unsigned long long)(r->kb ? r->kb->launches : 0));
        bsp_csv_put_num(f, r->t_a_ns);
        bsp_csv_put_num(f, r->t_b_ns);
        bsp_csv_put_num(f, r->ka ? r->ka->dur_sum_ns : NAN);
        bsp_csv_put_num(f, r->kb ? r->kb->dur_sum_ns : NAN);
        bsp_csv_put_num(f, r->pred_b_ns);
        double e = (r->ka && r->kb && !isnan(r->pred_b_ns)) ? bsp_pct_err(r->pred_b_ns, r->t_b_ns) : NAN;
        bsp_csv_put_num(f, e);
        bsp_csv_put_num(f, fabs(e));
        bsp_csv_put_num(f, r->lambda_a);
        bsp_csv_put_num(f, r->lambda_b);
        bsp_csv_put_num(f, r->model_b1_ns);
        fputc(',', f);
        bsp_csv_put_str(f, r->note);
        fprintf(f, ",%zu", r->paired);
        bsp_csv_put_num(f, r->pred_sum_b_ns);
        fputc('\n', f);
    }
}

void bsp_app_fprint_header(FILE *f)
{
    fputs("model,app,board_a,board_b,measured_a_ns,predicted_b_ns,measured_b_ns,app_err_pct,"
          "predicted_b_matched_ns,measured_b_matched_ns,app_matched_err_pct,kernels_matched,kernels_only_a,"
          "kernels_only_b,kernels_failed,only_a_ns,only_b_ns,kernel_median_abs_err_pct,kernel_p90_abs_err_pct,"
          "kernel_max_abs_err_pct,kernel_mean_abs_err_pct,launches_paired,edits\n", f);
}

void bsp_app_fprint_row(FILE *f, const char *model, const char *app, const char *board_a, const char *board_b,
                        const bsp_app_score *s)
{
    put_ids(f, model, app, board_a, board_b);
    bsp_csv_put_num(f, s->a_ns);
    bsp_csv_put_num(f, s->pred_ns);
    bsp_csv_put_num(f, s->meas_ns);
    bsp_csv_put_num(f, bsp_pct_err(s->pred_ns, s->meas_ns));
    bsp_csv_put_num(f, s->pred_matched_ns);
    bsp_csv_put_num(f, s->meas_matched_ns);
    bsp_csv_put_num(f, s->meas_matched_ns > 0 ? bsp_pct_err(s->pred_matched_ns, s->meas_matched_ns) : NAN);
    fprintf(f, ",%zu,%zu,%zu,%zu", s->matched, s->only_a, s->only_b, s->failed);
    bsp_csv_put_num(f, s->only_a_ns);
    bsp_csv_put_num(f, s->only_b_ns);
    bsp_csv_put_num(f, s->kern.median_abs_pct);
    bsp_csv_put_num(f, s->kern.p90_abs_pct);
    bsp_csv_put_num(f, s->kern.max_abs_pct);
    bsp_csv_put_num(f, s->kern.mean_abs_pct);
    fprintf(f, ",%zu", s->launches_paired);
    bsp_csv_put_num(f, s->edits);
    fputc('\n', f);
}
