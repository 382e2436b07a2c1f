/* bsp_import: Nsight Compute and nvprof CSV into bspgpu profiles.
 * Formats and mappings are documented in docs/formats.md. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "bspgpu/import.h"
#include "csv.h"

/* ------------------------------------------------------------------ */
/* Ownership: every string an import hands out lives in priv->str.      */

typedef struct strmap {     /* open-addressing map: string -> index */
    char **key;
    size_t *val;
    size_t nslot, n;
} strmap;

typedef struct imp_priv {
    char **str;             /* owned strings */
    size_t nstr, capstr;
    char **ldev;            /* per launch: the input's device label (nvprof join) */
    size_t capl;
    int scaled_units;       /* a count or byte value came in scaled units */
    int shape_unknown;      /* grid/block stored as (N,1,1) */
} imp_priv;

const char *bsp_import_fmt_name(bsp_import_fmt fmt)
{
    switch (fmt) {
    case BSP_IMPORT_NCU_RAW: return "ncu-raw";
    case BSP_IMPORT_NCU_DETAILS: return "ncu-details";
    case BSP_IMPORT_NVPROF_TRACE: return "nvprof-trace";
    case BSP_IMPORT_NVPROF_SUMMARY: return "nvprof-summary";
    default: return "unknown";
    }
}

void bsp_import_init(bsp_import *im)
{
    memset(im, 0, sizeof *im);
}

void bsp_import_free(bsp_import *im)
{
    if (!im)
        return;
    imp_priv *p = im->priv_;
    if (p) {
        for (size_t i = 0; i < p->nstr; i++)
            free(p->str[i]);
        free(p->str);
        free(p->ldev);
        free(p);
    }
    for (size_t i = 0; i < im->nwarn; i++)
        free(im->warn[i]);
    free(im->warn);
    free(im->l);
    memset(im, 0, sizeof *im);
}

static imp_priv *priv(bsp_import *im)
{
    if (!im->priv_)
        im->priv_ = calloc(1, sizeof(imp_priv));
    return im->priv_;
}

/* Copy s into the import's string store; NULL on OOM. */
static char *own(bsp_import *im, const char *s)
{
    imp_priv *p = priv(im);
    if (!p)
        return NULL;
    if (p->nstr == p->capstr) {
        size_t n = p->capstr ? p->capstr * 2 : 256;
        char **ns = realloc(p->str, n * sizeof *ns);
        if (!ns)
            return NULL;
        p->str = ns;
        p->capstr = n;
    }
    char *d = strdup(s ? s : "");
    if (d)
        p->str[p->nstr++] = d;
    return d;
}

/* Append a launch whose strings are already owned by im. */
static int add_launch(bsp_import *im, const bsp_launch *l, char *devlabel, bsp_err *err)
{
    imp_priv *p = priv(im);
    if (!p)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    if (im->n == p->capl) {
        size_t n = p->capl ? p->capl * 2 : 256;
        bsp_launch *nl = realloc(im->l, n * sizeof *nl);
        if (!nl)
            return bsp_err_set(err, BSP_ENOMEM, "out of memory");
        im->l = nl;
        char **nd = realloc(p->ldev, n * sizeof *nd);
        if (!nd)
            return bsp_err_set(err, BSP_ENOMEM, "out of memory");
        p->ldev = nd;
        p->capl = n;
    }
    im->l[im->n] = *l;
    p->ldev[im->n] = devlabel;
    im->n++;
    return 0;
}

