/* SPDX-License-Identifier: BSD-3-Clause */
/* Codec check (src/master/codec_check.c): a master limited to its ceiling goes over it after
 * an MP3 round trip at 128 kbps; codec-safe mastering brings every decode back under; the
 * report names the encoders; codecs a file cannot use are skipped with a reason; delivery tags
 * are embedded (read back here structurally; e2e.codec_check reads them with ffprobe). */
#include "common/test_common.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/core/core.h"

#define RATE 48000
#define SECONDS 8.0

static char *tmp(const char *name) {
    static char buf[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", objr_test_tmpdir(), name);
    return buf[k];
}

/* Dense programme whose spectrum lies below 6 kHz: noise through two one-pole low-passes
 * plus a bass line and a tone, different in each channel. Everything is inside the band LAME
 * keeps at 128 kbps (its low-pass sits near 17 kHz at 48 kHz), so the round trip removes no
 * band and its error is coding noise alone. */
static void write_dense(const char *path, int rate, double level) {
    SF_INFO info = {0};
    info.samplerate = rate;
    info.channels = 2;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    ck_assert_ptr_nonnull(sf);
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    size_t n = (size_t)(SECONDS * rate);
    float *buf = malloc(2 * n * sizeof *buf);
    ck_assert_ptr_nonnull(buf);
    const double a = exp(-2.0 * OBJR_PI * 6000.0 / rate);
    double s1[2] = {0, 0}, s2[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate;
        for (int c = 0; c < 2; c++) {
            double w = objr_test_rng_range(&rng, -1, 1);
            s1[c] = (1 - a) * w + a * s1[c];
            s2[c] = (1 - a) * s1[c] + a * s2[c];
            double tone = 0.25 * sin(2 * OBJR_PI * (c ? 82.4 : 55.0) * t) +
                          0.15 * sin(2 * OBJR_PI * (c ? 660.0 : 440.0) * t);
            buf[2 * i + (size_t)c] = (float)(level * (2.5 * s2[c] + tone));
        }
    }
    ck_assert_int_eq(sf_writef_float(sf, buf, (sf_count_t)n), (sf_count_t)n);
    sf_close(sf);
    free(buf);
}

/* A master pushed hard into a -1 dBTP ceiling: the limiter holds thousands of peaks at the
 * ceiling (it acts for a good part of this dense programme). */
static objr_master_config pushed_config(void) {
    objr_master_config c = objr_master_config_default();
    c.target.kind = OBJR_TARGET_EXACT;
    c.target.integrated_lufs = -7.0;
    c.target.true_peak_dbtp = -1.0;
    c.codec_mask = OBJR_CODEC_BIT(OBJR_CODEC_MP3);
    c.codec_kbps = 128.0;
    return c;
}

/* The coding error at 128 kbps is independent of where the limited peaks sit, so at the
 * peaks held at the ceiling it adds in either direction: the decode's true peak must exceed
 * the master's, which sits at the ceiling (within the limiter's margin), and the ceiling. */
START_TEST(mp3_128_goes_over_a_pushed_master) {
    char *in = tmp("cc_in.wav"), *out = tmp("cc_out.wav");
    write_dense(in, RATE, 0.5);
    objr_master_config c = pushed_config();
    objr_master_report r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert_msg(r.limiter.active_fraction > 0.1,
                  "reduction %.2f dB, active %.2f, decode %.2f dBTP", /* really pushed */
                  r.limiter.max_reduction_db, r.limiter.active_fraction,
                  r.codec.results[0].true_peak_dbtp);
    ck_assert_uint_eq(r.codec.n_results, 1);
    const objr_codec_result *m = &r.codec.results[0];
    ck_assert(m->checked);
    ck_assert_ptr_nonnull(strstr(m->encoder, "LAME"));
    /* CBR: the stream's size says its bitrate (frame padding and the tag add < 2 %). */
    ck_assert_double_eq_tol(m->real_kbps, 128.0, 128.0 * 0.02);
    ck_assert(m->master_true_peak_dbtp <= c.target.true_peak_dbtp);
    ck_assert(m->master_true_peak_dbtp > c.target.true_peak_dbtp - 1.0);
    ck_assert_msg(m->true_peak_dbtp > c.target.true_peak_dbtp, "decode %.2f dBTP",
                  m->true_peak_dbtp);
    ck_assert(m->over_ceiling && !r.codec.all_ok);
    /* Nothing removed in band: the loudness survives within a fraction of a LU. */
    ck_assert_double_eq_tol(m->integrated_lufs, m->master_integrated_lufs, 0.5);
    ck_assert_uint_eq(r.codec.remasters, 0);
    ck_assert_double_eq(r.codec.limiter_ceiling_dbtp, c.target.true_peak_dbtp);
}
END_TEST

START_TEST(codec_safe_holds_the_ceiling_after_every_codec) {
    char *in = tmp("cs_in.wav"), *out = tmp("cs_out.wav");
    write_dense(in, RATE, 0.5);
    objr_master_config c = pushed_config();
    c.codec_mask |= OBJR_CODEC_BIT(OBJR_CODEC_OPUS);
    c.codec_safe = 1;
    c.target.kind = OBJR_TARGET_NONE; /* only the ceiling: no loudness fight */
    objr_master_report r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert(r.written);
    ck_assert_uint_eq(r.codec.n_results, 2);
    ck_assert(r.codec.all_ok);
    ck_assert(r.codec.remasters >= 1 && r.codec.remasters <= c.codec_safe_max_passes);
    ck_assert(r.codec.limiter_ceiling_dbtp < c.target.true_peak_dbtp);
    for (unsigned i = 0; i < r.codec.n_results; i++) {
        ck_assert(r.codec.results[i].checked);
        ck_assert_msg(r.codec.results[i].true_peak_dbtp <= c.target.true_peak_dbtp,
                      "%s decode %.2f dBTP", objr_codec_name(r.codec.results[i].codec),
                      r.codec.results[i].true_peak_dbtp);
    }
    /* The delivered file is the last re-master: checked again on its own it holds. */
    objr_codec_check_config cc = objr_codec_check_config_default();
    cc.codec_mask = c.codec_mask;
    objr_codec_report again;
    ck_assert(objr_codec_check_file(&cc, out, &again, &d) == OBJR_OK);
    ck_assert(again.all_ok);
}
END_TEST

/* Codecs that cannot take a file are skipped with a reason, not failed. */
START_TEST(skips_with_reasons) {
    char *in = tmp("cc_441.wav");
    write_dense(in, 44100, 0.1);
    objr_codec_check_config cc = objr_codec_check_config_default();
    cc.codec_mask = OBJR_CODEC_BIT(OBJR_CODEC_MP3) | OBJR_CODEC_BIT(OBJR_CODEC_OPUS) |
                    OBJR_CODEC_BIT(OBJR_CODEC_AAC);
    objr_codec_report r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_codec_check_file(&cc, in, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert_uint_eq(r.n_results, 3);
    ck_assert(r.results[0].checked); /* MP3 at 44.1 kHz */
    ck_assert(!r.results[1].checked);
    ck_assert_ptr_nonnull(strstr(r.results[1].note, "44100"));
    ck_assert(!r.results[2].checked);
    ck_assert_ptr_nonnull(strstr(r.results[2].note, "AAC"));
    cc.bitrate_kbps = 8.0;
    ck_assert(objr_codec_check_file(&cc, in, &r, &d) == OBJR_ERR_INVALID_ARG);
    ck_assert(objr_codec_check_file(&cc, "/nonexistent.wav", &r, NULL) != OBJR_OK);
    ck_assert_str_eq(objr_codec_name(OBJR_CODEC_OPUS), "opus");
}
END_TEST

/* MP3 tags: our ID3v2.4 tag at the head with TSRC = the ISRC, the stream still decodes. */
START_TEST(mp3_carries_tsrc) {
    char *in = tmp("tg_in.wav"), *out = tmp("tg_out.mp3");
    write_dense(in, RATE, 0.05);
    objr_master_config c = objr_master_config_default();
    c.format = OBJR_MASTER_MP3;
    c.target.kind = OBJR_TARGET_NONE;
    snprintf(c.isrc, sizeof c.isrc, "GBAYE0000351");
    snprintf(c.title, sizeof c.title, "T");
    objr_master_report r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_msg(objr_master_file(&c, in, out, &r, &d) == OBJR_OK, "%s", d.message);
    ck_assert(r.tags_embedded);
    size_t n = 0;
    unsigned char *b = objr_test_read_file(out, &n);
    ck_assert(b && n > 64);
    ck_assert(!memcmp(b, "ID3\x04", 4));
    size_t tag = 10 + (((size_t)b[6] << 21) | ((size_t)b[7] << 14) | ((size_t)b[8] << 7) | b[9]);
    int found = 0;
    for (size_t i = 10; i + 23 <= tag && !found; i++)
        found = !memcmp(b + i, "TSRC", 4) && !memcmp(b + i + 11, "GBAYE0000351", 12);
    ck_assert(found);
    free(b);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(out, SFM_READ, &info);
    ck_assert_ptr_nonnull(sf);
    ck_assert(info.frames > (sf_count_t)(SECONDS * RATE * 0.99));
    sf_close(sf);
}
END_TEST

static Suite *codec_check_suite(void) {
    Suite *s = suite_create("codec_check");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, mp3_128_goes_over_a_pushed_master);
    tcase_add_test(tc, codec_safe_holds_the_ceiling_after_every_codec);
    tcase_add_test(tc, skips_with_reasons);
    tcase_add_test(tc, mp3_carries_tsrc);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(codec_check_suite)
