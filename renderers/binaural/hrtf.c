/* SPDX-License-Identifier: BSD-3-Clause */
/* HRTF sets from SOFA files (AES69-2020 SimpleFreeFieldHRIR) via libmysofa: validation of
 * everything libmysofa returns (1.3.1 has known memory-safety bugs: we never trust its sizes),
 * resampling once at load, onset extraction, convex-hull triangulation of the measurement
 * directions, and onset-aligned interpolation with the interaural delays kept apart
 * (as 3D Tune-In and SAF do; libmysofa's own inverse-distance average smears the ITD). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* memfd_create */
#endif
#include "renderers/binaural/hrtf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <fftw3.h>
#include <mysofa.h>
#include <samplerate.h>

#include "objrender/objr_outfile.h"
#include "src/core/fftw_lock.h"
#include "src/core/geom.h"

#define DEFAULT_SOFA "/usr/share/libmysofa/default.sofa"
#define HULL_EPS 1e-9
#define DUP_EPS 1e-6
#define LOCATE_EPS 1e-9

const char *objr__hrtf_default_path(void) {
    return DEFAULT_SOFA;
}

void objr__hrtf_dir_from_polar(double azimuth_deg, double elevation_deg, double out[3]) {
    double az = azimuth_deg * OBJR_PI / 180.0, el = elevation_deg * OBJR_PI / 180.0;
    out[0] = cos(el) * cos(az);
    out[1] = cos(el) * sin(az);
    out[2] = sin(el);
}

void objr__hrtf_destroy(objr__hrtf *h) {
    if (!h)
        return;
    objr__freep(&h->dirs);
    objr__freep(&h->ir);
    objr__freep(&h->delay);
    objr__freep(&h->energy);
    objr__freep(&h->tri);
    objr__freep(&h->adj);
    objr__freep(&h->tri_inv);
    objr__freep(&h->dfw);
    free(h);
}

static const char *mysofa_err_text(int err) {
    switch (err) {
    case MYSOFA_INVALID_FORMAT:
        return "not a SOFA/HDF5 file or corrupt";
    case MYSOFA_UNSUPPORTED_FORMAT:
        return "unsupported HDF5 feature";
    case MYSOFA_NO_MEMORY:
        return "out of memory";
    case MYSOFA_READ_ERROR:
        return "read error (truncated?)";
    case MYSOFA_INVALID_ATTRIBUTES:
        return "invalid SOFA attributes";
    case MYSOFA_INVALID_DIMENSIONS:
        return "invalid SOFA dimensions";
    case MYSOFA_INVALID_DIMENSION_LIST:
        return "invalid SOFA dimension list";
    case MYSOFA_INVALID_COORDINATE_TYPE:
        return "invalid coordinate type";
    case MYSOFA_ONLY_EMITTER_WITH_ECI_SUPPORTED:
        return "only one emitter per measurement supported";
    case MYSOFA_ONLY_DELAYS_WITH_IR_OR_MR_SUPPORTED:
        return "Data.Delay must be 1xR or MxR";
    case MYSOFA_ONLY_THE_SAME_SAMPLING_RATE_SUPPORTED:
        return "only one sampling rate supported";
    case MYSOFA_RECEIVERS_WITH_RCI_SUPPORTED:
    case MYSOFA_RECEIVERS_WITH_CARTESIAN_SUPPORTED:
    case MYSOFA_INVALID_RECEIVER_POSITIONS:
        return "unsupported receiver positions";
    case MYSOFA_ONLY_SOURCES_WITH_MC_SUPPORTED:
        return "unsupported source positions";
    default:
        return "libmysofa error";
    }
}

