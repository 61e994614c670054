/* SPDX-License-Identifier: BSD-3-Clause */
/* formats/mix_source: one opening for both kinds of mix (ADM BWF with chna + axml, mix.xml with
 * stems) giving the same tracks; the stem policy (stems stay inside the mix.xml's folder);
 * non-finite samples (an error naming file, track and time, or repaired and counted); short
 * and wide stems and audio shorter than the metadata as warnings; a data chunk cut short read
 * to its last whole frame. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/adm_model_eq.h"
#include "common/xml_builder.h"
#include "formats/adm_model.h"
#include "formats/mix_source.h"
#include "objrender/objr.h"

#define RATE 48000u

/* One Objects object on one track, "dur" seconds long in the metadata (0: no duration). */
static void scene_xml(char *out, size_t n, const char *stem_file, unsigned channel, double dur) {
    char dur_attr[64] = "";
    if (dur > 0)
        snprintf(dur_attr, sizeof dur_attr, " start=\"00:00:00.00000\" duration=\"00:00:%08.5f\"",
                 dur);
    char stem_attr[512] = "";
    if (stem_file)
        snprintf(stem_attr, sizeof stem_attr, " objr:file=\"%s\" objr:channel=\"%u\"", stem_file,
                 channel);
    snprintf(
        out, n,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" "
        "xmlns:objr=\"urn:objrender:mix:1\"><coreMetadata><format>\n"
        "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n"
        "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"t\">"
        "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
        "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"c\">"
        "<audioObjectIDRef>AO_1001</audioObjectIDRef></audioContent>\n"
        "<audioObject audioObjectID=\"AO_1001\" audioObjectName=\"o\"%s>"
        "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
        "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
        "<audioPackFormat audioPackFormatID=\"AP_00031001\" audioPackFormatName=\"o\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_00031001\" audioChannelFormatName=\"o\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_00031001_00000001\">"
        "<position coordinate=\"azimuth\">30</position>"
        "<position coordinate=\"elevation\">0</position></audioBlockFormat>"
        "</audioChannelFormat>\n"
        "<audioTrackUID UID=\"ATU_00000001\"%s>"
        "<audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>"
        "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>\n"
        "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n",
        dur_attr, stem_attr);
}

/* x[c][i] = (c + 1) * 0.001 * (i % 100): a ramp per channel, so a track read from the wrong
 * place or at the wrong offset shows. bad_at (< n) puts @p bad into channel 0 there. */
static float sample_at(unsigned c, size_t i) {
    return (float)((c + 1) * 0.001 * (double)(i % 100));
}

static void write_wav(const char *path, unsigned n_ch, size_t n, objr_bwf_sample_format fmt,
                      const char *axml, size_t bad_at, float bad) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = n_ch;
    wc.sample_rate_hz = RATE;
    wc.sample_format = fmt;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_bwf_writer_create(path, &wc, &d, &w), OBJR_OK);
    if (axml) {
        objr_bwf_chna_entry e;
        memset(&e, 0, sizeof e);
        e.track_index = 1;
        snprintf(e.uid, sizeof e.uid, "ATU_00000001");
        snprintf(e.track_ref, sizeof e.track_ref, "AC_00031001_00");
        snprintf(e.pack_ref, sizeof e.pack_ref, "AP_00031001");
        ck_assert_int_eq(objr_bwf_writer_set_chna(w, &e, 1), OBJR_OK);
        ck_assert_int_eq(objr_bwf_writer_set_axml(w, axml, strlen(axml)), OBJR_OK);
    }
    float *buf[4];
    for (unsigned c = 0; c < n_ch; c++) {
        buf[c] = calloc(n, sizeof(float));
        for (size_t i = 0; i < n; i++)
            buf[c][i] = sample_at(c, i);
    }
    if (bad_at < n)
        buf[0][bad_at] = bad;
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, (const float *const *)buf, n), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, &d), OBJR_OK);
    for (unsigned c = 0; c < n_ch; c++)
        free(buf[c]);
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static char g_dir[512];

static const char *tmp(const char *name) {
    static char p[4][768];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", g_dir, name);
    return p[k];
}

