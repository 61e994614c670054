/* SPDX-License-Identifier: BSD-3-Clause */
/* The ITU-R BS.2127-1 point-source panner (§6.1.2 "Point Source Panner"): the layout's
 * speakers plus extra speakers filling the height layers and virtual speakers at the poles,
 * a convex-hull triangulation (on nominal positions) into triplets (VBAP), quads (bilinear
 * "QuadRegion") and virtual n-gons whose centre is downmixed to their edge, the downmix of
 * the extra speakers, power normalisation, and the special 0+2+0 panner (0+5+0 followed by a
 * BS.775-like downmix with position and level correction). */
#include "renderers/loudspeaker/psp.h"

#include <math.h>
#include <string.h>

#include "layouts/registry.h"
#include "src/core/geom.h"

#define DEG (OBJR_PI / 180.0)
/* internal vertices: real non-LFE speakers, extra layer speakers, 2 virtual poles */
#define MAX_EXT (3 * OBJR__MAX_SPEAKERS)
#define MAX_VERTS (MAX_EXT + 2)
#define SET_WORDS ((MAX_VERTS + 63) / 64)
/* coplanarity / hull tolerance on unit vectors (EAR merges facets whose plane equations
 * differ by less than 1e-5) */
#define HULL_EPS 1e-5
/* VBAP: a triplet accepts a direction when every gain is >= -1e-11 (BS.2127 / EAR) */
#define TRI_EPS (-1e-11)
#define QUAD_EPS 1e-10
/* a pole within this angle of a speaker gets no virtual speaker */
#define POLE_TAKEN_DEG 1.0

typedef struct psp_tri {
    int v[3]; /* vertex indices; in an n-gon v[2] = -1 stands for the virtual centre */
    double inv[9];
} psp_tri;

typedef struct psp_quad {
    int v[4]; /* in ngon_vertex_order */
    double pos[4][3];
    double px[9], py[9]; /* rows: x^2, x^1, x^0 coefficient vectors */
} psp_quad;

typedef struct psp_ngon {
    size_t n;
    int v[MAX_VERTS];
    psp_tri tris[MAX_VERTS];
} psp_ngon;

struct objr__psp {
    size_t n_out;
    int stereo;
    int left, right;
    objr__psp *inner; /* 0+5+0 panner for stereo; 0+2+0 panner for mono */
    int mono;         /* the 1.0 layout: one M+000 speaker (not BS.2051) */
    int centre;
    size_t n_ext;
    int ext_out[MAX_EXT]; /* output channel of each internal vertex */
    size_t n_ngon;
    psp_ngon *ngon[2];
    size_t n_tris, n_quads;
    psp_tri *tris;
    psp_quad *quads;
};

/* Inverse of the 3x3 matrix whose rows are p0, p1, p2; returns 0 when singular. */
static int inv3(const double *p0, const double *p1, const double *p2, double *inv) {
    double c0[3], c1[3], c2[3];
    objr__geom_cross3(p1, p2, c0);
    objr__geom_cross3(p2, p0, c1);
    objr__geom_cross3(p0, p1, c2);
    double det = objr__geom_dot3(p0, c0);
    if (fabs(det) < 1e-12)
        return 0;
    /* inverse of M (rows p) has columns c_i / det: inv[r][i] = c_i[r] / det */
    for (int r = 0; r < 3; r++) {
        inv[r * 3 + 0] = c0[r] / det;
        inv[r * 3 + 1] = c1[r] / det;
        inv[r * 3 + 2] = c2[r] / det;
    }
    return 1;
}

/* VBAP gains g with g . P = pos (P rows = speakers); 1 when all >= TRI_EPS. */
static int tri_solve(const psp_tri *t, const double *pos, double *g) {
    for (int j = 0; j < 3; j++)
        g[j] = pos[0] * t->inv[0 * 3 + j] + pos[1] * t->inv[1 * 3 + j] + pos[2] * t->inv[2 * 3 + j];
    return g[0] >= TRI_EPS && g[1] >= TRI_EPS && g[2] >= TRI_EPS;
}

