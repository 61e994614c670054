/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation checks on scenes whose problems are known by construction (written here as
 * mix.xml + stems through the project's BWF writer): a clean scene passes; an object only in
 * the top rear speakers is named when a fold-down drops the heights; an opposite-phase pair
 * fails mono compatibility and correlation; a clipped stem is named by QC; an LFE-only bass
 * line is flagged in the 40 Hz band of the renders that drop the LFE. The binaural render:
 * objects at loudspeaker directions rendered dry match the reference heard at the ears; an
 * object whose binaural level differs from its loudspeaker level by more than the thresholds
 * (expected values from the HRTF set's own response at its frequency) is flagged. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "objrender/objr.h"
#include "renderers/binaural/hrtf.h"
#include "renderers/binaural/level.h"
#include "src/core/core.h"

#include "unit/check_scenes.h"

START_TEST(clean_scene_passes) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0},
                          {"Guitar", "guitar.wav", -25, 0, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = objr_check_config_default();
    objr_check_report *r = run(make_scene("clean", o, 3), &cfg);
    if (objr_check_report_verdict(r) != OBJR_CHECK_PASS)
        dump(r);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_PASS);
    /* the renders measure something: loudness of the reference is finite */
    double i, lra, tp;
    ck_assert_int_eq(objr_check_report_render_loudness(r, "7.1.4", &i, &lra, &tp), OBJR_OK);
    ck_assert(isfinite(i) && i < -10 && i > -40);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(top_rear_object_named_when_heights_drop) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Overhead FX", "fx.wav", 135, 30, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    cfg.folddown.height_trim_db = OBJR_FOLDDOWN_OFF_DB; /* a fold-down that drops the heights */
    objr_check_report *r = run(make_scene("toprear", o, 2), &cfg);
    const char *fx = "AO_1002 'Overhead FX'";
    /* vanishes from every fold-down of the 7.1.4 (they all drop the tops) */
    ck_assert_uint_eq(count_flags(r, "object_audibility", "2.0 Lo/Ro fold-down", fx), 1);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "2.0 Lt/Rt fold-down", fx), 1);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "5.1 fold-down", fx), 1);
    /* the direct renders keep it (BS.2127 pans it into the layout) and the vocal everywhere */
    ck_assert_uint_eq(count_flags(r, "object_audibility", "2.0", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "5.1", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, "AO_1001 'Vocal'"), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 3);
    ck_assert_uint_eq(count_flags(r, "qc_clipping", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "mono", NULL, NULL), 0);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_FAIL);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(opposite_phase_pair_fails_mono) {
    const obj_spec o[] = {{"Pad L", "padl.wav", 30, 0, 0.5, SIG_NOISE, 0},
                          {"Pad R", "padr.wav", -30, 0, 0.5, SIG_NEG_OF_PREV, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("antiphase", o, 2), &cfg);
    static const char *stereo[] = {"2.0", "2.0 Lo/Ro fold-down", "2.0 Lt/Rt fold-down"};
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(count_flags(r, "mono", stereo[k], NULL), 1);
        ck_assert_uint_eq(count_flags(r, "correlation", stereo[k], NULL), 1);
    }
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "qc_clipping", NULL, NULL), 0);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(clipped_stem_named) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Guitar", "guitar.wav", -25, 0, 0.1, SIG_CLIPPED_NOISE, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("clipped", o, 2), &cfg);
    ck_assert_uint_eq(count_flags(r, "qc_clipping", NULL, "guitar.wav"), 1);
    ck_assert_uint_eq(count_flags(r, "qc_clipping", NULL, NULL), 1);
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "mono", NULL, NULL), 0);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_FAIL);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(rear_object_in_ltrt_surround_is_not_a_fault) {
    /* Lt/Rt carries the surrounds as +H{S} in Lt and -H{S} in Rt: an object only in the rear
     * surrounds cancels exactly when Lt and Rt are summed, which is how the matrix works (a
     * decoder steers it to the surrounds). Correlation and mono are judged on the front paths,
     * where the centred vocal loses nothing. */
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Rear pad", "rear.wav", 135, 0, 0.5, SIG_NOISE, 0}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("rear", o, 2), &cfg);
    const char *ltrt = "2.0 Lt/Rt fold-down";
    ck_assert_uint_eq(count_flags(r, "object_mono", NULL, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "mono", ltrt, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "correlation", ltrt, NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", NULL, NULL), 0);
    ck_assert(has_message(r, "object_mono", ltrt, "1 object(s) only in the surround path"));
    if (objr_check_report_verdict(r) != OBJR_CHECK_PASS)
        dump(r);
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_PASS);
    objr_check_report_destroy(r);
}
END_TEST

/* Every allocation of a check may fail: the run returns an error (no report) or completes,
 * and (under ASan) leaks nothing. Allocation indices are sampled to keep the test short. */
START_TEST(allocation_failures) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0}};
    const char *xml = make_scene("alloc", o, 2);
    const char *renders[] = {"loro", "ltrt"};
    objr_check_config cfg = quick_config();
    cfg.renders = renders;
    cfg.n_renders = 2;
    int completed = 0;
    for (long n = 1; n < 4000 && !completed; n += n < 200 ? 1 : 37) {
        objr_check_report *r = NULL;
        objr_diag d;
        objr__alloc_fail_after(n);
        objr_status st = objr_check_run(xml, &cfg, &r, &d);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK) {
            ck_assert_ptr_nonnull(r);
            /* a run that survived may have missed only allocations it does not make */
            completed = 1;
            fprintf(stderr, "allocation_failures: the run completes from allocation %ld on\n", n);
        } else {
            ck_assert_msg(st == OBJR_ERR_NOMEM, "allocation %ld: status %d (%s)", n, (int)st,
                          d.message);
            ck_assert_ptr_null(r);
        }
        objr_check_report_destroy(r);
    }
    ck_assert(completed);
}
END_TEST

