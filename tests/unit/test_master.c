/* SPDX-License-Identifier: BSD-3-Clause */
/* Mastering pipeline: presets, channel-map masks, mastering generated files to exact and
 * at-most targets (checked by re-measuring the written file), resampling and bit depth,
 * and bad input (silence, NaN, same file, unwritable, unreachable target). */
#include "common/test_common.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "objrender/objr.h"
#include "src/master/master.h"

#define RATE 48000

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

/* Write a stereo float WAV: tone + decaying full-band noise hits (crest-heavy). */
static void write_programme(const char *path, double seconds, double level, int nan_at) {
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    ck_assert_ptr_nonnull(sf);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    size_t n = (size_t)(seconds * RATE);
    float *buf = malloc(2 * n * sizeof *buf);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / RATE, ph = fmod(t, 0.5);
        double hit = objr_test_rng_range(&rng, -1, 1) * exp(-30 * ph);
        buf[2 * i] = (float)(level * (0.3 * sin(2 * OBJR_PI * 220 * t) + 0.6 * hit));
        buf[2 * i + 1] = (float)(level * (0.3 * sin(2 * OBJR_PI * 330 * t) + 0.5 * hit));
    }
    if (nan_at >= 0)
        buf[2 * nan_at + 1] = NAN;
    ck_assert_int_eq(sf_writef_float(sf, buf, (sf_count_t)n), (sf_count_t)n);
    sf_close(sf);
    free(buf);
}

