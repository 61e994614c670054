/* SPDX-License-Identifier: BSD-3-Clause */
/* Spatial coding emulation (see spatial_coding.h and renderers/README.md): per analysis frame,
 * loudness-weighted agglomerative clustering of the active sources into the element budget,
 * element slots matched to the previous frame by shared loudness, matrix rows turned towards
 * their targets at a bounded angular rate, merged elements moved at a bounded speed. Positions
 * live in the BS.2127-1 §10 cube. */
#include "renderers/spatial_coding.h"

#include <math.h>
#include <string.h>

#include "renderers/loudspeaker/allocentric.h"
#include "src/core/geom.h"

/* A pair may be merged only while its distance is within FAR_RATIO of the closest pair's:
 * loudness picks among near pairs, it never makes a far pair merge before a close one. */
#define FAR_RATIO 2.0
/* Loudness weight of a source: energy^LOUDNESS_EXPONENT (Stevens' power law, loudness grows
 * as intensity^0.3: a source 10 dB quieter weighs half, not a tenth). */
#define LOUDNESS_EXPONENT 0.3
/* Weight added to every source when matching clusters to slots, so that silent-but-active
 * sources still keep their slot. */
#define MATCH_EPS 1e-20
/* An element jumps to its new position instead of gliding when the energy of the sources
 * entering it is this many times (6 dB) that of the sources it already carries. */
#define ONSET_MASK_RATIO 4.0
/* Closeness under which a turning row snaps onto its target (radians). */
#define SNAP_RAD 1e-9

struct objr__sc {
    objr__sc_config cfg;
    size_t n, n_el, budget, lfe_slot; /* lfe_slot == n_el: no LFE element */
    int *is_lfe;
    double step_rad, max_step; /* per frame */
    double release;            /* per-frame energy decay of the loudness follower */
    unsigned hold_frames;
    int started;
    /* per source */
    double *loud_e; /* smoothed energy */
    unsigned *hold; /* frames left before the source counts as inactive */
    int *active;    /* coded this frame */
    double *energy; /* this frame's energy */
    double (*pos)[3];
    double *mat;      /* n x n_el */
    double *prev_mat; /* the matrix of the previous frame */
    size_t *slot;     /* target slot, SIZE_MAX: none */
    unsigned *wait;   /* frames a source has waited for its new element to empty */
    unsigned wait_frames;
    /* per element */
    double (*el_pos)[3];
    objr__sc_kind *kind;
    /* clustering scratch */
    size_t *cl_of; /* per source: cluster index */
    double (*cl_pos)[3];
    double *cl_w; /* energy: weights the centroid */
    double *cl_l; /* loudness: energy^LOUDNESS_EXPONENT */
    double *cl_d; /* n x n distances between clusters */
    int *cl_alive;
    size_t *cl_slot;
    int *slot_used;
    double *overlap; /* n x n_el */
};

objr__sc_config objr__sc_config_default(void) {
    objr__sc_config c;
    memset(&c, 0, sizeof c);
    c.n_elements = 16;
    c.frame_s = 1024.0 / 48000.0;
    c.crossfade_s = 0.1;
    c.max_speed = 24.0;
    c.release_s = 0.2;
    c.hold_s = 0.2;
    c.floor_energy = 1e-10;
    return c;
}

void objr__sc_destroy(objr__sc *sc) {
    if (!sc)
        return;
    objr__freep(&sc->is_lfe);
    objr__freep(&sc->loud_e);
    objr__freep(&sc->hold);
    objr__freep(&sc->active);
    objr__freep(&sc->energy);
    objr__freep(&sc->pos);
    objr__freep(&sc->mat);
    objr__freep(&sc->prev_mat);
    objr__freep(&sc->slot);
    objr__freep(&sc->wait);
    objr__freep(&sc->el_pos);
    objr__freep(&sc->kind);
    objr__freep(&sc->cl_of);
    objr__freep(&sc->cl_pos);
    objr__freep(&sc->cl_w);
    objr__freep(&sc->cl_l);
    objr__freep(&sc->cl_d);
    objr__freep(&sc->cl_alive);
    objr__freep(&sc->cl_slot);
    objr__freep(&sc->slot_used);
    objr__freep(&sc->overlap);
    objr__freep(&sc);
}