static void clip01(double *g, size_t n) {
    for (size_t i = 0; i < n; i++)
        g[i] = g[i] < 0.0 ? 0.0 : g[i];
}

static void normalise(double *g, size_t n) {
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += g[i] * g[i];
    if (s > 0.0) {
        s = 1.0 / sqrt(s);
        for (size_t i = 0; i < n; i++)
            g[i] *= s;
    }
}

/* Order the vertices of a convex, roughly planar polygon by angle about their centroid,
 * projected on two edge vectors (the construction BS.2127 / EAR use). */
static void ngon_order(const double (*pos)[3], size_t n, int *order) {
    double c[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 3; k++)
            c[k] += pos[i][k] / (double)n;
    double a[3], b[3] = {0, 0, 0}, best = HUGE_VAL;
    objr__geom_sub3(pos[0], c, a);
    for (size_t i = 1; i < n; i++) {
        double r[3];
        objr__geom_sub3(pos[i], c, r);
        double d = fabs(objr__geom_dot3(r, a));
        if (d < best) {
            best = d;
            memcpy(b, r, sizeof(b));
        }
    }
    double ang[MAX_VERTS];
    for (size_t i = 0; i < n; i++) {
        double r[3];
        objr__geom_sub3(pos[i], c, r);
        ang[i] = atan2(objr__geom_dot3(r, a), objr__geom_dot3(r, b));
        order[i] = (int)i;
    }
    for (size_t i = 1; i < n; i++) { /* stable insertion sort */
        int v = order[i];
        size_t j = i;
        while (j > 0 && ang[order[j - 1]] > ang[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

/* Coefficients of the quadratic in x whose root gives the bilinear coordinate of a
 * direction along edge a->b (opposite edge d->c): (p.poly0) x^2 + (p.poly1) x + p.poly2 = 0. */
static void quad_axis(const double *a, const double *b, const double *c, const double *d,
                      double *poly) {
    double ba[3], cd[3], t0[3], t1[3];
    objr__geom_sub3(b, a, ba);
    objr__geom_sub3(c, d, cd);
    objr__geom_cross3(ba, cd, &poly[0]);
    objr__geom_cross3(a, cd, t0);
    objr__geom_cross3(ba, d, t1);
    for (int k = 0; k < 3; k++)
        poly[3 + k] = t0[k] + t1[k];
    objr__geom_cross3(a, d, &poly[6]);
}

/* The root in [0, 1] of the axis polynomial for direction pos; 0 when none. */
static int quad_axis_solve(const double *poly, const double *pos, double *x) {
    double A = objr__geom_dot3(&poly[0], pos), B = objr__geom_dot3(&poly[3], pos),
           C = objr__geom_dot3(&poly[6], pos);
    double roots[2];
    int n_roots = 0;
    double scale = fmax(fabs(B), fabs(C));
    if (fabs(A) <= 1e-12 * scale || A == 0.0) {
        if (B != 0.0)
            roots[n_roots++] = -C / B;
    } else {
        double disc = B * B - 4.0 * A * C;
        if (disc < 0.0) {
            /* complex pair: accept only a (numerically) real double root */
            if (sqrt(-disc) / fabs(2.0 * A) < QUAD_EPS)
                roots[n_roots++] = -B / (2.0 * A);
        } else {
            double sq = sqrt(disc);
            double q = -0.5 * (B + (B >= 0.0 ? sq : -sq));
            roots[n_roots++] = q / A;
            if (q != 0.0)
                roots[n_roots++] = C / q;
        }
    }
    for (int i = 0; i < n_roots; i++) {
        if (roots[i] > -QUAD_EPS && roots[i] < 1.0 + QUAD_EPS) {
            *x = roots[i] < 0.0 ? 0.0 : (roots[i] > 1.0 ? 1.0 : roots[i]);
            return 1;
        }
    }
    return 0;
}

static int quad_solve(const psp_quad *q, const double *pos, double *g) {
    double x, y;
    if (!quad_axis_solve(q->px, pos, &x) || !quad_axis_solve(q->py, pos, &y))
        return 0;
    g[0] = (1 - x) * (1 - y);
    g[1] = x * (1 - y);
    g[2] = x * y;
    g[3] = (1 - x) * y;
    double v[3] = {0, 0, 0};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 3; k++)
            v[k] += g[i] * q->pos[i][k];
    if (objr__geom_dot3(v, pos) <= 0.0)
        return 0;
    normalise(g, 4);
    return 1;
}

size_t objr__psp_n_outputs(const objr__psp *p) {
    return p ? p->n_out : 0;
}

void objr__psp_destroy(objr__psp *p) {
    if (!p)
        return;
    objr__psp_destroy(p->inner);
    objr__freep(&p->ngon[0]);
    objr__freep(&p->ngon[1]);
    objr__freep(&p->tris);
    objr__freep(&p->quads);
    objr__freep(&p);
}

typedef struct hull_facet {
    uint64_t set[SET_WORDS];
    size_t n;
} hull_facet;

static int set_has(const uint64_t *s, size_t i) {
    return (int)((s[i / 64] >> (i % 64)) & 1u);
}

/* Convex hull facets of unit vectors, coplanar points merged into one facet. Brute force
 * over point triples: O(n^4) but n <= a few dozen for real layouts and it runs once. */
static objr_status hull_facets(const double (*pos)[3], size_t n, hull_facet **out, size_t *n_out) {
    size_t cap = 64, nf = 0;
    hull_facet *f = objr__calloc(cap, sizeof(*f));
    if (!f)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            for (size_t k = j + 1; k < n; k++) {
                /* skip triples already inside one known facet */
                int known = 0;
                for (size_t q = 0; q < nf && !known; q++)
                    known = set_has(f[q].set, i) && set_has(f[q].set, j) && set_has(f[q].set, k);
                if (known)
                    continue;
                double e1[3], e2[3], nrm[3];
                objr__geom_sub3(pos[j], pos[i], e1);
                objr__geom_sub3(pos[k], pos[i], e2);
                objr__geom_cross3(e1, e2, nrm);
                double len = sqrt(objr__geom_dot3(nrm, nrm));
                if (len < 1e-9)
                    continue;
                for (int c = 0; c < 3; c++)
                    nrm[c] /= len;
                double d = objr__geom_dot3(nrm, pos[i]);
                if (d < 0.0) {
                    d = -d;
                    for (int c = 0; c < 3; c++)
                        nrm[c] = -nrm[c];
                }
                int ok = 1;
                hull_facet h;
                memset(&h, 0, sizeof(h));
                for (size_t m = 0; m < n && ok; m++) {
                    double s = objr__geom_dot3(nrm, pos[m]) - d;
                    if (s > HULL_EPS)
                        ok = 0;
                    else if (s > -HULL_EPS) {
                        h.set[m / 64] |= (uint64_t)1 << (m % 64);
                        h.n++;
                    }
                }
                if (!ok)
                    continue;
                if (d < HULL_EPS) { /* the origin is on this face: not enclosed */
                    objr__freep(&f);
                    return OBJR_ERR_LAYOUT;
                }
                if (nf == cap) {
                    hull_facet *nfp = objr__realloc_array(f, cap * 2, sizeof(*f));
                    if (!nfp) {
                        objr__freep(&f);
                        return OBJR_ERR_NOMEM;
                    }
                    f = nfp;
                    cap *= 2;
                }
                f[nf++] = h;
            }
        }
    }
    if (nf < 4) {
        objr__freep(&f);
        return OBJR_ERR_LAYOUT;
    }
    *out = f;
    *n_out = nf;
    return OBJR_OK;
}

static objr_status push_tri(objr__psp *p, size_t *cap, const int *v, const double (*pos)[3]) {
    if (p->n_tris == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        psp_tri *t = objr__realloc_array(p->tris, nc, sizeof(*t));
        if (!t)
            return OBJR_ERR_NOMEM;
        p->tris = t;
        *cap = nc;
    }
    psp_tri *t = &p->tris[p->n_tris];
    memcpy(t->v, v, sizeof(t->v));
    if (!inv3(pos[v[0]], pos[v[1]], pos[v[2]], t->inv))
        return OBJR_ERR_LAYOUT;
    p->n_tris++;
    return OBJR_OK;
}

static objr_status create_stereo(const objr__layout *layout, objr__psp *p) {
    objr__layout l5;
    objr_status st = objr__layout_lookup("0+5+0", &l5);
    if (st != OBJR_OK)
        return OBJR_ERR_INTERNAL;
    p->stereo = 1;
    p->left = objr__layout_find_label(layout, "M+030");
    p->right = objr__layout_find_label(layout, "M-030");
    return objr__psp_create(&l5, &p->inner);
}

/* Mono (the 1.0 layout, one M+000 speaker; not a BS.2051 system): pan on 0+2+0 as BS.2127
 * does, then the power of the two gains goes to the one speaker, so that every direction
 * keeps the stereo render's power (rear sources -3 dB as there). */
static objr_status create_mono(const objr__layout *layout, objr__psp *p) {
    objr__layout l2;
    if (objr__layout_lookup("0+2+0", &l2) != OBJR_OK)
        return OBJR_ERR_INTERNAL;
    p->mono = 1;
    p->centre = objr__layout_find_label(layout, "M+000");
    return objr__psp_create(&l2, &p->inner);
}

static int is_mono(const objr__layout *l) {
    size_t n = 0;
    int has_c = 0;
    for (size_t i = 0; i < l->n_speakers; i++) {
        if (l->speakers[i].is_lfe)
            continue;
        n++;
        has_c |= strcmp(l->speakers[i].label, "M+000") == 0;
    }
    return n == 1 && has_c;
}

/* Is this layout the BS.2051 0+2+0 system, which BS.2127 pans through 0+5+0? */
static int is_stereo(const objr__layout *l) {
    size_t n = 0;
    int has_l = 0, has_r = 0;
    for (size_t i = 0; i < l->n_speakers; i++) {
        if (l->speakers[i].is_lfe)
            continue;
        n++;
        if (strcmp(l->speakers[i].label, "M+030") == 0)
            has_l = 1;
        else if (strcmp(l->speakers[i].label, "M-030") == 0)
            has_r = 1;
    }
    return n == 2 && has_l && has_r;
}

/* The vertices of the triangulation: the real speakers, the extra ones BS.2127 adds above and
 * below mid-layer speakers, and the virtual ones at the poles (nominal and real positions). */
typedef struct vertex_table {
    double nom[MAX_VERTS][3], real[MAX_VERTS][3];
    double nom_az[MAX_EXT], nom_el[MAX_EXT], real_az[MAX_EXT], real_el[MAX_EXT];
    size_t n_real, n_ext, n_verts;
    int has_top_speaker;
    size_t n_virtual;
    int virt[2];
} vertex_table;

/* 1. The real speakers (LFE left out), with the screen speakers' nominal azimuths. */
static objr_status real_speakers(const objr__layout *layout, objr__psp *p, vertex_table *vt) {
    size_t n = 0;
    for (size_t i = 0; i < layout->n_speakers; i++) {
        const objr__speaker *s = &layout->speakers[i];
        if (s->is_lfe)
            continue;
        double naz = s->nominal_azimuth_deg, nel = s->nominal_elevation_deg;
        if (!isfinite(s->azimuth_deg) || !isfinite(s->elevation_deg) || !isfinite(naz) ||
            !isfinite(nel))
            return OBJR_ERR_LAYOUT;
        if (strcmp(s->label, "M+SC") == 0 || strcmp(s->label, "M-SC") == 0) {
            /* BS.2127: screen speakers must lie within 5..25 or 35..60 degrees; their nominal
             * azimuth (for the triangulation) is 15 or 45 accordingly */
            double a = fabs(s->azimuth_deg);
            if (!((a >= 5.0 && a <= 25.0) || (a >= 35.0 && a <= 60.0)))
                return OBJR_ERR_LAYOUT;
            naz = (s->azimuth_deg < 0 ? -1.0 : 1.0) * (a > 30.0 ? 45.0 : 15.0);
            nel = 0.0;
        }
        if (strcmp(s->label, "T+000") == 0 || strcmp(s->label, "UH+180") == 0)
            vt->has_top_speaker = 1;
        vt->nom_az[n] = naz;
        vt->nom_el[n] = nel;
        vt->real_az[n] = s->azimuth_deg;
        vt->real_el[n] = s->elevation_deg;
        p->ext_out[n] = (int)i;
        n++;
    }
    if (n < 2)
        return OBJR_ERR_LAYOUT;
    vt->n_real = vt->n_ext = n;
    return OBJR_OK;
}

/* 2. BS.2127 §6.1.2.x: extra speakers above/below mid-layer speakers where the upper/lower
 * layer has no speaker near their azimuth; each is downmixed to its mid speaker. */
static void extra_speakers(objr__psp *p, vertex_table *vt) {
    static const double layer_nom[2] = {-30.0, 30.0}, layer_lo[2] = {-70.0, 10.0},
                        layer_hi[2] = {-10.0, 70.0};
    size_t n = vt->n_ext;
    for (int L = 0; L < 2; L++) {
        double az_limit = 0.0, layer_el = layer_nom[L], sum_el = 0.0;
        size_t n_layer = 0;
        double max_az = 0.0;
        for (size_t i = 0; i < vt->n_real; i++) {
            if (vt->nom_el[i] >= layer_lo[L] && vt->nom_el[i] <= layer_hi[L]) {
                n_layer++;
                sum_el += vt->real_el[i];
                if (fabs(vt->nom_az[i]) > max_az)
                    max_az = fabs(vt->nom_az[i]);
            }
        }
        if (n_layer) {
            az_limit = max_az + 40.0;
            layer_el = sum_el / (double)n_layer;
        }
        for (size_t i = 0; i < vt->n_real; i++) {
            if (!(vt->nom_el[i] >= -10.0 && vt->nom_el[i] <= 10.0))
                continue;
            if (fabs(vt->nom_az[i]) >= az_limit - 1e-5) {
                vt->nom_az[n] = vt->nom_az[i];
                vt->nom_el[n] = layer_nom[L];
                vt->real_az[n] = vt->real_az[i];
                vt->real_el[n] = layer_el;
                p->ext_out[n] = p->ext_out[i];
                n++;
            }
        }
    }
    p->n_ext = vt->n_ext = n;
    for (size_t i = 0; i < n; i++) {
        objr__geom_cart(vt->nom_az[i], vt->nom_el[i], 1.0, vt->nom[i]);
        objr__geom_cart(vt->real_az[i], vt->real_el[i], 1.0, vt->real[i]);
    }
}

/* 3. Virtual speakers: always at the nadir; at the zenith unless a speaker may be there
 * (T+000, UH+180). For custom layouts, a pole that already holds a speaker (within
 * POLE_TAKEN_DEG) gets no virtual speaker either: it would coincide with it. Two vertices in
 * one place are refused: the hull would be degenerate. */
static objr_status virtual_speakers(vertex_table *vt) {
    size_t n = vt->n_ext;
    for (int v = 0; v < 2; v++) {
        if (v == 1 && vt->has_top_speaker)
            continue;
        double z = v == 0 ? -1.0 : 1.0;
        int taken = 0;
        for (size_t i = 0; i < n; i++)
            taken |= vt->nom[i][2] * z > cos(POLE_TAKEN_DEG * DEG);
        if (taken)
            continue;
        vt->nom[n][0] = vt->real[n][0] = 0.0;
        vt->nom[n][1] = vt->real[n][1] = 0.0;
        vt->nom[n][2] = vt->real[n][2] = z;
        vt->virt[vt->n_virtual++] = (int)n;
        n++;
    }
    vt->n_verts = n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            double d[3];
            objr__geom_sub3(vt->nom[i], vt->nom[j], d);
            if (objr__geom_dot3(d, d) < 1e-8)
                return OBJR_ERR_LAYOUT;
        }
    return OBJR_OK;
}