static void warnf(bsp_import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(bsp_import *im, const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **nw = realloc(im->warn, (im->nwarn + 1) * sizeof *nw);
    if (!nw)
        return;             /* a lost warning is not worth failing the import */
    im->warn = nw;
    if ((im->warn[im->nwarn] = strdup(buf)))
        im->nwarn++;
}

static void notef(bsp_import *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notef(bsp_import *im, const char *fmt, ...)
{
    size_t len = strlen(im->notes);
    if (len + 3 >= sizeof im->notes)
        return;
    if (len) {
        strcpy(im->notes + len, "; ");
        len += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->notes + len, sizeof im->notes - len, fmt, ap);
    va_end(ap);
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void strmap_free(strmap *m)
{
    if (!m->key)
        return;
    for (size_t i = 0; i < m->nslot; i++)
        free(m->key[i]);
    free(m->key);
    free(m->val);
    memset(m, 0, sizeof *m);
}

static size_t strmap_slot(const strmap *m, const char *k)
{
    size_t i = hash_str(k) & (m->nslot - 1);
    while (m->key[i] && strcmp(m->key[i], k) != 0)
        i = (i + 1) & (m->nslot - 1);
    return i;
}

/* Index stored for k, or (size_t)-1. */
static size_t strmap_get(const strmap *m, const char *k)
{
    if (!m->key)
        return (size_t)-1;
    size_t i = strmap_slot(m, k);
    return m->key[i] ? m->val[i] : (size_t)-1;
}

static int strmap_put(strmap *m, const char *k, size_t v)
{
    if (!m->key || (m->n + 1) * 2 > m->nslot) {
        strmap old = *m;
        size_t n = old.nslot ? old.nslot * 2 : 256;
        m->key = calloc(n, sizeof *m->key);
        m->val = calloc(n, sizeof *m->val);
        m->nslot = n;
        m->n = 0;
        if (!m->key || !m->val) {
            free(m->key);
            free(m->val);
            *m = old;
            return BSP_ENOMEM;
        }
        for (size_t i = 0; i < old.nslot; i++)
            if (old.key[i]) {
                size_t s = strmap_slot(m, old.key[i]);
                m->key[s] = old.key[i];
                m->val[s] = old.val[i];
                m->n++;
            }
        free(old.key);
        free(old.val);
    }
    size_t s = strmap_slot(m, k);
    if (!m->key[s]) {
        if (!(m->key[s] = strdup(k)))
            return BSP_ENOMEM;
        m->n++;
    }
    m->val[s] = v;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Numbers and units                                                    */

enum { NUM_OK = 0, NUM_NA = 1, NUM_BAD = -1 };

/* Parse a profiler number: leading/trailing blanks, thousands separators
 * in groups of three ("1,234,567.5"), "n/a", "nan" and "" (NUM_NA).  Text
 * after the number is an error unless suffix != NULL, which then receives
 * it (nvprof writes "45.2%" and "12.5GB/s"). */
static int parse_num(const char *s, double *out, const char **suffix)
{
    char buf[96];
    size_t n = 0;
    while (*s == ' ')
        s++;
    if (!*s || strcasecmp(s, "n/a") == 0 || strcasecmp(s, "nan") == 0 || strcasecmp(s, "-nan") == 0)
        return NUM_NA;
    const char *p = s;
    if (*p == '-' || *p == '+')
        buf[n++] = *p++;
    int digits = 0, group = -1;    /* group: digits since the last comma, -1 if none */
    while (isdigit((unsigned char)*p) || (*p == ',' && isdigit((unsigned char)p[1]))) {
        if (*p == ',') {
            if ((group < 0 && (digits < 1 || digits > 3)) || (group >= 0 && group != 3))
                return NUM_BAD;
            group = 0;
        } else {
            if (n + 1 >= sizeof buf)
                return NUM_BAD;
            buf[n++] = *p;
            digits++;
            if (group >= 0)
                group++;
        }
        p++;
    }
    if (group >= 0 && group != 3)
        return NUM_BAD;
    if (*p == '.') {
        buf[n++] = *p++;
        while (isdigit((unsigned char)*p) && n + 1 < sizeof buf) {
            buf[n++] = *p++;
            digits++;
        }
    }
    if (!digits)
        return NUM_BAD;
    if ((*p == 'e' || *p == 'E') &&
        (isdigit((unsigned char)p[1]) || ((p[1] == '-' || p[1] == '+') && isdigit((unsigned char)p[2])))) {
        buf[n++] = *p++;
        if (*p == '-' || *p == '+')
            buf[n++] = *p++;
        while (isdigit((unsigned char)*p) && n + 1 < sizeof buf)
            buf[n++] = *p++;
    }
    buf[n] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v))
        return NUM_BAD;
    while (*p == ' ')
        p++;
    if (suffix)
        *suffix = p;
    else if (*p)
        return NUM_BAD;
    *out = v;
    return NUM_OK;
}

/* A hint for a value that is not a number. */
static const char *num_hint(const char *s)
{
    const char *d = strchr(s, '.');
    if (d && strchr(d + 1, '.'))
        return " (locale-formatted? run the profiler with LC_ALL=C)";
    return "";
}

/* Unit families of Nsight Compute units. */
typedef enum ukind {
    U_NONE,         /* "" */
    U_PCT,          /* "%" */
    U_TIME,         /* scale: ns per unit */
    U_BYTE,
    U_INST,
    U_SECTOR,
    U_CYCLE,
    U_WAVEFRONT,
    U_COUNT         /* block, thread, register, warp, request */
} ukind;

static const struct { const char *base; ukind kind; } unit_bases[] = {
    { "byte", U_BYTE }, { "inst", U_INST }, { "sector", U_SECTOR }, { "cycle", U_CYCLE },
    { "wavefront", U_WAVEFRONT }, { "block", U_COUNT }, { "thread", U_COUNT },
    { "register", U_COUNT }, { "warp", U_COUNT }, { "request", U_COUNT },
};

/* Parse an ncu unit ("nsecond", "Kbyte/block", "inst", "%"): family and
 * the factor to base units (ns for time; SI factors of 1000 otherwise, as
 * ncu scales them).  A "/block" or "/thread" tail is ignored.  -1 if
 * unknown. */
static int unit_parse(const char *u, ukind *kind, double *scale)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", u);
    char *slash = strchr(buf, '/');
    if (slash) {
        if (strcmp(slash, "/block") && strcmp(slash, "/thread"))
            return -1;
        *slash = '\0';
    }
    *scale = 1;
    if (!buf[0]) {
        *kind = U_NONE;
        return 0;
    }
    if (strcmp(buf, "%") == 0) {
        *kind = U_PCT;
        return 0;
    }
    static const struct { const char *u; double ns; } times[] = {
        { "nsecond", 1 }, { "usecond", 1e3 }, { "msecond", 1e6 }, { "second", 1e9 },
        { "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
    };
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        if (strcmp(buf, times[i].u) == 0) {
            *kind = U_TIME;
            *scale = times[i].ns;
            return 0;
        }
    const char *b = buf;
    const char *pre = strchr("KMGT", buf[0]);
    if (pre && buf[0]) {
        double f = 1e3;
        for (const char *q = "KMGT"; q < pre; q++)
            f *= 1e3;
        *scale = f;
        b = buf + 1;
    }
    for (size_t i = 0; i < sizeof unit_bases / sizeof unit_bases[0]; i++)
        if (strcmp(b, unit_bases[i].base) == 0) {
            *kind = unit_bases[i].kind;
            return 0;
        }
    *scale = 1;
    return -1;
}

/* The ncu unit family a profile counter is read in. */
static ukind counter_ukind(int ctr)
{
    const char *u = bsp_counters[ctr].unit;
    if (strcmp(u, "warp_inst") == 0 || strcmp(u, "thread_inst") == 0)
        return U_INST;
    if (strcmp(u, "sector") == 0)
        return U_SECTOR;
    if (strcmp(u, "byte") == 0)
        return U_BYTE;
    if (strcmp(u, "wavefront") == 0)
        return U_WAVEFRONT;
    if (strcmp(u, "cycle") == 0)
        return U_CYCLE;
    if (strcmp(u, "percent") == 0)
        return U_PCT;
    return U_NONE;
}

/* "(256, 1, 1)" or "256,1,1" into three positive integers. */
static int parse_dim3(const char *s, uint32_t d[3])
{
    while (*s == ' ')
        s++;
    int paren = *s == '(';
    if (paren)
        s++;
    for (int i = 0; i < 3; i++) {
        while (*s == ' ')
            s++;
        if (!isdigit((unsigned char)*s))
            return -1;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        if (v == 0 || v > UINT32_MAX)
            return -1;
        d[i] = (uint32_t)v;
        s = end;
        while (*s == ' ')
            s++;
        if (i < 2) {
            if (*s != ',')
                return -1;
            s++;
        }
    }
    if (paren) {
        if (*s != ')')
            return -1;
        s++;
    }
    while (*s == ' ')
        s++;
    return *s ? -1 : 0;
}

/* A whole, non-negative number that fits a uint32 (after unit scaling). */
static int to_u32(double v, uint32_t *out)
{
    double r = floor(v + 0.5);
    if (!(r >= 0) || r > UINT32_MAX)
        return -1;
    *out = (uint32_t)r;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Header recognition                                                   */

typedef struct hdr {
    char **cell;
    int n;
    long line;
} hdr;

static void hdr_free(hdr *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->cell[i]);
    free(h->cell);
    memset(h, 0, sizeof *h);
}

static int hdr_col(const hdr *h, const char *name)
{
    for (int i = 0; i < h->n; i++)
        if (strcmp(h->cell[i], name) == 0)
            return i;
    return -1;
}

static int cells_have(char **cell, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(cell[i], name) == 0)
            return 1;
    return 0;
}

static bsp_import_fmt classify_header(char **cell, int n)
{
    if (n >= 2 && cells_have(cell, n, "ID") && cells_have(cell, n, "Kernel Name"))
        return cells_have(cell, n, "Metric Name") && cells_have(cell, n, "Metric Value")
               ? BSP_IMPORT_NCU_DETAILS : BSP_IMPORT_NCU_RAW;
    if (n >= 3 && strcmp(cell[0], "Start") == 0 && cells_have(cell, n, "Duration") && cells_have(cell, n, "Name"))
        return BSP_IMPORT_NVPROF_TRACE;
    if (cells_have(cell, n, "Kernel") && cells_have(cell, n, "Invocations") &&
        (cells_have(cell, n, "Metric Name") || cells_have(cell, n, "Event Name")))
        return BSP_IMPORT_NVPROF_SUMMARY;
    return BSP_IMPORT_UNKNOWN;
}

static int hdr_copy(hdr *h, const bsp_csv *c)
{
    h->cell = calloc((size_t)c->ncell, sizeof *h->cell);
    if (!h->cell)
        return BSP_ENOMEM;
    h->n = c->ncell;
    for (int i = 0; i < c->ncell; i++)
        if (!(h->cell[i] = strdup(c->cell[i])))
            return BSP_ENOMEM;
    h->line = c->line;
    return 0;
}

/* Skip lines until a recognised header; fill h and *fmt. */
static int find_header(bsp_csv *c, hdr *h, bsp_import_fmt *fmt, bsp_err *err)
{
    for (;;) {
        int rc = bsp_csv_next(c, err);
        if (rc == 0)
            return bsp_err_set(err, BSP_EPARSE,
                               "%s: no ncu or nvprof CSV header found (want a row \"ID\",...,\"Kernel Name\",... "
                               "from ncu --csv, \"Start\",\"Duration\",... from nvprof --print-gpu-trace --csv, "
                               "or \"Device\",\"Kernel\",\"Invocations\",... from nvprof --csv --metrics)", c->path);
        if (rc == BSP_ENOMEM || rc == BSP_EIO)
            return rc;
        if (rc < 0)
            continue;       /* output of the application before the header */
        if (c->ncell >= 3 && strcmp(c->cell[0], "Type") == 0 && strcmp(c->cell[1], "Time(%)") == 0)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: this is nvprof's summary mode (\"Type\",\"Time(%%)\",...), "
                               "which has no launch configurations: use nvprof --print-gpu-trace --csv", c->path, c->line);
        bsp_import_fmt f = classify_header(c->cell, c->ncell);
        if (f != BSP_IMPORT_UNKNOWN) {
            *fmt = f;
            if (hdr_copy(h, c))
                return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", c->path);
            return 0;
        }
    }
}

