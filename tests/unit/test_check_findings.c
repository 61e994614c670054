/* SPDX-License-Identifier: BSD-3-Clause */
/* The translation check's findings engineers act on, on scenes built here whose faults are
 * known by construction: an object muted by gain 0 with a full stem, an object 60 dB under
 * the mix, an anti-phase pair named as the cause of the mono loss (with its time), five clicks
 * reported with their times grouped, a programme too short to measure, and the per-object
 * levels of the one-pass analysis against first principles (a hard-left object gives nothing
 * to the right channel; a centred one loses nothing in mono; a -3 dB fold-down trim moves its
 * object by 3 dB); spatial coding: as many elements as sources reproduce the 7.1.4, two far
 * sources in one element are named with their position error. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"

#include "unit/check_scenes.h"

START_TEST(muted_object_named_in_every_render) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0},
                          {"Choir", "choir.wav", -25, 0, 0.0, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("muted", o, 3), &cfg);
    const char *choir = "AO_1003 'Choir'";
    /* the 7.1.4 and the five renders asked for: one finding each */
    ck_assert_uint_eq(count_flags(r, "object_muted", NULL, choir), 6);
    ck_assert_uint_eq(count_flags(r, "object_muted", "2.0 Lo/Ro fold-down", choir), 1);
    ck_assert_uint_eq(count_flags(r, "object_muted", NULL, NULL), 6);
    ck_assert_uint_eq(count_flags(r, "object_buried", NULL, NULL), 0);
    /* a muted object is not also reported as falling in the renders */
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 0);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_FAIL);
    char *s = objr_check_report_summary(r);
    ck_assert_ptr_nonnull(strstr(s, "AO_1003 'Choir': 6 fail"));
    free(s);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(buried_object_named) {
    /* the same noise level in the stems, gain 0.001 (-60 dB) on the pad: -60 dB under the
     * vocal and keys in every channel and band it reaches */
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0},
                          {"Pad", "pad.wav", 10, 0, 0.0005, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("buried", o, 3), &cfg);
    const char *pad = "AO_1003 'Pad'";
    ck_assert_uint_eq(count_flags(r, "object_buried", NULL, pad), 6);
    ck_assert_uint_eq(count_flags(r, "object_buried", NULL, NULL), 6);
    ck_assert_uint_eq(count_flags(r, "object_muted", NULL, NULL), 0);
    double v = 0;
    ck_assert(flag_value(r, "object_buried", "7.1.4", pad, &v));
    /* -66 dB of level (0.0005 vs 0.5 gain... the pad shares speakers with both) */
    ck_assert_msg(v < -40.0 && v > -90.0, "pad margin %.1f dB", v);
    objr_check_report_destroy(r);
    /* at 0 dB it is not buried */
    const obj_spec o2[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                           {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0},
                           {"Pad", "pad.wav", 10, 0, 0.5, SIG_NOISE, 0}};
    r = run(make_scene("unburied", o2, 3), &cfg);
    ck_assert_uint_eq(count_flags(r, "object_buried", NULL, NULL), 0);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(antiphase_pair_named_with_time) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.1, SIG_NOISE, 0},
                          {"Pad L", "padl.wav", 30, 0, 0.5, SIG_NOISE, 0},
                          {"Pad R", "padr.wav", -30, 0, 0.5, SIG_NEG_OF_PREV, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("antiphase2", o, 3), &cfg);
    static const char *stereo[] = {"2.0", "2.0 Lo/Ro fold-down", "2.0 Lt/Rt fold-down"};
    const char *pair = "AO_1002 'Pad L' + AO_1003 'Pad R'";
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(count_flags(r, "mono", stereo[k], NULL), 1);
        /* the pair is named first; the vocal is in no cancelling pair */
        ck_assert_msg(count_flags(r, "phase_pair", stereo[k], pair) == 1, "%s", stereo[k]);
        ck_assert_uint_eq(count_flags(r, "phase_pair", stereo[k], NULL), 1);
        double v = 0;
        ck_assert(flag_value(r, "phase_pair", stereo[k], pair, &v));
        /* equal and opposite: the two cancel completely (the floor is 60 dB) */
        ck_assert_msg(v < -30.0, "%s: pair loss only %.1f dB", stereo[k], v);
    }
    /* the time span covers the programme: the pads play from the start to the end */
    ck_assert(has_message(r, "phase_pair", "2.0", "between 0.00 s and 3.00 s"));
    ck_assert(has_message(r, "correlation", "2.0", "in the 400 ms ending at"));
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(clicks_grouped_with_times) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Flute", "flute.wav", 20, 0, 0.5, SIG_CLICKS5, 0}};
    objr_check_config cfg = quick_config();
    cfg.per_object = 0;
    objr_check_report *r = run(make_scene("clicks5", o, 2), &cfg);
    double v = 0;
    ck_assert(flag_value(r, "qc_clicks", "", "flute.wav", &v));
    ck_assert_double_eq(v, 5.0);
    /* clicks within 1 s of each other form one range: 0.5-0.7 s (3) and 2.0-2.5 s (2) */
    ck_assert(has_message(r, "qc_clicks", "", "0.50 s to 0.70 s (3), 2.00 s to 2.50 s (2)"));
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(short_programme_too_short_once) {
    scene_seconds = 0.3;
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("short", o, 2), &cfg);
    scene_seconds = SECONDS;
    ck_assert_uint_eq(count_flags(r, "too_short", NULL, NULL), 1);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "loudness_delta", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "correlation", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 0);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_WARN);
    objr_check_report_destroy(r);
}
END_TEST

