/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudness meter against EBU Tech 3341 (cases 1-6, 9, 12-14) and Tech 3342 (cases 1-4),
 * generated here and fed in memory, and the BS.1770 Annex 3 channel weights. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ebur128.h>

#include "objrender/objr.h"
#include "src/core/core.h"

#define RATE 48000.0
#define BLOCK 480 /* 10 ms */
#define MAXCH 5

/* Under AddressSanitizer (unoptimised), steady-state cases whose expected value does not
 * depend on the length (1, 2: a constant sine) are shortened. */
#if defined(__SANITIZE_ADDRESS__)
#define STEADY_S 4.0
#else
#define STEADY_S 20.0
#endif

typedef struct seg {
    double level_db[MAXCH]; /* per-channel peak dBFS; <= -200 = silence */
    double dur_s;
} seg;

typedef struct gen {
    double c, s, dc, ds; /* 1 kHz phasor */
} gen;

static void gen_init(gen *g) {
    g->c = 1;
    g->s = 0;
    g->dc = cos(2 * OBJR_PI * 1000.0 / RATE);
    g->ds = sin(2 * OBJR_PI * 1000.0 / RATE);
}

/* Feed segments to the meter in 10 ms blocks; cb (may be NULL) is called after each block
 * with the time at its end. */
typedef void (*block_cb)(objr_loudness_meter *m, double t_s, void *ctx);

static void feed(objr_loudness_meter *m, unsigned nch, const seg *segs, size_t n_segs, block_cb cb,
                 void *ctx) {
    gen g;
    gen_init(&g);
    float buf[MAXCH][BLOCK];
    const float *pl[MAXCH];
    for (unsigned c = 0; c < nch; c++)
        pl[c] = buf[c];
    size_t total = 0;
    for (size_t k = 0; k < n_segs; k++) {
        size_t n = (size_t)llround(segs[k].dur_s * RATE), done = 0;
        double amp[MAXCH];
        for (unsigned c = 0; c < nch; c++)
            amp[c] = segs[k].level_db[c] <= -200 ? 0 : pow(10, segs[k].level_db[c] / 20);
        while (done < n) {
            size_t b = n - done < BLOCK ? n - done : BLOCK;
            for (size_t i = 0; i < b; i++) {
                for (unsigned c = 0; c < nch; c++)
                    buf[c][i] = (float)(amp[c] * g.s);
                double c2 = g.c * g.dc - g.s * g.ds;
                g.s = g.s * g.dc + g.c * g.ds;
                g.c = c2;
            }
            ck_assert_int_eq(objr_loudness_meter_add_f32(m, pl, b), OBJR_OK);
            done += b;
            total += b;
            if (cb)
                cb(m, (double)total / RATE, ctx);
        }
    }
}

static objr_loudness_meter *meter(unsigned nch, const double *w) {
    objr_loudness_config cfg = objr_loudness_config_default();
    cfg.n_channels = nch;
    cfg.weights = w;
    cfg.true_peak = 0; /* cases 15-23 are in test_truepeak */
    objr_loudness_meter *m = NULL;
    ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_OK);
    return m;
}

#define ST(l, d)                                                                                   \
    { {l, l, l, l, l}, d }
#define SIL -300.0

static objr_loudness_result run_stereo(const seg *s, size_t n) {
    objr_loudness_meter *m = meter(2, NULL);
    feed(m, 2, s, n, NULL, NULL);
    objr_loudness_result r;
    ck_assert_int_eq(objr_loudness_meter_get(m, &r), OBJR_OK);
    objr_loudness_meter_destroy(m);
    return r;
}

START_TEST(tech3341_case1_2) {
    for (int k = 0; k < 2; k++) {
        double l = k == 0 ? -23.0 : -33.0;
        seg s[] = {ST(l, STEADY_S)};
        objr_loudness_result r = run_stereo(s, 1);
        ck_assert_double_eq_tol(r.integrated_lufs, l, 0.1);
        ck_assert_double_eq_tol(r.momentary_max_lufs, l, 0.1);
        ck_assert_double_eq_tol(r.short_term_max_lufs, l, 0.1);
    }
}
END_TEST

START_TEST(tech3341_case3_4_5) {
    seg s3[] = {ST(-36, 10), ST(-23, 60), ST(-36, 10)};
    ck_assert_double_eq_tol(run_stereo(s3, 3).integrated_lufs, -23.0, 0.1);
    seg s4[] = {ST(-72, 10), ST(-36, 10), ST(-23, 60), ST(-36, 10), ST(-72, 10)};
    ck_assert_double_eq_tol(run_stereo(s4, 5).integrated_lufs, -23.0, 0.1);
    seg s5[] = {ST(-26, 20), ST(-20, 20.1), ST(-26, 20)};
    ck_assert_double_eq_tol(run_stereo(s5, 3).integrated_lufs, -23.0, 0.1);
}
END_TEST