objr_status objr__sc_create(const objr__sc_config *cfg, objr__sc **out) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (!cfg || cfg->n_sources == 0 || cfg->n_elements < 1 ||
        cfg->n_elements > OBJR__SC_MAX_ELEMENTS || !(cfg->frame_s > 0) || !(cfg->crossfade_s > 0) ||
        !(cfg->max_speed > 0) || !(cfg->release_s > 0) || !(cfg->hold_s >= 0) ||
        !(cfg->floor_energy >= 0))
        return OBJR_ERR_INVALID_ARG;
    objr__sc *sc = objr__calloc(1, sizeof *sc);
    if (!sc)
        return OBJR_ERR_NOMEM;
    const size_t n = cfg->n_sources, ne = cfg->n_elements;
    size_t nm;
    size_t nn;
    if (!objr__mul_size(n, ne, &nm) || !objr__mul_size(n, n, &nn))
        goto fail;
    sc->cfg = *cfg;
    sc->cfg.is_lfe = NULL;
    sc->n = n;
    sc->n_el = ne;
    sc->is_lfe = objr__calloc(n, sizeof *sc->is_lfe);
    sc->loud_e = objr__calloc(n, sizeof *sc->loud_e);
    sc->hold = objr__calloc(n, sizeof *sc->hold);
    sc->active = objr__calloc(n, sizeof *sc->active);
    sc->energy = objr__calloc(n, sizeof *sc->energy);
    sc->pos = objr__calloc(n, sizeof *sc->pos);
    sc->mat = objr__calloc(nm, sizeof *sc->mat);
    sc->prev_mat = objr__calloc(nm, sizeof *sc->prev_mat);
    sc->slot = objr__calloc(n, sizeof *sc->slot);
    sc->wait = objr__calloc(n, sizeof *sc->wait);
    sc->el_pos = objr__calloc(ne, sizeof *sc->el_pos);
    sc->kind = objr__calloc(ne, sizeof *sc->kind);
    sc->cl_of = objr__calloc(n, sizeof *sc->cl_of);
    sc->cl_pos = objr__calloc(n, sizeof *sc->cl_pos);
    sc->cl_w = objr__calloc(n, sizeof *sc->cl_w);
    sc->cl_l = objr__calloc(n, sizeof *sc->cl_l);
    sc->cl_alive = objr__calloc(n, sizeof *sc->cl_alive);
    sc->cl_slot = objr__calloc(n, sizeof *sc->cl_slot);
    sc->slot_used = objr__calloc(ne, sizeof *sc->slot_used);
    sc->overlap = objr__calloc(nm, sizeof *sc->overlap);
    sc->cl_d = objr__calloc(nn, sizeof *sc->cl_d);
    if (!sc->is_lfe || !sc->loud_e || !sc->hold || !sc->active || !sc->energy || !sc->pos ||
        !sc->mat || !sc->prev_mat || !sc->slot || !sc->wait || !sc->el_pos || !sc->kind ||
        !sc->cl_of || !sc->cl_pos || !sc->cl_w || !sc->cl_l || !sc->cl_d || !sc->cl_alive ||
        !sc->cl_slot || !sc->slot_used || !sc->overlap)
        goto fail;
    int any_lfe = 0;
    for (size_t s = 0; s < n; s++) {
        sc->is_lfe[s] = cfg->is_lfe && cfg->is_lfe[s];
        any_lfe |= sc->is_lfe[s];
    }
    /* The LFE takes the last element (counted in N, as an element of its own); with N = 1 it
     * is still kept apart and the one element carries every other source. */
    sc->lfe_slot = any_lfe ? ne - 1 : ne;
    sc->budget = any_lfe && ne > 1 ? ne - 1 : ne;
    if (any_lfe && ne == 1)
        sc->lfe_slot = ne; /* no slot to reserve: LFE rows stay zero (rendered as themselves) */
    sc->step_rad = (OBJR_PI / 2.0) * cfg->frame_s / cfg->crossfade_s;
    sc->max_step = cfg->max_speed * cfg->frame_s;
    sc->release = exp(-cfg->frame_s / cfg->release_s);
    sc->hold_frames = (unsigned)ceil(cfg->hold_s / cfg->frame_s);
    sc->wait_frames = (unsigned)ceil(cfg->crossfade_s / cfg->frame_s);
    objr__sc_reset(sc);
    *out = sc;
    return OBJR_OK;
fail:
    objr__sc_destroy(sc);
    return OBJR_ERR_NOMEM;
}