int bsp_import_detect(const char *path, bsp_import_fmt *fmt, bsp_err *err)
{
    bsp_csv c;
    hdr h = { 0 };
    *fmt = BSP_IMPORT_UNKNOWN;
    int rc = bsp_csv_open(&c, path, err);
    if (rc)
        return rc;
    rc = find_header(&c, &h, fmt, err);
    hdr_free(&h);
    bsp_csv_close(&c);
    return rc;
}

/* Read the next line as cells: 1 row, 0 end, <0 error.  An unterminated
 * quote names the header's column. */
static int read_row(bsp_csv *c, const hdr *h, bsp_err *err)
{
    int rc = bsp_csv_next(c, err);
    if (rc == BSP_EPARSE && err && strstr(err->msg, "unterminated")) {
        int col = c->ncell - 1;
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: unterminated quoted field in column '%s' (file truncated?)",
                           c->path, c->line, col >= 0 && col < h->n ? h->cell[col] : "?");
    }
    return rc;
}

/* Next data row after the header: 1 row, 0 end, <0 error.  Skips the
 * profilers' own "==..." lines and checks the cell count: min_cells up to
 * the header's (the details page leaves the rule cells off metric rows). */
static int next_row_min(bsp_csv *c, const hdr *h, int min_cells, bsp_err *err)
{
    for (;;) {
        int rc = read_row(c, h, err);
        if (rc <= 0)
            return rc;
        if (strncmp(c->cell[0], "==", 2) == 0)
            continue;
        if (c->ncell < min_cells || c->ncell > h->n)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: %d cells, the header on line %ld has %d",
                               c->path, c->line, c->ncell, h->line, h->n);
        return 1;
    }
}

static int next_row(bsp_csv *c, const hdr *h, bsp_err *err)
{
    return next_row_min(c, h, h->n, err);
}

/* Cell j of the current row, "" past its end. */
static const char *cell_at(const bsp_csv *c, int j)
{
    return j >= 0 && j < c->ncell ? c->cell[j] : "";
}

/* One message for all missing columns. */
static int missing_cols(bsp_err *err, const char *path, long line, const char *what, const char *const *names, int n)
{
    char list[400] = "";
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s'%s'", i ? ", " : "", names[i]);
    return bsp_err_set(err, BSP_EPARSE, "%s:%ld: missing required column%s %s%s", path, line, n > 1 ? "s" : "", list, what);
}

/* ------------------------------------------------------------------ */
/* Nsight Compute                                                       */

enum {
    A_IGNORE = 0, A_DUR, A_GSIZE, A_BSIZE, A_GX, A_GY, A_GZ, A_BX, A_BY, A_BZ,
    A_REGS, A_SSTAT, A_SDYN, A_CTR   /* A_CTR + counter index */
};

/* Launch attributes: ncu metric names, and the labels the details page
 * gives them in its default sections. */
static const struct { const char *name; int attr; } ncu_attrs[] = {
    { "gpu__time_duration.sum", A_DUR },
    { "Duration", A_DUR },
    { "launch__grid_size", A_GSIZE },
    { "Grid Size", A_GSIZE },
    { "launch__block_size", A_BSIZE },
    { "Block Size", A_BSIZE },
    { "launch__grid_dim_x", A_GX },
    { "launch__grid_dim_y", A_GY },
    { "launch__grid_dim_z", A_GZ },
    { "launch__block_dim_x", A_BX },
    { "launch__block_dim_y", A_BY },
    { "launch__block_dim_z", A_BZ },
    { "launch__registers_per_thread", A_REGS },
    { "Registers Per Thread", A_REGS },
    { "launch__shared_mem_per_block_static", A_SSTAT },
    { "Static Shared Memory Per Block", A_SSTAT },
    { "launch__shared_mem_per_block_dynamic", A_SDYN },
    { "Dynamic Shared Memory Per Block", A_SDYN },
};

/* Details-page labels of default sections that show a counter's metric. */
static const struct { const char *label; const char *metric; } ncu_labels[] = {
    { "Achieved Occupancy", "sm__warps_active.avg.pct_of_peak_sustained_active" },
};

static int ncu_classify(const char *name)
{
    for (size_t i = 0; i < sizeof ncu_attrs / sizeof ncu_attrs[0]; i++)
        if (strcmp(name, ncu_attrs[i].name) == 0)
            return ncu_attrs[i].attr;
    int k = bsp_counter_by_metric(name);
    if (k >= 0)
        return A_CTR + k;
    for (size_t i = 0; i < sizeof ncu_labels / sizeof ncu_labels[0]; i++)
        if (strcmp(name, ncu_labels[i].label) == 0)
            return A_CTR + bsp_counter_by_metric(ncu_labels[i].metric);
    return A_IGNORE;
}

/* What one launch said about itself, before it becomes a bsp_launch. */
typedef struct ncu_acc {
    long line;
    char *kernel;
    uint64_t id;
    int has_id;
    int device;
    uint32_t ctx, stream;
    uint32_t tgrid[3], tblock[3];       /* "Grid Size"/"Block Size" columns */
    int has_tgrid, has_tblock;
    double a[A_CTR];                    /* attributes by A_*, NaN if absent */
    double ctr[BSP_NCTR];
} ncu_acc;

static void acc_init(ncu_acc *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < A_CTR; i++)
        a->a[i] = NAN;
    for (int i = 0; i < BSP_NCTR; i++)
        a->ctr[i] = NAN;
}

/* Fill a's fixed columns from the current row. */
static int acc_fixed(bsp_import *im, ncu_acc *a, const bsp_csv *c, const hdr *h, bsp_err *err)
{
    int j;
    a->line = c->line;
    if (!(a->kernel = own(im, cell_at(c, hdr_col(h, "Kernel Name")))))
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    double v;
    if ((j = hdr_col(h, "ID")) >= 0) {
        if (parse_num(cell_at(c, j), &v, NULL) != NUM_OK || v < 0 || v != floor(v))
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'ID': bad value '%s'", c->path, c->line, cell_at(c, j));
        a->id = (uint64_t)v;
        a->has_id = 1;
    }
    static const char *const ints[] = { "Context", "Stream", "Device" };
    for (int i = 0; i < 3; i++) {
        if ((j = hdr_col(h, ints[i])) < 0 || parse_num(cell_at(c, j), &v, NULL) != NUM_OK || v < 0 || v > UINT32_MAX)
            continue;       /* informational only */
        if (i == 0)
            a->ctx = (uint32_t)v;
        else if (i == 1)
            a->stream = (uint32_t)v;
        else
            a->device = (int)v;
    }
    if ((j = hdr_col(h, "Grid Size")) >= 0 && cell_at(c, j)[0]) {
        if (parse_dim3(cell_at(c, j), a->tgrid))
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Grid Size': bad value '%s' (want \"(x, y, z)\")",
                               c->path, c->line, cell_at(c, j));
        a->has_tgrid = 1;
    }
    if ((j = hdr_col(h, "Block Size")) >= 0 && cell_at(c, j)[0]) {
        if (parse_dim3(cell_at(c, j), a->tblock))
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Block Size': bad value '%s' (want \"(x, y, z)\")",
                               c->path, c->line, cell_at(c, j));
        a->has_tblock = 1;
    }
    if ((j = hdr_col(h, "device__attribute_display_name")) >= 0 && cell_at(c, j)[0] && !im->device[0])
        snprintf(im->device, sizeof im->device, "%s", cell_at(c, j));
    return 0;
}

/* Apply one metric value (cell s, unit u; u NULL when the file has no
 * units) of class cls to a. */