START_TEST(tech3341_case6_five_channel) {
    /* L R C Ls Rs with Ls/Rs at M±110 (1.41): the weights come from the 5.0 labels. */
    const char *labels[] = {"M+030", "M-030", "M+000", "M+110", "M-110"};
    double w[5];
    ck_assert_int_eq(objr_loudness_weights_from_labels(labels, 5, w), OBJR_OK);
    objr_loudness_meter *m = meter(5, w);
    seg s[] = {{{-28, -28, -24, -30, -30}, 20}};
    feed(m, 5, s, 1, NULL, NULL);
    objr_loudness_result r;
    objr_loudness_meter_get(m, &r);
    ck_assert_double_eq_tol(r.integrated_lufs, -23.0, 0.1);
    objr_loudness_meter_destroy(m);
}
END_TEST

typedef struct track {
    double from_s, lo, hi;
    int use_short;
} track;

static void track_cb(objr_loudness_meter *m, double t, void *ctx) {
    track *tr = ctx;
    if (t < tr->from_s - 1e-9)
        return;
    double mo, sh;
    ck_assert_int_eq(objr_loudness_meter_get_current(m, &mo, &sh), OBJR_OK);
    double v = tr->use_short ? sh : mo;
    tr->lo = fmin(tr->lo, v);
    tr->hi = fmax(tr->hi, v);
}

START_TEST(tech3341_case9_short_term_constant) {
    seg s[10];
    for (int i = 0; i < 5; i++) {
        s[2 * i] = (seg)ST(-20, 1.34);
        s[2 * i + 1] = (seg)ST(-30, 1.66);
    }
    track tr = {3.0, HUGE_VAL, -HUGE_VAL, 1};
    objr_loudness_meter *m = meter(2, NULL);
    feed(m, 2, s, 10, track_cb, &tr);
    objr_loudness_meter_destroy(m);
    ck_assert_double_eq_tol(tr.lo, -23.0, 0.1);
    ck_assert_double_eq_tol(tr.hi, -23.0, 0.1);
}
END_TEST

START_TEST(tech3341_case12_momentary_constant) {
    seg s[50];
    for (int i = 0; i < 25; i++) {
        s[2 * i] = (seg)ST(-20, 0.18);
        s[2 * i + 1] = (seg)ST(-30, 0.22);
    }
    track tr = {1.0, HUGE_VAL, -HUGE_VAL, 0};
    objr_loudness_meter *m = meter(2, NULL);
    feed(m, 2, s, 50, track_cb, &tr);
    objr_loudness_meter_destroy(m);
    ck_assert_double_eq_tol(tr.lo, -23.0, 0.1);
    ck_assert_double_eq_tol(tr.hi, -23.0, 0.1);
}
END_TEST

START_TEST(tech3341_case13_max_momentary) {
    /* 20 files: i*20 ms silence, 400 ms at -23, 1 s silence: max M = -23 for each. */
    for (int i = 0; i < 20; i++) {
        seg s[] = {ST(SIL, 0.02 * i), ST(-23, 0.4), ST(SIL, 1.0)};
        objr_loudness_result r = run_stereo(i == 0 ? s + 1 : s, i == 0 ? 2 : 3);
        ck_assert_msg(fabs(r.momentary_max_lufs + 23.0) <= 0.1, "file %d: %.3f", i,
                      r.momentary_max_lufs);
    }
}
END_TEST

typedef struct seg_track {
    double mx[20];
} seg_track;

static void seg_cb(objr_loudness_meter *m, double t, void *ctx) {
    seg_track *st = ctx;
    int i = (int)floor((t - 1e-9) / 0.8);
    double mo, sh;
    objr_loudness_meter_get_current(m, &mo, &sh);
    if (i >= 0 && i < 20)
        st->mx[i] = fmax(st->mx[i], mo);
}

START_TEST(tech3341_case14_live_momentary) {
    /* One "live" stream: per 0.8 s segment i, max M = -38 + i. */
    seg s[60];
    size_t n = 0;
    for (int i = 0; i < 20; i++) {
        if (i)
            s[n++] = (seg)ST(SIL, 0.02 * i);
        s[n++] = (seg)ST(-38.0 + i, 0.4);
        s[n++] = (seg)ST(SIL, 0.4 - 0.02 * i);
    }
    seg_track st;
    for (int i = 0; i < 20; i++)
        st.mx[i] = -HUGE_VAL;
    objr_loudness_meter *m = meter(2, NULL);
    feed(m, 2, s, n, seg_cb, &st);
    objr_loudness_meter_destroy(m);
    for (int i = 0; i < 20; i++)
        ck_assert_msg(fabs(st.mx[i] - (-38.0 + i)) <= 0.1, "segment %d: %.3f", i, st.mx[i]);
}
END_TEST