static int all_finite(const float *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static int attr_is(struct MYSOFA_ATTRIBUTE *a, const char *name, const char *value) {
    for (int guard = 0; a && guard < 4096; a = a->next, guard++)
        if (a->name && a->value && strcmp(a->name, name) == 0)
            return strcmp(a->value, value) == 0;
    return 0;
}

/* ---- convex hull (incremental, O(n^2); n is at most a few thousand) ---- */

typedef struct hull_face {
    int v[3];
    double n[3], off; /* outward normal (unnormalised) and n.v0 */
    int alive;
} hull_face;

static void face_plane(hull_face *f, const double *p) {
    const double *a = p + 3 * f->v[0], *b = p + 3 * f->v[1], *c = p + 3 * f->v[2];
    double ab[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    double ac[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    objr__geom_cross3(ab, ac, f->n);
    double l = sqrt(objr__geom_dot3(f->n, f->n));
    if (l > 0)
        for (int k = 0; k < 3; k++)
            f->n[k] /= l;
    f->off = objr__geom_dot3(f->n, a);
}

/* The initial tetrahedron: point 0, the point farthest from it, the one farthest from their
 * line, the one farthest from their plane. Returns 0, or -1 when the points are degenerate. */
static int initial_tetrahedron(const double *p, size_t n, size_t idx[4]) {
    size_t i1 = 0, i2 = 0, i3 = 0;
    double best = -1;
    for (size_t i = 1; i < n; i++) {
        double d[3] = {p[3 * i] - p[0], p[3 * i + 1] - p[1], p[3 * i + 2] - p[2]};
        double l = objr__geom_dot3(d, d);
        if (l > best)
            best = l, i1 = i;
    }
    double e1[3] = {p[3 * i1] - p[0], p[3 * i1 + 1] - p[1], p[3 * i1 + 2] - p[2]};
    best = -1;
    for (size_t i = 1; i < n; i++) {
        double d[3] = {p[3 * i] - p[0], p[3 * i + 1] - p[1], p[3 * i + 2] - p[2]}, c[3];
        objr__geom_cross3(e1, d, c);
        double l = objr__geom_dot3(c, c);
        if (l > best)
            best = l, i2 = i;
    }
    if (best < 1e-12)
        return -1;
    double e2[3] = {p[3 * i2] - p[0], p[3 * i2 + 1] - p[1], p[3 * i2 + 2] - p[2]}, nn[3];
    objr__geom_cross3(e1, e2, nn);
    best = 0;
    for (size_t i = 1; i < n; i++) {
        double d[3] = {p[3 * i] - p[0], p[3 * i + 1] - p[1], p[3 * i + 2] - p[2]};
        double l = fabs(objr__geom_dot3(nn, d)) / sqrt(objr__geom_dot3(nn, nn));
        if (l > best)
            best = l, i3 = i;
    }
    if (best < 1e-6)
        return -1;
    idx[0] = 0, idx[1] = i1, idx[2] = i2, idx[3] = i3;
    return 0;
}

/* The hull under construction: faces (deleted ones compacted away after each point), the
 * visible-face flags and the horizon's directed edges (pairs of vertices). */
typedef struct hull {
    const double *p;
    hull_face *f;
    int *vis, *hor;
    size_t cap, nf;
} hull;

/* The tetrahedron's four faces, each turned to face outward. */
static void seed_faces(hull *hl, const size_t idx[4]) {
    const double *p = hl->p;
    double cen[3];
    for (int k = 0; k < 3; k++)
        cen[k] = (p[3 * idx[0] + (size_t)k] + p[3 * idx[1] + (size_t)k] +
                  p[3 * idx[2] + (size_t)k] + p[3 * idx[3] + (size_t)k]) /
                 4.0;
    int i0 = (int)idx[0], i1 = (int)idx[1], i2 = (int)idx[2], i3 = (int)idx[3];
    int tet[4][3] = {{i0, i1, i2}, {i0, i1, i3}, {i0, i2, i3}, {i1, i2, i3}};
    for (int t = 0; t < 4; t++) {
        hull_face *h = &hl->f[hl->nf++];
        memcpy(h->v, tet[t], sizeof h->v);
        h->alive = 1;
        face_plane(h, p);
        if (objr__geom_dot3(h->n, cen) - h->off > 0) { /* flip to point outward */
            int tmp = h->v[1];
            h->v[1] = h->v[2];
            h->v[2] = tmp;
            face_plane(h, p);
        }
    }
}

/* The horizon of the visible faces: their directed edges whose reverse is not on a visible
 * face. Returns the number of edges, or -1 when they overflow the array. */
static long find_horizon(hull *hl) {
    const hull_face *f = hl->f;
    size_t nh = 0;
    for (size_t k = 0; k < hl->nf; k++) {
        if (!hl->vis[k])
            continue;
        for (int e = 0; e < 3; e++) {
            int a = f[k].v[e], b = f[k].v[(e + 1) % 3], shared = 0;
            for (size_t m = 0; m < hl->nf && !shared; m++) {
                if (!hl->vis[m] || m == k)
                    continue;
                for (int e2i = 0; e2i < 3; e2i++)
                    if (f[m].v[e2i] == b && f[m].v[(e2i + 1) % 3] == a)
                        shared = 1;
            }
            if (!shared) {
                if (nh + 2 > hl->cap * 3)
                    return -1;
                hl->hor[2 * nh] = a, hl->hor[2 * nh + 1] = b, nh++;
            }
        }
    }
    return (long)nh;
}

/* Add point @p i: the faces it sees are replaced by a fan from the horizon to it (a point
 * inside the hull changes nothing). Returns 0, or -1 on overflow. */
static int add_point(hull *hl, size_t i) {
    const double *q = hl->p + 3 * i;
    hull_face *f = hl->f;
    size_t nvis = 0;
    for (size_t k = 0; k < hl->nf; k++) {
        hl->vis[k] = 0;
        if (f[k].alive && objr__geom_dot3(f[k].n, q) - f[k].off > HULL_EPS)
            hl->vis[k] = 1, nvis++;
    }
    if (!nvis)
        return 0; /* inside (duplicate or not on the sphere) */
    long nh = find_horizon(hl);
    if (nh < 0)
        return -1;
    for (size_t k = 0; k < hl->nf; k++)
        if (hl->vis[k])
            f[k].alive = 0;
    /* compact before adding so the arrays stay bounded */
    size_t w = 0;
    for (size_t k = 0; k < hl->nf; k++)
        if (f[k].alive)
            f[w++] = f[k];
    hl->nf = w;
    if (hl->nf + (size_t)nh > hl->cap)
        return -1;
    for (size_t e = 0; e < (size_t)nh; e++) {
        hull_face *h = &f[hl->nf++];
        h->v[0] = hl->hor[2 * e], h->v[1] = hl->hor[2 * e + 1], h->v[2] = (int)i;
        h->alive = 1;
        face_plane(h, hl->p);
    }
    return 0;
}

/* Builds the hull of n unit vectors p (n x 3). Returns 0 ok, -1 degenerate, -2 nomem. */
static int convex_hull(const double *p, size_t n, int **tri_out, size_t *n_tri_out) {
    size_t idx[4];
    if (n < 4 || initial_tetrahedron(p, n, idx) != 0)
        return -1;
    hull hl = {p, NULL, NULL, NULL, 2 * n + 16, 0};
    hl.f = objr__calloc(hl.cap * 4, sizeof *hl.f); /* deleted faces stay until compaction */
    hl.vis = objr__calloc(hl.cap * 4, sizeof *hl.vis);
    hl.hor = objr__calloc(hl.cap * 12, sizeof *hl.hor);
    int rc = 0;
    if (!hl.f || !hl.vis || !hl.hor) {
        rc = -2;
        goto done;
    }
    hl.cap *= 4;
    seed_faces(&hl, idx);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (i != idx[0] && i != idx[1] && i != idx[2] && i != idx[3])
            rc = add_point(&hl, i);
    if (rc == 0) {
        int *tri = objr__calloc(hl.nf * 3, sizeof *tri);
        if (!tri) {
            rc = -2;
            goto done;
        }
        for (size_t k = 0; k < hl.nf; k++)
            memcpy(tri + 3 * k, hl.f[k].v, sizeof hl.f[k].v);
        *tri_out = tri;
        *n_tri_out = hl.nf;
    }
done:
    free(hl.f), free(hl.vis), free(hl.hor);
    return rc;
}

static int invert3(const double m[9], double inv[9]) {
    double c0 = m[4] * m[8] - m[5] * m[7], c1 = m[5] * m[6] - m[3] * m[8],
           c2 = m[3] * m[7] - m[4] * m[6];
    double det = m[0] * c0 + m[1] * c1 + m[2] * c2;
    if (fabs(det) < 1e-14)
        return 0;
    double id = 1.0 / det;
    inv[0] = c0 * id;
    inv[1] = (m[2] * m[7] - m[1] * m[8]) * id;
    inv[2] = (m[1] * m[5] - m[2] * m[4]) * id;
    inv[3] = c1 * id;
    inv[4] = (m[0] * m[8] - m[2] * m[6]) * id;
    inv[5] = (m[2] * m[3] - m[0] * m[5]) * id;
    inv[6] = c2 * id;
    inv[7] = (m[1] * m[6] - m[0] * m[7]) * id;
    inv[8] = (m[0] * m[4] - m[1] * m[3]) * id;
    return 1;
}

static int build_triangulation(objr__hrtf *h) {
    double *p = objr__calloc(h->n_meas * 3, sizeof *p);
    if (!p)
        return -2;
    for (size_t i = 0; i < h->n_meas * 3; i++)
        p[i] = h->dirs[i];
    int rc = convex_hull(p, h->n_meas, &h->tri, &h->n_tri);
    free(p);
    if (rc)
        return rc;
    h->adj = objr__calloc(h->n_tri * 3, sizeof *h->adj);
    h->tri_inv = objr__calloc(h->n_tri * 9, sizeof *h->tri_inv);
    if (!h->adj || !h->tri_inv)
        return -2;
    /* adjacency via a vertex -> triangles index */
    size_t *cnt = objr__calloc(h->n_meas + 1, sizeof *cnt);
    int *lst = objr__calloc(h->n_tri * 3, sizeof *lst);
    if (!cnt || !lst) {
        free(cnt), free(lst);
        return -2;
    }
    for (size_t t = 0; t < h->n_tri * 3; t++)
        cnt[h->tri[t] + 1]++;
    for (size_t i = 0; i < h->n_meas; i++)
        cnt[i + 1] += cnt[i];
    size_t *fill = objr__calloc(h->n_meas, sizeof *fill);
    if (!fill) {
        free(cnt), free(lst);
        return -2;
    }
    for (size_t t = 0; t < h->n_tri; t++)
        for (int k = 0; k < 3; k++) {
            size_t v = (size_t)h->tri[3 * t + (size_t)k];
            lst[cnt[v] + fill[v]++] = (int)t;
        }
    for (size_t t = 0; t < h->n_tri; t++) {
        for (int k = 0; k < 3; k++) {
            /* edge opposite vertex k: (v[k+1], v[k+2]); the neighbour has it reversed */
            int a = h->tri[3 * t + (size_t)((k + 1) % 3)],
                b = h->tri[3 * t + (size_t)((k + 2) % 3)];
            int nb = -1;
            for (size_t j = cnt[b]; j < cnt[(size_t)b + 1] && nb < 0; j++) {
                size_t u = (size_t)lst[j];
                if (u == t)
                    continue;
                for (int e = 0; e < 3; e++)
                    if (h->tri[3 * u + (size_t)e] == b &&
                        h->tri[3 * u + (size_t)((e + 1) % 3)] == a)
                        nb = (int)u;
            }
            h->adj[3 * t + (size_t)k] = nb;
        }
        double m[9];
        for (int k = 0; k < 3; k++) {
            const float *v = h->dirs + 3 * (size_t)h->tri[3 * t + (size_t)k];
            m[0 + k] = v[0], m[3 + k] = v[1], m[6 + k] = v[2]; /* columns are vertices */
        }
        if (!invert3(m, h->tri_inv + 9 * t))
            memset(h->tri_inv + 9 * t, 0, 9 * sizeof(double));
        /* the listener must be inside the hull: every face's plane clear of the centre (a set
         * covering one hemisphere has a face through it, and no direction below it) */
        double u[3] = {m[1] - m[0], m[4] - m[3], m[7] - m[6]};
        double w[3] = {m[2] - m[0], m[5] - m[3], m[8] - m[6]}, nrm[3];
        double a0[3] = {m[0], m[3], m[6]};
        objr__geom_cross3(u, w, nrm);
        double nl = sqrt(objr__geom_dot3(nrm, nrm));
        if (!(nl > 0) || !(objr__geom_dot3(nrm, a0) / nl > 1e-3)) {
            free(cnt), free(lst), free(fill);
            return -3;
        }
    }
    free(cnt), free(lst), free(fill);
    return 0;
}

static void bary(const objr__hrtf *h, size_t t, const double d[3], double l[3]) {
    const double *m = h->tri_inv + 9 * t;
    for (int k = 0; k < 3; k++)
        l[k] = m[3 * k] * d[0] + m[3 * k + 1] * d[1] + m[3 * k + 2] * d[2];
}

int objr__hrtf_locate(const objr__hrtf *h, const double dir[3], int hint, int idx[3], double w[3]) {
    double d[3] = {dir[0], dir[1], dir[2]};
    double len = sqrt(objr__geom_dot3(d, d));
    if (!(len > 1e-12))
        d[0] = 1, d[1] = d[2] = 0, len = 1;
    size_t t = (hint >= 0 && (size_t)hint < h->n_tri) ? (size_t)hint : 0;
    double l[3];
    int found = 0;
    /* visibility walk from the hint (sources move smoothly, so this is O(1) amortised) */
    for (size_t step = 0; step < 2 * h->n_tri + 8; step++) {
        bary(h, t, d, l);
        int worst = 0;
        for (int k = 1; k < 3; k++)
            if (l[k] < l[worst])
                worst = k;
        if (l[worst] >= -LOCATE_EPS * len && l[0] + l[1] + l[2] > 0) {
            found = 1;
            break;
        }
        int nb = h->adj[3 * t + (size_t)worst];
        if (nb < 0)
            break;
        t = (size_t)nb;
    }
    if (!found) { /* brute force: the triangle the ray passes through most convincingly */
        double bestv = -HUGE_VAL;
        for (size_t u = 0; u < h->n_tri; u++) {
            double lu[3];
            bary(h, u, d, lu);
            if (lu[0] + lu[1] + lu[2] <= 0)
                continue;
            double mn = fmin(lu[0], fmin(lu[1], lu[2])) / (lu[0] + lu[1] + lu[2]);
            if (mn > bestv)
                bestv = mn, t = u;
        }
        bary(h, t, d, l);
    }
    double s = 0;
    for (int k = 0; k < 3; k++) {
        if (l[k] < 0)
            l[k] = 0;
        s += l[k];
    }
    for (int k = 0; k < 3; k++) {
        idx[k] = h->tri[3 * t + (size_t)k];
        w[k] = s > 0 ? l[k] / s : (k == 0);
    }
    return (int)t;
}

size_t objr__hrtf_filter_len(const objr__hrtf *h) {
    return h->n_taps + (size_t)h->max_delay + 1;
}

int objr__hrtf_filter(const objr__hrtf *h, const double dir[3], int hint, float *left, float *right,
                      int delay_smp[2]) {
    int idx[3];
    double w[3];
    int t = objr__hrtf_locate(h, dir, hint, idx, w);
    size_t len = objr__hrtf_filter_len(h), n = h->n_taps;
    for (int e = 0; e < 2; e++) {
        float *out = e ? right : left;
        memset(out, 0, len * sizeof *out);
        double dl = 0, en_target = 0;
        for (int k = 0; k < 3; k++) {
            dl += w[k] * h->delay[2 * (size_t)idx[k] + (size_t)e];
            en_target += w[k] * h->energy[2 * (size_t)idx[k] + (size_t)e];
        }
        int d = (int)lround(dl);
        if (d < 0)
            d = 0;
        if (d > h->max_delay)
            d = h->max_delay;
        float *o = out + d;
        for (int k = 0; k < 3; k++) {
            if (w[k] <= 0)
                continue;
            const float *src = h->ir + (2 * (size_t)idx[k] + (size_t)e) * n;
            float wk = (float)w[k];
            for (size_t i = 0; i < n; i++)
                o[i] += wk * src[i];
        }
        /* keep the energy of the mix at the weighted mean of the vertices' energies: mixing
         * aligned but different responses loses some high-frequency energy */
        double en = 0;
        for (size_t i = 0; i < n; i++)
            en += (double)o[i] * o[i];
        if (en > 0 && en_target > 0) {
            float g = (float)sqrt(en_target / en);
            for (size_t i = 0; i < n; i++)
                o[i] *= g;
        }
        if (delay_smp)
            delay_smp[e] = d;
    }
    return t;
}

/* ---- loading ---- */

static objr_status fail(objr_diag *diag, const char *name, const char *fmt, const char *what) {
    char msg[400];
    snprintf(msg, sizeof msg, fmt, what);
    return objr__diag_set(diag, OBJR_ERR_HRTF, NULL, 0, (size_t)-1, "%s: %s", name, msg);
}

static uint64_t le_uint(const unsigned char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

/* Check the HDF5 superblock (HDF5 File Format Specification 3.0, §II.A) before libmysofa
 * parses anything: libmysofa 1.3.1 overruns buffers on truncated files, so a file shorter
 * than the end-of-file address its superblock announces is refused here. Returns NULL when
 * plausible, else the reason. */
static const char *hdf5_precheck(const unsigned char *d, size_t size) {
    if (size < 48)
        return "file too short for an HDF5 superblock";
    unsigned ver = d[8];
    size_t so, eof_at, base_at;
    if (ver == 0 || ver == 1) {
        so = d[13];
        base_at = ver == 0 ? 24 : 28;
        eof_at = base_at + 2 * so;
    } else if (ver == 2 || ver == 3) {
        so = d[9];
        base_at = 12;
        eof_at = base_at + 2 * so;
    } else {
        return "unknown HDF5 superblock version";
    }
    if (so != 2 && so != 4 && so != 8)
        return "invalid HDF5 offset size";
    if (eof_at + so > size)
        return "file too short for its HDF5 superblock";
    uint64_t base = le_uint(d + base_at, so), eof = le_uint(d + eof_at, so);
    if (base > size || eof > (uint64_t)size - base)
        return "truncated: the HDF5 superblock announces more bytes than the file has";
    return NULL;
}

/* Write the whole buffer to fd; 0 ok, -1 error. */
static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* libmysofa reads through its FILE reader, never its memory reader. In libmysofa 1.3.1
 * (Debian 12) the memory reader does not bound its position: mysofa_seek (src/hrtf/reader.c)
 * moves it wherever a field of the file points (SEEK_SET to an object header address that
 * nothing validates, such as the superblock's root group address, or SEEK_CUR over a message
 * length), and the next mysofa_read then copies memory_len - memory_pos bytes: a "negative"
 * size_t, a write far past the caller's buffer (mysofa_getc also reads past the end). Upstream
 * fixed it in 1.3.2 (commits f4ba501 and f963957: mysofa_seek refuses offsets past the end).
 * Through a FILE the C library bounds every fread, fgetc and fseek, so the crash class cannot
 * happen whatever the file announces. The bytes go to an anonymous memory file (Linux
 * memfd_create; nothing on disk) or, where that is missing, a private mkstemp file in TMPDIR
 * removed right after the load. Returns libmysofa's set, or NULL with *err set (libmysofa's
 * code, or -1: no private file could be made). */
static struct MYSOFA_HRTF *mysofa_load_private(const void *data, size_t size, int *err) {
    char path[512];
    int fd = -1, named = 0;
#if defined(__linux__) && defined(MFD_CLOEXEC)
    fd = memfd_create("objrender-sofa", MFD_CLOEXEC);
    if (fd >= 0)
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    if (fd >= 0 && access(path, R_OK) != 0) { /* no /proc: a named file instead */
        close(fd);
        fd = -1;
    }
#endif
    if (fd < 0) {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/objrender-sofa-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        fd = mkstemp(path);
        named = fd >= 0;
    }
    struct MYSOFA_HRTF *s = NULL;
    *err = -1;
    if (fd >= 0 && write_all(fd, data, size) == 0 && lseek(fd, 0, SEEK_SET) == 0)
        s = mysofa_load(path, err);
    if (named)
        unlink(path);
    if (fd >= 0)
        close(fd);
    return s;
}

static int resample_ir(const float *in, size_t n_in, double ratio, float *out, size_t n_out) {
    size_t pad = 64;
    float *tmp = objr__calloc(n_in + pad, sizeof *tmp);
    if (!tmp)
        return -2;
    memcpy(tmp, in, n_in * sizeof *in);
    SRC_DATA sd;
    memset(&sd, 0, sizeof sd);
    sd.data_in = tmp;
    sd.input_frames = (long)(n_in + pad);
    sd.data_out = out;
    sd.output_frames = (long)n_out;
    sd.src_ratio = ratio;
    memset(out, 0, n_out * sizeof *out);
    int err = src_simple(&sd, SRC_SINC_MEDIUM_QUALITY, 1);
    free(tmp);
    if (err)
        return -1;
    float g = (float)(1.0 / ratio); /* keep the filter's gain: more samples per second */
    for (size_t i = 0; i < n_out; i++)
        out[i] *= g;
    return 0;
}

objr_status objr__hrtf_load_mem(const void *data, size_t size, const char *name, double rate_hz,
                                objr_diag *diag, objr__hrtf **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!name)
        name = "<memory>";
    if (!data || !(rate_hz >= 8000.0 && rate_hz <= 768000.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: invalid arguments (rate %g Hz)", name, rate_hz);
    if (size < 8)
        return fail(diag, name, "%s", "file is empty or too small to be a SOFA file");
    /* SOFA is HDF5: refuse anything without the HDF5 signature before libmysofa sees it */
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (memcmp(data, sig, 8) != 0)
        return fail(diag, name, "%s", "not a SOFA file (no HDF5 signature at byte 0)");
    const char *why = hdf5_precheck(data, size);
    if (why)
        return fail(diag, name, "not a usable SOFA file: %s", why);
    int err = 0;
    struct MYSOFA_HRTF *s = mysofa_load_private(data, size, &err);
    if (!s || err != MYSOFA_OK) {
        if (s)
            mysofa_free(s);
        if (err == -1)
            return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                                  "%s: cannot make a private copy of the SOFA data for libmysofa "
                                  "(memfd_create or a temporary file in TMPDIR): %s",
                                  name, strerror(errno));
        return fail(diag, name, "cannot read SOFA data: %s", mysofa_err_text(err));
    }
    objr_status st = objr__hrtf_from_mysofa(s, name, rate_hz, diag, out);
    mysofa_free(s);
    return st;
}

/* What libmysofa loaded, checked against the arrays it actually allocated before any is read:
 * two ears, dimensions and array sizes that agree, finite data, plausible rate and delays. */
static objr_status check_sofa(struct MYSOFA_HRTF *s, const char *name, objr_diag *diag) {
    int err = mysofa_check(s);
    if (err != MYSOFA_OK)
        return fail(diag, name, "not a usable SimpleFreeFieldHRIR set: %s", mysofa_err_text(err));
    if (s->R != 2)
        return fail(diag, name, "%s", "needs exactly 2 receivers (ears)");
    if (s->M < 4 || s->M > OBJR__HRTF_MAX_MEASUREMENTS || s->N < 1 || s->N > OBJR__HRTF_MAX_TAPS ||
        s->C != 3) {
        char b[128];
        snprintf(b, sizeof b, "M=%u N=%u C=%u", s->M, s->N, s->C);
        return fail(diag, name, "dimensions out of range (%s)", b);
    }
    size_t M = s->M, N = s->N;
    if (!s->DataIR.values || s->DataIR.elements != M * 2 * N || !s->SourcePosition.values ||
        s->SourcePosition.elements != M * 3 || !s->DataSamplingRate.values ||
        s->DataSamplingRate.elements < 1)
        return fail(diag, name, "%s",
                    "array sizes disagree with the dimensions (Data.IR, SourcePosition or "
                    "Data.SamplingRate)");
    if (!all_finite(s->DataIR.values, M * 2 * N) || !all_finite(s->SourcePosition.values, M * 3))
        return fail(diag, name, "%s", "Data.IR or SourcePosition holds NaN or infinity");
    double fs = s->DataSamplingRate.values[0];
    if (!(fs >= 8000.0 && fs <= 768000.0))
        return fail(diag, name, "%s", "Data.SamplingRate out of range (8 kHz .. 768 kHz)");
    size_t nd = s->DataDelay.values ? s->DataDelay.elements : 0;
    if (nd != 0 && nd != 2 && nd != 2 * M)
        return fail(diag, name, "%s", "Data.Delay must be 1xR or MxR");
    if (nd && !all_finite(s->DataDelay.values, nd))
        return fail(diag, name, "%s", "Data.Delay holds NaN or infinity");
    for (size_t i = 0; i < nd; i++)
        if (s->DataDelay.values[i] < 0 || s->DataDelay.values[i] > (float)OBJR__HRTF_MAX_TAPS)
            return fail(diag, name, "%s", "Data.Delay out of range");
    return OBJR_OK;
}

/* The measurement directions as unit vectors into h->dirs, duplicates dropped so that the hull
 * is well defined; keep[j] is the measurement of direction j. */
static objr_status collect_directions(objr__hrtf *h, struct MYSOFA_HRTF *s, size_t *keep,
                                      const char *name, objr_diag *diag) {
    const size_t M = s->M;
    const int spherical = attr_is(s->SourcePosition.attributes, "Type", "spherical");
    size_t nk = 0;
    for (size_t m = 0; m < M; m++) {
        const float *sp = s->SourcePosition.values + 3 * m;
        double v[3];
        if (spherical)
            objr__hrtf_dir_from_polar(sp[0], sp[1], v);
        else
            v[0] = sp[0], v[1] = sp[1], v[2] = sp[2];
        double l = sqrt(objr__geom_dot3(v, v));
        if (!(l > 1e-9) || (spherical && !(sp[2] > 0)))
            continue;
        for (int k = 0; k < 3; k++)
            v[k] /= l;
        int dup = 0;
        for (size_t j = 0; j < nk && !dup; j++) {
            const float *q = h->dirs + 3 * j;
            double dd = (v[0] - q[0]) * (v[0] - q[0]) + (v[1] - q[1]) * (v[1] - q[1]) +
                        (v[2] - q[2]) * (v[2] - q[2]);
            dup = dd < DUP_EPS * DUP_EPS;
        }
        if (dup)
            continue;
        for (int k = 0; k < 3; k++)
            h->dirs[3 * nk + (size_t)k] = (float)v[k];
        keep[nk++] = m;
    }
    h->n_meas = nk;
    if (nk < 4)
        return fail(diag, name, "%s", "fewer than 4 distinct measurement directions");
    return OBJR_OK;
}

/* Every kept response resampled into @p raw (n_rs taps each); its onset within the samples
 * into on_smp and with the file's Data.Delay added into onset; the smallest of each. */
static objr_status resample_responses(const objr__hrtf *h, struct MYSOFA_HRTF *s,
                                      const size_t *keep, size_t n_rs, float *raw, int *on_smp,
                                      int *onset, int *min_on, int *min_o, const char *name,
                                      objr_diag *diag) {
    const size_t N = s->N, nk = h->n_meas;
    const size_t nd = s->DataDelay.values ? s->DataDelay.elements : 0;
    const double ratio = h->rate_hz / h->sofa_rate_hz;
    *min_on = *min_o = INT32_MAX;
    for (size_t j = 0; j < nk; j++) {
        for (size_t e = 0; e < 2; e++) {
            const float *src = s->DataIR.values + (keep[j] * 2 + e) * N;
            float *dst = raw + (j * 2 + e) * n_rs;
            if (ratio == 1.0)
                memcpy(dst, src, N * sizeof *src);
            else if (resample_ir(src, N, ratio, dst, n_rs) != 0)
                return fail(diag, name, "%s", "resampling failed");
            float peak = 0;
            for (size_t i = 0; i < n_rs; i++)
                peak = fmaxf(peak, fabsf(dst[i]));
            if (!(peak > 0) || peak > 1e4f)
                return fail(diag, name, "%s",
                            peak > 0 ? "impulse response amplitude implausible (> 1e4)"
                                     : "a measurement has a silent impulse response");
            size_t on = 0;
            while (on < n_rs && fabsf(dst[on]) < (float)OBJR__HRTF_ONSET_REL * peak)
                on++;
            double extra = nd == 2 ? s->DataDelay.values[e]
                           : nd    ? s->DataDelay.values[keep[j] * 2 + e]
                                   : 0.0;
            on_smp[j * 2 + e] = (int)on;
            onset[j * 2 + e] = (int)on + (int)lround(extra * ratio);
            if ((int)on < *min_on)
                *min_on = (int)on;
            if (onset[j * 2 + e] < *min_o)
                *min_o = onset[j * 2 + e];
        }
    }
    return OBJR_OK;
}

/* Aligned responses: each shifted left by (its onset - the set's earliest onset) so all start
 * together; the delay restores the onset (plus any Data.Delay) on rendering. At a measured
 * direction the rendered filter is the measurement, up to a common advance. */
static objr_status align_responses(objr__hrtf *h, const float *raw, const int *on_smp,
                                   const int *onset, int min_on, int min_o, const char *name,
                                   objr_diag *diag) {
    const size_t n_rs = h->n_taps;
    h->max_delay = 0;
    for (size_t i = 0; i < h->n_meas * 2; i++) {
        const float *src = raw + i * n_rs;
        float *dst = h->ir + i * n_rs;
        size_t shift = (size_t)(on_smp[i] - min_on);
        for (size_t k = 0; k + shift < n_rs; k++)
            dst[k] = src[k + shift];
        h->delay[i] = onset[i] - min_o;
        if (h->delay[i] > h->max_delay)
            h->max_delay = h->delay[i];
    }
    if ((double)h->max_delay > OBJR__HRTF_MAX_DELAY_S * h->rate_hz)
        return fail(diag, name, "%s",
                    "onsets spread over more than 10 ms (measurement distances or Data.Delay "
                    "implausible for one listener)");
    return OBJR_OK;
}

/* Normalisation: the diffuse-field energy per ear becomes OBJR__HRTF_DIFFUSE_ENERGY, each
 * direction weighted by a third of the area of the hull triangles around it (the grid is not
 * uniform); those weights are kept in h->dfw for the diffuse-field equaliser. */
static objr_status normalise_diffuse(objr__hrtf *h, const char *name, objr_diag *diag) {
    const size_t nk = h->n_meas, n_rs = h->n_taps;
    h->norm_gain = 1.0;
    int rc = build_triangulation(h);
    if (rc == -2)
        return OBJR_ERR_NOMEM;
    if (rc == -3)
        return fail(diag, name, "%s",
                    "measurement directions do not surround the listener (sets covering one "
                    "hemisphere only are not supported)");
    if (rc)
        return fail(diag, name, "%s",
                    "measurement directions do not span 3-D (e.g. horizontal-only sets are not "
                    "supported)");
    double *area = objr__calloc(nk, sizeof *area);
    if (!area)
        return OBJR_ERR_NOMEM;
    for (size_t t = 0; t < h->n_tri; t++) {
        const float *p0 = h->dirs + 3 * (size_t)h->tri[3 * t],
                    *p1 = h->dirs + 3 * (size_t)h->tri[3 * t + 1],
                    *p2 = h->dirs + 3 * (size_t)h->tri[3 * t + 2];
        double u[3] = {p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]};
        double v[3] = {p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]}, c[3];
        objr__geom_cross3(u, v, c);
        double ar = 0.5 * sqrt(objr__geom_dot3(c, c)) / 3.0;
        for (int k = 0; k < 3; k++)
            area[h->tri[3 * t + (size_t)k]] += ar;
    }
    double e_df = 0, a_sum = 0;
    for (size_t m = 0; m < nk; m++) {
        for (size_t e = 0; e < 2; e++) {
            const float *x = h->ir + (m * 2 + e) * n_rs;
            double en = 0;
            for (size_t k = 0; k < n_rs; k++)
                en += (double)x[k] * x[k];
            e_df += area[m] * en / 2.0;
        }
        a_sum += area[m];
    }
    if (a_sum > 0)
        for (size_t m = 0; m < nk; m++)
            area[m] /= a_sum;
    h->dfw = area;
    e_df = a_sum > 0 ? e_df / a_sum : 0;
    if (!(e_df > 1e-20))
        return fail(diag, name, "%s", "the impulse responses carry no energy");
    h->norm_gain = sqrt(OBJR__HRTF_DIFFUSE_ENERGY / e_df);
    float g = (float)h->norm_gain;
    for (size_t i = 0; i < nk * 2 * n_rs; i++)
        h->ir[i] *= g;
    for (size_t i = 0; i < nk * 2; i++) {
        double en = 0;
        const float *x = h->ir + i * n_rs;
        for (size_t k = 0; k < n_rs; k++)
            en += (double)x[k] * x[k];
        h->energy[i] = en;
    }
    return OBJR_OK;
}

/* The responses at the render rate: directions, resampling, alignment, normalisation. */
static objr_status build_hrtf(objr__hrtf *h, struct MYSOFA_HRTF *s, const char *name,
                              objr_diag *diag) {
    const size_t M = s->M, N = s->N;
    const double ratio = h->rate_hz / h->sofa_rate_hz;
    size_t n_rs = (size_t)ceil((double)N * ratio) + 1;
    if (ratio == 1.0)
        n_rs = N;
    if (n_rs > 4 * (size_t)OBJR__HRTF_MAX_TAPS)
        return fail(diag, name, "%s", "impulse responses too long after resampling");
    if ((double)M * 2.0 * (double)n_rs > (double)OBJR__HRTF_MAX_SAMPLES)
        return fail(diag, name, "%s", "too much impulse response data (measurements x taps)");
    h->dirs = objr__calloc(M * 3, sizeof *h->dirs);
    size_t *keep = objr__calloc(M, sizeof *keep);
    float *raw = NULL;
    int *onset = NULL, *on_smp = NULL, min_on = 0, min_o = 0;
    objr_status st = h->dirs && keep ? collect_directions(h, s, keep, name, diag) : OBJR_ERR_NOMEM;
    const size_t nk = h->n_meas;
    if (st == OBJR_OK) {
        raw = objr__calloc(nk * 2 * n_rs, sizeof *raw);
        onset = objr__calloc(nk * 2, sizeof *onset);
        on_smp = objr__calloc(nk * 2, sizeof *on_smp);
        h->ir = objr__calloc(nk * 2 * n_rs, sizeof *h->ir);
        h->delay = objr__calloc(nk * 2, sizeof *h->delay);
        h->energy = objr__calloc(nk * 2, sizeof *h->energy);
        if (!raw || !onset || !on_smp || !h->ir || !h->delay || !h->energy)
            st = OBJR_ERR_NOMEM;
    }
    h->n_taps = n_rs;
    if (st == OBJR_OK)
        st = resample_responses(h, s, keep, n_rs, raw, on_smp, onset, &min_on, &min_o, name, diag);
    if (st == OBJR_OK)
        st = align_responses(h, raw, on_smp, onset, min_on, min_o, name, diag);
    if (st == OBJR_OK)
        st = normalise_diffuse(h, name, diag);
    free(keep);
    free(raw);
    free(onset);
    free(on_smp);
    return st;
}

objr_status objr__hrtf_from_mysofa(struct MYSOFA_HRTF *s, const char *name, double rate_hz,
                                   objr_diag *diag, objr__hrtf **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!name)
        name = "<memory>";
    if (!s || !(rate_hz >= 8000.0 && rate_hz <= 768000.0))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: invalid arguments (rate %g Hz)", name, rate_hz);
    objr_status st = check_sofa(s, name, diag);
    if (st != OBJR_OK)
        return st;
    objr__hrtf *h = objr__calloc(1, sizeof *h);
    if (!h)
        return OBJR_ERR_NOMEM;
    h->rate_hz = rate_hz;
    h->sofa_rate_hz = s->DataSamplingRate.values[0];
    if ((st = build_hrtf(h, s, name, diag)) != OBJR_OK) {
        objr__hrtf_destroy(h);
        return st;
    }
    *out = h;
    return OBJR_OK;
}