static int acc_metric(bsp_import *im, ncu_acc *a, int cls, const char *s, const char *u,
                      const char *path, long line, const char *col, bsp_err *err)
{
    if (cls == A_IGNORE)
        return 0;
    double v;
    int r = parse_num(s, &v, NULL);
    if (r == NUM_NA)
        return 0;
    if (r != NUM_OK)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad number '%s'%s", path, line, col, s, num_hint(s));
    ukind k = U_NONE;
    double scale = 1;
    if (u && unit_parse(u, &k, &scale))
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unknown unit '%s' (re-run ncu with --print-units base)",
                           path, line, col, u);
    if (!u)
        k = U_NONE;
    if (cls == A_DUR) {
        if (k != U_TIME && k != U_NONE)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unit '%s' is not a time unit", path, line, col, u);
        a->a[A_DUR] = scale == 1 ? v : floor(v * scale * 1e3 + 0.5) / 1e3;    /* no unit: ns */
        return 0;
    }
    if (cls < A_CTR) {
        ukind want = (cls == A_SSTAT || cls == A_SDYN) ? U_BYTE : U_COUNT;
        if (k != U_NONE && k != want)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unexpected unit '%s'", path, line, col, u);
        if (scale != 1) {
            ((imp_priv *)im->priv_)->scaled_units = 1;
            v = floor(v * scale + 0.5);     /* counts and bytes are whole */
        }
        a->a[cls] = v;
        return 0;
    }
    int ctr = cls - A_CTR;
    ukind want = counter_ukind(ctr);
    if (k != U_NONE && k != want)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unit '%s' does not fit counter '%s' (%s)",
                           path, line, col, u, bsp_counters[ctr].column, bsp_counters[ctr].unit);
    if (scale != 1) {
        ((imp_priv *)im->priv_)->scaled_units = 1;
        v = floor(v * scale + 0.5);
    }
    a->ctr[ctr] = v;
    return 0;
}

/* Turn a finished accumulator into a launch. */
static int acc_finish(bsp_import *im, const ncu_acc *a, const char *path, bsp_err *err)
{
    bsp_launch l;
    bsp_launch_init(&l);
    char idbuf[48] = "";
    if (a->has_id)
        snprintf(idbuf, sizeof idbuf, " (launch ID %" PRIu64 ")", a->id);
    if (!a->kernel[0])
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Kernel Name': empty%s", path, a->line, idbuf);
    if (isnan(a->a[A_DUR]))
        return bsp_err_set(err, BSP_EPARSE,
                           "%s:%ld: no duration%s: metric 'gpu__time_duration.sum' is missing or n/a "
                           "(collect it with --metrics gpu__time_duration.sum or --section SpeedOfLight)",
                           path, a->line, idbuf);
    l.launch_id = a->has_id ? a->id : im->n;
    l.kernel = a->kernel;
    l.kernel_mangled = strncmp(a->kernel, "_Z", 2) == 0 ? a->kernel : "";
    l.device = a->device;
    l.context_id = a->ctx;
    l.stream_id = a->stream;
    l.duration_ns = a->a[A_DUR];
    int have_dims = !isnan(a->a[A_GX]) && !isnan(a->a[A_GY]) && !isnan(a->a[A_GZ]) &&
                    !isnan(a->a[A_BX]) && !isnan(a->a[A_BY]) && !isnan(a->a[A_BZ]);
    if (a->has_tgrid && a->has_tblock) {
        memcpy(l.grid, a->tgrid, sizeof l.grid);
        memcpy(l.block, a->tblock, sizeof l.block);
    } else if (have_dims) {
        for (int i = 0; i < 3; i++)
            if (to_u32(a->a[A_GX + i], &l.grid[i]) || to_u32(a->a[A_BX + i], &l.block[i]))
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: bad launch__grid_dim/launch__block_dim value%s",
                                   path, a->line, idbuf);
    } else if (!isnan(a->a[A_GSIZE]) && !isnan(a->a[A_BSIZE])) {
        if (to_u32(a->a[A_GSIZE], &l.grid[0]) || to_u32(a->a[A_BSIZE], &l.block[0]))
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: bad launch__grid_size/launch__block_size value%s",
                               path, a->line, idbuf);
        l.grid[1] = l.grid[2] = l.block[1] = l.block[2] = 1;
        ((imp_priv *)im->priv_)->shape_unknown = 1;
    } else {
        return bsp_err_set(err, BSP_EPARSE,
                           "%s:%ld: no launch configuration%s: want columns 'Grid Size' and 'Block Size', "
                           "or metrics launch__grid_size and launch__block_size", path, a->line, idbuf);
    }
    for (int i = 0; i < 3; i++)
        if (!l.grid[i] || !l.block[i])
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: a grid or block dimension is 0%s", path, a->line, idbuf);
    if (!isnan(a->a[A_GSIZE]) && fabs(a->a[A_GSIZE] - (double)l.grid[0] * l.grid[1] * l.grid[2]) > 0.5)
        warnf(im, "%s:%ld: launch__grid_size %.0f differs from the grid %u x %u x %u%s", path, a->line,
              a->a[A_GSIZE], l.grid[0], l.grid[1], l.grid[2], idbuf);
    if (!isnan(a->a[A_REGS]))
        l.registers_per_thread = (int)floor(a->a[A_REGS] + 0.5);
    if (!isnan(a->a[A_SSTAT]) && to_u32(a->a[A_SSTAT], &l.shared_static_bytes))
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: bad static shared memory size%s", path, a->line, idbuf);
    if (!isnan(a->a[A_SDYN]) && to_u32(a->a[A_SDYN], &l.shared_dynamic_bytes))
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: bad dynamic shared memory size%s", path, a->line, idbuf);
    for (int i = 0; i < BSP_NCTR; i++) {
        l.ctr[i] = a->ctr[i];
        if (!isnan(l.ctr[i]))
            l.profiled = 1;
    }
    return add_launch(im, &l, NULL, err);
}

static void ncu_notes(bsp_import *im, const char *path, bsp_import_fmt fmt, const char *units, size_t n0)
{
    int have[BSP_NCTR] = { 0 };
    for (size_t i = n0; i < im->n; i++)
        for (int k = 0; k < BSP_NCTR; k++)
            if (!isnan(im->l[i].ctr[k]))
                have[k] = 1;
    char list[600] = "";
    size_t len = 0;
    for (int k = 0; k < BSP_NCTR; k++)
        if (have[k] && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? " " : "", bsp_counters[k].column);
    notef(im, "imported from %s (%s, %s): %zu launches; counters: %s", path, bsp_import_fmt_name(fmt), units,
          im->n - n0, len ? list : "none");
    imp_priv *p = im->priv_;
    if (p && p->scaled_units)
        warnf(im, "%s: some values are in scaled units (Kbyte, Minst, ...) and were rounded by ncu; "
              "re-run ncu with --print-units base for exact counts", path);
    if (p && p->shape_unknown) {
        warnf(im, "%s: grid and block shapes unknown (only launch__grid_size/launch__block_size); "
              "stored as (N,1,1), so kernel keys differ from profiles that know the shape", path);
        notef(im, "grid/block stored as (launch__grid_size,1,1)/(launch__block_size,1,1)");
    }
}

