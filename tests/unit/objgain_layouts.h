/* SPDX-License-Identifier: BSD-3-Clause */
/* Test-only BS.2051 layouts (nominal positions) for the Objects gain tests, built here so the
 * tests do not depend on the layout registry. */
#ifndef OBJR_TESTS_UNIT_OBJGAIN_LAYOUTS_H
#define OBJR_TESTS_UNIT_OBJGAIN_LAYOUTS_H

#include <stdio.h>
#include <string.h>

#include "layouts/layout.h"

typedef struct tl_spk {
    const char *label;
    double az, el;
} tl_spk;

static inline void tl_make(objr__layout *l, const char *name, const tl_spk *s, size_t n) {
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->n_speakers = n;
    for (size_t i = 0; i < n; i++) {
        objr__speaker *p = &l->speakers[i];
        snprintf(p->label, sizeof p->label, "%s", s[i].label);
        p->azimuth_deg = p->nominal_azimuth_deg = p->azimuth_min_deg = p->azimuth_max_deg = s[i].az;
        p->elevation_deg = p->nominal_elevation_deg = p->elevation_min_deg = p->elevation_max_deg =
            s[i].el;
        p->distance_m = 1.0;
        p->is_lfe = !strncmp(s[i].label, "LFE", 3);
        l->file_order[i] = (int)i;
    }
}

static inline void tl_714(objr__layout *l) {
    static const tl_spk s[] = {{"M+030", 30, 0},   {"M-030", -30, 0},  {"M+000", 0, 0},
                               {"LFE1", 45, -30},  {"M+090", 90, 0},   {"M-090", -90, 0},
                               {"M+135", 135, 0},  {"M-135", -135, 0}, {"U+045", 45, 30},
                               {"U-045", -45, 30}, {"U+135", 135, 30}, {"U-135", -135, 30}};
    tl_make(l, "4+7+0", s, sizeof s / sizeof s[0]);
}

static inline void tl_51(objr__layout *l) {
    static const tl_spk s[] = {{"M+030", 30, 0},  {"M-030", -30, 0}, {"M+000", 0, 0},
                               {"LFE1", 45, -30}, {"M+110", 110, 0}, {"M-110", -110, 0}};
    tl_make(l, "0+5+0", s, sizeof s / sizeof s[0]);
}

static inline void tl_22_2(objr__layout *l) {
    static const tl_spk s[] = {
        {"M+060", 60, 0},   {"M-060", -60, 0},   {"M+000", 0, 0},    {"LFE1", 45, -30},
        {"M+135", 135, 0},  {"M-135", -135, 0},  {"M+030", 30, 0},   {"M-030", -30, 0},
        {"M+180", 180, 0},  {"LFE2", -45, -30},  {"M+090", 90, 0},   {"M-090", -90, 0},
        {"U+045", 45, 30},  {"U-045", -45, 30},  {"U+000", 0, 30},   {"T+000", 0, 90},
        {"U+135", 135, 30}, {"U-135", -135, 30}, {"U+090", 90, 30},  {"U-090", -90, 30},
        {"U+180", 180, 30}, {"B+000", 0, -30},   {"B+045", 45, -30}, {"B-045", -45, -30}};
    tl_make(l, "9+10+3", s, sizeof s / sizeof s[0]);
}

static inline int tl_index(const objr__layout *l, const char *label) {
    for (size_t i = 0; i < l->n_speakers; i++)
        if (!strcmp(l->speakers[i].label, label))
            return (int)i;
    return -1;
}

/* The speaker that mirrors @p i left/right (label sign swapped), or i itself. */
static inline int tl_mirror(const objr__layout *l, size_t i) {
    char m[OBJR__SPEAKER_LABEL_SIZE];
    snprintf(m, sizeof m, "%s", l->speakers[i].label);
    char *p = strpbrk(m, "+-");
    if (!p || !strcmp(p + 1, "000") || !strcmp(p + 1, "180") || l->speakers[i].is_lfe)
        return (int)i;
    *p = *p == '+' ? '-' : '+';
    int k = tl_index(l, m);
    return k < 0 ? (int)i : k;
}

#endif /* OBJR_TESTS_UNIT_OBJGAIN_LAYOUTS_H */