static char *tmp(const char *name) {
    static char buf[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", objr_test_tmpdir(), name);
    return buf[k];
}

START_TEST(presets_and_bases) {
    const struct {
        const char *n;
        objr_target_kind k;
        double i, tp;
    } want[] = {{"atmos-music", OBJR_TARGET_AT_MOST, -18, -1},
                {"streaming", OBJR_TARGET_EXACT, -14, -1},
                {"apple-music", OBJR_TARGET_EXACT, -16, -1},
                {"ebu-r128", OBJR_TARGET_EXACT, -23, -1},
                {"atsc-a85", OBJR_TARGET_EXACT, -24, -2}};
    for (size_t i = 0; i < 5; i++) {
        objr_master_target t;
        ck_assert_int_eq(objr_master_preset_get(want[i].n, &t), OBJR_OK);
        ck_assert_str_eq(t.name, want[i].n);
        ck_assert_int_eq(t.kind, want[i].k);
        ck_assert_double_eq(t.integrated_lufs, want[i].i);
        ck_assert_double_eq(t.true_peak_dbtp, want[i].tp);
        ck_assert_ptr_nonnull(t.basis);
        ck_assert_uint_gt(strlen(t.basis), 20);
        ck_assert_str_eq(objr_master_preset_name((unsigned)i), want[i].n);
    }
    ck_assert_ptr_null(objr_master_preset_name(5));
    objr_master_target t;
    ck_assert_int_eq(objr_master_preset_get("loud", &t), OBJR_ERR_INVALID_ARG);
    objr_master_target a;
    ck_assert_int_eq(objr_master_preset_get("atmos-music", &a), OBJR_OK);
    ck_assert(strstr(a.basis, "5.1") != NULL);
}
END_TEST

START_TEST(mask_from_channel_map) {
    const int m714[12] = {SF_CHANNEL_MAP_FRONT_LEFT,     SF_CHANNEL_MAP_FRONT_RIGHT,
                          SF_CHANNEL_MAP_FRONT_CENTER,   SF_CHANNEL_MAP_LFE,
                          SF_CHANNEL_MAP_REAR_LEFT,      SF_CHANNEL_MAP_REAR_RIGHT,
                          SF_CHANNEL_MAP_SIDE_LEFT,      SF_CHANNEL_MAP_SIDE_RIGHT,
                          SF_CHANNEL_MAP_TOP_FRONT_LEFT, SF_CHANNEL_MAP_TOP_FRONT_RIGHT,
                          SF_CHANNEL_MAP_TOP_REAR_LEFT,  SF_CHANNEL_MAP_TOP_REAR_RIGHT};
    ck_assert_uint_eq(objr__master_mask_from_sf_map(m714, 12), 0x2D63F);
    const int bad[2] = {SF_CHANNEL_MAP_FRONT_RIGHT, SF_CHANNEL_MAP_FRONT_LEFT};
    ck_assert_uint_eq(objr__master_mask_from_sf_map(bad, 2), 0);
}
END_TEST

START_TEST(master_exact_with_limiting) {
    /* Loud target on a crest-heavy programme, per limiter style: limiting is needed, then a
     * second pass restores the loudness lost to it. */
    const char *in = tmp("prog.wav"), *out = tmp("prog_m.wav");
    write_programme(in, 8.0, 0.5, -1);
    objr_master_config c = objr_master_config_default();
    ck_assert_int_eq(objr_master_preset_get("streaming", &c.target), OBJR_OK);
    c.target.integrated_lufs = -10.0;
    c.limiter_style = (objr_limiter_style)_i;
    objr_master_report r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert(r.written && r.loudness_ok && r.true_peak_ok);
    ck_assert_double_gt(r.limiter.max_reduction_db, 0.5);
    /* independent re-measure of the file */
    objr_loudness_result m;
    unsigned nc;
    ck_assert_int_eq(objr_master_measure_file(out, NULL, 1, &m, NULL, &nc, &d), OBJR_OK);
    ck_assert_uint_eq(nc, 2);
    ck_assert_double_eq_tol(m.integrated_lufs, -10.0, 0.1);
    ck_assert_double_le(m.true_peak_dbtp, -1.0);
    ck_assert_double_le(m.true_peak_ebur128_dbtp, -1.0);
    ck_assert_uint_eq(m.n_frames, 8 * RATE); /* look-ahead flushed, nothing lost or added */
    /* The gain-reduction history: 200 stretches of 40 ms over the 8 s, each the deepest
     * reduction within it, so its maximum is the statistics' maximum and a stretch counts as
     * limited whenever any of its frames is: the shares of limited stretches bound the shares
     * of limited frames from above. */
    ck_assert_uint_eq(r.n_gr_points, OBJR_MASTER_GR_POINTS);
    ck_assert_double_eq_tol(r.gr_point_seconds * (double)r.n_gr_points, 8.0, 1e-9);
    double mx = 0, n_act = 0, n_over = 0;
    for (size_t k = 0; k < r.n_gr_points; k++) {
        mx = fmax(mx, r.gr_history_db[k]);
        n_act += r.gr_history_db[k] > 0.01;
        n_over += r.gr_history_db[k] > 1.0;
    }
    ck_assert_double_eq_tol(mx, r.limiter.max_reduction_db, 1e-3);
    ck_assert_double_ge(n_act / (double)r.n_gr_points, r.limiter.active_fraction - 1e-9);
    ck_assert_double_ge(n_over / (double)r.n_gr_points, r.limiter.over_1db_fraction - 1e-9);
}
END_TEST

START_TEST(master_at_most_only_turns_down) {
    const char *in = tmp("quiet.wav"), *out = tmp("quiet_m.wav");
    write_programme(in, 4.0, 0.05, -1); /* about -30 LUFS */
    objr_master_config c = objr_master_config_default();
    ck_assert_int_eq(objr_master_preset_get("atmos-music", &c.target), OBJR_OK);
    objr_master_report r;
    ck_assert_int_eq(objr_master_file(&c, in, out, &r, NULL), OBJR_OK);
    ck_assert_double_eq(r.gain_db, 0.0);
    ck_assert_double_eq_tol(r.after.integrated_lufs, r.before.integrated_lufs, 0.01);
    ck_assert_double_eq(r.limiter.max_reduction_db, 0.0);
    /* and a loud one comes down to at most -18 */
    const char *in2 = tmp("loud.wav"), *out2 = tmp("loud_m.wav");
    write_programme(in2, 4.0, 0.9, -1);
    ck_assert_int_eq(objr_master_file(&c, in2, out2, &r, NULL), OBJR_OK);
    ck_assert_double_le(r.after.integrated_lufs, -18.0);
    ck_assert_double_ge(r.after.integrated_lufs, -18.2);
}
END_TEST

START_TEST(master_resample_16bit) {
    const char *in = tmp("r.wav"), *out = tmp("r_m.wav");
    write_programme(in, 3.0, 0.5, -1);
    objr_master_config c = objr_master_config_default();
    c.out_rate_hz = 44100;
    c.bit_depth = 16;
    snprintf(c.title, sizeof c.title, "Title");
    objr_master_report r;
    objr_diag d;
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(out, SFM_READ, &info);
    ck_assert_ptr_nonnull(sf);
    ck_assert_int_eq(info.samplerate, 44100);
    ck_assert_int_eq(info.format & SF_FORMAT_SUBMASK, SF_FORMAT_PCM_16);
    ck_assert_int_le(labs((long)info.frames - 3 * 44100), 2);
    const char *title = sf_get_string(sf, SF_STR_TITLE);
    ck_assert_ptr_nonnull(title);
    ck_assert_str_eq(title, "Title");
    sf_close(sf);
    ck_assert_double_eq_tol(r.after.integrated_lufs, -23.0, 0.1);
}
END_TEST

START_TEST(bad_inputs) {
    objr_master_config c = objr_master_config_default();
    objr_master_report r;
    objr_diag d;
    /* silence */
    const char *sil = tmp("sil.wav"), *o1 = tmp("sil_m.wav");
    write_programme(sil, 1.0, 0.0, -1);
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_master_file(&c, sil, o1, &r, &d), OBJR_ERR_RANGE);
    ck_assert(strstr(d.message, "undefined") != NULL);
    ck_assert(!exists(o1));
    /* NaN with its position */
    const char *nan = tmp("nan.wav"), *o2 = tmp("nan_m.wav");
    write_programme(nan, 1.0, 0.5, 4321);
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_master_file(&c, nan, o2, &r, &d), OBJR_ERR_RANGE);
    ck_assert_msg(strstr(d.message, "frame 4321") && strstr(d.message, "channel 2"), "%s",
                  d.message);
    ck_assert(!exists(o2));
    /* same file */
    const char *ok = tmp("ok.wav");
    write_programme(ok, 1.0, 0.5, -1);
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_master_file(&c, ok, ok, &r, &d), OBJR_ERR_INVALID_ARG);
    /* unwritable */
    objr_diag_clear(&d);
    char under_file[600]; /* a missing folder is created; a file in the way is an error */
    snprintf(under_file, sizeof under_file, "%s/x.wav", ok);
    ck_assert_int_eq(objr_master_file(&c, ok, under_file, &r, &d), OBJR_ERR_IO);
    /* unreadable */
    ck_assert_int_eq(objr_master_file(&c, tmp("missing.wav"), tmp("y.wav"), &r, &d), OBJR_ERR_IO);
    /* unreachable: 0 LUFS under -1 dBTP on stereo */
    c.target.integrated_lufs = 0.0;
    const char *o3 = tmp("unr.wav");
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_master_file(&c, ok, o3, &r, &d), OBJR_ERR_RANGE);
    ck_assert(r.unreachable);
    ck_assert(strstr(d.message, "unreachable") != NULL);
    ck_assert(!exists(o3));
    /* bad config */
    c = objr_master_config_default();
    c.bit_depth = 20;
    ck_assert_int_eq(objr_master_file(&c, ok, tmp("z.wav"), &r, NULL), OBJR_ERR_INVALID_ARG);
    c = objr_master_config_default();
    c.limiter_style = (objr_limiter_style)OBJR_LIMITER_N_STYLES;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_master_file(&c, ok, tmp("z.wav"), &r, &d), OBJR_ERR_INVALID_ARG);
    ck_assert(strstr(d.message, "limiter style") != NULL);
}
END_TEST