static int ncu_raw(bsp_import *im, bsp_csv *c, const hdr *h, bsp_err *err)
{
    int rc = 0;
    int *cls = calloc((size_t)h->n, sizeof *cls);
    char **units = NULL;
    if (!cls)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    static const char *const fixed[] = {
        "ID", "Process ID", "Process Name", "Host Name", "Kernel Name", "Kernel Time", "Context", "Stream",
        "Block Size", "Grid Size", "Device", "CC", "device__attribute_display_name",
    };
    int have_dur = 0, have_cfg = hdr_col(h, "Grid Size") >= 0 && hdr_col(h, "Block Size") >= 0;
    int have_gs = 0, have_bs = 0, ndims = 0, ignored = 0;
    for (int j = 0; j < h->n; j++) {
        int fix = 0;
        for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
            if (strcmp(h->cell[j], fixed[i]) == 0)
                fix = 1;
        cls[j] = fix ? A_IGNORE : ncu_classify(h->cell[j]);
        if (!fix && cls[j] == A_IGNORE)
            ignored++;
        have_dur |= cls[j] == A_DUR;
        have_gs |= cls[j] == A_GSIZE;
        have_bs |= cls[j] == A_BSIZE;
        ndims += cls[j] >= A_GX && cls[j] <= A_BZ;
    }
    if (!have_dur) {
        static const char *const want[] = { "gpu__time_duration.sum" };
        rc = missing_cols(err, c->path, h->line, " (add --metrics gpu__time_duration.sum)", want, 1);
        goto out;
    }
    if (!have_cfg && !(have_gs && have_bs) && ndims < 6) {
        static const char *const want[] = { "Grid Size", "Block Size" };
        rc = missing_cols(err, c->path, h->line,
                          " (or metrics launch__grid_size and launch__block_size, or launch__grid_dim_* and "
                          "launch__block_dim_*)", want, 2);
        goto out;
    }
    int first = 1;
    size_t n0 = im->n;
    int idcol = hdr_col(h, "ID");
    while ((rc = next_row(c, h, err)) == 1) {
        if (first && idcol >= 0 && c->cell[idcol][0] == '\0') {
            /* the units row that --page raw writes under the header */
            if (!(units = calloc((size_t)h->n, sizeof *units))) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
                goto out;
            }
            for (int j = 0; j < h->n; j++) {
                ukind k;
                double f;
                if (!(units[j] = own(im, c->cell[j]))) {
                    rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
                    goto out;
                }
                if (cls[j] != A_IGNORE && unit_parse(units[j], &k, &f)) {
                    rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unknown unit '%s' "
                                     "(re-run ncu with --print-units base)", c->path, c->line, h->cell[j], units[j]);
                    goto out;
                }
            }
            first = 0;
            continue;
        }
        first = 0;
        ncu_acc a;
        acc_init(&a);
        if ((rc = acc_fixed(im, &a, c, h, err)))
            goto out;
        for (int j = 0; j < h->n; j++)
            if (cls[j] != A_IGNORE &&
                (rc = acc_metric(im, &a, cls[j], c->cell[j], units ? units[j] : NULL, c->path, c->line, h->cell[j], err)))
                goto out;
        if ((rc = acc_finish(im, &a, c->path, err)))
            goto out;
    }
    if (rc < 0)
        goto out;
    rc = 0;
    if (im->n == n0) {
        rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: no launches under the header", c->path, h->line);
        goto out;
    }
    ncu_notes(im, c->path, BSP_IMPORT_NCU_RAW, units ? "units row" : "no units row, base units assumed", n0);
    if (ignored)
        notef(im, "%d ncu metric columns not mapped to profile counters", ignored);
out:
    free(units);
    free(cls);
    return rc;
}

static int ncu_details(bsp_import *im, bsp_csv *c, const hdr *h, bsp_err *err)
{
    static const char *const req[] = { "ID", "Kernel Name", "Metric Name", "Metric Value" };
    const char *missing[4];
    int nmiss = 0;
    for (int i = 0; i < 4; i++)
        if (hdr_col(h, req[i]) < 0)
            missing[nmiss++] = req[i];
    if (nmiss)
        return missing_cols(err, c->path, h->line, "", missing, nmiss);
    int jid = hdr_col(h, "ID"), jpid = hdr_col(h, "Process ID"), jname = hdr_col(h, "Metric Name");
    int junit = hdr_col(h, "Metric Unit"), jval = hdr_col(h, "Metric Value");
    ncu_acc *acc = NULL;
    size_t nacc = 0, cap = 0;
    strmap ix = { 0 };
    int rc;
    int need = 1 + (jval > jname ? jval : jname);
    while ((rc = next_row_min(c, h, need, err)) == 1) {
        char key[160];
        snprintf(key, sizeof key, "%s|%s", cell_at(c, jpid), c->cell[jid]);
        size_t k = strmap_get(&ix, key);
        if (k == (size_t)-1) {
            if (nacc == cap) {
                size_t n = cap ? cap * 2 : 64;
                ncu_acc *na = realloc(acc, n * sizeof *na);
                if (!na) {
                    rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
                    goto out;
                }
                acc = na;
                cap = n;
            }
            k = nacc++;
            acc_init(&acc[k]);
            if ((rc = acc_fixed(im, &acc[k], c, h, err)))
                goto out;
            if (strmap_put(&ix, key, k)) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
                goto out;
            }
        }
        int cls = ncu_classify(c->cell[jname]);
        if ((rc = acc_metric(im, &acc[k], cls, c->cell[jval], junit >= 0 ? cell_at(c, junit) : NULL,
                             c->path, c->line, c->cell[jname], err)))
            goto out;
    }
    if (rc < 0)
        goto out;
    rc = 0;
    if (!nacc) {
        rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: no launches under the header", c->path, h->line);
        goto out;
    }
    size_t n0 = im->n;
    for (size_t i = 0; i < nacc; i++)
        if ((rc = acc_finish(im, &acc[i], c->path, err)))
            goto out;
    ncu_notes(im, c->path, BSP_IMPORT_NCU_DETAILS, junit >= 0 ? "Metric Unit column" : "no units, base units assumed", n0);
out:
    strmap_free(&ix);
    free(acc);
    return rc;
}

