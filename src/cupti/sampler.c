/* Which launches get counters.
 *
 * A launch is a candidate when its kernel's name matches the regex (the
 * demangled name or the mangled one; no regex: every kernel).  Candidates
 * are numbered from 0 in launch order; the first launch_skip are passed
 * over, and so are the first config_skip launches of each configuration
 * (name, grid, block); after that a candidate is profiled while fewer than
 * launch_count launches were profiled in all (0: no limit) and fewer than
 * `samples` launches of its configuration were (0: every launch).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "cupti_internal.h"

typedef struct name_ent {
    char *name;
    uint64_t hash;
    int match;              /* regex verdict, cached */
} name_ent;

typedef struct cfg_ent {
    uint32_t name_id;
    uint32_t grid[3], block[3];
    uint64_t hash;
    uint64_t launches, profiled;
} cfg_ent;

/* Open-addressing index over an entry array: slot holds entry index + 1. */
typedef struct index_t {
    uint32_t *slot;
    size_t cap;              /* power of two, or 0 */
} index_t;

struct bsp_sampler {
    bsp_prof_opts o;
    regex_t re;
    int has_re;
    name_ent *names;
    size_t nnames, capnames;
    index_t name_ix;
    cfg_ent *cfgs;
    size_t ncfgs, capcfgs;
    index_t cfg_ix;
    uint64_t candidates, launches, profiled;
};

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 1099511628211ull;
    }
    return h;
}
#define FNV_SEED 14695981039346656037ull

static int index_grow(index_t *ix, size_t need, uint64_t (*hash_of)(const void *, size_t), const void *ents)
{
    size_t cap = ix->cap ? ix->cap : 64;
    while (cap < need * 2)
        cap *= 2;
    if (cap == ix->cap)
        return 0;
    uint32_t *slot = calloc(cap, sizeof *slot);
    if (!slot)
        return BSP_ENOMEM;
    for (size_t i = 0; i < ix->cap; i++) {
        if (!ix->slot[i])
            continue;
        size_t j = hash_of(ents, ix->slot[i] - 1) & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = ix->slot[i];
    }
    free(ix->slot);
    ix->slot = slot;
    ix->cap = cap;
    return 0;
}

static uint64_t name_hash_at(const void *ents, size_t i)
{
    return ((const name_ent *)ents)[i].hash;
}

static uint64_t cfg_hash_at(const void *ents, size_t i)
{
    return ((const cfg_ent *)ents)[i].hash;
}

int bsp_sampler_new(bsp_sampler **sp, const bsp_prof_opts *o, bsp_err *err)
{
    *sp = NULL;
    bsp_sampler *s = calloc(1, sizeof *s);
    if (!s)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    s->o = *o;
    if (o->kernel_regex[0]) {
        int rc = regcomp(&s->re, o->kernel_regex, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[256];
            regerror(rc, &s->re, msg, sizeof msg);
            free(s);
            return bsp_err_set(err, BSP_EINVAL, "%s=%s: %s", BSP_ENV_KERNEL_REGEX, o->kernel_regex, msg);
        }
        s->has_re = 1;
    }
    *sp = s;
    return 0;
}

void bsp_sampler_free(bsp_sampler *s)
{
    if (!s)
        return;
    if (s->has_re)
        regfree(&s->re);
    for (size_t i = 0; i < s->nnames; i++)
        free(s->names[i].name);
    free(s->names);
    free(s->name_ix.slot);
    free(s->cfgs);
    free(s->cfg_ix.slot);
    free(s);
}

/* Entry of a name, added (with its regex verdict) on first sight; -1 if
 * out of memory. */
