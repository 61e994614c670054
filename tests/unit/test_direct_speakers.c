/* SPDX-License-Identifier: BSD-3-Clause */
/* DirectSpeakers (BS.2127 §8): beds land on their own speakers, the standard's mapping rules
 * for common-definition packs on smaller layouts (7.1.4 -> 5.1 and stereo), LFE only to LFE,
 * label variants, position bounds and the point-source fallback. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layouts/registry.h"
#include "renderers/loudspeaker/direct_speakers.h"

#define TOL 1e-9

typedef struct fx {
    objr__layout l;
    objr__psp *p;
    objr__direct_speakers *ds;
} fx;

static void setup(fx *f, const char *name) {
    ck_assert_int_eq(objr__layout_lookup(name, &f->l), OBJR_OK);
    ck_assert_int_eq(objr__psp_create(&f->l, &f->p), OBJR_OK);
    ck_assert_int_eq(objr__ds_create(&f->l, f->p, NULL, &f->ds), OBJR_OK);
}

static void teardown(fx *f) {
    objr__ds_destroy(f->ds);
    objr__psp_destroy(f->p);
}

/* A block with one label at the label's own nominal direction (as the common definitions
 * give it), no bounds. */
static void make_block(objr__adm_block_direct_speakers *b, char **labels, const char *label,
                       double az, double el) {
    memset(b, 0, sizeof(*b));
    labels[0] = (char *)label;
    b->speaker_labels = labels;
    b->n_speaker_labels = 1;
    b->coord[0].value = az;
    b->coord[1].value = el;
    b->coord[2].value = 1.0;
}

static void gains_for(const fx *f, const char *label, double az, double el, double lowpass,
                      const char *pack, double *g, objr__ds_route *rt) {
    objr__adm_block_direct_speakers b;
    char *labels[1];
    make_block(&b, labels, label, az, el);
    objr__ds_gains(f->ds, &b, lowpass, 0.0, pack, g, rt);
}

/* expected: '|'-separated "LABEL=gain" entries; every other speaker must be exactly 0 */
static void expect(const fx *f, const double *g, const char *what, const char *spec) {
    double want[OBJR__MAX_SPEAKERS] = {0};
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", spec);
    char *save = NULL;
    for (char *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        char *eq = strchr(t, '=');
        *eq = '\0';
        int k = objr__layout_find_label(&f->l, t);
        ck_assert_int_ge(k, 0);
        want[k] = strtod(eq + 1, NULL);
    }
    for (size_t k = 0; k < f->l.n_speakers; k++)
        if (fabs(g[k] - want[k]) > 1e-6)
            ck_abort_msg("%s on %s: %s = %g, want %g", what, f->l.name, f->l.speakers[k].label,
                         g[k], want[k]);
}

static const struct {
    const char *label;
    double az, el;
    double lowpass;
} bed714[] = {
    {"M+030", 30, 0, 0},  {"M-030", -30, 0, 0},  {"M+000", 0, 0, 0},    {"LFE", 0, -30, 120},
    {"M+090", 90, 0, 0},  {"M-090", -90, 0, 0},  {"M+135", 135, 0, 0},  {"M-135", -135, 0, 0},
    {"U+045", 45, 30, 0}, {"U-045", -45, 30, 0}, {"U+135", 135, 30, 0}, {"U-135", -135, 30, 0},
};

START_TEST(bed_on_own_layout) {
    fx f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS];
    for (size_t i = 0; i < 12; i++) {
        objr__ds_route rt;
        /* with and without the common-definition pack: each channel to its own speaker */
        for (int with_pack = 0; with_pack < 2; with_pack++) {
            gains_for(&f, bed714[i].label, bed714[i].az, bed714[i].el, bed714[i].lowpass,
                      with_pack ? "AP_00010017" : NULL, g, &rt);
            char spec[32];
            snprintf(spec, sizeof(spec), "%s=1", i == 3 ? "LFE1" : bed714[i].label);
            expect(&f, g, bed714[i].label, spec);
        }
    }
    teardown(&f);
}
END_TEST

/* BS.2127 mapping rules, 7.1.4 pack (AP_00010017) on 5.1: side pair to front and surround at
 * -3 dB each (sqrt(1/2)), rear pair to the surrounds, top fronts to the fronts, top rears to
 * the surrounds, LFE to LFE1; on stereo: centre -3 dB to both, sides/rears/top rears -3 dB to
 * their front, top fronts 0 dB to their front, LFE dropped (never folded into L/R). */