START_TEST(album_one_gain_keeps_relative_loudness) {
    /* Two tracks 10 dB apart, target well below the ceiling: one gain, the 10 dB kept, the
     * album (pooled gating) on target. */
    const char *a = tmp("al_a.wav"), *b = tmp("al_b.wav");
    write_programme(a, 4.0, 0.3, -1);
    write_programme(b, 3.0, 0.3 * pow(10, -0.5), -1);
    const char *in[2] = {a, b}, *out[2] = {tmp("al_a_m.wav"), tmp("al_b_m.wav")};
    objr_master_config c = objr_master_config_default(); /* ebu-r128: -23 */
    objr_master_report r[2];
    objr_master_album_report ar;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_master_album(&c, in, out, 2, r, &ar, &d) == OBJR_OK, "%s", d.message);
    ck_assert(ar.loudness_ok);
    ck_assert_double_eq_tol(ar.after.integrated_lufs, -23.0, 0.1);
    double before = r[0].before.integrated_lufs - r[1].before.integrated_lufs;
    double after = r[0].after.integrated_lufs - r[1].after.integrated_lufs;
    ck_assert_double_eq_tol(before, 10.0, 0.2);
    ck_assert_double_eq_tol(after, before, 0.02);
    ck_assert_double_eq(r[0].gain_db, r[1].gain_db);
    /* tracks of different channel counts are refused */
    const char *m = tmp("al_mono.wav");
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *sf = sf_open(m, SFM_WRITE, &info);
    short z[4800] = {0};
    z[10] = 1000;
    sf_writef_short(sf, z, 4800);
    sf_close(sf);
    const char *in2[2] = {a, m}, *out2[2] = {tmp("x_a.wav"), tmp("x_m.wav")};
    ck_assert_int_eq(objr_master_album(&c, in2, out2, 2, r, &ar, &d), OBJR_ERR_CONFLICT);
    ck_assert(!exists(out2[0]) && !exists(out2[1]));
}
END_TEST