void objr__sc_reset(objr__sc *sc) {
    sc->started = 0;
    memset(sc->mat, 0, sc->n * sc->n_el * sizeof *sc->mat);
    memset(sc->loud_e, 0, sc->n * sizeof *sc->loud_e);
    memset(sc->hold, 0, sc->n * sizeof *sc->hold);
    memset(sc->active, 0, sc->n * sizeof *sc->active);
    memset(sc->wait, 0, sc->n * sizeof *sc->wait);
    memset(sc->energy, 0, sc->n * sizeof *sc->energy);
    for (size_t e = 0; e < sc->n_el; e++) {
        sc->kind[e] = e == sc->lfe_slot ? OBJR__SC_LFE : OBJR__SC_EMPTY;
        sc->el_pos[e][0] = sc->el_pos[e][1] = sc->el_pos[e][2] = 0.0;
    }
}

static double dist3(const double a[3], const double b[3]) {
    double d[3];
    objr__geom_sub3(a, b, d);
    return sqrt(objr__geom_dot3(d, d));
}

/* Loudness followers and activity (instant attack, exponential release; a hold so a source
 * does not flap between coded and not coded across short gaps). */
static void follow_levels(objr__sc *sc, const objr__sc_source *src) {
    for (size_t s = 0; s < sc->n; s++) {
        const double e = isfinite(src[s].energy) && src[s].energy > 0 ? src[s].energy : 0.0;
        sc->energy[s] = src[s].present ? e : 0.0;
        memcpy(sc->pos[s], src[s].pos, sizeof sc->pos[s]);
        for (int k = 0; k < 3; k++)
            if (!isfinite(sc->pos[s][k]))
                sc->pos[s][k] = 0.0;
        const double decayed = sc->loud_e[s] * sc->release;
        sc->loud_e[s] = sc->energy[s] > decayed ? sc->energy[s] : decayed;
        if (src[s].present && sc->energy[s] > sc->cfg.floor_energy)
            sc->hold[s] = sc->hold_frames + 1;
        else if (sc->hold[s])
            sc->hold[s]--;
        sc->active[s] = src[s].present && sc->hold[s] > 0;
    }
}

/* Merge the pair chosen by the rule of FAR_RATIO: among pairs no farther than FAR_RATIO times
 * the closest pair, the one with the smallest distance x quieter loudness. */
static void merge_once(objr__sc *sc, size_t n_cl) {
    const size_t n = sc->n;
    const double *dm = sc->cl_d;
    double d_min = INFINITY;
    for (size_t a = 0; a < n_cl; a++)
        for (size_t b = a + 1; sc->cl_alive[a] && b < n_cl; b++)
            if (sc->cl_alive[b] && dm[a * n + b] < d_min)
                d_min = dm[a * n + b];
    const double d_lim = d_min * FAR_RATIO + 1e-12;
    size_t ba = 0, bb = 0;
    double best = INFINITY, best_d = INFINITY;
    for (size_t a = 0; a < n_cl; a++)
        for (size_t b = a + 1; sc->cl_alive[a] && b < n_cl; b++) {
            const double d = dm[a * n + b];
            if (!sc->cl_alive[b] || d > d_lim)
                continue;
            double q = sc->cl_l[a] < sc->cl_l[b] ? sc->cl_l[a] : sc->cl_l[b];
            double cost = d * q;
            if (cost < best || (cost == best && d < best_d)) {
                best = cost;
                best_d = d;
                ba = a;
                bb = b;
            }
        }
    const double wa = sc->cl_w[ba], wb = sc->cl_w[bb], w = wa + wb;
    for (int k = 0; k < 3; k++)
        sc->cl_pos[ba][k] = w > 0 ? (wa * sc->cl_pos[ba][k] + wb * sc->cl_pos[bb][k]) / w
                                  : 0.5 * (sc->cl_pos[ba][k] + sc->cl_pos[bb][k]);
    sc->cl_w[ba] = w;
    sc->cl_l[ba] = pow(w, LOUDNESS_EXPONENT);
    sc->cl_alive[bb] = 0;
    for (size_t c = 0; c < n_cl; c++) /* the merged cluster's distances */
        if (sc->cl_alive[c] && c != ba)
            sc->cl_d[ba * n + c] = sc->cl_d[c * n + ba] = dist3(sc->cl_pos[ba], sc->cl_pos[c]);
    for (size_t s = 0; s < sc->n; s++)
        if (sc->cl_of[s] == bb)
            sc->cl_of[s] = ba;
}

