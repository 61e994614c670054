/* SPDX-License-Identifier: BSD-3-Clause */
/* The demo synthesiser: deterministic for a seed and independent of block size, levels at
 * their targets without clipping, an LFE that carries only low frequencies, and object
 * trajectories inside the ADM coordinate ranges (BS.2076-2). */
#include "common/test_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools/demo/demo_synth.h"

#define NT OBJR__DEMO_N_TRACKS

typedef struct render {
    float *data; /* planar, NT x n */
    size_t n;
} render;

static render render_all(uint64_t seed, size_t block) {
    render r = {0};
    objr__demo_synth *s = NULL;
    ck_assert_int_eq(objr__demo_synth_create(seed, &s), OBJR_OK);
    r.n = objr__demo_n_frames();
    r.data = malloc(sizeof(float) * NT * r.n);
    ck_assert_ptr_nonnull(r.data);
    float *tmp = malloc(sizeof(float) * NT * block);
    float *ch[NT];
    for (int c = 0; c < NT; c++)
        ch[c] = tmp + (size_t)c * block;
    size_t pos = 0, got;
    while ((got = objr__demo_synth_render(s, ch, block)) > 0) {
        for (int c = 0; c < NT; c++)
            memcpy(r.data + (size_t)c * r.n + pos, ch[c], got * sizeof(float));
        pos += got;
    }
    ck_assert_uint_eq(pos, r.n);
    free(tmp);
    objr__demo_synth_destroy(s);
    return r;
}

static double peak(const float *x, size_t n) {
    double p = 0;
    for (size_t k = 0; k < n; k++)
        p = fmax(p, fabs(x[k]));
    return p;
}

START_TEST(length_is_thirty_seconds) {
    ck_assert_uint_eq(objr__demo_n_frames(), (size_t)(30 * 48000));
}
END_TEST