/* Value of the finding (any verdict) of (check, render, subject). */
static int any_value(const objr_check_report *r, const char *check, const char *render,
                     const char *subject, double *v) {
    for (size_t i = 0; i < objr_check_report_finding_count(r); i++) {
        objr_check_finding f;
        ck_assert_int_eq(objr_check_report_get_finding(r, i, &f), OBJR_OK);
        if (strcmp(f.check, check) == 0 && strcmp(f.render, render) == 0 &&
            strcmp(f.subject, subject) == 0) {
            *v = f.value;
            return 1;
        }
    }
    return 0;
}

START_TEST(one_pass_levels_follow_the_gains) {
    /* Left at +30 deg: in the 2.0 render it is all in L; in the Lo/Ro fold-down L gets it at
     * unity too (the 7.1.4 M+030 speaker), so it neither falls nor gains; summed to mono a
     * one-channel source loses 20 log10(1/2) + 3 dB (mono plays on both speakers) = -3 dB. */
    const obj_spec o[] = {{"Left", "left.wav", 30, 0, 0.5, SIG_NOISE, 0},
                          {"Centre", "centre.wav", 0, 0, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    cfg.thresholds.object_mono_warn_lu = 2.0; /* so that -3 dB is reported with its value */
    cfg.thresholds.object_mono_fail_lu = 20.0;
    objr_check_report *r = run(make_scene("gains", o, 2), &cfg);
    double v = 0;
    ck_assert(flag_value(r, "object_mono", "2.0", "AO_1001 'Left'", &v));
    ck_assert_msg(fabs(v + 3.01) < 0.3, "hard-left object in mono: %.2f dB", v);
    /* the centred object loses nothing */
    ck_assert(!flag_value(r, "object_mono", "2.0", "AO_1002 'Centre'", &v));
    objr_check_report_destroy(r);
    /* a centre trim of -9 dB (instead of -3) takes 6 dB off the centred object in Lo/Ro */
    cfg = quick_config();
    cfg.folddown.centre_trim_db = -9.0;
    const char *renders[] = {"loro"};
    cfg.renders = renders;
    cfg.n_renders = 1;
    cfg.thresholds.object_drop_warn_db = 1.0;
    r = run(make_scene("gains", o, 2), &cfg);
    ck_assert(any_value(r, "object_audibility", "2.0 Lo/Ro fold-down", "AO_1002 'Centre'", &v));
    /* 7.1.4: centre speaker, weight 1; Lo/Ro: -9 dB into both L and R (+3 dB for two) */
    ck_assert_msg(fabs(v - (-9.0 + 3.01)) < 0.3, "centre object in Lo/Ro: %+.2f dB", v);
    objr_check_report_destroy(r);
}
END_TEST

/* Spatial coding with as many elements as active sources: every element is its source, so
 * the coded 7.1.4 is the 7.1.4 (loudness and bands within rounding) and no source moves. */
START_TEST(spatial_coding_enough_elements_is_the_714) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 110, 0, 0.5, SIG_NOISE, 0},
                          {"Pad", "pad.wav", -110, 30, 0.5, SIG_NOISE, 0}};
    static const char *const renders[] = {"sc3"};
    objr_check_config cfg = objr_check_config_default();
    cfg.renders = renders;
    cfg.n_renders = 1;
    objr_check_report *r = run(make_scene("sc_enough", o, 3), &cfg);
    double li, lra, tp, li_ref, lra_ref, tp_ref, v = -1;
    ck_assert_int_eq(objr_check_report_render_loudness(r, "7.1.4", &li_ref, &lra_ref, &tp_ref),
                     OBJR_OK);
    ck_assert_int_eq(objr_check_report_render_loudness(r, "sc3", &li, &lra, &tp), OBJR_OK);
    ck_assert_int_eq(objr_check_report_render_loudness(r, "spatial coding (3)", &li, &lra, &tp),
                     OBJR_OK);
    ck_assert_msg(fabs(li - li_ref) < 0.01, "coded %.3f vs 7.1.4 %.3f LUFS", li, li_ref);
    ck_assert_msg(fabs(tp - tp_ref) < 0.01, "coded %.3f vs 7.1.4 %.3f dBTP", tp, tp_ref);
    ck_assert_uint_eq(count_flags(r, "spatial_error", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", "spatial coding (3)", NULL), 0);
    /* the pass line carries the largest error: none */
    ck_assert(any_value(r, "spatial_error", "spatial coding (3)", "", &v));
    ck_assert_msg(fabs(v) < 1e-9, "largest position error %.3f deg", v);
    /* levels are not claimed through the clustering */
    ck_assert_uint_eq(count_flags(r, "object_audibility", "spatial coding (3)", NULL), 0);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_PASS);
    objr_check_report_destroy(r);
}
END_TEST