START_TEST(bed_714_on_51_and_stereo) {
    static const char *on51[12] = {"M+030=1",
                                   "M-030=1",
                                   "M+000=1",
                                   "LFE1=1",
                                   "M+030=0.70710678|M+110=0.70710678",
                                   "M-030=0.70710678|M-110=0.70710678",
                                   "M+110=1",
                                   "M-110=1",
                                   "M+030=1",
                                   "M-030=1",
                                   "M+110=1",
                                   "M-110=1"};
    static const char *on20[12] = {"M+030=1",
                                   "M-030=1",
                                   "M+030=0.70710678|M-030=0.70710678",
                                   "",
                                   "M+030=0.70710678",
                                   "M-030=0.70710678",
                                   "M+030=0.70710678",
                                   "M-030=0.70710678",
                                   "M+030=1",
                                   "M-030=1",
                                   "M+030=0.70710678",
                                   "M-030=0.70710678"};
    double g[OBJR__MAX_SPEAKERS];
    objr__ds_route rt;
    fx f;
    setup(&f, "5.1");
    for (size_t i = 0; i < 12; i++) {
        gains_for(&f, bed714[i].label, bed714[i].az, bed714[i].el, bed714[i].lowpass, "AP_00010017",
                  g, &rt);
        expect(&f, g, bed714[i].label, on51[i]);
        /* BS.2127 has no rule for M+-030 (they exist everywhere): label match */
        ck_assert_int_eq(rt, i < 2 ? OBJR__DS_ROUTE_LABEL : OBJR__DS_ROUTE_RULE);
    }
    teardown(&f);
    setup(&f, "stereo");
    for (size_t i = 0; i < 12; i++) {
        gains_for(&f, bed714[i].label, bed714[i].az, bed714[i].el, bed714[i].lowpass, "AP_00010017",
                  g, &rt);
        if (i == 3) {
            for (size_t k = 0; k < f.l.n_speakers; k++)
                ck_assert(g[k] == 0.0);
            ck_assert_int_eq(rt, OBJR__DS_ROUTE_LFE_DROPPED);
        } else {
            expect(&f, g, bed714[i].label, on20[i]);
        }
    }
    teardown(&f);
}
END_TEST

/* 22.2's two LFEs: kept apart on 22.2, both to LFE1 at -3 dB elsewhere (BS.2127 rule). */
START_TEST(two_lfe_rules) {
    double g[OBJR__MAX_SPEAKERS];
    fx f;
    setup(&f, "22.2");
    gains_for(&f, "LFER", -45, -30, 120, "AP_00010009", g, NULL);
    expect(&f, g, "LFER", "LFE2=1");
    teardown(&f);
    /* a renamed room built on 22.2 is still 22.2 for the rules */
    objr__layout l;
    objr_diag d;
    const char *room = "name = hall\nbase = 22.2\nM+060 55 0\n";
    ck_assert_int_eq(objr__layout_parse(room, strlen(room), "hall.txt", &l, &d), OBJR_OK);
    ck_assert_str_eq(l.name, "hall");
    objr__psp *p = NULL;
    objr__direct_speakers *ds = NULL;
    ck_assert_int_eq(objr__psp_create(&l, &p), OBJR_OK);
    ck_assert_int_eq(objr__ds_create(&l, p, NULL, &ds), OBJR_OK);
    objr__adm_block_direct_speakers b;
    char *labels[1];
    make_block(&b, labels, "LFER", -45, -30);
    objr__ds_gains(ds, &b, 120, 0, "AP_00010009", g, NULL);
    ck_assert_double_eq_tol(g[objr__layout_find_label(&l, "LFE2")], 1.0, 1e-12);
    objr__ds_destroy(ds);
    objr__psp_destroy(p);

    setup(&f, "5.1");
    gains_for(&f, "LFER", -45, -30, 120, "AP_00010009", g, NULL);
    expect(&f, g, "LFER", "LFE1=0.70710678");
    gains_for(&f, "LFEL", 45, -30, 120, "AP_00010009", g, NULL);
    expect(&f, g, "LFEL", "LFE1=0.70710678");
    /* 22.2 M+090 on 5.1: the 9+10+3-only rule, 1/3 and 2/3 in power */
    gains_for(&f, "M+090", 90, 0, 0, "AP_00010009", g, NULL);
    expect(&f, g, "M+090", "M+030=0.57735027|M+110=0.81649658");
    teardown(&f);
}
END_TEST

/* Label spellings that name the same speaker (no pack, position deliberately elsewhere so only
 * the label can decide). */
