/* SPDX-License-Identifier: BSD-3-Clause */
/* The mix source's read-ahead thread (formats/mix_source_ahead.c) against the synchronous
 * reads, in lockstep on two opens of the same mix: every block bit for bit (an ADM BWF, and a
 * mix.xml whose stems end early), the latency tail of silence, a non-finite sample and a file
 * cut short after it was opened (the same status, diag and read index), repaired samples
 * counted alike, and stopping early with the thread blocked on a full ring or mid-slot. Then
 * objr_render_file with one and two threads: identical output files, identical errors. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/mix_source.h"
#include "objrender/objr.h"

#define RATE 48000u
#define N_OBJ 3

static char g_dir[512];

static const char *tmp(const char *name) {
    static char p[4][768];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", g_dir, name);
    return p[k];
}

static void setup(void) {
    snprintf(g_dir, sizeof g_dir, "%s/mix_readahead_%ld", objr_test_tmpdir(), (long)getpid());
    mkdir(g_dir, 0755);
}

/* N_OBJ Objects objects; object k on track k (BWF) or on channel 1 of stem s<k>.wav. */
static void scene_xml(char *out, size_t n, int stems) {
    size_t len =
        (size_t)snprintf(out, n,
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" "
                         "xmlns:objr=\"urn:objrender:mix:1\"><coreMetadata><format>\n"
                         "<audioFormatExtended version=\"ITU-R_BS.2076-2\">\n"
                         "<audioProgramme audioProgrammeID=\"APR_1001\" audioProgrammeName=\"t\">"
                         "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
                         "<audioContent audioContentID=\"ACO_1001\" audioContentName=\"c\">");
    for (int k = 1; k <= N_OBJ; k++)
        len += (size_t)snprintf(out + len, n - len, "<audioObjectIDRef>AO_100%d</audioObjectIDRef>",
                                k);
    len += (size_t)snprintf(out + len, n - len, "</audioContent>\n");
    for (int k = 1; k <= N_OBJ; k++) {
        char stem[96] = "";
        if (stems)
            snprintf(stem, sizeof stem, " objr:file=\"s%d.wav\" objr:channel=\"1\"", k);
        len += (size_t)snprintf(
            out + len, n - len,
            "<audioObject audioObjectID=\"AO_100%d\" audioObjectName=\"o%d\">"
            "<audioPackFormatIDRef>AP_0003100%d</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_0000000%d</audioTrackUIDRef></audioObject>\n"
            "<audioPackFormat audioPackFormatID=\"AP_0003100%d\" audioPackFormatName=\"o\" "
            "typeLabel=\"0003\" typeDefinition=\"Objects\">"
            "<audioChannelFormatIDRef>AC_0003100%d</audioChannelFormatIDRef></audioPackFormat>\n"
            "<audioChannelFormat audioChannelFormatID=\"AC_0003100%d\" "
            "audioChannelFormatName=\"o\" "
            "typeLabel=\"0003\" typeDefinition=\"Objects\">"
            "<audioBlockFormat audioBlockFormatID=\"AB_0003100%d_00000001\">"
            "<position coordinate=\"azimuth\">%d</position>"
            "<position coordinate=\"elevation\">%d</position></audioBlockFormat>"
            "</audioChannelFormat>\n"
            "<audioTrackUID UID=\"ATU_0000000%d\"%s>"
            "<audioChannelFormatIDRef>AC_0003100%d</audioChannelFormatIDRef>"
            "<audioPackFormatIDRef>AP_0003100%d</audioPackFormatIDRef></audioTrackUID>\n",
            k, k, k, k, k, k, k, k, 70 * k - 140, 15 * (k - 1), k, stem, k, k);
    }
    snprintf(out + len, n - len, "</audioFormatExtended></format></coreMetadata></ebuCoreMain>\n");
}

/* Noise from the test PRNG (seeded per file), so a block taken from the wrong place shows;
 * @p bad_at (< n) puts @p bad into channel 0 there. */