START_TEST(tech3342_lra_cases) {
    seg s1[] = {ST(-20, 20), ST(-30, 20)};
    seg s2[] = {ST(-20, 20), ST(-15, 20)};
    seg s3[] = {ST(-40, 20), ST(-20, 20)};
    seg s4[] = {ST(-50, 20), ST(-35, 20), ST(-20, 20), ST(-35, 20), ST(-50, 20)};
    ck_assert_double_eq_tol(run_stereo(s1, 2).range_lu, 10.0, 1.0);
    ck_assert_double_eq_tol(run_stereo(s2, 2).range_lu, 5.0, 1.0);
    ck_assert_double_eq_tol(run_stereo(s3, 2).range_lu, 20.0, 1.0);
    ck_assert_double_eq_tol(run_stereo(s4, 5).range_lu, 15.0, 1.0);
}
END_TEST

START_TEST(weights_annex3_table) {
    ck_assert_double_eq(objr_loudness_weight_for_direction(30, 0, 0), 1.0);
    ck_assert_double_eq(objr_loudness_weight_for_direction(60, 0, 0), 1.41);
    ck_assert_double_eq(objr_loudness_weight_for_direction(-90, 0, 0), 1.41);
    ck_assert_double_eq(objr_loudness_weight_for_direction(120, 29, 0), 1.41);
    ck_assert_double_eq(objr_loudness_weight_for_direction(-135, 0, 0), 1.0);
    ck_assert_double_eq(objr_loudness_weight_for_direction(90, 30, 0), 1.0);
    ck_assert_double_eq(objr_loudness_weight_for_direction(110, -30, 0), 1.0);
    ck_assert_double_eq(objr_loudness_weight_for_direction(0, 0, 1), 0.0);
    ck_assert_double_eq(objr_loudness_weight_for_direction(250, 0, 0), 1.41); /* = -110 */
}
END_TEST

START_TEST(weights_from_masks) {
    /* 7.1.4: FL FR FC LFE BL BR SL SR TFL TFR TBL TBR (REFERENCES.md §3.1). */
    const double e714[12] = {1, 1, 1, 0, 1, 1, 1.41, 1.41, 1, 1, 1, 1};
    double w[12];
    ck_assert_int_eq(objr_loudness_weights_from_mask(0x2D63F, 12, w), OBJR_OK);
    for (int c = 0; c < 12; c++)
        ck_assert_double_eq(w[c], e714[c]);
    /* 5.1 with BL/BR and with SL/SR: both pairs are the M±110 surrounds. */
    const double e51[6] = {1, 1, 1, 0, 1.41, 1.41};
    ck_assert_int_eq(objr_loudness_weights_from_mask(0x3F, 6, w), OBJR_OK);
    for (int c = 0; c < 6; c++)
        ck_assert_double_eq(w[c], e51[c]);
    ck_assert_int_eq(objr_loudness_weights_from_mask(0x60F, 6, w), OBJR_OK);
    for (int c = 0; c < 6; c++)
        ck_assert_double_eq(w[c], e51[c]);
    /* No mask, 12 channels: the 7.1.4 default. Mask with too many bits: error. */
    ck_assert_int_eq(objr_loudness_weights_from_mask(0, 12, w), OBJR_OK);
    for (int c = 0; c < 12; c++)
        ck_assert_double_eq(w[c], e714[c]);
    ck_assert_int_eq(objr_loudness_weights_from_mask(0x3F, 4, w), OBJR_ERR_LAYOUT);
    /* labels */
    const char *lab[] = {"L",   "R",   "C",     "LFE",   "Lrs", "Rrs",
                         "Lss", "Rss", "U+045", "U-045", "Ltr", "Rtr"};
    ck_assert_int_eq(objr_loudness_weights_from_labels(lab, 12, w), OBJR_OK);
    for (int c = 0; c < 12; c++)
        ck_assert_double_eq(w[c], e714[c]);
    const char *bad[] = {"L", "X+030"};
    ck_assert_int_eq(objr_loudness_weights_from_labels(bad, 2, w), OBJR_ERR_LAYOUT);
}
END_TEST