/* Cluster the active non-LFE sources into at most `budget` clusters (cl_of per source, SIZE_MAX
 * for the others); returns the number of cluster indices used (alive or not). */
static size_t cluster(objr__sc *sc) {
    size_t n_cl = 0, n_alive = 0;
    for (size_t s = 0; s < sc->n; s++) {
        sc->cl_of[s] = SIZE_MAX;
        if (!sc->active[s] || sc->is_lfe[s])
            continue;
        sc->cl_of[s] = n_cl;
        memcpy(sc->cl_pos[n_cl], sc->pos[s], sizeof sc->cl_pos[n_cl]);
        sc->cl_w[n_cl] = sc->loud_e[s];
        sc->cl_l[n_cl] = pow(sc->loud_e[s], LOUDNESS_EXPONENT);
        sc->cl_alive[n_cl] = 1;
        n_cl++;
        n_alive++;
    }
    if (n_alive > sc->budget)
        for (size_t a = 0; a < n_cl; a++)
            for (size_t b = a + 1; b < n_cl; b++)
                sc->cl_d[a * sc->n + b] = sc->cl_d[b * sc->n + a] =
                    dist3(sc->cl_pos[a], sc->cl_pos[b]);
    for (; n_alive > sc->budget; n_alive--)
        merge_once(sc, n_cl);
    return n_cl;
}

/* Give each cluster an element slot: greedily by the loudness the cluster's members already
 * have in a slot (so elements keep their identity from frame to frame), then free slots,
 * empty ones first. */
static void match_slots(objr__sc *sc, size_t n_cl) {
    const size_t ne = sc->n_el;
    memset(sc->overlap, 0, n_cl * ne * sizeof *sc->overlap);
    memset(sc->slot_used, 0, ne * sizeof *sc->slot_used);
    if (sc->lfe_slot < ne)
        sc->slot_used[sc->lfe_slot] = 1;
    for (size_t c = 0; c < n_cl; c++)
        sc->cl_slot[c] = SIZE_MAX;
    for (size_t s = 0; s < sc->n; s++) {
        size_t c = sc->cl_of[s];
        if (c == SIZE_MAX)
            continue;
        double w = pow(sc->loud_e[s], LOUDNESS_EXPONENT) + MATCH_EPS;
        for (size_t e = 0; e < ne; e++) {
            double g = sc->mat[s * ne + e];
            sc->overlap[c * ne + e] += g * g * w;
        }
    }
    for (;;) {
        double best = 0.0;
        size_t bc = SIZE_MAX, be = SIZE_MAX;
        for (size_t c = 0; c < n_cl; c++)
            for (size_t e = 0; sc->cl_alive[c] && sc->cl_slot[c] == SIZE_MAX && e < ne; e++)
                if (!sc->slot_used[e] && sc->overlap[c * ne + e] > best) {
                    best = sc->overlap[c * ne + e];
                    bc = c;
                    be = e;
                }
        if (bc == SIZE_MAX)
            break;
        sc->cl_slot[bc] = be;
        sc->slot_used[be] = 1;
    }
    /* Clusters new to every slot: an empty slot, else the free slot nearest to them (the
     * shortest glide while its old content fades out). */
    for (int pass = 0; pass < 2; pass++)
        for (size_t c = 0; c < n_cl; c++) {
            if (!sc->cl_alive[c] || sc->cl_slot[c] != SIZE_MAX)
                continue;
            size_t best = SIZE_MAX;
            double best_d = INFINITY;
            for (size_t e = 0; e < ne; e++) {
                if (sc->slot_used[e] || (pass == 0 && sc->kind[e] != OBJR__SC_EMPTY))
                    continue;
                double d = pass == 0 ? 0.0 : dist3(sc->el_pos[e], sc->cl_pos[c]);
                if (d < best_d) {
                    best_d = d;
                    best = e;
                }
            }
            if (best != SIZE_MAX) {
                sc->cl_slot[c] = best;
                sc->slot_used[best] = 1;
            }
        }
}

/* Turn row r (unit, non-negative) towards the unit vector of slot t by at most step_rad along
 * the great circle; snaps onto the target once within the step. */