/* Two equal sources 90 deg apart (left, front centre) coded into one element: the element sits
 * between them (the loudness-weighted centroid, 45 deg from each), so each is named with about
 * 45 deg of error (over the 30 deg warning, under the 60 deg failure) and the time. */
START_TEST(spatial_coding_merged_far_sources_named) {
    const obj_spec o[] = {{"Left", "left.wav", 90, 0, 0.5, SIG_NOISE, 0},
                          {"Front", "front.wav", 0, 0, 0.5, SIG_NOISE, 0}};
    static const char *const renders[] = {"2.0", "sc1"};
    objr_check_config cfg = objr_check_config_default();
    cfg.renders = renders;
    cfg.n_renders = 2;
    objr_check_report *r = run(make_scene("sc_merged", o, 2), &cfg);
    const char *sc = "spatial coding (1)";
    double v = 0;
    ck_assert_uint_eq(count_flags(r, "spatial_error", NULL, NULL), 2);
    ck_assert(flag_value(r, "spatial_error", sc, "AO_1001 'Left'", &v));
    ck_assert_msg(v > 30.0 && v < 60.0, "Left coded %.1f deg away", v);
    ck_assert(flag_value(r, "spatial_error", sc, "AO_1002 'Front'", &v));
    ck_assert_msg(v > 30.0 && v < 60.0, "Front coded %.1f deg away", v);
    ck_assert(has_message(r, "spatial_error", sc, "'Left' is coded"));
    ck_assert(has_message(r, "spatial_error", sc, " s)")); /* when */
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_WARN);
    objr_check_report_destroy(r);
    /* the failure threshold comes from the thresholds */
    cfg.thresholds.spatial_error_fail_deg = 40.0;
    r = run(make_scene("sc_merged", o, 2), &cfg);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_FAIL);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(spatial_coding_render_keys) {
    objr_check_config cfg = objr_check_config_default();
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0}};
    const char *xml = make_scene("sc_keys", o, 1);
    static const char *const bad[][2] = {
        {"sc0", "2.0"}, {"sc65", "2.0"}, {"sc12x", "2.0"}, {"sc12", "sc14"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg.renders = bad[i];
        cfg.n_renders = 2;
        objr_check_report *r = NULL;
        objr_diag d;
        ck_assert_int_eq(objr_check_run(xml, &cfg, &r, &d), OBJR_ERR_INVALID_ARG);
        ck_assert_ptr_null(r);
    }
    objr_check_thresholds t = objr_check_thresholds_default();
    ck_assert_int_eq(objr_check_thresholds_set(&t, "spatial_error_warn", 20), OBJR_OK);
    ck_assert_double_eq(t.spatial_error_warn_deg, 20);
}
END_TEST

static Suite *check_findings_suite(void) {
    Suite *s = suite_create("check_findings");
    TCase *tc = tcase_create("findings");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, muted_object_named_in_every_render);
    tcase_add_test(tc, buried_object_named);
    tcase_add_test(tc, antiphase_pair_named_with_time);
    tcase_add_test(tc, clicks_grouped_with_times);
    tcase_add_test(tc, short_programme_too_short_once);
    tcase_add_test(tc, one_pass_levels_follow_the_gains);
    tcase_add_test(tc, spatial_coding_enough_elements_is_the_714);
    tcase_add_test(tc, spatial_coding_merged_far_sources_named);
    tcase_add_test(tc, spatial_coding_render_keys);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(check_findings_suite)