static long name_find(bsp_sampler *s, const char *name, int add)
{
    uint64_t h = fnv1a(name, strlen(name), FNV_SEED);
    if (s->name_ix.cap) {
        size_t j = h & (s->name_ix.cap - 1);
        while (s->name_ix.slot[j]) {
            name_ent *e = &s->names[s->name_ix.slot[j] - 1];
            if (e->hash == h && strcmp(e->name, name) == 0)
                return (long)(s->name_ix.slot[j] - 1);
            j = (j + 1) & (s->name_ix.cap - 1);
        }
    }
    if (!add)
        return -1;
    if (s->nnames == s->capnames) {
        size_t cap = s->capnames ? s->capnames * 2 : 64;
        name_ent *n = realloc(s->names, cap * sizeof *n);
        if (!n)
            return -1;
        s->names = n;
        s->capnames = cap;
    }
    if (index_grow(&s->name_ix, s->nnames + 1, name_hash_at, s->names))
        return -1;
    name_ent *e = &s->names[s->nnames];
    if (!(e->name = strdup(name)))
        return -1;
    e->hash = h;
    e->match = 1;
    if (s->has_re) {
        char *dm = bsp_demangle(name);
        e->match = regexec(&s->re, name, 0, NULL, 0) == 0 ||
                   (dm && regexec(&s->re, dm, 0, NULL, 0) == 0);
        free(dm);
    }
    size_t j = h & (s->name_ix.cap - 1);
    while (s->name_ix.slot[j])
        j = (j + 1) & (s->name_ix.cap - 1);
    s->name_ix.slot[j] = (uint32_t)(s->nnames + 1);
    return (long)s->nnames++;
}

static cfg_ent *cfg_find(bsp_sampler *s, uint32_t name_id, const uint32_t grid[3], const uint32_t block[3], int add)
{
    uint32_t key[7] = { name_id, grid[0], grid[1], grid[2], block[0], block[1], block[2] };
    uint64_t h = fnv1a(key, sizeof key, FNV_SEED);
    if (s->cfg_ix.cap) {
        size_t j = h & (s->cfg_ix.cap - 1);
        while (s->cfg_ix.slot[j]) {
            cfg_ent *e = &s->cfgs[s->cfg_ix.slot[j] - 1];
            if (e->hash == h && e->name_id == name_id && !memcmp(e->grid, grid, sizeof e->grid) &&
                !memcmp(e->block, block, sizeof e->block))
                return e;
            j = (j + 1) & (s->cfg_ix.cap - 1);
        }
    }
    if (!add)
        return NULL;
    if (s->ncfgs == s->capcfgs) {
        size_t cap = s->capcfgs ? s->capcfgs * 2 : 64;
        cfg_ent *n = realloc(s->cfgs, cap * sizeof *n);
        if (!n)
            return NULL;
        s->cfgs = n;
        s->capcfgs = cap;
    }
    if (index_grow(&s->cfg_ix, s->ncfgs + 1, cfg_hash_at, s->cfgs))
        return NULL;
    cfg_ent *e = &s->cfgs[s->ncfgs];
    memset(e, 0, sizeof *e);
    e->name_id = name_id;
    memcpy(e->grid, grid, sizeof e->grid);
    memcpy(e->block, block, sizeof e->block);
    e->hash = h;
    size_t j = h & (s->cfg_ix.cap - 1);
    while (s->cfg_ix.slot[j])
        j = (j + 1) & (s->cfg_ix.cap - 1);
    s->cfg_ix.slot[j] = (uint32_t)(s->ncfgs + 1);
    s->ncfgs++;
    return e;
}

int bsp_sampler_decide(bsp_sampler *s, const char *name, const uint32_t grid[3], const uint32_t block[3])
{
    if (!name)
        name = "";
    s->launches++;
    long id = name_find(s, name, 1);
    if (id < 0)
        return 0;
    cfg_ent *c = cfg_find(s, (uint32_t)id, grid, block, 1);
    if (!c)
        return 0;
    c->launches++;
    if (!s->names[id].match)
        return 0;
    if (s->candidates++ < s->o.launch_skip)
        return 0;
    if (c->launches <= s->o.config_skip)
        return 0;
    if (s->o.launch_count && s->profiled >= s->o.launch_count)
        return 0;
    if (s->o.samples && c->profiled >= s->o.samples)
        return 0;
    c->profiled++;
    s->profiled++;
    return 1;
}

void bsp_sampler_undo(bsp_sampler *s, const char *name, const uint32_t grid[3], const uint32_t block[3])
{
    long id = name_find(s, name ? name : "", 0);
    cfg_ent *c = id < 0 ? NULL : cfg_find(s, (uint32_t)id, grid, block, 0);
    if (c && c->profiled) {
        c->profiled--;
        s->profiled--;
    }
}

void bsp_sampler_stats(const bsp_sampler *s, uint64_t *configs, uint64_t *launches, uint64_t *profiled)
{
    if (configs)
        *configs = s->ncfgs;
    if (launches)
        *launches = s->launches;
    if (profiled)
        *profiled = s->profiled;
}