int bsp_import_ncu(bsp_import *im, const char *path, bsp_err *err)
{
    bsp_csv c;
    hdr h = { 0 };
    bsp_import_fmt fmt;
    if (!priv(im))
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    int rc = bsp_csv_open(&c, path, err);
    if (rc)
        return rc;
    if ((rc = find_header(&c, &h, &fmt, err)))
        goto out;
    snprintf(im->tool, sizeof im->tool, "ncu");
    if (fmt == BSP_IMPORT_NCU_RAW)
        rc = ncu_raw(im, &c, &h, err);
    else if (fmt == BSP_IMPORT_NCU_DETAILS)
        rc = ncu_details(im, &c, &h, err);
    else
        rc = bsp_err_set(err, BSP_EINVAL, "%s:%ld: this is %s output, not ncu: use --from nvprof",
                         path, h.line, bsp_import_fmt_name(fmt));
out:
    hdr_free(&h);
    bsp_csv_close(&c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* nvprof                                                               */

/* Inputs read from nvprof summaries, by slot. */
enum {
    NV_INST, NV_THREAD_INST, NV_LDG, NV_STG, NV_LDS, NV_STS, NV_GLD_T, NV_GST_T,
    NV_L2_RD, NV_L2_WR, NV_L2_ATOM, NV_L2_HITRATE, NV_L1_HITRATE,
    NV_DRAM_RB, NV_DRAM_WB, NV_DRAM_RT, NV_DRAM_WT, NV_SH_LD_T, NV_SH_ST_T, NV_OCC,
    NV_NSLOT
};

enum { K_COUNT, K_PCT, K_FRAC, K_BYTES };

/* nvprof metric and event names that feed profile counters, with the
 * Nsight Compute metric NVIDIA's nvprof transition guide gives for them
 * (cc >= 7.0).  How slots become counters: nvprof_counters() below. */
static const struct nv_name {
    const char *name;
    int slot;
    int kind;
    const char *ncu;
} nv_names[] = {
    { "inst_executed",               NV_INST,        K_COUNT, "smsp__inst_executed.sum" },
    { "thread_inst_executed",        NV_THREAD_INST, K_COUNT, "smsp__thread_inst_executed.sum" },
    { "inst_executed_global_loads",  NV_LDG,         K_COUNT, "smsp__inst_executed_op_global_ld.sum" },
    { "global_load",                 NV_LDG,         K_COUNT, "smsp__inst_executed_op_global_ld.sum" },
    { "inst_executed_global_stores", NV_STG,         K_COUNT, "smsp__inst_executed_op_global_st.sum" },
    { "global_store",                NV_STG,         K_COUNT, "smsp__inst_executed_op_global_st.sum" },
    { "inst_executed_shared_loads",  NV_LDS,         K_COUNT, "smsp__inst_executed_op_shared_ld.sum" },
    { "shared_load",                 NV_LDS,         K_COUNT, "smsp__inst_executed_op_shared_ld.sum" },
    { "inst_executed_shared_stores", NV_STS,         K_COUNT, "smsp__inst_executed_op_shared_st.sum" },
    { "shared_store",                NV_STS,         K_COUNT, "smsp__inst_executed_op_shared_st.sum" },
    { "gld_transactions",            NV_GLD_T,       K_COUNT, "l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum" },
    { "gst_transactions",            NV_GST_T,       K_COUNT, "l1tex__t_sectors_pipe_lsu_mem_global_op_st.sum" },
    { "l2_read_transactions",        NV_L2_RD,       K_COUNT, "lts__t_sectors_op_read.sum + op_atom + op_red" },
    { "l2_write_transactions",       NV_L2_WR,       K_COUNT, "lts__t_sectors_op_write.sum + op_atom + op_red" },
    { "l2_atomic_transactions",      NV_L2_ATOM,     K_COUNT, "2 x (lts__t_sectors_op_atom.sum + op_red)" },
    { "l2_tex_hit_rate",             NV_L2_HITRATE,  K_PCT,   "lts__t_sector_hit_rate.pct" },
    { "global_hit_rate",             NV_L1_HITRATE,  K_PCT,   "global ld+st+atom+red L1 sector hit rate" },
    { "dram_read_bytes",             NV_DRAM_RB,     K_BYTES, "dram__bytes_read.sum" },
    { "dram_write_bytes",            NV_DRAM_WB,     K_BYTES, "dram__bytes_write.sum" },
    { "dram_read_transactions",      NV_DRAM_RT,     K_COUNT, "dram__sectors_read.sum" },
    { "dram_write_transactions",     NV_DRAM_WT,     K_COUNT, "dram__sectors_write.sum" },
    { "shared_load_transactions",    NV_SH_LD_T,     K_COUNT, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum" },
    { "shared_ld_transactions",      NV_SH_LD_T,     K_COUNT, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum" },
    { "shared_store_transactions",   NV_SH_ST_T,     K_COUNT, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum" },
    { "shared_st_transactions",      NV_SH_ST_T,     K_COUNT, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum" },
    { "achieved_occupancy",          NV_OCC,         K_FRAC,  "sm__warps_active.avg.pct_of_peak_sustained_active / 100" },
};

static const struct nv_name *nv_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof nv_names / sizeof nv_names[0]; i++)
        if (strcmp(nv_names[i].name, name) == 0)
            return &nv_names[i];
    return NULL;
}

/* Approximations used, as bits, for the notes. */
enum {
    AP_LDST = 1,        /* LDG/STG/LDS/STS only, no generic LD/ST */
    AP_L2_ATOM = 2,     /* l2 sectors without l2_atomic_transactions */
    AP_SHARED = 4,      /* shared wavefronts = ld + st (no shared atomics) */
    AP_L1_HIT = 8,      /* derived from global_hit_rate */
    AP_L2_HIT = 16,     /* derived from l2_tex_hit_rate */
    AP_AVG = 32         /* per-kernel averages copied to each launch */
};

/* Profile counters from one kernel's nvprof slots; returns AP_* bits. */
static int nvprof_counters(const double *v, int derive_hits, double *ctr)
{
    int ap = 0;
    for (int i = 0; i < BSP_NCTR; i++)
        ctr[i] = NAN;
#define HAVE(s) (!isnan(v[s]))
    ctr[BSP_CTR_INST_WARP] = v[NV_INST];
    ctr[BSP_CTR_INST_THREAD] = v[NV_THREAD_INST];
    ctr[BSP_CTR_LD_GLOBAL] = v[NV_LDG];
    ctr[BSP_CTR_ST_GLOBAL] = v[NV_STG];
    ctr[BSP_CTR_LD_SHARED] = v[NV_LDS];
    ctr[BSP_CTR_ST_SHARED] = v[NV_STS];
    if (HAVE(NV_LDG) || HAVE(NV_STG) || HAVE(NV_LDS) || HAVE(NV_STS))
        ap |= AP_LDST;
    ctr[BSP_CTR_L1_LD_SECTORS] = v[NV_GLD_T];
    ctr[BSP_CTR_L1_ST_SECTORS] = v[NV_GST_T];
    if (HAVE(NV_L2_RD) && HAVE(NV_L2_WR)) {
        ctr[BSP_CTR_L2_SECTORS] = v[NV_L2_RD] + v[NV_L2_WR] - (HAVE(NV_L2_ATOM) ? v[NV_L2_ATOM] / 2 : 0);
        if (!HAVE(NV_L2_ATOM))
            ap |= AP_L2_ATOM;
    }
    if (derive_hits && HAVE(NV_L2_HITRATE) && !isnan(ctr[BSP_CTR_L2_SECTORS])) {
        ctr[BSP_CTR_L2_HIT] = v[NV_L2_HITRATE] / 100 * ctr[BSP_CTR_L2_SECTORS];
        ap |= AP_L2_HIT;
    }
    if (derive_hits && HAVE(NV_L1_HITRATE) && HAVE(NV_GLD_T)) {
        ctr[BSP_CTR_L1_LD_HIT] = v[NV_L1_HITRATE] / 100 * v[NV_GLD_T];
        ap |= AP_L1_HIT;
    }
    ctr[BSP_CTR_DRAM_READ] = HAVE(NV_DRAM_RB) ? v[NV_DRAM_RB] : v[NV_DRAM_RT] * 32;
    ctr[BSP_CTR_DRAM_WRITE] = HAVE(NV_DRAM_WB) ? v[NV_DRAM_WB] : v[NV_DRAM_WT] * 32;
    if (HAVE(NV_SH_LD_T) && HAVE(NV_SH_ST_T)) {
        ctr[BSP_CTR_SHARED_WAVES] = v[NV_SH_LD_T] + v[NV_SH_ST_T];
        ap |= AP_SHARED;
    }
    ctr[BSP_CTR_WARPS_ACTIVE_PCT] = v[NV_OCC] * 100;
#undef HAVE
    return ap;
}

/* One kernel of an nvprof summary. */
typedef struct nv_kern {
    char *dev, *name;
    long line;
    double invocations;
    double v[NV_NSLOT];
} nv_kern;

typedef struct nv_state {
    nv_kern *k;
    size_t n, cap;
    strmap ix;          /* "device\x1fkernel" -> index */
    int saw_rate;       /* hit rates present */
    int nsummary;
} nv_state;

static double time_unit_ns(const char *u)
{
    if (strcmp(u, "s") == 0)
        return 1e9;
    if (strcmp(u, "ms") == 0)
        return 1e6;
    if (strcmp(u, "us") == 0)
        return 1e3;
    if (strcmp(u, "ns") == 0)
        return 1;
    return -1;
}

static double size_unit_bytes(const char *u)
{
    if (!*u || strcmp(u, "B") == 0)
        return 1;
    if (strcmp(u, "KB") == 0)
        return 1024.0;
    if (strcmp(u, "MB") == 0)
        return 1024.0 * 1024;
    if (strcmp(u, "GB") == 0)
        return 1024.0 * 1024 * 1024;
    return -1;
}

/* Drop a " [123]" correlation suffix from a trace name. */
static void strip_corr(char *s)
{
    size_t n = strlen(s);
    if (n < 4 || s[n - 1] != ']')
        return;
    size_t i = n - 1;
    while (i > 0 && isdigit((unsigned char)s[i - 1]))
        i--;
    if (i >= 2 && i < n - 1 && s[i - 1] == '[' && s[i - 2] == ' ')
        s[i - 2] = '\0';
}

static int nvprof_trace(bsp_import *im, bsp_csv *c, const hdr *h, bsp_err *err)
{
    static const char *const req[] = { "Duration", "Grid X", "Grid Y", "Grid Z", "Block X", "Block Y", "Block Z", "Name" };
    const char *missing[8];
    int col[8], nmiss = 0;
    for (int i = 0; i < 8; i++)
        if ((col[i] = hdr_col(h, req[i])) < 0)
            missing[nmiss++] = req[i];
    if (nmiss)
        return missing_cols(err, c->path, h->line, "", missing, nmiss);
    int jstart = hdr_col(h, "Start"), jregs = hdr_col(h, "Registers Per Thread");
    int jss = hdr_col(h, "Static SMem"), jds = hdr_col(h, "Dynamic SMem");
    int jdev = hdr_col(h, "Device"), jctx = hdr_col(h, "Context"), jstr = hdr_col(h, "Stream");
    int rc = next_row(c, h, err);
    if (rc < 0)
        return rc;
    double dur_ns = rc == 1 ? time_unit_ns(c->cell[col[0]]) : -1;
    if (rc == 0 || dur_ns < 0)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: want the units row under the header (e.g. ms,us,,...), "
                           "got '%s' under 'Duration'", c->path, rc ? c->line : h->line + 1,
                           rc ? c->cell[col[0]] : "end of file");
    double start_ns = jstart >= 0 ? time_unit_ns(c->cell[jstart]) : 1;
    double ss_b = jss >= 0 ? size_unit_bytes(c->cell[jss]) : 1;
    double ds_b = jds >= 0 ? size_unit_bytes(c->cell[jds]) : 1;
    if (start_ns < 0 || ss_b < 0 || ds_b < 0) {
        int bad = start_ns < 0 ? jstart : ss_b < 0 ? jss : jds;
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': unknown unit '%s'", c->path, c->line,
                           h->cell[bad], c->cell[bad]);
    }
    size_t n0 = im->n, skipped0 = im->skipped;
    while ((rc = next_row(c, h, err)) == 1) {
        if (!c->cell[col[1]][0]) {       /* no grid: memcpy or memset */
            im->skipped++;
            continue;
        }
        bsp_launch l;
        bsp_launch_init(&l);
        double v;
        for (int i = 0; i < 7; i++) {
            const char *s = c->cell[col[i]];
            if (parse_num(s, &v, NULL) != NUM_OK || v < 0 || (i > 0 && (v < 1 || v != floor(v) || v > UINT32_MAX)))
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s'%s", c->path, c->line,
                                   req[i], s, num_hint(s));
            if (i == 0)
                l.duration_ns = floor(v * dur_ns * 1e3 + 0.5) / 1e3;
            else if (i <= 3)
                l.grid[i - 1] = (uint32_t)v;
            else
                l.block[i - 4] = (uint32_t)v;
        }
        struct { int j; double f; } opt[3] = { { jstart, start_ns }, { jss, ss_b }, { jds, ds_b } };
        for (int i = 0; i < 3; i++) {
            if (opt[i].j < 0 || !c->cell[opt[i].j][0])
                continue;
            const char *s = c->cell[opt[i].j];
            if (parse_num(s, &v, NULL) != NUM_OK || v < 0)
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s'", c->path, c->line,
                                   h->cell[opt[i].j], s);
            double x = floor(v * opt[i].f + 0.5);
            if (i == 0)
                l.start_ns = (uint64_t)x;
            else if (to_u32(x, i == 1 ? &l.shared_static_bytes : &l.shared_dynamic_bytes))
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': value out of range", c->path, c->line,
                                   h->cell[opt[i].j]);
        }
        if (jregs >= 0 && c->cell[jregs][0]) {
            if (parse_num(c->cell[jregs], &v, NULL) != NUM_OK || v < 0 || v > 65536)
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Registers Per Thread': bad value '%s'",
                                   c->path, c->line, c->cell[jregs]);
            l.registers_per_thread = (int)v;
        }
        if (jctx >= 0 && parse_num(c->cell[jctx], &v, NULL) == NUM_OK && v >= 0 && v <= UINT32_MAX)
            l.context_id = (uint32_t)v;
        if (jstr >= 0 && parse_num(c->cell[jstr], &v, NULL) == NUM_OK && v >= 0 && v <= UINT32_MAX)
            l.stream_id = (uint32_t)v;
        char *dev = NULL;
        if (jdev >= 0) {
            /* "Xavier (0)": name and device index */
            if (!(dev = own(im, c->cell[jdev])))
                return bsp_err_set(err, BSP_ENOMEM, "out of memory");
            const char *par = strrchr(dev, '(');
            if (par && isdigit((unsigned char)par[1]))
                l.device = atoi(par + 1);
            if (!im->device[0]) {
                size_t len = par && par > dev ? (size_t)(par - dev) : strlen(dev);
                while (len && dev[len - 1] == ' ')
                    len--;
                snprintf(im->device, sizeof im->device, "%.*s", (int)len, dev);
            }
        }
        char *name = own(im, c->cell[col[7]]);
        if (!name)
            return bsp_err_set(err, BSP_ENOMEM, "out of memory");
        strip_corr(name);
        if (!name[0])
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Name': empty", c->path, c->line);
        l.kernel = name;
        l.kernel_mangled = strncmp(name, "_Z", 2) == 0 ? name : "";
        l.launch_id = im->n;
        if ((rc = add_launch(im, &l, dev, err)))
            return rc;
    }
    if (rc < 0)
        return rc;
    if (im->n == n0)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: no kernel launches in the trace", c->path, h->line);
    notef(im, "imported from %s (nvprof-trace): %zu launches, %zu memcpy/memset rows skipped", c->path,
          im->n - n0, im->skipped - skipped0);
    return 0;
}