START_TEST(seven_one_four_every_channel_counts) {
    /* A -23 dBFS-peak 1 kHz sine in one channel at a time of a 7.1.4 file: each non-LFE
     * channel reads -23 - 3.01 + 10 log10(G) + the K-filter gain at 1 kHz (same for all),
     * i.e. side channels 1.5 dB above the others, the tops equal to the fronts (libebur128's
     * default map would drop channels 7-12 entirely), LFE silent. */
    double w[12];
    objr_loudness_weights_from_mask(0x2D63F, 12, w);
    double ref = 0;
    for (unsigned ch = 0; ch < 12; ch++) {
        objr_loudness_config cfg = objr_loudness_config_default();
        cfg.n_channels = 12;
        cfg.weights = w;
        cfg.true_peak = 0;
        objr_loudness_meter *m = NULL;
        ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_OK);
        float *buf = calloc(12 * 4800, sizeof(float));
        const float *pl[12];
        for (int c = 0; c < 12; c++)
            pl[c] = buf + c * 4800;
        objr_test_sine(buf + ch * 4800, 4800, pow(10, -23 / 20.0), 1000, RATE, 0);
        for (int k = 0; k < 30; k++) /* 3 s: whole periods per 4800 frames */
            ck_assert_int_eq(objr_loudness_meter_add_f32(m, pl, 4800), OBJR_OK);
        objr_loudness_result r;
        objr_loudness_meter_get(m, &r);
        if (ch == 0)
            ref = r.integrated_lufs;
        if (ch == 3)
            ck_assert(r.integrated_lufs == -HUGE_VAL);
        else
            ck_assert_double_eq_tol(r.integrated_lufs, ref + 10 * log10(w[ch]), 0.01);
        free(buf);
        objr_loudness_meter_destroy(m);
    }
    ck_assert_double_eq_tol(ref, -23.0 - 3.0103 + 0.0, 0.1); /* mono-in-stereo: -3 dB */
}
END_TEST

START_TEST(meter_rejects_nonfinite_and_bad_config) {
    objr_loudness_meter *m = meter(2, NULL);
    float a[4] = {0, 0, NAN, 0}, b[4] = {0};
    const float *pl[2] = {a, b};
    ck_assert_int_eq(objr_loudness_meter_add_f32(m, pl, 4), OBJR_ERR_RANGE);
    objr_loudness_result r;
    objr_loudness_meter_get(m, &r);
    ck_assert_uint_eq(r.n_frames, 0);
    ck_assert(r.integrated_lufs == -HUGE_VAL);
    objr_loudness_meter_destroy(m);
    objr_loudness_config cfg = objr_loudness_config_default();
    double w[2] = {1.0, 0.7};
    cfg.weights = w;
    ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_ERR_INVALID_ARG);
    ck_assert_ptr_null(m);
    cfg = objr_loudness_config_default();
    cfg.n_channels = 0;
    ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_ERR_INVALID_ARG);
}
END_TEST

START_TEST(k_weighting_at_other_rates) {
    /* The K-weighting is designed per rate: a -23 dBFS stereo 1 kHz sine reads -23 LUFS
     * (integrated from libebur128, momentary/short-term from objrender's own filter) at
     * 44.1, 88.2 and 96 kHz too. */
    const double rates[] = {44100, 88200, 96000};
    for (int k = 0; k < 3; k++) {
        objr_loudness_config cfg = objr_loudness_config_default();
        cfg.rate_hz = rates[k];
        cfg.true_peak = 0;
        objr_loudness_meter *m = NULL;
        ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_OK);
        size_t n = (size_t)rates[k] / 10; /* 100 ms = 100 whole periods */
        float *x = malloc(n * sizeof *x);
        objr_test_sine(x, n, pow(10, -23 / 20.0), 1000, rates[k], 0);
        const float *pl[2] = {x, x};
        for (int b = 0; b < 40; b++)
            ck_assert_int_eq(objr_loudness_meter_add_f32(m, pl, n), OBJR_OK);
        objr_loudness_result r;
        objr_loudness_meter_get(m, &r);
        ck_assert_double_eq_tol(r.integrated_lufs, -23.0, 0.1);
        ck_assert_double_eq_tol(r.momentary_max_lufs, r.integrated_lufs, 0.02);
        ck_assert_double_eq_tol(r.short_term_max_lufs, r.integrated_lufs, 0.02);
        objr_loudness_meter_destroy(m);
        free(x);
    }
}
END_TEST