START_TEST(label_variants) {
    static const char *variants[] = {"M-110",
                                     "urn:itu:bs:2051:0:speaker:M-110",
                                     "urn:itu:bs:2051:3:speaker:M-110",
                                     "M-110",
                                     "m-110",
                                     "RC_Rs",
                                     "Rs",
                                     "rc_rs"};
    fx f;
    setup(&f, "5.1");
    double g[OBJR__MAX_SPEAKERS];
    for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        objr__ds_route rt;
        gains_for(&f, variants[i], 10, 0, 0, NULL, g, &rt);
        expect(&f, g, variants[i], "M-110=1");
        ck_assert_int_eq(rt, OBJR__DS_ROUTE_LABEL);
    }
    char c[OBJR__SPEAKER_LABEL_SIZE];
    ck_assert(objr__ds_canonical_label("M+30", c));
    ck_assert_str_eq(c, "M+030");
    ck_assert(objr__ds_canonical_label("U-45", c));
    ck_assert_str_eq(c, "U-045");
    ck_assert(objr__ds_canonical_label("RC_Lss", c));
    ck_assert_str_eq(c, "M+090");
    ck_assert(objr__ds_canonical_label("RC_Lrs", c));
    ck_assert_str_eq(c, "M+135");
    ck_assert(objr__ds_canonical_label("RC_Lts", c));
    ck_assert_str_eq(c, "U+090");
    ck_assert(objr__ds_canonical_label("RC_LFE", c));
    ck_assert_str_eq(c, "LFE1");
    ck_assert(!objr__ds_canonical_label("Gizmo", c));
    teardown(&f);
}
END_TEST

/* LFE: by label or by a low-pass at or below 200 Hz; goes only to LFE1; a channel with a
 * high-pass as well is not LFE; an object-like label "M+000" with LFE frequency is LFE. */
START_TEST(lfe_routing) {
    fx f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS];
    objr__ds_route rt;
    gains_for(&f, "Sub", 0, 0, 120, NULL, g, &rt);
    expect(&f, g, "Sub@120Hz", "LFE1=1");
    gains_for(&f, "Sub", 0, 0, 200, NULL, g, &rt);
    expect(&f, g, "Sub@200Hz", "LFE1=1");
    gains_for(&f, "Sub", 0, 0, 250, NULL, g, &rt);
    expect(&f, g, "Sub@250Hz", "M+000=1"); /* not LFE: closest speaker at 0,0 */
    objr__adm_block_direct_speakers b;
    char *labels[1];
    make_block(&b, labels, "Sub", 0, 0);
    objr__ds_gains(f.ds, &b, 120, 20, NULL, g, &rt); /* band-pass: not LFE */
    expect(&f, g, "band-pass", "M+000=1");
    gains_for(&f, "LFE1", 0, 0, 0, NULL, g, &rt);
    expect(&f, g, "LFE1 label", "LFE1=1");
    gains_for(&f, "M+000", 0, 0, 100, NULL, g, &rt); /* LFE by frequency: never to M+000 */
    expect(&f, g, "M+000@100Hz", "LFE1=1");
    teardown(&f);
    /* a layout without LFE drops it (never folded into the mains) */
    setup(&f, "stereo");
    gains_for(&f, "LFE", 0, 0, 120, NULL, g, &rt);
    for (size_t k = 0; k < f.l.n_speakers; k++)
        ck_assert(g[k] == 0.0);
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_LFE_DROPPED);
    teardown(&f);
}
END_TEST

/* Unknown labels: within the bounds, the unique closest speaker; without bounds and off any
 * speaker, the point-source panner at the position (power 1, between the neighbours). */
START_TEST(bounds_and_fallback) {
    fx f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS];
    objr__ds_route rt;
    objr__adm_block_direct_speakers b;
    char *labels[1];
    make_block(&b, labels, "Wide", 100, 0);
    b.coord[0].min = 80;
    b.coord[0].max = 120;
    b.coord[0].has_min = b.coord[0].has_max = 1;
    objr__ds_gains(f.ds, &b, 0, 0, NULL, g, &rt);
    expect(&f, g, "bounded 100", "M+090=1");
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_BOUNDS);
    /* bounds holding two speakers at equal distance: no unique choice -> panned */
    make_block(&b, labels, "Mid", 112.5, 0);
    b.coord[0].min = 80;
    b.coord[0].max = 140;
    b.coord[0].has_min = b.coord[0].has_max = 1;
    objr__ds_gains(f.ds, &b, 0, 0, NULL, g, &rt);
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_PANNED);
    expect(&f, g, "tie", "M+090=0.70710678|M+135=0.70710678");
    /* exact position, no bounds: that speaker */
    gains_for(&f, "X", -135, 0, 0, NULL, g, &rt);
    expect(&f, g, "exact", "M-135=1");
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_BOUNDS);
    /* elsewhere: panned, power 1 */
    gains_for(&f, "X", 60, 15, 0, NULL, g, &rt);
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_PANNED);
    double s = 0;
    for (size_t k = 0; k < f.l.n_speakers; k++)
        s += g[k] * g[k];
    ck_assert_double_eq_tol(s, 1.0, TOL);
    /* a channel of a pack without rules that the layout lacks, placed on the great circle
     * through U+045 and U+135 half way between them (azimuth 90, elevation
     * atan(1 / (2 cos30 sin45)) = 39.2 degrees): panned, 1/sqrt2 on each */
    double el_mid = atan2(1.0, 2.0 * cos(OBJR_PI / 6) * sin(OBJR_PI / 4)) * 180.0 / OBJR_PI;
    gains_for(&f, "U+090", 90, el_mid, 0, "AP_00010016", g, &rt);
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_PANNED);
    expect(&f, g, "U+090", "U+045=0.70710678|U+135=0.70710678");
    teardown(&f);
}
END_TEST

