/* SPDX-License-Identifier: BSD-3-Clause */
/* zoneExclusion for Objects (ITU-R BS.2127-1 §7.3.12): excluded-speaker test and the
 * priority-group downmix (same layer first, then up before down; keep front/back; nearest;
 * smallest front/back distance). */
#include "renderers/loudspeaker/zone_exclusion.h"

#include <math.h>
#include <stdlib.h>

#include "renderers/loudspeaker/allocentric.h"

#define ZONE_EPS 1e-6

static int layer_of(double el_deg) {
    if (el_deg < -10.0)
        return 0; /* bottom */
    if (el_deg < 10.0)
        return 1; /* middle */
    if (el_deg < 75.0)
        return 2; /* upper */
    return 3;     /* top */
}

static int sign_tol(double x) {
    return x > ZONE_EPS ? 1 : (x < -ZONE_EPS ? -1 : 0);
}

/* Moving between layers: prefer the same layer, then up before down. */
static const int layer_prio[4][4] = {{0, 1, 2, 3}, {3, 0, 1, 2}, {3, 2, 0, 1}, {3, 2, 1, 0}};

typedef struct zkey {
    double k[4];
} zkey;

static int key_close(const zkey *a, const zkey *b) {
    for (int i = 0; i < 4; i++)
        if (!(fabs(a->k[i] - b->k[i]) < ZONE_EPS))
            return 0;
    return 1;
}

static int key_less(const zkey *a, const zkey *b) {
    for (int i = 0; i < 4; i++) {
        if (a->k[i] < b->k[i])
            return 1;
        if (a->k[i] > b->k[i])
            return 0;
    }
    return 0;
}

void objr__zone_excl_init(objr__zone_excl *z, const objr__layout *layout) {
    size_t n = layout->n_speakers;
    z->n = n;
    for (size_t i = 0; i < n; i++) {
        const objr__speaker *s = &layout->speakers[i];
        z->is_lfe[i] = s->is_lfe;
        z->nom_az_deg[i] = s->nominal_azimuth_deg;
        z->nom_el_deg[i] = s->nominal_elevation_deg;
        objr__geom_cart(s->nominal_azimuth_deg, s->nominal_elevation_deg, 1.0, z->nom_pos[i]);
    }
    for (size_t i = 0; i < n; i++) {
        zkey gkeys[OBJR__MAX_SPEAKERS];
        size_t group_of[OBJR__MAX_SPEAKERS];
        size_t n_groups = 0;
        for (size_t j = 0; j < n; j++) {
            z->rank[i][j] = UINT8_MAX;
            if (z->is_lfe[i] || z->is_lfe[j])
                continue;
            const double *a = z->nom_pos[i], *b = z->nom_pos[j];
            zkey key;
            key.k[0] = layer_prio[layer_of(z->nom_el_deg[i])][layer_of(z->nom_el_deg[j])];
            key.k[1] = abs(sign_tol(a[1]) - sign_tol(b[1]));
            key.k[2] = sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                            (a[2] - b[2]) * (a[2] - b[2]));
            key.k[3] = fabs(a[1] - b[1]);
            /* group with the first earlier key within tolerance (the first key of a group is
             * its representative) */
            size_t g = n_groups;
            for (size_t q = 0; q < n_groups; q++)
                if (key_close(&key, &gkeys[q])) {
                    g = q;
                    break;
                }
            if (g == n_groups)
                gkeys[n_groups++] = key;
            group_of[j] = g;
        }
        /* rank groups by key */
        for (size_t j = 0; j < n; j++) {
            if (z->is_lfe[i] || z->is_lfe[j])
                continue;
            size_t r = 0;
            for (size_t q = 0; q < n_groups; q++)
                if (key_less(&gkeys[q], &gkeys[group_of[j]]))
                    r++;
            z->rank[i][j] = (uint8_t)r;
        }
    }
}

size_t objr__zone_excl_get_excluded(const objr__zone_excl *z, const objr__adm_zone *zones,
                                    size_t n_zones, int *excluded) {
    size_t count = 0;
    for (size_t i = 0; i < z->n; i++) {
        excluded[i] = 0;
        if (z->is_lfe[i])
            continue;
        for (size_t k = 0; k < n_zones && !excluded[i]; k++) {
            const objr__adm_zone *zn = &zones[k];
            if (zn->cartesian) {
                const double *p = z->nom_pos[i];
                excluded[i] = p[0] - ZONE_EPS < zn->max_x && p[1] - ZONE_EPS < zn->max_y &&
                              p[2] - ZONE_EPS < zn->max_z && p[0] + ZONE_EPS > zn->min_x &&
                              p[1] + ZONE_EPS > zn->min_y && p[2] + ZONE_EPS > zn->min_z;
            } else {
                double el = z->nom_el_deg[i];
                excluded[i] = el - ZONE_EPS < zn->max_elevation_deg &&
                              el + ZONE_EPS > zn->min_elevation_deg &&
                              (fabs(el) > 90.0 - ZONE_EPS ||
                               objr__geom_inside_angle_range(z->nom_az_deg[i], zn->min_azimuth_deg,
                                                             zn->max_azimuth_deg, ZONE_EPS));
            }
        }
        count += excluded[i] != 0;
    }
    return count;
}

void objr__zone_excl_apply(const objr__zone_excl *z, const int *excluded, double *gains) {
    size_t n_main = 0, n_ex = 0;
    for (size_t i = 0; i < z->n; i++) {
        if (z->is_lfe[i])
            continue;
        n_main++;
        n_ex += excluded[i] != 0;
    }
    if (n_ex == 0 || n_ex == n_main)
        return;
    double out[OBJR__MAX_SPEAKERS] = {0};
    for (size_t i = 0; i < z->n; i++) {
        if (z->is_lfe[i])
            continue;
        double p = gains[i] * gains[i];
        /* best group with a non-excluded member */
        unsigned best = UINT8_MAX;
        for (size_t j = 0; j < z->n; j++)
            if (!z->is_lfe[j] && !excluded[j] && z->rank[i][j] < best)
                best = z->rank[i][j];
        size_t cnt = 0;
        for (size_t j = 0; j < z->n; j++)
            if (!z->is_lfe[j] && !excluded[j] && z->rank[i][j] == best)
                cnt++;
        for (size_t j = 0; j < z->n; j++)
            if (!z->is_lfe[j] && !excluded[j] && z->rank[i][j] == best)
                out[j] += p / (double)cnt;
    }
    for (size_t i = 0; i < z->n; i++)
        gains[i] = z->is_lfe[i] ? gains[i] : sqrt(out[i]);
}