/* 4. The n-gon of real speakers around each virtual speaker (its gains go to them). */
static objr_status ngons_around_virtual(objr__psp *p, const vertex_table *vt,
                                        const hull_facet *facets, size_t n_facets) {
    for (size_t vi = 0; vi < vt->n_virtual; vi++) {
        size_t cv = (size_t)vt->virt[vi];
        uint64_t adj[SET_WORDS] = {0};
        for (size_t f = 0; f < n_facets; f++)
            if (set_has(facets[f].set, cv))
                for (size_t w = 0; w < SET_WORDS; w++)
                    adj[w] |= facets[f].set[w];
        adj[cv / 64] &= ~((uint64_t)1 << (cv % 64));
        psp_ngon *g = objr__calloc(1, sizeof(*g));
        if (!g)
            return OBJR_ERR_NOMEM;
        p->ngon[p->n_ngon++] = g;
        double gpos[MAX_VERTS][3];
        int idx[MAX_VERTS], order[MAX_VERTS];
        size_t m = 0;
        for (size_t i = 0; i < vt->n_verts; i++) {
            if (!set_has(adj, i))
                continue;
            if (i >= p->n_ext) /* adjacent to the other virtual speaker */
                return OBJR_ERR_LAYOUT;
            idx[m] = (int)i;
            memcpy(gpos[m], vt->real[i], sizeof(gpos[m]));
            m++;
        }
        if (m < 3)
            return OBJR_ERR_LAYOUT;
        ngon_order((const double(*)[3])gpos, m, order);
        g->n = m;
        for (size_t i = 0; i < m; i++)
            g->v[i] = idx[order[i]];
        for (size_t i = 0; i < m; i++) {
            psp_tri *t = &g->tris[i];
            t->v[0] = g->v[i];
            t->v[1] = g->v[(i + 1) % m];
            t->v[2] = -1;
            if (!inv3(vt->real[t->v[0]], vt->real[t->v[1]], vt->real[cv], t->inv))
                return OBJR_ERR_LAYOUT;
        }
    }
    return OBJR_OK;
}