static void write_wav(const char *path, unsigned n_ch, size_t n, objr_bwf_sample_format fmt,
                      const char *axml, size_t bad_at, float bad) {
    objr_bwf_writer_config wc = objr_bwf_writer_config_default();
    wc.n_channels = n_ch;
    wc.sample_rate_hz = RATE;
    wc.sample_format = fmt;
    objr_bwf_writer *w = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr_bwf_writer_create(path, &wc, &d, &w), OBJR_OK);
    if (axml) {
        objr_bwf_chna_entry e[N_OBJ];
        memset(e, 0, sizeof e);
        for (unsigned k = 0; k < N_OBJ && k < n_ch; k++) {
            e[k].track_index = (uint16_t)(k + 1);
            snprintf(e[k].uid, sizeof e[k].uid, "ATU_%08X", k + 1);
            snprintf(e[k].track_ref, sizeof e[k].track_ref, "AC_0003%04X_00", 0x1001 + k);
            snprintf(e[k].pack_ref, sizeof e[k].pack_ref, "AP_0003%04X", 0x1001 + k);
        }
        ck_assert_int_eq(objr_bwf_writer_set_chna(w, e, n_ch < N_OBJ ? n_ch : N_OBJ), OBJR_OK);
        ck_assert_int_eq(objr_bwf_writer_set_axml(w, axml, strlen(axml)), OBJR_OK);
    }
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    rng.s ^= (uint64_t)strlen(path) * 0x9E3779B97F4A7C15ull + n;
    float *buf[8];
    for (unsigned c = 0; c < n_ch; c++) {
        buf[c] = calloc(n ? n : 1, sizeof(float));
        ck_assert_ptr_nonnull(buf[c]);
        objr_test_noise(&rng, buf[c], n, 0.5);
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

/* An ADM BWF of N_OBJ + 1 channels (the last one unread by the scene). */
static void make_bwf(const char *name, size_t n, objr_bwf_sample_format fmt, size_t bad_at,
                     float bad) {
    char xml[16384];
    scene_xml(xml, sizeof xml, 0);
    write_wav(tmp(name), N_OBJ + 1, n, fmt, xml, bad_at, bad);
}

/* A mix.xml whose stems have different lengths: s1 the longest, s2 ends early, s3 very early
 * (and has two channels, one unread). */
static void make_stems(size_t n) {
    char xml[16384];
    scene_xml(xml, sizeof xml, 1);
    write_text(tmp("mix.xml"), xml);
    write_wav(tmp("s1.wav"), 1, n, OBJR_BWF_SAMPLE_PCM24, NULL, (size_t)-1, 0);
    write_wav(tmp("s2.wav"), 1, n - n / 3 - 7, OBJR_BWF_SAMPLE_FLOAT32, NULL, (size_t)-1, 0);
    write_wav(tmp("s3.wav"), 2, n / 10 + 1, OBJR_BWF_SAMPLE_PCM16, NULL, (size_t)-1, 0);
}

static objr__mix_source *open_src(const char *path, int repair, size_t block) {
    objr__mix_source_config cfg = objr__mix_source_config_default();
    cfg.repair_nonfinite = repair;
    objr__mix_source *ms = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr__mix_source_open(path, &cfg, &d, &ms);
    ck_assert_msg(st == OBJR_OK, "open %s: %d %s", path, st, d.message);
    st = objr__mix_source_open_audio(ms, NULL, 0, &d);
    ck_assert_msg(st == OBJR_OK, "audio %s: %d %s", path, st, d.message);
    ck_assert_int_eq(objr__mix_source_prepare(ms, block), OBJR_OK);
    return ms;
}

/* How a run reads: the render's pattern (steps of @p step over @p frames, the last one
 * shorter, then @p tail reads of silence padded to a step; at least one). */
typedef struct plan {
    size_t block, step, steps_per_slot, n_slots;
    uint64_t start, frames;
    int tail;
    int repair;
} plan;

typedef struct outcome {
    objr_status st;
    size_t at; /* the read that failed */
    objr_diag d;
    uint64_t n_nonfinite;
    char nf_line[512];
} outcome;

static int same_blocks(const objr__mix_source *a, const objr__mix_source *b, size_t n) {
    for (size_t k = 0; k < objr__mix_source_file_count(a); k++) {
        const objr__mix_file *fa = objr__mix_source_file(a, k), *fb = objr__mix_source_file(b, k);
        for (uint32_t c = 0; c < fa->info.n_channels; c++)
            if (memcmp(fa->buf[c], fb->buf[c], n * sizeof(float)) != 0)
                return 0;
    }
    return 1;
}

/* Both sources read the plan in lockstep: @p sync without, @p ahead with the thread. The
 * blocks must match bit for bit and both must stop at the same read with the same result. */
static void lockstep(objr__mix_source *sync, objr__mix_source *ahead, const plan *p, outcome *out) {
    objr_diag ds, da;
    objr_diag_clear(&ds);
    objr_diag_clear(&da);
    if (p->start) {
        ck_assert_int_eq(objr__mix_source_seek(sync, p->start, &ds), OBJR_OK);
        ck_assert_int_eq(objr__mix_source_seek(ahead, p->start, &da), OBJR_OK);
    }
    ck_assert_int_eq(
        objr__mix_source_start_read_ahead(ahead, p->step, p->steps_per_slot, p->n_slots, p->frames),
        OBJR_OK);
    ck_assert_int_eq(objr__mix_source_seek(ahead, 0, &da), OBJR_ERR_INVALID_ARG);
    uint64_t fed = 0;
    size_t i = 0;
    objr_status ss = OBJR_OK, sa = OBJR_OK;
    for (int zeros = 0; ss == OBJR_OK && zeros < p->tail; i++) {
        size_t n =
            fed < p->frames ? (size_t)(p->frames - fed < p->step ? p->frames - fed : p->step) : 0;
        size_t pad = p->step;
        ss = objr__mix_source_read(sync, n, pad, &ds);
        sa = objr__mix_source_read(ahead, n, pad, &da);
        ck_assert_msg(ss == sa, "read %zu: status %d without read-ahead, %d with", i, ss, sa);
        if (ss == OBJR_OK)
            ck_assert_msg(same_blocks(sync, ahead, pad), "read %zu differs", i);
        fed += n;
        if (n == 0)
            zeros++;
    }
    ck_assert_str_eq(ds.message, da.message);
    ck_assert_str_eq(ds.element_id, da.element_id);
    ck_assert_int_eq(ds.line, da.line);
    ck_assert_uint_eq(ds.byte_offset, da.byte_offset);
    char la[512] = "", ls[512] = "";
    ck_assert_uint_eq(objr__mix_source_nonfinite(sync, ls, sizeof ls),
                      objr__mix_source_nonfinite(ahead, la, sizeof la));
    ck_assert_str_eq(ls, la);
    out->st = ss;
    out->at = i - 1;
    out->d = ds;
    out->n_nonfinite = objr__mix_source_nonfinite(sync, out->nf_line, sizeof out->nf_line);
}

static void compare_plan(const char *path, const plan *p, outcome *out) {
    objr__mix_source *a = open_src(path, p->repair, p->block);
    objr__mix_source *b = open_src(path, p->repair, p->block);
    lockstep(a, b, p, out);
    objr__mix_source_destroy(a);
    objr__mix_source_destroy(b);
}

/* Every ring shape on an ADM BWF: one step per slot up to several, 2 to 8 slots, a frame
 * count that is no multiple of anything, a start inside the file, reads stopping short of
 * the end (a duration), and the latency tail. */
START_TEST(bwf_blocks_identical) {
    const size_t n = 48000 + 123;
    make_bwf("a.wav", n, OBJR_BWF_SAMPLE_PCM24, (size_t)-1, 0);
    static const size_t shapes[][3] = {{256, 1, 2}, {256, 1, 8},  {256, 3, 3},
                                       {128, 4, 4}, {1024, 1, 2}, {100, 7, 5}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        plan p = {1024, shapes[s][0], shapes[s][1], shapes[s][2], 0, n, 3, 0};
        outcome o;
        compare_plan(tmp("a.wav"), &p, &o);
        ck_assert_int_eq(o.st, OBJR_OK);
        ck_assert_uint_eq(o.at, (n + p.step - 1) / p.step + 3 - 1);
        p.start = 4801;
        p.frames = 20000; /* a duration: the thread stops there */
        compare_plan(tmp("a.wav"), &p, &o);
        ck_assert_int_eq(o.st, OBJR_OK);
    }
}
END_TEST

/* Stems of different lengths: silence after each one's end, in both paths alike. */
START_TEST(short_stems_identical) {
    const size_t n = 30011;
    make_stems(n);
    plan p = {1024, 256, 2, 4, 0, n, 2, 0};
    outcome o;
    compare_plan(tmp("mix.xml"), &p, &o);
    ck_assert_int_eq(o.st, OBJR_OK);
    p.start = 20000; /* past the end of s2 and s3 */
    p.frames = n - 20000;
    compare_plan(tmp("mix.xml"), &p, &o);
    ck_assert_int_eq(o.st, OBJR_OK);
}
END_TEST

/* A NaN in the middle of a float BWF: the same error text (file, track, time) at the same
 * read, with the thread several slots ahead of it; repaired, the same count and first time. */
START_TEST(nonfinite_error_at_the_same_read) {
    const size_t n = 40000, bad = 25000;
    make_bwf("nan.wav", n, OBJR_BWF_SAMPLE_FLOAT32, bad, NAN);
    plan p = {512, 256, 2, 3, 0, n, 1, 0};
    outcome o;
    compare_plan(tmp("nan.wav"), &p, &o);
    ck_assert_int_eq(o.st, OBJR_ERR_FORMAT);
    ck_assert_uint_eq(o.at, bad / 256);
    ck_assert_ptr_nonnull(strstr(o.d.message, "nan.wav: track 1"));
    ck_assert_ptr_nonnull(strstr(o.d.message, "0.520833 s")); /* 25000 / 48000 */
    p.repair = 1;
    compare_plan(tmp("nan.wav"), &p, &o);
    ck_assert_int_eq(o.st, OBJR_OK);
    ck_assert_uint_eq(o.n_nonfinite, 1);
    ck_assert_ptr_nonnull(strstr(o.nf_line, "at 0.520833 s"));
}
END_TEST

/* The file shrinks after it was opened (another program truncates it): both paths deliver
 * the frames that are left and fail at the same read with the same I/O error. */
START_TEST(file_cut_after_open_fails_alike) {
    const size_t n = 48000;
    make_bwf("cut.wav", n, OBJR_BWF_SAMPLE_PCM24, (size_t)-1, 0);
    plan p = {1024, 256, 1, 4, 0, n, 1, 0};
    objr__mix_source *a = open_src(tmp("cut.wav"), 0, p.block);
    objr__mix_source *b = open_src(tmp("cut.wav"), 0, p.block);
    struct stat sb;
    ck_assert_int_eq(stat(tmp("cut.wav"), &sb), 0);
    const off_t cut = sb.st_size - (off_t)(n / 2) * (N_OBJ + 1) * 3 - 5;
    ck_assert_int_eq(truncate(tmp("cut.wav"), cut), 0);
    outcome o;
    lockstep(a, b, &p, &o);
    objr__mix_source_destroy(a);
    objr__mix_source_destroy(b);
    ck_assert_int_eq(o.st, OBJR_ERR_IO);
    ck_assert_ptr_nonnull(strstr(o.d.message, "cut.wav"));
    /* about half the file was left: the error comes near the middle, not at the first read */
    ck_assert_uint_ge(o.at, (n / 2 - 1024) / 256);
    ck_assert_uint_le(o.at, n / 2 / 256 + 1);
}
END_TEST

/* Stopping early: destroy with the thread blocked on a full ring, right after the start,
 * and between reads of a slot; no hang (the CTest timeout would catch one) and, under ASan,
 * no leak. */
START_TEST(stop_early) {
    const size_t n = 96000;
    make_bwf("stop.wav", n, OBJR_BWF_SAMPLE_PCM24, (size_t)-1, 0);
    objr_diag d;
    for (int reads = 0; reads < 6; reads++) {
        objr__mix_source *ms = open_src(tmp("stop.wav"), 0, 256);
        ck_assert_int_eq(objr__mix_source_start_read_ahead(ms, 256, 2, 2, n), OBJR_OK);
        ck_assert_int_eq(objr__mix_source_start_read_ahead(ms, 256, 2, 2, n), OBJR_ERR_INVALID_ARG);
        for (int r = 0; r < reads; r++)
            ck_assert_int_eq(objr__mix_source_read(ms, 256, 256, &d), OBJR_OK);
        if (reads == 5) /* not the planned read: refused, nothing taken */
            ck_assert_int_eq(objr__mix_source_read(ms, 100, 256, &d), OBJR_ERR_INVALID_ARG);
        if (reads & 1)
            nanosleep(&(struct timespec){0, 2000000}, NULL); /* the thread fills the ring */
        objr__mix_source_destroy(ms);
    }
    /* arguments out of range */
    objr__mix_source *ms = open_src(tmp("stop.wav"), 0, 256);
    ck_assert_int_eq(objr__mix_source_start_read_ahead(ms, 512, 1, 2, n), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr__mix_source_start_read_ahead(ms, 256, 1, 1, n), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(
        objr__mix_source_start_read_ahead(ms, 256, 1, OBJR__MIX_AHEAD_MAX_SLOTS + 1, n),
        OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr__mix_source_start_read_ahead(ms, 0, 1, 2, n), OBJR_ERR_INVALID_ARG);
    objr__mix_source_destroy(ms);
}
END_TEST

static int same_file(const char *a, const char *b) {
    size_t na = 0, nb = 0;
    unsigned char *x = objr_test_read_file(a, &na), *y = objr_test_read_file(b, &nb);
    int same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static objr_status render(const char *in, int threads, const char *out, objr_diag *d) {
    const char *layouts[] = {"7.1.4", "0+2+0"};
    char o2[1024];
    snprintf(o2, sizeof o2, "%s.stereo.wav", out);
    const char *outs[] = {out, o2};
    objr_render_file_options o = objr_render_file_options_default();
    o.n_threads = threads;
    o.renderer.max_block_frames = 512;
    objr_diag_clear(d);
    return objr_render_file(in, layouts, 2, outs, &o, NULL, d);
}

/* objr_render_file with one and two threads: the same bytes in every output, from a BWF
 * and from a mix.xml with short stems; the same failure, and no output, for a NaN. */
START_TEST(render_one_and_two_threads) {
    make_bwf("r.wav", 48000 * 2 + 77, OBJR_BWF_SAMPLE_PCM24, (size_t)-1, 0);
    make_stems(48000 + 5);
    make_bwf("rnan.wav", 48000, OBJR_BWF_SAMPLE_FLOAT32, 31000, INFINITY);
    const char *const names[] = {"r.wav", "mix.xml"};
    objr_diag d1, d2;
    for (int i = 0; i < 2; i++) {
        char in[800], o1[800], o2[800];
        snprintf(in, sizeof in, "%s", tmp(names[i]));
        snprintf(o1, sizeof o1, "%s", tmp("one.wav"));
        snprintf(o2, sizeof o2, "%s", tmp("two.wav"));
        ck_assert_msg(render(in, 1, o1, &d1) == OBJR_OK, "%s", d1.message);
        ck_assert_msg(render(in, 2, o2, &d2) == OBJR_OK, "%s", d2.message);
        ck_assert_msg(same_file(o1, o2), "%s: 7.1.4 renders differ", in);
        ck_assert_msg(same_file(tmp("one.wav.stereo.wav"), tmp("two.wav.stereo.wav")),
                      "%s: stereo renders differ", in);
    }
    char o1[800], o2[800];
    snprintf(o1, sizeof o1, "%s", tmp("nan1.wav"));
    snprintf(o2, sizeof o2, "%s", tmp("nan2.wav"));
    objr_status s1 = render(tmp("rnan.wav"), 1, o1, &d1);
    objr_status s2 = render(tmp("rnan.wav"), 2, o2, &d2);
    ck_assert_int_eq(s1, OBJR_ERR_FORMAT);
    ck_assert_int_eq(s2, s1);
    ck_assert_str_eq(d1.message, d2.message);
    ck_assert_ptr_nonnull(strstr(d1.message, "Inf"));
    struct stat sb;
    ck_assert_int_ne(stat(o1, &sb), 0);
    ck_assert_int_ne(stat(o2, &sb), 0);
}
END_TEST

static Suite *mix_readahead_suite(void) {
    Suite *s = suite_create("mix_readahead");
    TCase *tc = tcase_create("mix_readahead");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, bwf_blocks_identical);
    tcase_add_test(tc, short_stems_identical);
    tcase_add_test(tc, nonfinite_error_at_the_same_read);
    tcase_add_test(tc, file_cut_after_open_fails_alike);
    tcase_add_test(tc, stop_early);
    tcase_add_test(tc, render_one_and_two_threads);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(mix_readahead_suite)