START_TEST(sample_rate_mismatch_fails_qc) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0}};
    const char *xml = make_scene("rates", o, 2);
    char p[512];
    snprintf(p, sizeof p, "%s/rates/keys.wav", objr_test_tmpdir());
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = 1;
    wc.sample_rate_hz = 44100;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_bwf_writer_create(p, &wc, &d, &w), OBJR_OK);
    float x[441] = {0};
    const float *px[1] = {x};
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, px, 441), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, &d), OBJR_OK);
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(xml, &cfg);
    double v = 0;
    ck_assert(flag_value(r, "qc_format", "", "", &v));
    ck_assert_int_eq(objr_check_report_verdict(r), OBJR_CHECK_FAIL);
    char *s = objr_check_report_summary(r);
    ck_assert_ptr_nonnull(strstr(s, "keys.wav 44100 Hz"));
    free(s);
    double i, lra, tp; /* nothing was rendered */
    ck_assert_int_eq(objr_check_report_render_loudness(r, "7.1.4", &i, &lra, &tp),
                     OBJR_ERR_INVALID_ARG);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(click_named) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Flute", "flute.wav", 20, 0, 0.5, SIG_SINE_CLICK, 0}};
    objr_check_config cfg = quick_config();
    cfg.per_object = 0;
    objr_check_report *r = run(make_scene("click", o, 2), &cfg);
    double v = 0;
    ck_assert(flag_value(r, "qc_clicks", "", "flute.wav", &v));
    ck_assert_double_eq(v, 1.0); /* exactly one click */
    ck_assert_uint_eq(count_flags(r, "qc_clicks", NULL, NULL), 1);
    ck_assert_uint_eq(count_flags(r, "qc_clipping", NULL, NULL), 0);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(lfe_bass_band_named) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 25, 0, 0.5, SIG_NOISE, 0},
                          {"Sub", "sub.wav", 0, 0, 1.0, SIG_SINE40, 1}};
    objr_check_config cfg = quick_config();
    objr_check_report *r = run(make_scene("bass", o, 3), &cfg);
    /* 2.0 drops the LFE (EAR direct render, and the fold-downs' LFE policy "drop") */
    static const char *lost[] = {"2.0", "2.0 Lo/Ro fold-down", "2.0 Lt/Rt fold-down"};
    for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(count_flags(r, "spectral_balance", lost[k], "40 Hz"), 1);
        if (count_flags(r, "spectral_balance", lost[k], NULL) != 1)
            dump(r);
        ck_assert_uint_eq(count_flags(r, "spectral_balance", lost[k], NULL), 1);
        double v = 0;
        ck_assert(flag_value(r, "spectral_balance", lost[k], "40 Hz", &v));
        ck_assert_msg(v <= -40.0, "%s: 40 Hz only %.1f dB down", lost[k], v);
    }
    /* the renders with an LFE channel keep it */
    ck_assert_uint_eq(count_flags(r, "spectral_balance", "5.1", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", "5.1 fold-down", NULL), 0);
    objr_check_report_destroy(r);
    /* folding the LFE into L and R at -10 dB keeps the band in the fold-down: -10 dB + 3 dB
     * (two channels) minus the loudness change, nowhere near lost */
    cfg.folddown.lfe_policy = OBJR_LFE_FOLD;
    cfg.folddown.lfe_gain_db = -10.0;
    const char *renders[] = {"loro"};
    cfg.renders = renders;
    cfg.n_renders = 1;
    cfg.per_object = 0;
    r = run(make_scene("bass", o, 3), &cfg);
    double v = 0;
    if (flag_value(r, "spectral_balance", "2.0 Lo/Ro fold-down", "40 Hz", &v))
        ck_assert_msg(v > -12.0, "40 Hz still lost with the LFE folded: %.1f dB", v);
    objr_check_report_destroy(r);
}
END_TEST

START_TEST(thresholds_by_name) {
    objr_check_thresholds t = objr_check_thresholds_default();
    ck_assert_int_eq(objr_check_thresholds_set(&t, "band_warn", 1.5), OBJR_OK);
    ck_assert_double_eq(t.band_warn_db, 1.5);
    ck_assert_int_eq(objr_check_thresholds_set(&t, "clip_run", 5), OBJR_OK);
    ck_assert_uint_eq(t.clip_run, 5);
    ck_assert_int_eq(objr_check_thresholds_set(&t, "nonsense", 1), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_check_thresholds_set(&t, "band_fail", NAN), OBJR_ERR_RANGE);
    objr_check_config cfg = quick_config();
    const char *bad[] = {"9.9.9"};
    cfg.renders = bad;
    cfg.n_renders = 1;
    objr_check_report *r = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_check_run("/nonexistent/mix.xml", &cfg, &r, &d), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(r);
    cfg = objr_check_config_default();
    ck_assert_int_ne(objr_check_run("/nonexistent/mix.xml", &cfg, &r, &d), OBJR_OK);
    ck_assert_ptr_null(r);
}
END_TEST

#define KEMAR_DEFAULT "/usr/share/libmysofa/default.sofa"

/* Power gain, both ears summed (dB), of the binaural renderer's filter pair for ADM direction
 * (az, el) at @p f_hz: the default SOFA set at FS, objr__hrtf_filter as the renderer uses it,
 * one DFT bin evaluated directly. */
static double hrtf_gain_db(double az, double el, double f_hz) {
    objr__hrtf *h = NULL;
    objr_diag d;
    memset(&d, 0, sizeof d);
    ck_assert_msg(objr__hrtf_load_file(NULL, FS, &d, &h) == OBJR_OK, "%s", d.message);
    size_t n = objr__hrtf_filter_len(h);
    float *l = calloc(n, sizeof *l), *r = calloc(n, sizeof *r);
    ck_assert(l && r);
    double dir[3];
    objr__hrtf_dir_from_polar(az, el, dir);
    (void)objr__hrtf_filter(h, dir, -1, l, r, NULL);
    double p = 0;
    for (int e = 0; e < 2; e++) {
        const float *x = e ? r : l;
        double re = 0, im = 0;
        for (size_t i = 0; i < n; i++) {
            double ph = 2.0 * OBJR_PI * f_hz * (double)i / FS;
            re += x[i] * cos(ph);
            im -= x[i] * sin(ph);
        }
        p += re * re + im * im;
    }
    free(l);
    free(r);
    objr__hrtf_destroy(h);
    return 10.0 * log10(p);
}

/* The level calibration the binaural renderer applies to the direct sound (dB) for the
 * configuration these tests use: the default set at FS, dry, no diffuse-field equaliser
 * (renderers/binaural/level.h: the frontal / diffuse-field balance against the 2.0 render). */
static double calibration_db(void) {
    objr_binaural_config c = objr_binaural_config_default();
    c.sample_rate_hz = FS;
    c.default_mode = OBJR_BINAURAL_MODE_DRY;
    c.diffuse_eq = 0;
    objr_binaural *b = NULL;
    ck_assert_int_eq(objr_binaural_create(&c, NULL, &b), OBJR_OK);
    double direct = 1.0, lfe = 1.0;
    objr__binaural_calibration(b, &direct, &lfe);
    objr_binaural_destroy(b);
    return 20.0 * log10(direct);
}

static int have_default_sofa(void) {
    struct stat sb;
    if (stat(KEMAR_DEFAULT, &sb) == 0)
        return 1;
    fprintf(stderr, "checks: %s absent: binaural test skipped\n", KEMAR_DEFAULT);
    return 0;
}

/* Objects exactly at loudspeaker directions (C, L, R, TFL), binaural rendered dry: each one's
 * ear signals come from the same filter pair as its loudspeaker's in the reference heard at the
 * ears, so the binaural render's balance matches (no band beyond band_warn), the render is in
 * the report with the default set and mode named, and no object falls. */
START_TEST(binaural_dry_at_speakers_matches) {
    if (!have_default_sofa())
        return;
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Keys", "keys.wav", 30, 0, 0.5, SIG_NOISE, 0},
                          {"Guitar", "guitar.wav", -30, 0, 0.5, SIG_NOISE, 0},
                          {"Air", "air.wav", 45, 30, 0.3, SIG_NOISE, 0}};
    objr_check_config cfg = objr_check_config_default();
    cfg.binaural_mode = OBJR_BINAURAL_MODE_DRY;
    const char *only[] = {"binaural"}; /* keeps the test short */
    cfg.renders = only;
    cfg.n_renders = 1;
    objr_check_report *r = run(make_scene("bin_dry", o, 4), &cfg);
    if (count_flags(r, "spectral_balance", "binaural", NULL))
        dump(r);
    ck_assert_uint_eq(count_flags(r, "spectral_balance", "binaural", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "binaural", NULL), 0);
    double i, lra, tp;
    ck_assert_int_eq(objr_check_report_render_loudness(r, "binaural", &i, &lra, &tp), OBJR_OK);
    ck_assert(isfinite(i));
    const char *path = NULL;
    int mode = -1;
    ck_assert_int_eq(objr_check_report_binaural(r, &path, &mode), OBJR_OK);
    ck_assert_str_eq(path, KEMAR_DEFAULT);
    ck_assert_int_eq(mode, OBJR_BINAURAL_MODE_DRY);
    objr_check_report_destroy(r);
    /* without a binaural render there is nothing to name */
    const char *renders[] = {"5.1"};
    cfg.renders = renders;
    cfg.n_renders = 1;
    cfg.per_object = 0;
    r = run(make_scene("bin_dry", o, 4), &cfg);
    ck_assert_int_eq(objr_check_report_binaural(r, &path, &mode), OBJR_ERR_INVALID_ARG);
    objr_check_report_destroy(r);
}
END_TEST