/* A quad facet in winding order, with its axes. */
static objr_status push_quad(objr__psp *p, size_t *cap, const int *idx, double (*fpos)[3],
                             const vertex_table *vt) {
    if (p->n_quads == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        psp_quad *q = objr__realloc_array(p->quads, nc, sizeof(*q));
        if (!q)
            return OBJR_ERR_NOMEM;
        p->quads = q;
        *cap = nc;
    }
    int order[MAX_VERTS];
    psp_quad *q = &p->quads[p->n_quads++];
    ngon_order((const double(*)[3])fpos, 4, order);
    for (int i = 0; i < 4; i++) {
        q->v[i] = idx[order[i]];
        memcpy(q->pos[i], vt->real[q->v[i]], sizeof(q->pos[i]));
    }
    quad_axis(q->pos[0], q->pos[1], q->pos[2], q->pos[3], q->px);
    quad_axis(q->pos[1], q->pos[2], q->pos[3], q->pos[0], q->py);
    return OBJR_OK;
}

/* 5. The other facets: triplets and quads (larger coplanar facets are fanned into
 * triangles; BS.2051 layouts never produce them). */
static objr_status facet_regions(objr__psp *p, const vertex_table *vt, const hull_facet *facets,
                                 size_t n_facets) {
    size_t tri_cap = 0, quad_cap = 0;
    objr_status st = OBJR_OK;
    for (size_t f = 0; f < n_facets && st == OBJR_OK; f++) {
        int touches_virtual = 0;
        for (size_t vi = 0; vi < vt->n_virtual; vi++)
            touches_virtual |= set_has(facets[f].set, (size_t)vt->virt[vi]);
        if (touches_virtual)
            continue;
        int idx[MAX_VERTS], order[MAX_VERTS];
        double fpos[MAX_VERTS][3];
        size_t m = 0;
        for (size_t i = 0; i < vt->n_verts; i++)
            if (set_has(facets[f].set, i)) {
                idx[m] = (int)i;
                memcpy(fpos[m], vt->real[i], sizeof(fpos[m]));
                m++;
            }
        if (m == 3) {
            st = push_tri(p, &tri_cap, idx, (const double(*)[3])vt->real);
        } else if (m == 4) {
            st = push_quad(p, &quad_cap, idx, fpos, vt);
        } else {
            ngon_order((const double(*)[3])fpos, m, order);
            for (size_t i = 1; i + 1 < m && st == OBJR_OK; i++) {
                int tv[3] = {idx[order[0]], idx[order[i]], idx[order[i + 1]]};
                st = push_tri(p, &tri_cap, tv, (const double(*)[3])vt->real);
            }
        }
    }
    return st;
}