/* Power of x in a band by direct DFT over a window (Goertzel), relative to total. */
static double band_power(const float *x, size_t n, double f_hz) {
    double w = 2.0 * OBJR_PI * f_hz / OBJR__DEMO_RATE_HZ, c = 2.0 * cos(w), s1 = 0, s2 = 0;
    for (size_t k = 0; k < n; k++) {
        double win = 0.5 - 0.5 * cos(2.0 * OBJR_PI * (double)k / (double)n);
        double s0 = win * x[k] + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/* Levels at their targets, no clipping, silence at both ends, LFE low-passed. */
static void check_levels(const render *rr) {
    render r = *rr;
    double bed_peak = 0;
    for (int c = 0; c < NT; c++) {
        const float *x = r.data + (size_t)c * r.n;
        double p = peak(x, r.n);
        ck_assert_msg(p < 1.0, "track %d clips (peak %g)", c, p);
        /* Not silent: at least -40 dBFS RMS over the piece. */
        ck_assert_msg(objr_test_power_db(x, r.n) > -45.0, "track %d is nearly silent", c);
        if (c < OBJR__DEMO_N_BED && c != OBJR__DEMO_BED_LFE)
            bed_peak = fmax(bed_peak, p);
        else
            ck_assert_double_eq_tol(20.0 * log10(p), objr__demo_track_peak_dbfs(c), 0.01);
    }
    ck_assert_double_eq_tol(20.0 * log10(bed_peak), OBJR__DEMO_BED_PEAK_DBFS, 0.01);
    /* Starts and ends in silence (fade-in and fade-out). */
    for (int c = 0; c < NT; c++) {
        ck_assert_float_eq(r.data[(size_t)c * r.n], 0.0f);
        ck_assert(fabsf(r.data[(size_t)c * r.n + r.n - 1]) < 1e-6f);
    }

    /* The LFE carries only low frequencies: over 2 s of groove, compare 1 kHz with 55 Hz
     * (Hann-windowed). A 4th-order Butterworth at 120 Hz is about -74 dB at 1 kHz; the
     * full-band M+030 channel, which carries the same kick and bass, is far less steep. */
    const float *lfe = r.data + (size_t)OBJR__DEMO_BED_LFE * r.n;
    const float *left = r.data;
    size_t off = 5 * 48000, n = 2 * 48000;
    double lfe_ratio = band_power(lfe + off, n, 1000.0) / band_power(lfe + off, n, 55.0);
    double left_ratio = band_power(left + off, n, 1000.0) / band_power(left + off, n, 55.0);
    ck_assert_msg(10.0 * log10(lfe_ratio) < -50.0, "LFE 1k/55 = %.1f dB", 10.0 * log10(lfe_ratio));
    ck_assert(left_ratio > lfe_ratio * 1000.0);
}

/* One full render serves every check (creation already renders the piece once to measure
 * its peaks, so each render costs two passes). */
START_TEST(deterministic_levels_lfe) {
    uint64_t seed = objr_test_seed();
    render a = render_all(seed, 4096);
    render b = render_all(seed, 1237); /* a block size that divides nothing */
    ck_assert_msg(memcmp(a.data, b.data, sizeof(float) * NT * a.n) == 0,
                  "output depends on the block size");
    free(b.data);
    check_levels(&a);

    /* Another seed gives other music: compare the first 10 s. */
    objr__demo_synth *s = NULL;
    ck_assert_int_eq(objr__demo_synth_create(seed + 1, &s), OBJR_OK);
    size_t n = 10 * OBJR__DEMO_RATE_HZ;
    float *buf = malloc(sizeof(float) * NT * n);
    ck_assert_ptr_nonnull(buf);
    float *ch[NT];
    for (int c = 0; c < NT; c++)
        ch[c] = buf + (size_t)c * n;
    ck_assert_uint_eq(objr__demo_synth_render(s, ch, n), n);
    int differs = 0;
    for (int c = OBJR__DEMO_TRACK_LEAD; c < NT; c++)
        differs |= memcmp(ch[c], a.data + (size_t)c * a.n, n * sizeof(float)) != 0;
    ck_assert_msg(differs, "the seed does not change the music");
    objr__demo_synth_destroy(s);
    free(buf);
    free(a.data);
}
END_TEST

START_TEST(trajectories_in_range) {
    for (int t = OBJR__DEMO_TRACK_LEAD; t < NT; t++) {
        ck_assert_ptr_nonnull(objr__demo_track_name(t));
        for (double ts = 0; ts <= OBJR__DEMO_DURATION_S; ts += 0.25) {
            objr__demo_pos p;
            objr__demo_position(t, ts, &p);
            if (p.cartesian) {
                ck_assert(fabs(p.x) <= 1.0 && fabs(p.y) <= 1.0 && fabs(p.z) <= 1.0);
            } else {
                ck_assert(p.azimuth_deg >= -180.0 && p.azimuth_deg <= 180.0);
                ck_assert(p.elevation_deg >= -90.0 && p.elevation_deg <= 90.0);
                ck_assert_double_eq_tol(p.distance, 1.0, 1e-12);
            }
            ck_assert(p.width_deg >= 0.0 && p.width_deg <= 360.0);
            ck_assert(p.diffuse >= 0.0 && p.diffuse <= 1.0);
        }
    }
    /* The kinds the scene promises: one cartesian, one overhead, one with extent, one
     * diffuse, and the lead moving. */
    objr__demo_pos a, b;
    objr__demo_position(OBJR__DEMO_TRACK_FLYBY, 3.0, &a);
    ck_assert(a.cartesian);
    objr__demo_position(OBJR__DEMO_TRACK_OVERHEAD, 3.0, &a);
    ck_assert(a.elevation_deg >= 55.0);
    objr__demo_position(OBJR__DEMO_TRACK_WIDE, 3.0, &a);
    ck_assert(a.width_deg > 0.0);
    objr__demo_position(OBJR__DEMO_TRACK_DIFFUSE, 3.0, &a);
    ck_assert(a.diffuse > 0.5);
    objr__demo_position(OBJR__DEMO_TRACK_LEAD, 1.0, &a);
    objr__demo_position(OBJR__DEMO_TRACK_LEAD, 6.0, &b);
    ck_assert(fabs(a.azimuth_deg - b.azimuth_deg) > 5.0);
}
END_TEST

START_TEST(bed_labels_are_the_7_1_2_pack) {
    static const char *want[] = {"M+030", "M-030", "M+000", "LFE1",  "M+090",
                                 "M-090", "M+135", "M-135", "U+090", "U-090"};
    for (int c = 0; c < OBJR__DEMO_N_BED; c++)
        ck_assert_str_eq(objr__demo_bed_labels[c], want[c]);
    ck_assert_str_eq(objr__demo_bed_labels[OBJR__DEMO_BED_LFE], "LFE1");
}
END_TEST

static Suite *demo_synth_suite(void) {
    Suite *s = suite_create("demo_synth");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, length_is_thirty_seconds);
    tcase_add_test(tc, deterministic_levels_lfe);
    tcase_add_test(tc, trajectories_in_range);
    tcase_add_test(tc, bed_labels_are_the_7_1_2_pack);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(demo_synth_suite)
