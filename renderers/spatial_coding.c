/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding emulation (see spatial_coding.h): per block, single-linkage clustering of the
 * active sources (Kruskal's order over all source pairs: the nearest pair in different clusters
 * joins first, until the element budget is met), loudness-weighted centroids, element identity
 * kept by the power each new cluster shares with last block's elements, and a bounded move for
 * an element whose sources changed. */
#include "renderers/spatial_coding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sc_pair {
    double d2; /* squared distance */
    size_t a, b;
} sc_pair;

struct objr__spatial_coding {
    objr__sc_config cfg;
    size_t max_sources;
    sc_pair *pairs;   /* max_sources * (max_sources - 1) / 2 */
    size_t *parent;   /* union-find over sources */
    int *cluster;     /* per source: its cluster this block, -1 inactive */
    int *assign;      /* per source: its element this block, -1 inactive */
    int *prev_assign; /* per source: its element last block */
    double pos[OBJR__SC_MAX_ELEMENTS][3];
    int used[OBJR__SC_MAX_ELEMENTS], prev_used[OBJR__SC_MAX_ELEMENTS];
    int lfe[OBJR__SC_MAX_ELEMENTS];
    int lag[OBJR__SC_MAX_ELEMENTS]; /* still on its way to its centroid after a regroup */
    /* this block's clusters: centroid, power, element */
    double c_pos[OBJR__SC_MAX_ELEMENTS][3], c_pow[OBJR__SC_MAX_ELEMENTS];
    double c_ref[OBJR__SC_MAX_ELEMENTS][3]; /* its first source: centroids as offsets from it */
    int c_elem[OBJR__SC_MAX_ELEMENTS], c_lfe[OBJR__SC_MAX_ELEMENTS];
    size_t n_clusters;
};

objr__sc_config objr__sc_config_default(void) {
    objr__sc_config c;
    memset(&c, 0, sizeof c);
    c.n_elements = 16;
    c.max_step = 0.25;
    return c;
}

void objr__sc_destroy(objr__spatial_coding *sc) {
    if (!sc)
        return;
    objr__freep(&sc->pairs);
    objr__freep(&sc->parent);
    objr__freep(&sc->cluster);
    objr__freep(&sc->assign);
    objr__freep(&sc->prev_assign);
    objr__freep(&sc);
}

objr_status objr__sc_create(const objr__sc_config *cfg, size_t max_sources,
                            objr__spatial_coding **out) {
    *out = NULL;
    if (!cfg || cfg->n_elements == 0 || cfg->n_elements > OBJR__SC_MAX_ELEMENTS ||
        max_sources == 0 || !(cfg->max_step >= 0.0) || !isfinite(cfg->max_step))
        return OBJR_ERR_INVALID_ARG;
    size_t n_pairs;
    if (!objr__mul_size(max_sources, max_sources - 1, &n_pairs))
        return OBJR_ERR_INVALID_ARG;
    n_pairs /= 2;
    objr__spatial_coding *sc = objr__calloc(1, sizeof *sc);
    if (!sc)
        return OBJR_ERR_NOMEM;
    sc->cfg = *cfg;
    sc->max_sources = max_sources;
    sc->pairs = objr__calloc(n_pairs ? n_pairs : 1, sizeof *sc->pairs);
    sc->parent = objr__calloc(max_sources, sizeof *sc->parent);
    sc->cluster = objr__calloc(max_sources, sizeof *sc->cluster);
    sc->assign = objr__calloc(max_sources, sizeof *sc->assign);
    sc->prev_assign = objr__calloc(max_sources, sizeof *sc->prev_assign);
    if (!sc->pairs || !sc->parent || !sc->cluster || !sc->assign || !sc->prev_assign) {
        objr__sc_destroy(sc);
        return OBJR_ERR_NOMEM;
    }
    for (size_t s = 0; s < max_sources; s++)
        sc->assign[s] = sc->prev_assign[s] = -1;
    *out = sc;
    return OBJR_OK;
}

static double dist2(const double *a, const double *b) {
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
}

static size_t find_root(size_t *parent, size_t s) {
    while (parent[s] != s) {
        parent[s] = parent[parent[s]];
        s = parent[s];
    }
    return s;
}