static int nvprof_summary(bsp_import *im, nv_state *st, bsp_csv *c, hdr *h, bsp_err *err)
{
    int rc;
    int jdev, jk, jinv, jname, javg;
    int nused = 0;
    st->nsummary++;
remap:
    jdev = hdr_col(h, "Device");
    jk = hdr_col(h, "Kernel");
    jinv = hdr_col(h, "Invocations");
    jname = hdr_col(h, "Metric Name") >= 0 ? hdr_col(h, "Metric Name") : hdr_col(h, "Event Name");
    javg = hdr_col(h, "Avg");
    if (javg < 0) {
        static const char *const want[] = { "Avg" };
        return missing_cols(err, c->path, h->line, "", want, 1);
    }
    for (;;) {
        rc = read_row(c, h, err);
        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
        if (strncmp(c->cell[0], "==", 2) == 0)
            continue;
        if (classify_header(c->cell, c->ncell) == BSP_IMPORT_NVPROF_SUMMARY) {
            /* "Event result:" after "Metric result:": a new header */
            hdr_free(h);
            if (hdr_copy(h, c))
                return bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto remap;
        }
        if (c->ncell != h->n)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: %d cells, the header on line %ld has %d",
                               c->path, c->line, c->ncell, h->line, h->n);
        const struct nv_name *m = nv_lookup(c->cell[jname]);
        if (!m)
            continue;
        double v, inv;
        const char *suf = "";
        const char *s = c->cell[javg];
        int r = parse_num(s, &v, &suf);
        if (r == NUM_NA)
            continue;
        int ok = r == NUM_OK;
        if (ok && m->kind == K_PCT)
            ok = !*suf || strcmp(suf, "%") == 0;
        else if (ok && m->kind == K_BYTES)
            ok = !*suf || strcmp(suf, "B") == 0;
        else if (ok)
            ok = !*suf;
        if (!ok)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Avg' (%s): bad value '%s'%s", c->path, c->line,
                               m->name, s, num_hint(s));
        if (parse_num(c->cell[jinv], &inv, NULL) != NUM_OK || inv < 1)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'Invocations': bad value '%s'", c->path, c->line,
                               c->cell[jinv]);
        char key[BSP_NAME_MAX + 160];
        snprintf(key, sizeof key, "%s\x1f%s", jdev >= 0 ? c->cell[jdev] : "", c->cell[jk]);
        size_t k = strmap_get(&st->ix, key);
        if (k == (size_t)-1) {
            if (st->n == st->cap) {
                size_t n = st->cap ? st->cap * 2 : 64;
                nv_kern *nk = realloc(st->k, n * sizeof *nk);
                if (!nk)
                    return bsp_err_set(err, BSP_ENOMEM, "out of memory");
                st->k = nk;
                st->cap = n;
            }
            nv_kern *kk = &st->k[st->n];
            memset(kk, 0, sizeof *kk);
            for (int i = 0; i < NV_NSLOT; i++)
                kk->v[i] = NAN;
            kk->dev = own(im, jdev >= 0 ? c->cell[jdev] : "");
            kk->name = own(im, c->cell[jk]);
            kk->line = c->line;
            if (!kk->dev || !kk->name || strmap_put(&st->ix, key, st->n))
                return bsp_err_set(err, BSP_ENOMEM, "out of memory");
            k = st->n++;
        }
        nv_kern *kk = &st->k[k];
        if (!isnan(kk->v[m->slot]) && kk->v[m->slot] != v)
            warnf(im, "%s:%ld: %s of '%s' given twice (%g, then %g); using the last", c->path, c->line,
                  m->name, kk->name, kk->v[m->slot], v);
        kk->v[m->slot] = v;
        kk->invocations = inv;
        if (m->kind == K_PCT)
            st->saw_rate = 1;
        nused++;
    }
    notef(im, "read %s (nvprof-summary): %d metric/event values mapped", c->path, nused);
    return 0;
}