/* A 40 Hz bass object (not LFE): the loudspeakers reproduce it, but the default HRTF set (MIT
 * KEMAR, measured with a small loudspeaker) has almost no energy there, so the binaural render
 * loses it by the set's gain at 40 Hz. Expected fall: that gain plus the renderer's level
 * calibration (BS.1770 weights the ears 1 + 1
 * and K-weights both renders alike; dry: no room). Flagged for binaural only, with its value. */
START_TEST(binaural_quiet_object_flagged) {
    if (!have_default_sofa())
        return;
    double want = hrtf_gain_db(0, 0, 40.0) + calibration_db();
    objr_check_thresholds th = objr_check_thresholds_default();
    ck_assert_msg(want < -th.object_drop_fail_db, "the set keeps 40 Hz (%.1f dB): no case", want);
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0},
                          {"Bass", "bass.wav", 0, 0, 1.0, SIG_SINE40, 0}};
    objr_check_config cfg = objr_check_config_default();
    cfg.binaural_mode = OBJR_BINAURAL_MODE_DRY;
    cfg.binaural_diffuse_eq = 0; /* the expected values are the SOFA set's own gains */
    const char *renders[] = {"5.1", "2.0", "binaural"};
    cfg.renders = renders;
    cfg.n_renders = 3;
    objr_check_report *r = run(make_scene("bin_bass", o, 2), &cfg);
    const char *bass = "AO_1002 'Bass'";
    double v = 0;
    ck_assert(flag_value(r, "object_audibility", "binaural", bass, &v));
    ck_assert_msg(fabs(v - want) < 1.0, "binaural bass falls %.1f dB, the set's gain %.1f dB", v,
                  want);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "binaural", NULL), 1);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "5.1", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "2.0", NULL), 0);
    objr_check_report_destroy(r);
}
END_TEST