/* screenEdgeLock "left" moves a polar position to the left edge of the default screen
 * (29 degrees: half of its 58 degree width), where 7.1.4 has no speaker -> panned there;
 * bounds reaching M+030 then select it. */
START_TEST(screen_edge_lock) {
    fx f;
    setup(&f, "7.1.4");
    double g[OBJR__MAX_SPEAKERS], h[OBJR__MAX_SPEAKERS], dir[3];
    objr__ds_route rt;
    objr__adm_block_direct_speakers b;
    char *labels[1];
    make_block(&b, labels, "Scr", 0, 0);
    b.coord[0].screen_edge_lock = 1;
    objr__ds_gains(f.ds, &b, 0, 0, NULL, g, &rt);
    ck_assert_int_eq(rt, OBJR__DS_ROUTE_PANNED);
    objr__geom_cart(29.0, 0.0, 1.0, dir);
    objr__psp_gains(f.p, dir, h);
    for (size_t k = 0; k < f.l.n_speakers; k++)
        ck_assert_double_eq_tol(g[k], h[k], 1e-9);
    b.coord[0].max = 35;
    b.coord[0].has_max = 1;
    objr__ds_gains(f.ds, &b, 0, 0, NULL, g, &rt);
    expect(&f, g, "locked, bounded", "M+030=1");
    teardown(&f);
}
END_TEST

/* Bounds on 22.2 (M+000 and M+030 are 30 degrees apart): at 15 degrees without bounds, or
 * with bounds reaching both speakers equally, no unique speaker -> panned on the bisector,
 * 1/sqrt2 each; a bound reaching only one speaker selects it; at 14 degrees with both in
 * bounds M+000 is strictly closest. */
START_TEST(bounds_resolution_22_2) {
    fx f;
    setup(&f, "22.2");
    double g[OBJR__MAX_SPEAKERS];
    objr__adm_block_direct_speakers b;
    char *labels[1];
    static const struct {
        double az, min, max;
        int has_min, has_max;
        const char *want;
    } c[] = {
        {15, 0, 0, 0, 0, "M+000=0.70710678|M+030=0.70710678"},
        {15, 0, 0, 1, 0, "M+000=1"},
        {15, 0, 30, 0, 1, "M+030=1"},
        {15, 0, 30, 1, 1, "M+000=0.70710678|M+030=0.70710678"},
        {14, 0, 30, 1, 1, "M+000=1"},
    };
    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        make_block(&b, labels, "X", c[i].az, 0);
        b.coord[0].min = c[i].min;
        b.coord[0].max = c[i].max;
        b.coord[0].has_min = c[i].has_min;
        b.coord[0].has_max = c[i].has_max;
        objr__ds_gains(f.ds, &b, 0, 0, NULL, g, NULL);
        expect(&f, g, "22.2 bounds", c[i].want);
    }
    teardown(&f);
}
END_TEST

/* More rules on 5.1.4: 7.1's M+135 goes to M+110 (the rule picks the nearest surround); 22.2's
 * U+180 goes to U+110 and U-110 at -3 dB each. */
START_TEST(more_rules) {
    fx f;
    setup(&f, "5.1.4");
    double g[OBJR__MAX_SPEAKERS];
    gains_for(&f, "M+135", 135, 0, 0, "AP_0001000f", g, NULL);
    expect(&f, g, "7.1 M+135", "M+110=1");
    gains_for(&f, "U+180", 180, 30, 0, "AP_00010009", g, NULL);
    expect(&f, g, "22.2 U+180", "U+110=0.70710678|U-110=0.70710678");
    gains_for(&f, "M+090", 90, 0, 0, "AP_00010017", g, NULL);
    expect(&f, g, "7.1.4 M+090", "M+030=0.70710678|M+110=0.70710678");
    teardown(&f);
}
END_TEST

static Suite *direct_speakers_suite(void) {
    Suite *s = suite_create("direct_speakers");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bed_on_own_layout);
    tcase_add_test(tc, bed_714_on_51_and_stereo);
    tcase_add_test(tc, two_lfe_rules);
    tcase_add_test(tc, label_variants);
    tcase_add_test(tc, lfe_routing);
    tcase_add_test(tc, bounds_and_fallback);
    tcase_add_test(tc, screen_edge_lock);
    tcase_add_test(tc, bounds_resolution_22_2);
    tcase_add_test(tc, more_rules);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(direct_speakers_suite)