static void setup(void) {
    snprintf(g_dir, sizeof g_dir, "%s/mix_source_%ld", objr_test_tmpdir(), (long)getpid());
    mkdir(g_dir, 0755);
    mkdir(tmp("stems"), 0755);
}

static objr__mix_source *open_ok(const char *path, const objr__mix_source_config *cfg) {
    objr__mix_source *ms = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr__mix_source_open(path, cfg, &d, &ms);
    ck_assert_msg(st == OBJR_OK, "open %s: %d %s", path, st, d.message);
    st = objr__mix_source_open_audio(ms, NULL, 0, &d);
    ck_assert_msg(st == OBJR_OK, "audio %s: %d %s", path, st, d.message);
    ck_assert_int_eq(objr__mix_source_prepare(ms, 256), OBJR_OK);
    return ms;
}

/* Both kinds of mix give the same track, sample for sample, from the same offset. */
START_TEST(bwf_and_mix_xml_read_the_same_track) {
    char xml[8192];
    scene_xml(xml, sizeof xml, NULL, 0, 0);
    write_wav(tmp("mix.wav"), 1, 1000, OBJR_BWF_SAMPLE_FLOAT32, xml, (size_t)-1, 0);
    write_wav(tmp("stems/a.wav"), 2, 1000, OBJR_BWF_SAMPLE_FLOAT32, NULL, (size_t)-1, 0);
    scene_xml(xml, sizeof xml, "stems/a.wav", 2, 0);
    write_text(tmp("mix.xml"), xml);

    objr__mix_source *b = open_ok(tmp("mix.wav"), NULL);
    objr__mix_source *x = open_ok(tmp("mix.xml"), NULL);
    ck_assert_int_eq(objr__mix_source_is_bwf(b), 1);
    ck_assert_int_eq(objr__mix_source_is_bwf(x), 0);
    ck_assert_uint_eq(objr__mix_source_n_tracks(b), 1);
    ck_assert_uint_eq(objr__mix_source_n_tracks(x), 0);
    ck_assert_uint_eq(objr__mix_source_sample_rate(x), RATE);
    ck_assert_uint_eq(objr__mix_source_n_frames(x), 1000);
    const float *tb = objr__mix_source_track(b, 1, NULL, 0);
    const float *tx = objr__mix_source_track(x, 0, tmp("stems/a.wav"), 2);
    ck_assert_ptr_nonnull(tb);
    ck_assert_ptr_nonnull(tx);
    /* the path as written in the mix.xml finds it too */
    ck_assert_ptr_eq(objr__mix_source_track(x, 0, "stems/a.wav", 2), tx);
    ck_assert_ptr_null(objr__mix_source_track(x, 0, "stems/a.wav", 3));
    ck_assert_ptr_null(objr__mix_source_track(b, 2, NULL, 0));
    objr_diag d;
    ck_assert_int_eq(objr__mix_source_seek(b, 500, &d), OBJR_OK);
    ck_assert_int_eq(objr__mix_source_seek(x, 500, &d), OBJR_OK);
    ck_assert_int_eq(objr__mix_source_read(b, 200, 256, &d), OBJR_OK);
    ck_assert_int_eq(objr__mix_source_read(x, 200, 256, &d), OBJR_OK);
    for (size_t i = 0; i < 200; i++) {
        ck_assert_float_eq(tb[i], sample_at(0, 500 + i));
        ck_assert_float_eq(tx[i], sample_at(1, 500 + i)); /* channel 2 of the stem */
    }
    for (size_t i = 200; i < 256; i++)
        ck_assert_float_eq(tx[i], 0.0f); /* padded */
    /* past the end: silence */
    ck_assert_int_eq(objr__mix_source_read(x, 256, 256, &d), OBJR_OK);
    ck_assert_int_eq(objr__mix_source_read(x, 256, 256, &d), OBJR_OK);
    for (size_t i = 44; i < 256; i++)
        ck_assert_float_eq(tx[i], 0.0f);
    /* the model is handed over */
    objr__adm_model *m = objr__mix_source_take_model(x);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(objr__mix_source_model(x));
    objr__adm_model_destroy(m);
    objr__mix_source_destroy(b);
    objr__mix_source_destroy(x);
}
END_TEST