objr_status objr__psp_create(const objr__layout *layout, objr__psp **out) {
    if (!layout || !out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (layout->n_speakers > OBJR__MAX_SPEAKERS)
        return OBJR_ERR_LAYOUT;
    objr__psp *p = objr__calloc(1, sizeof(*p));
    vertex_table *vt = objr__calloc(1, sizeof(*vt));
    hull_facet *facets = NULL;
    size_t n_facets = 0;
    objr_status st = p && vt ? OBJR_OK : OBJR_ERR_NOMEM;
    if (st == OBJR_OK) {
        p->n_out = layout->n_speakers;
        if (is_mono(layout) || is_stereo(layout)) {
            st = is_mono(layout) ? create_mono(layout, p) : create_stereo(layout, p);
        } else if ((st = real_speakers(layout, p, vt)) == OBJR_OK) {
            extra_speakers(p, vt);
            if ((st = virtual_speakers(vt)) == OBJR_OK &&
                (st = hull_facets((const double(*)[3])vt->nom, vt->n_verts, &facets, &n_facets)) ==
                    OBJR_OK &&
                (st = ngons_around_virtual(p, vt, facets, n_facets)) == OBJR_OK)
                st = facet_regions(p, vt, facets, n_facets);
        }
    }
    objr__freep(&facets);
    objr__freep(&vt);
    if (st != OBJR_OK) {
        objr__psp_destroy(p);
        return st;
    }
    *out = p;
    return OBJR_OK;
}

/* Gains over the internal vertices (real + extra), unnormalised downmix not yet applied. */
static void full_gains(const objr__psp *p, const double *pos, double *ext) {
    double g[4];
    memset(ext, 0, p->n_ext * sizeof(*ext));
    double best_min = -HUGE_VAL;
    const psp_tri *best = NULL;
    const psp_ngon *best_ngon = NULL;
    for (size_t k = 0; k < p->n_ngon; k++) {
        const psp_ngon *ng = p->ngon[k];
        for (size_t i = 0; i < ng->n; i++) {
            const psp_tri *t = &ng->tris[i];
            if (tri_solve(t, pos, g)) {
                clip01(g, 3);
                normalise(g, 3);
                /* the virtual centre's gain goes equally (power-preserving 1/sqrt(n)) to
                 * every vertex of the n-gon */
                double c = g[2] / sqrt((double)ng->n);
                for (size_t j = 0; j < ng->n; j++)
                    ext[ng->v[j]] += c;
                ext[t->v[0]] += g[0];
                ext[t->v[1]] += g[1];
                return;
            }
            double mn = fmin(g[0], fmin(g[1], g[2]));
            if (mn > best_min) {
                best_min = mn;
                best = t;
                best_ngon = ng;
            }
        }
    }
    for (size_t i = 0; i < p->n_tris; i++) {
        const psp_tri *t = &p->tris[i];
        if (tri_solve(t, pos, g)) {
            clip01(g, 3);
            for (int j = 0; j < 3; j++)
                ext[t->v[j]] = g[j];
            return;
        }
        double mn = fmin(g[0], fmin(g[1], g[2]));
        if (mn > best_min) {
            best_min = mn;
            best = t;
            best_ngon = NULL;
        }
    }
    for (size_t i = 0; i < p->n_quads; i++) {
        const psp_quad *q = &p->quads[i];
        if (quad_solve(q, pos, g)) {
            for (int j = 0; j < 4; j++)
                ext[q->v[j]] = g[j];
            return;
        }
    }
    /* Numerically on no region (cannot happen for a closed hull beyond rounding): use the
     * triangle that came closest, clipped. */
    if (best) {
        tri_solve(best, pos, g);
        clip01(g, 3);
        normalise(g, 3);
        if (best_ngon) {
            double c = g[2] / sqrt((double)best_ngon->n);
            for (size_t j = 0; j < best_ngon->n; j++)
                ext[best_ngon->v[j]] += c;
            ext[best->v[0]] += g[0];
            ext[best->v[1]] += g[1];
        } else {
            for (int j = 0; j < 3; j++)
                ext[best->v[j]] = g[j];
        }
    }
}

void objr__psp_gains(const objr__psp *p, const double dir[3], double *gains) {
    double pos[3] = {dir[0], dir[1], dir[2]};
    double len = sqrt(objr__geom_dot3(pos, pos));
    if (!(len > 1e-10) || !isfinite(len)) { /* no direction: front, as BS.2127 does */
        pos[0] = 0.0;
        pos[1] = 1.0;
        pos[2] = 0.0;
    } else {
        for (int k = 0; k < 3; k++)
            pos[k] /= len;
    }
    memset(gains, 0, p->n_out * sizeof(*gains));
    if (p->mono) {
        double g2[2];
        objr__psp_gains(p->inner, pos, g2);
        if (p->centre >= 0)
            gains[p->centre] = sqrt(g2[0] * g2[0] + g2[1] * g2[1]);
        return;
    }
    if (p->stereo) {
        /* BS.2127 §6.1.2 (0+2+0): pan on 0+5+0 (M+030 M-030 M+000 LFE1 M+110 M-110), downmix
         * as BS.775 but with the centre at sqrt(1/3) so the velocity vector is kept, power
         * normalise, then lower the level from 0 dB (front) to -3 dB (rear). */
        double g5[6];
        objr__psp_gains(p->inner, pos, g5);
        const double c = sqrt(3.0) / 3.0, s = sqrt(0.5);
        double l = g5[0] + c * g5[2] + s * g5[4];
        double r = g5[1] + c * g5[2] + s * g5[5];
        double nrm = sqrt(l * l + r * r);
        if (nrm > 0.0) {
            l /= nrm;
            r /= nrm;
        }
        double front = fmax(g5[0], fmax(g5[1], g5[2]));
        double back = fmax(g5[4], g5[5]);
        double k = pow(0.5, 0.5 * back / (front + back));
        if (p->left >= 0)
            gains[p->left] = l * k;
        if (p->right >= 0)
            gains[p->right] = r * k;
        return;
    }
    double ext[MAX_EXT];
    full_gains(p, pos, ext);
    normalise(ext, p->n_ext); /* n-gon renormalisation (before the extra-speaker downmix) */
    for (size_t i = 0; i < p->n_ext; i++)
        gains[p->ext_out[i]] += ext[i];
    normalise(gains, p->n_out);
}

objr_status objr__layout_check_pannable(const objr__layout *l, const char *source,
                                        objr_diag *diag) {
    objr__psp *p = NULL;
    objr_status st = objr__psp_create(l, &p);
    objr__psp_destroy(p);
    if (st == OBJR_OK || st == OBJR_ERR_NOMEM)
        return st;
    return objr__diag_set(diag, OBJR_ERR_LAYOUT, NULL, 0, (size_t)-1,
                          "%s: the speakers cannot be panned between (BS.2127 needs speakers "
                          "around the listener; M+SC/M-SC within 5-25 or 35-60 degrees)",
                          source ? source : "<layout>");
}