START_TEST(agrees_with_libebur128) {
    /* libebur128 (block list, not histogram) is the reference for the histogram gating: a
     * 7.1.4 programme of noise in ten-second steps over 25 dB (every channel weight set
     * explicitly on both). Integrated within 0.02 LU; LRA within 0.3 LU (libebur128 takes a
     * short-term value every second, objrender every 100 ms as Tech 3342 V4 asks: on
     * programmes whose level keeps moving the two samplings' percentiles can differ by more
     * than a LU, so the steps here are long). */
    const unsigned nc = 12;
    const size_t rate = 48000, n = rate * 70;
    double w[12];
    ck_assert_int_eq(objr_loudness_weights_default(nc, w), OBJR_OK);
    objr_loudness_config cfg = objr_loudness_config_default();
    cfg.n_channels = nc;
    cfg.weights = w;
    cfg.true_peak = 0;
    objr_loudness_meter *m = NULL;
    ck_assert_int_eq(objr_loudness_meter_create(&cfg, &m), OBJR_OK);
    ebur128_state *st = ebur128_init(nc, rate, EBUR128_MODE_I | EBUR128_MODE_LRA);
    ck_assert_ptr_nonnull(st);
    for (unsigned c = 0; c < nc; c++)
        ebur128_set_channel(
            st, c, w[c] == 0.0 ? EBUR128_UNUSED : (w[c] > 1.2 ? EBUR128_Mp090 : EBUR128_Mp030));
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    const size_t blk = 4096;
    float *x = malloc(blk * nc * sizeof *x);
    double lp[12] = {0};
    for (size_t done = 0; done < n; done += blk) {
        size_t b = n - done < blk ? n - done : blk;
        /* Ten-second steps of level, sloping within each step. */
        static const double steps_db[7] = {-40, -20, -30, -25, -35, -15, -28};
        double t = (double)done / (double)rate;
        double lev_db = steps_db[(size_t)(t / 10.0) % 7] + 0.3 * fmod(t, 10.0);
        double a = pow(10.0, lev_db / 20.0);
        for (size_t i = 0; i < b; i++) {
            for (unsigned c = 0; c < nc; c++) {
                lp[c] += 0.2 * (objr_test_rng_range(&rng, -1, 1) - lp[c]);
                x[i * nc + c] = (float)(a * lp[c] * (1.0 + 0.1 * c));
            }
        }
        ck_assert_int_eq(objr_loudness_meter_add_interleaved_f32(m, x, b), OBJR_OK);
        ck_assert_int_eq(ebur128_add_frames_float(st, x, b), EBUR128_SUCCESS);
    }
    objr_loudness_result r;
    objr_loudness_meter_get(m, &r);
    double ref_i, ref_lra;
    ck_assert_int_eq(ebur128_loudness_global(st, &ref_i), EBUR128_SUCCESS);
    ck_assert_int_eq(ebur128_loudness_range(st, &ref_lra), EBUR128_SUCCESS);
    ck_assert_msg(fabs(r.integrated_lufs - ref_i) <= 0.02, "I %.4f vs libebur128 %.4f",
                  r.integrated_lufs, ref_i);
    ck_assert_msg(fabs(r.range_lu - ref_lra) <= 0.3, "LRA %.3f vs libebur128 %.3f", r.range_lu,
                  ref_lra);
    ck_assert(ref_lra > 5.0); /* the signal does move */
    ebur128_destroy(&st);
    objr_loudness_meter_destroy(m);
    free(x);
}
END_TEST

static Suite *loudness_suite(void) {
    Suite *s = suite_create("loudness");
    TCase *tc = tcase_create("tech3341");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, tech3341_case1_2);
    tcase_add_test(tc, tech3341_case3_4_5);
    tcase_add_test(tc, tech3341_case6_five_channel);
    tcase_add_test(tc, tech3341_case9_short_term_constant);
    tcase_add_test(tc, tech3341_case12_momentary_constant);
    tcase_add_test(tc, tech3341_case13_max_momentary);
    tcase_add_test(tc, tech3341_case14_live_momentary);
    tcase_add_test(tc, tech3342_lra_cases);
    suite_add_tcase(s, tc);
    TCase *tw = tcase_create("weights");
    tcase_set_timeout(tw, 300);
    tcase_add_test(tw, weights_annex3_table);
    tcase_add_test(tw, weights_from_masks);
    tcase_add_test(tw, seven_one_four_every_channel_counts);
    tcase_add_test(tw, meter_rejects_nonfinite_and_bad_config);
    tcase_add_test(tw, k_weighting_at_other_rates);
    tcase_add_test(tw, agrees_with_libebur128);
    suite_add_tcase(s, tw);
    return s;
}

OBJR_TEST_MAIN(loudness_suite)