static objr_status open_status(const char *path, const objr__mix_source_config *cfg, objr_diag *d) {
    objr__mix_source *ms = NULL;
    objr_diag_clear(d);
    objr_status st = objr__mix_source_open(path, cfg, d, &ms);
    if (st == OBJR_OK)
        st = objr__mix_source_open_audio(ms, NULL, 0, d);
    objr__mix_source_destroy(ms);
    return st;
}

/* A stem outside the folder (absolute, or ".." climbing out) is refused with its line and ID;
 * "a/../b" stays inside; allow_external_stems opens them. */
START_TEST(stem_policy) {
    write_wav(tmp("stems/a.wav"), 1, 100, OBJR_BWF_SAMPLE_PCM24, NULL, (size_t)-1, 0);
    write_wav(tmp("outside.wav"), 1, 100, OBJR_BWF_SAMPLE_PCM24, NULL, (size_t)-1, 0);
    mkdir(tmp("sub"), 0755);
    char xml[8192];
    objr_diag d;
    objr__mix_source_config cfg = objr__mix_source_config_default();

    scene_xml(xml, sizeof xml, tmp("stems/a.wav"), 1, 0); /* absolute */
    write_text(tmp("abs.xml"), xml);
    ck_assert_int_eq(open_status(tmp("abs.xml"), &cfg, &d), OBJR_ERR_REFERENCE);
    ck_assert_str_eq(d.element_id, "ATU_00000001");
    ck_assert_int_eq(d.line, 9); /* the audioTrackUID's line */
    ck_assert_ptr_nonnull(strstr(d.message, "outside the mix.xml's folder"));
    ck_assert_ptr_nonnull(strstr(d.message, "abs.xml"));

    scene_xml(xml, sizeof xml, "../outside.wav", 1, 0);
    write_text(tmp("sub/up.xml"), xml);
    ck_assert_int_eq(open_status(tmp("sub/up.xml"), &cfg, &d), OBJR_ERR_REFERENCE);
    scene_xml(xml, sizeof xml, "stems/../../x.wav", 1, 0);
    write_text(tmp("up2.xml"), xml);
    ck_assert_int_eq(open_status(tmp("up2.xml"), &cfg, &d), OBJR_ERR_REFERENCE);

    scene_xml(xml, sizeof xml, "./stems/../stems/a.wav", 1, 0);
    write_text(tmp("inside.xml"), xml);
    ck_assert_int_eq(open_status(tmp("inside.xml"), &cfg, &d), OBJR_OK);

    cfg.allow_external_stems = 1;
    ck_assert_int_eq(open_status(tmp("abs.xml"), &cfg, &d), OBJR_OK);
    ck_assert_int_eq(open_status(tmp("sub/up.xml"), &cfg, &d), OBJR_OK);
}
END_TEST

/* NaN and Inf: an error naming the file, the track and the time by default; with repair, zero
 * and counted, the first one named. PCM cannot hold them and is not scanned. */
START_TEST(nonfinite_samples) {
    char xml[8192];
    scene_xml(xml, sizeof xml, NULL, 0, 0);
    write_wav(tmp("nan.wav"), 1, 1000, OBJR_BWF_SAMPLE_FLOAT32, xml, 480, NAN);
    write_wav(tmp("inf.wav"), 1, 1000, OBJR_BWF_SAMPLE_FLOAT32, xml, 700, INFINITY);
    objr_diag d;
    objr__mix_source *ms = open_ok(tmp("nan.wav"), NULL);
    objr_status st = OBJR_OK;
    for (int k = 0; k < 4 && st == OBJR_OK; k++)
        st = objr__mix_source_read(ms, 256, 256, &d);
    ck_assert_int_eq(st, OBJR_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(d.message, "nan.wav: track 1"));
    ck_assert_ptr_nonnull(strstr(d.message, "NaN"));
    ck_assert_ptr_nonnull(strstr(d.message, "0.010000 s")); /* 480 / 48000 */
    objr__mix_source_destroy(ms);

    objr__mix_source_config cfg = objr__mix_source_config_default();
    cfg.repair_nonfinite = 1;
    ms = open_ok(tmp("inf.wav"), &cfg);
    const float *t = objr__mix_source_track(ms, 1, NULL, 0);
    for (int k = 0; k < 4; k++) {
        ck_assert_int_eq(objr__mix_source_read(ms, 250, 250, &d), OBJR_OK);
        if (k == 2)
            ck_assert_float_eq(t[200], 0.0f); /* frame 700 */
    }
    char line[512];
    ck_assert_uint_eq(objr__mix_source_nonfinite(ms, line, sizeof line), 1);
    ck_assert_ptr_nonnull(strstr(line, "inf.wav: track 1 at 0.014583 s"));
    objr__mix_source_destroy(ms);
}
END_TEST