static void write_planar(const char *path, float *const *x, int nc, size_t n) {
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = nc;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    ck_assert_ptr_nonnull(sf);
    float *buf = malloc(n * (size_t)nc * sizeof *buf);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < nc; c++)
            buf[i * (size_t)nc + (size_t)c] = x[c][i];
    sf_writef_float(sf, buf, (sf_count_t)n);
    sf_close(sf);
    free(buf);
}

static double tp_dbtp(float *const *x, unsigned nc, size_t n) {
    objr_loudness_config c = objr_loudness_config_default();
    c.n_channels = nc;
    objr_loudness_meter *m = NULL;
    ck_assert_int_eq(objr_loudness_meter_create(&c, &m), OBJR_OK);
    ck_assert_int_eq(objr_loudness_meter_add_f32(m, (const float *const *)x, n), OBJR_OK);
    objr_loudness_result r;
    objr_loudness_meter_get(m, &r);
    objr_loudness_meter_destroy(m);
    return r.true_peak_dbtp;
}

START_TEST(envelope_from_renders_holds_every_render) {
    /* Two tracks, two "renders" (direct stereo, and a mid/side-like fold): their peaks fall
     * at different times. One envelope from both, applied to the tracks, keeps both
     * re-renders under the ceiling. */
    const size_t n = 3 * RATE;
    float *t1 = malloc(n * sizeof *t1), *t2 = malloc(n * sizeof *t2);
    objr_test_sine(t1, n, 0.3, 500, RATE, 0);
    objr_test_sine(t2, n, 0.3, 700, RATE, 1);
    for (size_t i = RATE; i < RATE + 480; i++)
        t1[i] += 0.5f * (float)sin(2 * OBJR_PI * 3000 * (double)i / RATE);
    for (size_t i = 2 * RATE; i < 2 * RATE + 480; i++) {
        t1[i] += 0.35f * (float)sin(2 * OBJR_PI * 2000 * (double)i / RATE);
        t2[i] += 0.35f * (float)sin(2 * OBJR_PI * 2000 * (double)i / RATE);
    }
    float *a[2] = {malloc(n * 4), malloc(n * 4)}, *b[2] = {malloc(n * 4), malloc(n * 4)};
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            a[0][i] = t1[i];
            a[1][i] = t2[i];
            b[0][i] = 0.7071f * (t1[i] + t2[i]);
            b[1][i] = 0.7071f * (t1[i] - t2[i]);
        }
        if (pass == 1)
            break;
        const char *paths[2] = {tmp("rA.wav"), tmp("rB.wav")};
        write_planar(paths[0], a, 2, n);
        write_planar(paths[1], b, 2, n);
        objr_master_config c = objr_master_config_default();
        objr_gain_envelope *env = NULL;
        ck_assert_int_eq(objr_gain_envelope_create(&env), OBJR_OK);
        objr_diag d;
        ck_assert_int_eq(objr_master_envelope_from_renders(&c, paths, 2, 6.0, env, &d), OBJR_OK);
        ck_assert_uint_eq(objr_gain_envelope_length(env), n);
        float *tr[2] = {t1, t2};
        ck_assert_int_eq(objr_gain_envelope_apply(env, 0, pow(10, 6.0 / 20), tr, 2, n), OBJR_OK);
        objr_gain_envelope_destroy(env);
    }
    double ta = tp_dbtp(a, 2, n), tb = tp_dbtp(b, 2, n);
    ck_assert_double_le(ta, -1.0);
    ck_assert_double_le(tb, -1.0);
    ck_assert_double_ge(ta, -1.6); /* limited, not just turned down */
    ck_assert_double_ge(tb, -1.6);
    free(t1);
    free(t2);
    for (int c = 0; c < 2; c++) {
        free(a[c]);
        free(b[c]);
    }
}
END_TEST