static int cmp_pair(const void *a, const void *b) {
    const sc_pair *x = a, *y = b;
    if (x->d2 != y->d2)
        return x->d2 < y->d2 ? -1 : 1;
    if (x->a != y->a) /* ties in a fixed order: the same scene clusters the same way */
        return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

static int active(const objr__sc_source *s) {
    return s->power > OBJR__SC_SILENT_POWER;
}

/* Single linkage of the active sources (LFE sources apart when @p lfe_apart) down to @p budget
 * clusters (union-find roots in sc->parent, each the lowest source index of its cluster). */
static void link_sources(objr__spatial_coding *sc, const objr__sc_source *src, size_t n,
                         size_t budget, int lfe_apart) {
    size_t n_pairs = 0, n_comp = 0;
    for (size_t a = 0; a < n; a++) {
        sc->parent[a] = a;
        if (!active(&src[a]) || (src[a].lfe && lfe_apart))
            continue;
        n_comp++;
        for (size_t b = a + 1; b < n; b++)
            if (active(&src[b]) && !(src[b].lfe && lfe_apart))
                sc->pairs[n_pairs++] = (sc_pair){dist2(src[a].pos, src[b].pos), a, b};
    }
    qsort(sc->pairs, n_pairs, sizeof *sc->pairs, cmp_pair);
    for (size_t k = 0; k < n_pairs && n_comp > budget; k++) {
        size_t ra = find_root(sc->parent, sc->pairs[k].a),
               rb = find_root(sc->parent, sc->pairs[k].b);
        if (ra == rb)
            continue;
        sc->parent[rb < ra ? ra : rb] = rb < ra ? rb : ra;
        n_comp--;
    }
}

/* Number the clusters (sc->cluster per source) and their loudness-weighted centroids (a
 * one-source cluster exactly at its source); the LFE sources form one cluster of their own. */
static void make_clusters(objr__spatial_coding *sc, const objr__sc_source *src, size_t n,
                          int lfe_apart) {
    sc->n_clusters = 0;
    int lfe_cluster = -1;
    for (size_t s = 0; s < n; s++) {
        sc->cluster[s] = -1;
        if (!active(&src[s]))
            continue;
        int c = -1;
        if (src[s].lfe && lfe_apart) {
            c = lfe_cluster;
        } else {
            size_t r = find_root(sc->parent, s);
            if (r != s)
                c = sc->cluster[r]; /* the root has the lowest index: numbered before */
        }
        if (c < 0) {
            c = (int)sc->n_clusters++;
            memset(sc->c_pos[c], 0, sizeof sc->c_pos[c]);
            memcpy(sc->c_ref[c], src[s].pos, sizeof sc->c_ref[c]);
            sc->c_pow[c] = 0;
            sc->c_lfe[c] = src[s].lfe && lfe_apart;
            if (sc->c_lfe[c])
                lfe_cluster = c;
        }
        sc->cluster[s] = c;
        for (int i = 0; i < 3; i++)
            sc->c_pos[c][i] += src[s].power * (src[s].pos[i] - sc->c_ref[c][i]);
        sc->c_pow[c] += src[s].power;
    }
    for (size_t c = 0; c < sc->n_clusters; c++)
        for (int i = 0; i < 3; i++)
            sc->c_pos[c][i] = sc->c_ref[c][i] + sc->c_pos[c][i] / sc->c_pow[c];
}

/* Each cluster takes the element that carried most of its power last block (greedy, largest
 * shared power first); the others take free elements. */
static void match_elements(objr__spatial_coding *sc, const objr__sc_source *src, size_t n) {
    const size_t ne = sc->cfg.n_elements, nc = sc->n_clusters;
    double shared[OBJR__SC_MAX_ELEMENTS][OBJR__SC_MAX_ELEMENTS];
    memset(shared, 0, sizeof shared);
    for (size_t s = 0; s < n; s++)
        if (sc->cluster[s] >= 0 && sc->prev_assign[s] >= 0)
            shared[sc->cluster[s]][sc->prev_assign[s]] += src[s].power;
    int taken[OBJR__SC_MAX_ELEMENTS] = {0};
    for (size_t c = 0; c < nc; c++)
        sc->c_elem[c] = -1;
    for (;;) {
        double best = 0;
        size_t bc = 0, be = 0;
        for (size_t c = 0; c < nc; c++)
            for (size_t e = 0; e < ne && sc->c_elem[c] < 0; e++)
                if (!taken[e] && shared[c][e] > best) {
                    best = shared[c][e];
                    bc = c;
                    be = e;
                }
        if (best <= 0)
            break;
        sc->c_elem[bc] = (int)be;
        taken[be] = 1;
    }
    for (size_t c = 0; c < nc; c++) /* free elements: the ones silent last block first */
        for (int pass = 0; pass < 2 && sc->c_elem[c] < 0; pass++)
            for (size_t e = 0; e < ne && sc->c_elem[c] < 0; e++)
                if (!taken[e] && (pass == 1 || !sc->prev_used[e])) {
                    sc->c_elem[c] = (int)e;
                    taken[e] = 1;
                }
}

/* Element positions: the centroid when the element carries the same sources as last block (or
 * none then); after a regroup, at most max_step per block towards it until it gets there (no
 * audible jump when sources regroup). */
static void move_elements(objr__spatial_coding *sc, size_t n) {
    size_t same[OBJR__SC_MAX_ELEMENTS] = {0}, now[OBJR__SC_MAX_ELEMENTS] = {0},
           before[OBJR__SC_MAX_ELEMENTS] = {0};
    for (size_t s = 0; s < n; s++) {
        if (sc->assign[s] >= 0)
            now[sc->assign[s]]++;
        if (sc->prev_assign[s] >= 0)
            before[sc->prev_assign[s]]++;
        if (sc->assign[s] >= 0 && sc->assign[s] == sc->prev_assign[s])
            same[sc->assign[s]]++;
    }
    for (size_t c = 0; c < sc->n_clusters; c++) {
        size_t e = (size_t)sc->c_elem[c];
        const double *t = sc->c_pos[c];
        int regrouped = sc->prev_used[e] && (same[e] != now[e] || same[e] != before[e]);
        double d = sqrt(dist2(t, sc->pos[e])), step = sc->cfg.max_step;
        sc->lag[e] = sc->prev_used[e] && (regrouped || sc->lag[e]) && step > 0 && d > step;
        if (sc->lag[e]) {
            for (int i = 0; i < 3; i++)
                sc->pos[e][i] += (t[i] - sc->pos[e][i]) * (step / d);
        } else {
            memcpy(sc->pos[e], t, sizeof sc->pos[e]);
        }
        sc->used[e] = 1;
        sc->lfe[e] = sc->c_lfe[c];
    }
}

objr_status objr__sc_block(objr__spatial_coding *sc, const objr__sc_source *src, size_t n_sources) {
    if (n_sources > sc->max_sources || (n_sources && !src))
        return OBJR_ERR_INVALID_ARG;
    int any_lfe = 0;
    for (size_t s = 0; s < n_sources; s++) {
        if (!isfinite(src[s].pos[0]) || !isfinite(src[s].pos[1]) || !isfinite(src[s].pos[2]) ||
            !isfinite(src[s].power) || src[s].power < 0)
            return OBJR_ERR_INVALID_ARG;
        any_lfe |= src[s].lfe && active(&src[s]);
    }
    /* the LFE has an element of its own when there are two or more (with one, it joins the
     * rest) */
    const int lfe_apart = any_lfe && sc->cfg.n_elements >= 2;
    const size_t budget = sc->cfg.n_elements - (lfe_apart ? 1 : 0);
    memcpy(sc->prev_used, sc->used, sizeof sc->used);
    memset(sc->used, 0, sizeof sc->used);
    for (size_t s = 0; s < sc->max_sources; s++) {
        sc->prev_assign[s] = s < n_sources ? sc->assign[s] : -1;
        sc->assign[s] = -1;
    }
    link_sources(sc, src, n_sources, budget, lfe_apart);
    make_clusters(sc, src, n_sources, lfe_apart);
    match_elements(sc, src, n_sources);
    for (size_t s = 0; s < n_sources; s++)
        sc->assign[s] = sc->cluster[s] >= 0 ? sc->c_elem[sc->cluster[s]] : -1;
    move_elements(sc, n_sources);
    return OBJR_OK;
}

int objr__sc_assignment(const objr__spatial_coding *sc, size_t s) {
    return s < sc->max_sources ? sc->assign[s] : -1;
}

int objr__sc_element(const objr__spatial_coding *sc, size_t e, double pos[3], int *lfe) {
    if (e >= sc->cfg.n_elements || !sc->used[e])
        return 0;
    memcpy(pos, sc->pos[e], 3 * sizeof *pos);
    if (lfe)
        *lfe = sc->lfe[e];
    return 1;
}

double objr__sc_error(const objr__spatial_coding *sc, const objr__sc_source *src,
                      size_t n_sources) {
    double num = 0, den = 0;
    for (size_t s = 0; s < n_sources && s < sc->max_sources; s++) {
        int e = sc->assign[s];
        if (e < 0 || src[s].lfe)
            continue;
        num += src[s].power * dist2(src[s].pos, sc->pos[e]);
        den += src[s].power;
    }
    return den > 0 ? num / den : 0.0;
}