/* A 3 kHz tone alone: the ear-canal resonance of the HRTF set lifts it at the ears, so the
 * binaural render reads louder than the 7.1.4 by the set's gain at 3 kHz (the tone is on the
 * centre speaker, whose level is its feed): loudness_delta flags it when that exceeds the
 * thresholds. Also: a cap of 0 binaural objects leaves the object unmeasured, not flagged. */
START_TEST(binaural_loud_render_flagged) {
    if (!have_default_sofa())
        return;
    double want = hrtf_gain_db(0, 0, 3000.0) + calibration_db();
    objr_check_thresholds th = objr_check_thresholds_default();
    ck_assert_msg(want > th.loudness_delta_warn_lu, "no ear-canal gain at 3 kHz (%.1f dB)", want);
    const obj_spec o[] = {{"Tone", "tone.wav", 0, 0, 1.0, SIG_SINE3K, 0}};
    objr_check_config cfg = objr_check_config_default();
    cfg.binaural_mode = OBJR_BINAURAL_MODE_DRY;
    cfg.binaural_diffuse_eq = 0; /* the expected values are the SOFA set's own gains */
    cfg.max_binaural_objects = 0;
    const char *renders[] = {"5.1", "binaural"};
    cfg.renders = renders;
    cfg.n_renders = 2;
    objr_check_report *r = run(make_scene("bin_tone", o, 1), &cfg);
    double i0, i1, lra, tp;
    ck_assert_int_eq(objr_check_report_render_loudness(r, "7.1.4", &i0, &lra, &tp), OBJR_OK);
    ck_assert_int_eq(objr_check_report_render_loudness(r, "binaural", &i1, &lra, &tp), OBJR_OK);
    ck_assert_msg(fabs((i1 - i0) - want) < 0.5, "binaural %+.2f LU, the set's gain %.2f dB",
                  i1 - i0, want);
    double v = 0;
    ck_assert(flag_value(r, "loudness_delta", "binaural", "", &v));
    ck_assert_double_eq_tol(v, i1 - i0, 1e-9);
    ck_assert_uint_eq(count_flags(r, "loudness_delta", "5.1", NULL), 0);
    ck_assert_uint_eq(count_flags(r, "object_audibility", "binaural", NULL), 0);
    objr_check_report_destroy(r);
}
END_TEST