static void turn_row(double *r, size_t ne, size_t t, double step_rad) {
    double c = r[t] > 1.0 ? 1.0 : r[t];
    double theta = acos(c);
    if (theta <= step_rad + SNAP_RAD) {
        memset(r, 0, ne * sizeof *r);
        r[t] = 1.0;
        return;
    }
    const double a = sin(theta - step_rad) / sin(theta), b = sin(step_rad) / sin(theta);
    double norm = 0.0;
    for (size_t e = 0; e < ne; e++) {
        r[e] = a * r[e] + (e == t ? b : 0.0);
        norm += r[e] * r[e];
    }
    norm = sqrt(norm);
    for (size_t e = 0; e < ne; e++)
        r[e] /= norm;
}

/* Target slot of every source (SIZE_MAX: not coded). */
static void targets(objr__sc *sc) {
    for (size_t s = 0; s < sc->n; s++) {
        size_t t = SIZE_MAX;
        if (sc->active[s])
            t = sc->is_lfe[s] ? sc->lfe_slot : sc->cl_slot[sc->cl_of[s]];
        sc->slot[s] = t < sc->n_el ? t : SIZE_MAX;
    }
}

/* Does a source other than s still have gain in slot t while heading elsewhere? Then s waits
 * (up to wait_frames) before it enters: the element is handed over empty instead of gliding
 * from its old content to its new one. */
static int slot_busy(const objr__sc *sc, size_t s, size_t t) {
    for (size_t u = 0; u < sc->n; u++)
        if (u != s && sc->prev_mat[u * sc->n_el + t] > 0.0 && sc->slot[u] != SIZE_MAX &&
            sc->slot[u] != t)
            return 1;
    return 0;
}

static void update_rows(objr__sc *sc) {
    const size_t ne = sc->n_el;
    targets(sc);
    for (size_t s = 0; s < sc->n; s++) {
        double *r = sc->mat + s * ne;
        const size_t t = sc->slot[s];
        if (t == SIZE_MAX) {
            memset(r, 0, ne * sizeof *r); /* not coded: rendered as itself */
            sc->wait[s] = 0;
            continue;
        }
        double sum = 0.0;
        for (size_t e = 0; e < ne; e++)
            sum += r[e] * r[e];
        if (!sc->started || sum == 0.0) {
            memset(r, 0, ne * sizeof *r); /* was silent: no crossfade needed */
            r[t] = 1.0;
        } else if (r[t] == 0.0 && sc->wait[s] < sc->wait_frames && slot_busy(sc, s, t)) {
            sc->wait[s]++;
        } else {
            turn_row(r, ne, t, sc->step_rad);
        }
        if (r[t] == 1.0)
            sc->wait[s] = 0;
    }
}

/* Element kinds and positions at the end of the frame. */
static void update_elements(objr__sc *sc) {
    const size_t ne = sc->n_el;
    for (size_t e = 0; e < ne; e++) {
        if (e == sc->lfe_slot)
            continue;
        size_t n_mem = 0, only = SIZE_MAX;
        double c[3] = {0, 0, 0}, wsum = 0.0, csum[3] = {0, 0, 0}, e_new = 0.0, e_kept = 0.0;
        for (size_t s = 0; s < sc->n; s++) {
            double g = sc->mat[s * ne + e];
            if (g <= 0.0)
                continue;
            n_mem++;
            only = s;
            double w = g * g * (sc->loud_e[s] + MATCH_EPS);
            for (int k = 0; k < 3; k++) {
                c[k] += w * sc->pos[s][k];
                csum[k] += g * g * sc->pos[s][k];
            }
            wsum += w;
            if (sc->prev_mat[s * ne + e] > 0.0)
                e_kept += g * g * sc->energy[s];
            else
                e_new += g * g * sc->energy[s];
        }
        const objr__sc_kind prev = sc->kind[e];
        if (n_mem == 0) {
            sc->kind[e] = OBJR__SC_EMPTY;
            continue;
        }
        if (n_mem == 1 && sc->mat[only * ne + e] == 1.0 &&
            (prev != OBJR__SC_MERGED || dist3(sc->el_pos[e], sc->pos[only]) <= sc->max_step)) {
            sc->kind[e] = OBJR__SC_SINGLE;
            memcpy(sc->el_pos[e], sc->pos[only], sizeof sc->el_pos[e]);
            continue;
        }
        for (int k = 0; k < 3; k++)
            c[k] = wsum > 0 ? c[k] / wsum : csum[k];
        sc->kind[e] = OBJR__SC_MERGED;
        /* Nothing audible here before, or sources entering that are ONSET_MASK_RATIO louder
         * than what the element already carries: those mask the jump. */
        if (prev == OBJR__SC_EMPTY || !sc->started || e_new > ONSET_MASK_RATIO * e_kept) {
            memcpy(sc->el_pos[e], c, sizeof c);
            continue;
        }
        double d = dist3(c, sc->el_pos[e]);
        double f = d > sc->max_step ? sc->max_step / d : 1.0;
        for (int k = 0; k < 3; k++)
            sc->el_pos[e][k] += f * (c[k] - sc->el_pos[e][k]);
    }
}