static int has_warning(const objr__mix_source *ms, const char *needle) {
    for (size_t i = 0; i < objr__mix_source_warning_count(ms); i++)
        if (strstr(objr__mix_source_warning(ms, i), needle))
            return 1;
    return 0;
}

/* A stem shorter than the mix, a stem with a channel the scene does not read, and audio
 * shorter than the metadata's duration render with one warning each. */
START_TEST(length_and_channel_warnings) {
    char xml[16384];
    write_wav(tmp("stems/long.wav"), 1, 4800, OBJR_BWF_SAMPLE_PCM24, NULL, (size_t)-1, 0);
    write_wav(tmp("stems/short.wav"), 2, 2400, OBJR_BWF_SAMPLE_PCM24, NULL, (size_t)-1, 0);
    /* two objects: one on long.wav, one on channel 1 of the 2-channel short.wav; metadata
     * 1 s long while the audio is 0.1 s */
    scene_xml(xml, sizeof xml, "stems/long.wav", 1, 1.0);
    char *end = strstr(xml, "</audioFormatExtended>");
    snprintf(end, sizeof xml - (size_t)(end - xml),
             "<audioTrackUID UID=\"ATU_00000002\" objr:file=\"stems/short.wav\" "
             "objr:channel=\"1\"><audioChannelFormatIDRef>AC_00031001</audioChannelFormatIDRef>"
             "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef></audioTrackUID>\n"
             "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
    write_text(tmp("warn.xml"), xml);
    objr__mix_source *ms = open_ok(tmp("warn.xml"), NULL);
    ck_assert_uint_eq(objr__mix_source_n_frames(ms), 4800);
    ck_assert_uint_eq(objr__mix_source_warning_count(ms), 3);
    ck_assert(has_warning(ms, "1 stem file is shorter than the mix (0.100 s)"));
    ck_assert(has_warning(ms, "short.wav has 2 channels but the mix.xml reads 1"));
    ck_assert(has_warning(ms, "the audio lasts 0.100 s but the metadata 1.000 s"));
    objr__mix_source_destroy(ms);

    /* a channel beyond the stem's: an error, not a warning */
    scene_xml(xml, sizeof xml, "stems/long.wav", 2, 0);
    write_text(tmp("wide.xml"), xml);
    objr_diag d;
    ck_assert_int_eq(open_status(tmp("wide.xml"), NULL, &d), OBJR_ERR_REFERENCE);
    ck_assert_ptr_nonnull(strstr(d.message, "channel 2 requested but the stem has 1"));
}
END_TEST

/* A BWF whose data chunk is one byte short opens with its whole frames and one warning. */
START_TEST(data_chunk_cut_short) {
    char xml[8192];
    scene_xml(xml, sizeof xml, NULL, 0, 0);
    const char *p = tmp("cut.wav");
    write_wav(p, 1, 1000, OBJR_BWF_SAMPLE_PCM16, NULL, (size_t)-1, 0);
    /* the writer put data last: drop the final byte of the file */
    struct stat sb;
    ck_assert_int_eq(stat(p, &sb), 0);
    ck_assert_int_eq(truncate(p, sb.st_size - 1), 0);
    /* plain WAV without ADM: the reader still opens it, the mix refuses "no ADM metadata" */
    objr_diag d;
    ck_assert_int_eq(open_status(p, NULL, &d), OBJR_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(d.message, "no ADM metadata"));
    write_wav(p, 1, 1000, OBJR_BWF_SAMPLE_PCM16, xml, (size_t)-1, 0);
    ck_assert_int_eq(stat(p, &sb), 0);
    ck_assert_int_eq(truncate(p, sb.st_size - 1), 0);
    objr__mix_source *ms = open_ok(p, NULL);
    ck_assert_uint_eq(objr__mix_source_n_frames(ms), 999);
    ck_assert(has_warning(ms, "the data chunk ends 1 byte before its declared size"));
    objr__mix_source_destroy(ms);
}
END_TEST

/* Inputs that are not mixes: one line naming the file. */
START_TEST(errors_name_the_file) {
    objr_diag d;
    ck_assert_int_eq(open_status(tmp("missing.xml"), NULL, &d), OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(d.message, "missing.xml"));
    ck_assert_int_eq(open_status(g_dir, NULL, &d), OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(d.message, "not a regular file"));
    char xml[8192];
    scene_xml(xml, sizeof xml, "stems/none.wav", 1, 0);
    write_text(tmp("nostem.xml"), xml);
    ck_assert_int_eq(open_status(tmp("nostem.xml"), NULL, &d), OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(d.message, "stems/none.wav"));
    ck_assert_str_eq(d.element_id, "ATU_00000001");
}
END_TEST

/* A long automation (2 objects x 1000 blocks of 512 samples: arrays of their own, grown by
 * half each time) read as a mix source reads it: the blocks give back their spare room and
 * stay what the plain reader gives; a trimmed array still grows (as adm_fix appends). */
START_TEST(long_automation_trimmed) {
    static const char *const lab[1] = {"M+000"};
    static const double az[1] = {0}, el[1] = {0};
    objr_test_session ss = {1000.0 * 512.0 / RATE, 512.5 / RATE, RATE, 1, lab, az, el, 2};
    size_t len;
    char *xml = objr_test_xml_session(&ss, &len);
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    objr__adm_model *plain = NULL, *trimmed = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr__adm_xml_read(xml, len, &o, &plain, &d), OBJR_OK);
    ck_assert_int_eq(objr__mix_source_read_scene(xml, len, &o, NULL, 3, 0, &d, &trimmed), OBJR_OK);
    ck_assert_uint_eq(plain->n_channels, trimmed->n_channels);
    size_t n_long = 0;
    for (size_t c = 0; c < plain->n_channels; c++) {
        const objr__adm_channel *a = &plain->channels[c], *b = &trimmed->channels[c];
        ck_assert_uint_eq(a->n_blocks, b->n_blocks);
        if (a->type != OBJR__TYPE_OBJECTS)
            continue;
        n_long += a->n_blocks == 1000;
    }
    ck_assert_uint_eq(n_long, 2);
    char why[256]; /* field by field: the blocks' padding bytes are not part of the scene */
    ck_assert_msg(test_adm_model_equal(plain, trimmed, why, sizeof why), "%s", why);
    objr__adm_channel *ch = &trimmed->channels[trimmed->n_channels - 1];
    ck_assert_int_eq(ch->type, OBJR__TYPE_OBJECTS);
    objr__adm_block_objects last;
    memcpy(&last, &ch->objects[999], sizeof last); /* bytes, padding included */
    objr__adm_block_objects *g = objr__adm_grow(trimmed, ch->objects, 1000, 1001, sizeof *g);
    ck_assert_ptr_nonnull(g);
    ch->objects = g;
    ck_assert_mem_eq(&g[999], &last, sizeof last);
    ck_assert_double_eq(g[1000].diffuse, 0.0);
    objr__adm_model_destroy(plain);
    objr__adm_model_destroy(trimmed);
    free(xml);
}
END_TEST

static Suite *mix_source_suite(void) {
    Suite *s = suite_create("mix_source");
    TCase *tc = tcase_create("mix_source");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, bwf_and_mix_xml_read_the_same_track);
    tcase_add_test(tc, stem_policy);
    tcase_add_test(tc, nonfinite_samples);
    tcase_add_test(tc, length_and_channel_warnings);
    tcase_add_test(tc, data_chunk_cut_short);
    tcase_add_test(tc, errors_name_the_file);
    tcase_add_test(tc, long_automation_trimmed);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(mix_source_suite)