/* Copy each summary kernel's counters to its launches in the trace. */
static int nvprof_merge(bsp_import *im, nv_state *st, const bsp_import_opts *o, bsp_err *err)
{
    imp_priv *p = im->priv_;
    strmap lx = { 0 };          /* "device\x1fkernel" -> first launch */
    size_t *nextl = NULL;       /* chain of launches of the same kernel */
    int rc = 0, ap = 0;
    size_t nprof = 0;
    if (!st->n)
        return 0;
    if (!(nextl = malloc(im->n * sizeof *nextl)))
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    char key[BSP_NAME_MAX + 160];
    for (size_t i = im->n; i-- > 0;) {
        snprintf(key, sizeof key, "%s\x1f%s", p->ldev[i] ? p->ldev[i] : "", im->l[i].kernel);
        size_t f = strmap_get(&lx, key);
        nextl[i] = f;           /* prepend: chains end up in launch order */
        if (strmap_put(&lx, key, i)) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (size_t k = 0; k < st->n; k++) {
        nv_kern *kk = &st->k[k];
        snprintf(key, sizeof key, "%s\x1f%s", kk->dev, kk->name);
        size_t f = strmap_get(&lx, key);
        if (f == (size_t)-1) {      /* a trace without a Device column */
            snprintf(key, sizeof key, "\x1f%s", kk->name);
            f = strmap_get(&lx, key);
        }
        if (f == (size_t)-1) {
            warnf(im, "kernel '%s' (%s) of the metrics summary has no launch in the trace", kk->name, kk->dev);
            continue;
        }
        size_t nl = 0;
        int configs = 1;
        for (size_t i = f; i != (size_t)-1; i = nextl[i]) {
            nl++;
            if (memcmp(im->l[i].grid, im->l[f].grid, sizeof im->l[f].grid) ||
                memcmp(im->l[i].block, im->l[f].block, sizeof im->l[f].block))
                configs = 2;
        }
        if (configs > 1) {
            warnf(im, "kernel '%s': launched with several grid/block configurations in the trace; nvprof's "
                  "per-kernel averages cannot be split between them, so its counters are left empty", kk->name);
            continue;
        }
        if ((double)nl != kk->invocations)
            warnf(im, "kernel '%s': %zu launches in the trace but %.0f invocations in the metrics summary "
                  "(different runs?); copying the per-invocation averages anyway", kk->name, nl, kk->invocations);
        double ctr[BSP_NCTR];
        ap |= nvprof_counters(kk->v, o && o->derive_hits, ctr) | AP_AVG;
        for (size_t i = f; i != (size_t)-1; i = nextl[i]) {
            int any = 0;
            for (int c = 0; c < BSP_NCTR; c++) {
                im->l[i].ctr[c] = ctr[c];
                any |= !isnan(ctr[c]);
            }
            im->l[i].profiled = any;
            nprof += (size_t)any;
        }
    }
    if (ap & AP_AVG)
        notef(im, "counters are nvprof per-kernel averages (Avg) copied to each launch of the kernel");
    if (ap & AP_LDST)
        notef(im, "ld/st_*_warp from nvprof count LDG/STG/LDS/STS only, not generic LD/ST (approximate)");
    if (ap & AP_L2_ATOM)
        notef(im, "l2_sectors = l2_read + l2_write transactions; atomics counted twice (no l2_atomic_transactions)");
    if (ap & AP_SHARED)
        notef(im, "shared_wavefronts = shared load + store transactions (shared atomics not counted)");
    if (ap & AP_L1_HIT)
        notef(im, "l1_ld_hit_sectors = global_hit_rate x gld_transactions (derived; assumes loads hit like stores)");
    if (ap & AP_L2_HIT)
        notef(im, "l2_hit_sectors = l2_tex_hit_rate x l2_sectors (derived)");
    if (st->saw_rate && !(o && o->derive_hits))
        warnf(im, "hit rates (global_hit_rate, l2_tex_hit_rate) were read but not used: pass --derive-hits to "
              "derive l1_ld_hit_sectors and l2_hit_sectors from them (approximations; docs/formats.md)");
    if (!nprof)
        warnf(im, "no launch received counters from the metrics summaries");
out:
    free(nextl);
    strmap_free(&lx);
    return rc;
}

int bsp_import_nvprof(bsp_import *im, const char *const *paths, size_t npaths,
                      const bsp_import_opts *opts, bsp_err *err)
{
    nv_state st;
    memset(&st, 0, sizeof st);
    int rc = 0, ntrace = 0;
    if (!priv(im))
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    snprintf(im->tool, sizeof im->tool, "nvprof");
    for (size_t i = 0; i < npaths && !rc; i++) {
        bsp_csv c;
        hdr h = { 0 };
        bsp_import_fmt fmt;
        if ((rc = bsp_csv_open(&c, paths[i], err)))
            break;
        if (!(rc = find_header(&c, &h, &fmt, err))) {
            if (fmt == BSP_IMPORT_NVPROF_TRACE) {
                ntrace++;
                rc = nvprof_trace(im, &c, &h, err);
            } else if (fmt == BSP_IMPORT_NVPROF_SUMMARY) {
                rc = nvprof_summary(im, &st, &c, &h, err);
            } else {
                rc = bsp_err_set(err, BSP_EINVAL, "%s:%ld: this is %s output, not nvprof: use --from ncu",
                                 paths[i], h.line, bsp_import_fmt_name(fmt));
            }
        }
        hdr_free(&h);
        bsp_csv_close(&c);
    }
    if (!rc && !ntrace)
        rc = bsp_err_set(err, BSP_EINVAL, "nvprof: no --print-gpu-trace file among the inputs: launch "
                         "configurations and durations come from `nvprof --print-gpu-trace --csv`");
    if (!rc)
        rc = nvprof_merge(im, &st, opts, err);
    strmap_free(&st.ix);
    free(st.k);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Output                                                               */

int bsp_import_write(const bsp_import *im, const char *out_path, const char *command, bsp_err *err)
{
    if (!im->n)
        return bsp_err_set(err, BSP_EINVAL, "%s: no kernel launches to write", out_path);
    bsp_profile_writer *w = NULL;
    int rc = bsp_profile_writer_open(&w, out_path, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < im->n && !rc; i++)
        rc = bsp_profile_writer_row(w, &im->l[i], err);
    if (rc) {
        bsp_profile_writer_close(w, 0, NULL);
        return rc;
    }
    bsp_profile_meta m;
    memset(&m, 0, sizeof m);
    snprintf(m.device, sizeof m.device, "%s", im->device);
    snprintf(m.tool_version, sizeof m.tool_version, "%s", BSP_VERSION);
    snprintf(m.command, sizeof m.command, "%s", command ? command : "");
    snprintf(m.metric_set, sizeof m.metric_set, "import-%.16s", im->tool[0] ? im->tool : "?");
    char when[32] = "";
    time_t t = time(NULL);
    struct tm tmv;
    if (gmtime_r(&t, &tmv))
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    snprintf(m.notes, sizeof m.notes, "imported %s (date, driver, cuda: not recorded by %.16s CSV); %.900s", when,
             im->tool[0] ? im->tool : "the profiler", im->notes);
    if ((rc = bsp_profile_meta_save(&m, out_path, err))) {
        bsp_profile_writer_close(w, 0, NULL);
        return rc;
    }
    if ((rc = bsp_profile_writer_close(w, 1, err))) {
        size_t n = strlen(out_path) + 16;
        char *mp = malloc(n);
        if (mp) {
            snprintf(mp, n, "%s.meta.json", out_path);
            unlink(mp);
            free(mp);
        }
    }
    return rc;
}