void objr__sc_update(objr__sc *sc, const objr__sc_source *src) {
    memcpy(sc->prev_mat, sc->mat, sc->n * sc->n_el * sizeof *sc->mat);
    follow_levels(sc, src);
    size_t n_cl = cluster(sc);
    match_slots(sc, n_cl);
    update_rows(sc);
    update_elements(sc);
    sc->started = 1;
}

double objr__sc_gain(const objr__sc *sc, size_t s, size_t e) {
    return s < sc->n && e < sc->n_el ? sc->mat[s * sc->n_el + e] : 0.0;
}

const double *objr__sc_matrix(const objr__sc *sc) {
    return sc->mat;
}

objr__sc_kind objr__sc_element(const objr__sc *sc, size_t e, double pos[3]) {
    if (e >= sc->n_el)
        return OBJR__SC_EMPTY;
    if (pos)
        memcpy(pos, sc->el_pos[e], sizeof sc->el_pos[e]);
    return sc->kind[e];
}

size_t objr__sc_n_active(const objr__sc *sc) {
    size_t k = 0;
    for (size_t s = 0; s < sc->n; s++)
        k += sc->active[s] && !sc->is_lfe[s];
    return k;
}

double objr__sc_angle_deg(const double a[3], const double b[3]) {
    double az, el, d, u[3], v[3];
    if (objr__geom_dot3(a, a) == 0.0 || objr__geom_dot3(b, b) == 0.0)
        return 0.0;
    objr__point_cart_to_polar(a[0], a[1], a[2], &az, &el, &d);
    objr__geom_cart(az, el, 1.0, u);
    objr__point_cart_to_polar(b[0], b[1], b[2], &az, &el, &d);
    objr__geom_cart(az, el, 1.0, v);
    if (memcmp(a, b, 3 * sizeof *a) == 0)
        return 0.0;
    double c = objr__geom_dot3(u, v);
    c = c > 1.0 ? 1.0 : c < -1.0 ? -1.0 : c;
    return acos(c) * 180.0 / OBJR_PI;
}

/* Error of source s against its elements (degrees). */
static double source_error(const objr__sc *sc, size_t s) {
    double err = 0.0;
    for (size_t e = 0; e < sc->n_el; e++) {
        double g = sc->mat[s * sc->n_el + e];
        if (g > 0.0)
            err += g * g * objr__sc_angle_deg(sc->pos[s], sc->el_pos[e]);
    }
    return err;
}

double objr__sc_source_error(const objr__sc *sc, size_t s) {
    if (s >= sc->n || !sc->active[s] || sc->is_lfe[s] || !(sc->energy[s] > sc->cfg.floor_energy))
        return -1.0;
    return source_error(sc, s);
}

size_t objr__sc_worst_source(const objr__sc *sc) {
    size_t worst = SIZE_MAX;
    double mx = 0.0;
    for (size_t s = 0; s < sc->n; s++) {
        if (!sc->active[s] || sc->is_lfe[s] || !(sc->energy[s] > sc->cfg.floor_energy))
            continue;
        double err = source_error(sc, s);
        if (err > mx) {
            mx = err;
            worst = s;
        }
    }
    return worst;
}

void objr__sc_error(const objr__sc *sc, double *mean_deg, double *max_deg, double *weight) {
    double sum = 0.0, wsum = 0.0, mx = 0.0;
    for (size_t s = 0; s < sc->n; s++) {
        if (!sc->active[s] || sc->is_lfe[s])
            continue;
        const double err = source_error(sc, s);
        sum += sc->energy[s] * err;
        wsum += sc->energy[s];
        if (sc->energy[s] > sc->cfg.floor_energy && err > mx)
            mx = err;
    }
    *mean_deg = wsum > 0 ? sum / wsum : 0.0;
    *max_deg = mx;
    *weight = wsum;
}