objr_status objr__hrtf_load_file(const char *path, double rate_hz, objr_diag *diag,
                                 objr__hrtf **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!path)
        path = DEFAULT_SOFA;
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    FILE *f = fopen(path, "rb");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    objr_status st = OBJR_OK;
    for (;;) {
        if (len == cap) {
            if (cap >= OBJR__HRTF_MAX_FILE_BYTES) {
                st = fail(diag, path, "%s", "file larger than 512 MiB");
                break;
            }
            size_t ncap = cap ? cap * 2 : 1u << 20;
            unsigned char *nb = objr__realloc_array(buf, ncap, 1);
            if (!nb) {
                st = OBJR_ERR_NOMEM;
                break;
            }
            buf = nb, cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, len, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (st == OBJR_OK)
        st = objr__hrtf_load_mem(buf, len, path, rate_hz, diag, out);
    free(buf);
    return st;
}

/* The diffuse-field power response of both ears, @p p (n/2 + 1 bins): the measurements'
 * power spectra weighted by their solid angles (h->dfw). @p fw: t -> c, n points. */
static void diffuse_power(const objr__hrtf *h, size_t n, fftwf_plan fw, float *t, fftwf_complex *c,
                          double *p) {
    size_t nk = n / 2 + 1;
    for (size_t m = 0; m < h->n_meas; m++)
        for (size_t e = 0; e < 2; e++) {
            memset(t, 0, n * sizeof *t);
            memcpy(t, h->ir + (m * 2 + e) * h->n_taps, h->n_taps * sizeof *t);
            fftwf_execute(fw);
            for (size_t k = 0; k < nk; k++)
                p[k] += 0.5 * h->dfw[m] * ((double)c[k][0] * c[k][0] + (double)c[k][1] * c[k][1]);
        }
}

/* The equalising gains @p g from the power response's prefix sums @p ps: third-octave smoothing
 * (a mean over k 2^-1/6 .. k 2^1/6) between bins @p k_lo and @p k_hi, held flat outside. */
static void smoothed_gains(const double *ps, size_t nk, size_t k_lo, size_t k_hi, double *g) {
    for (size_t k = k_lo; k <= k_hi; k++) {
        size_t a = (size_t)floor((double)k * pow(2.0, -1.0 / 6.0));
        size_t b = (size_t)ceil((double)k * pow(2.0, 1.0 / 6.0));
        if (b >= nk)
            b = nk - 1;
        double mean = (ps[b + 1] - ps[a]) / (double)(b + 1 - a);
        g[k] = mean > 1e-30 ? sqrt(OBJR__HRTF_DIFFUSE_ENERGY / mean) : 1.0;
    }
    for (size_t k = 0; k < k_lo; k++)
        g[k] = g[k_lo];
    for (size_t k = k_hi + 1; k < nk; k++)
        g[k] = g[k_hi];
    /* the equalised diffuse-field power response is flat at OBJR__HRTF_DIFFUSE_ENERGY per ear
     * (-3 dB: a diffuse field's power shared by the two ears, as the unequalised set's energy
     * normalisation has it), boost and cut limited to +-15 dB around the middle of the range */
    double lo = 1e300, hi = 0;
    for (size_t k = k_lo; k <= k_hi; k++)
        lo = fmin(lo, g[k]), hi = fmax(hi, g[k]);
    double med = sqrt(lo * hi); /* the middle of the range in dB */
    for (size_t k = 0; k < nk; k++)
        g[k] = fmin(fmax(g[k], med * pow(10.0, -15.0 / 20.0)), med * pow(10.0, 15.0 / 20.0));
}

/* The minimum-phase FIR of magnitude @p g (real cepstrum, folded onto positive quefrencies),
 * its first @p taps samples into @p out with the last quarter faded out (half Hann). */
static void minimum_phase(size_t n, const double *g, fftwf_plan fw, fftwf_plan bw, float *t,
                          fftwf_complex *c, size_t taps, float *out) {
    size_t nk = n / 2 + 1;
    for (size_t k = 0; k < nk; k++)
        c[k][0] = (float)log(g[k]), c[k][1] = 0.0f;
    fftwf_execute(bw); /* cepstrum x n */
    for (size_t i = 0; i < n; i++) {
        double w = i == 0 || i == n / 2 ? 1.0 : i < n / 2 ? 2.0 : 0.0;
        t[i] = (float)(w * t[i] / (double)n);
    }
    fftwf_execute(fw);
    for (size_t k = 0; k < nk; k++) {
        double mag = exp((double)c[k][0]), ph = c[k][1];
        c[k][0] = (float)(mag * cos(ph));
        c[k][1] = (float)(mag * sin(ph));
    }
    fftwf_execute(bw);
    for (size_t i = 0; i < taps; i++) {
        double w = 1.0;
        size_t f0 = taps - taps / 4;
        if (i >= f0)
            w = 0.5 * (1.0 + cos(OBJR_PI * (double)(i - f0) / (double)(taps / 4)));
        out[i] = (float)(w * t[i] / (double)n);
    }
}

objr_status objr__hrtf_diffuse_eq(const objr__hrtf *h, size_t taps, float *out) {
    if (!h || !out || taps < 16 || taps > 16384)
        return OBJR_ERR_INVALID_ARG;
    size_t n = 1024;
    while (n < 4 * taps || n < 2 * h->n_taps)
        n <<= 1;
    size_t nk = n / 2 + 1;
    float *t = fftwf_malloc(n * sizeof *t);
    fftwf_complex *c = fftwf_malloc(nk * sizeof *c);
    double *p = objr__calloc(nk, sizeof *p), *ps = objr__calloc(nk + 1, sizeof *ps);
    objr_status st = OBJR_OK;
    fftwf_plan fw = NULL, bw = NULL;
    if (!t || !c || !p || !ps) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    objr__fftw_lock();
    fw = fftwf_plan_dft_r2c_1d((int)n, t, c, FFTW_ESTIMATE);
    bw = fftwf_plan_dft_c2r_1d((int)n, c, t, FFTW_ESTIMATE);
    objr__fftw_unlock();
    if (!fw || !bw) {
        st = OBJR_ERR_INTERNAL;
        goto done;
    }
    diffuse_power(h, n, fw, t, c, p);
    for (size_t k = 0; k < nk; k++)
        ps[k + 1] = ps[k] + p[k];
    /* the equalised band: 150 Hz to 16 kHz, below 0.45 x either rate */
    double bin_hz = h->rate_hz / (double)n;
    double f_hi = fmin(16000.0, 0.45 * h->sofa_rate_hz);
    f_hi = fmin(f_hi, 0.45 * h->rate_hz);
    size_t k_lo = (size_t)ceil(150.0 / bin_hz), k_hi = (size_t)floor(f_hi / bin_hz);
    if (k_hi >= nk)
        k_hi = nk - 1;
    if (k_lo < 1)
        k_lo = 1;
    if (k_hi < k_lo)
        k_hi = k_lo;
    double *g = objr__calloc(nk, sizeof *g);
    if (!g) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    smoothed_gains(ps, nk, k_lo, k_hi, g);
    minimum_phase(n, g, fw, bw, t, c, taps, out);
    free(g);
done:
    objr__fftw_lock();
    if (fw)
        fftwf_destroy_plan(fw);
    if (bw)
        fftwf_destroy_plan(bw);
    objr__fftw_unlock();
    fftwf_free(t);
    fftwf_free(c);
    free(p);
    free(ps);
    return st;
}