/* A missing SOFA file: the run fails with the file named; a mode that is none: refused. */
START_TEST(binaural_bad_hrtf) {
    const obj_spec o[] = {{"Vocal", "vocal.wav", 0, 0, 0.5, SIG_NOISE, 0}};
    const char *xml = make_scene("bin_bad", o, 1);
    objr_check_config cfg = objr_check_config_default();
    char nope[600];
    snprintf(nope, sizeof nope, "%s/no-such.sofa", objr_test_tmpdir());
    cfg.hrtf_path = nope;
    objr_check_report *r = NULL;
    objr_diag d;
    memset(&d, 0, sizeof d);
    objr_status st = objr_check_run(xml, &cfg, &r, &d);
    ck_assert_int_ne(st, OBJR_OK);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(d.message, nope) != NULL, "%s", d.message);
    cfg = objr_check_config_default();
    cfg.binaural_mode = 42;
    ck_assert_int_eq(objr_check_run(xml, &cfg, &r, &d), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(r);
}
END_TEST

static Suite *checks_suite(void) {
    Suite *s = suite_create("checks");
    TCase *tc = tcase_create("checks");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, clean_scene_passes);
    tcase_add_test(tc, top_rear_object_named_when_heights_drop);
    tcase_add_test(tc, opposite_phase_pair_fails_mono);
    tcase_add_test(tc, clipped_stem_named);
    tcase_add_test(tc, lfe_bass_band_named);
    tcase_add_test(tc, click_named);
    tcase_add_test(tc, allocation_failures);
    tcase_add_test(tc, sample_rate_mismatch_fails_qc);
    tcase_add_test(tc, rear_object_in_ltrt_surround_is_not_a_fault);
    tcase_add_test(tc, thresholds_by_name);
    tcase_add_test(tc, binaural_dry_at_speakers_matches);
    tcase_add_test(tc, binaural_quiet_object_flagged);
    tcase_add_test(tc, binaural_loud_render_flagged);
    tcase_add_test(tc, binaural_bad_hrtf);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(checks_suite)