START_TEST(untouched_24bit_input_stays_bit_exact) {
    /* A compliant 24-bit file under "at most -18": no gain, no limiting, so the written
     * samples equal the input's (no dither added where nothing was requantised). */
    const char *in = tmp("b24.wav"), *out = tmp("b24_m.wav");
    const size_t n = 2 * RATE;
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_24;
    SNDFILE *sf = sf_open(in, SFM_WRITE, &info);
    int *x = malloc(2 * n * sizeof *x), *y = malloc(2 * n * sizeof *y);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    for (size_t i = 0; i < 2 * n; i++)
        x[i] = (int)((uint32_t)(int)objr_test_rng_range(&rng, -400000, 400000) << 8);
    sf_writef_int(sf, x, (sf_count_t)n);
    sf_close(sf);
    objr_master_config c = objr_master_config_default();
    ck_assert_int_eq(objr_master_preset_get("atmos-music", &c.target), OBJR_OK);
    objr_master_report r;
    objr_diag d;
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert_double_eq(r.gain_db, 0.0);
    memset(&info, 0, sizeof info);
    sf = sf_open(out, SFM_READ, &info);
    ck_assert_int_eq(sf_readf_int(sf, y, (sf_count_t)n), (sf_count_t)n);
    sf_close(sf);
    ck_assert_int_eq(memcmp(x, y, 2 * n * sizeof *x), 0);
    free(x);
    free(y);
}
END_TEST

static Suite *master_suite(void) {
    Suite *s = suite_create("master");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, presets_and_bases);
    tcase_add_test(tc, mask_from_channel_map);
    tcase_add_loop_test(tc, master_exact_with_limiting, 0, OBJR_LIMITER_N_STYLES);
    tcase_add_test(tc, master_at_most_only_turns_down);
    tcase_add_test(tc, master_resample_16bit);
    tcase_add_test(tc, bad_inputs);
    tcase_add_test(tc, album_one_gain_keeps_relative_loudness);
    tcase_add_test(tc, envelope_from_renders_holds_every_render);
    tcase_add_test(tc, untouched_24bit_input_stays_bit_exact);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(master_suite)
