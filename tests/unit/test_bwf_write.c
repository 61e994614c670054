/* SPDX-License-Identifier: BSD-3-Clause */
/* BWF writer: round trips through our reader and libsndfile for every sample format,
 * quantisation and clipping, the RF64/BW64 switch with ds64 (EBU Tech 3306, BS.2088) at a test
 * threshold, chunk placement, and the temp-file/rename contract (no partial output). */
#include "common/test_common.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>

#include "formats/bwf_internal.h"
#include "objrender/objr.h"

static char *tmp_path(const char *name) {
    static char buf[8][512];
    static int k;
    char *p = buf[k++ % 8];
    snprintf(p, 512, "%s/%s", objr_test_tmpdir(), name);
    return p;
}

/* Number of entries in the test dir whose name starts with @p prefix. */
static int count_prefix(const char *prefix) {
    DIR *d = opendir(objr_test_tmpdir());
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

#define NCH 3
#define NFR 1500

/* Signals that the format represents exactly: integers k / 2^(bits-1), or any float. */
static void make_signal(objr_bwf_sample_format fmt, float *x[NCH]) {
    objr_test_rng r;
    objr_test_rng_init(&r);
    int bits = fmt == OBJR_BWF_SAMPLE_PCM16 ? 16 : fmt == OBJR_BWF_SAMPLE_PCM24 ? 24 : 32;
    for (int c = 0; c < NCH; c++)
        for (int i = 0; i < NFR; i++) {
            double u = objr_test_rng_range(&r, -1.0, 1.0);
            if (fmt == OBJR_BWF_SAMPLE_FLOAT32) {
                x[c][i] = (float)(u * 1.5);
            } else if (bits == 32) {
                /* float has 24 bits of mantissa: use values on that grid, still exact */
                x[c][i] = (float)(floor(u * 8388608.0) / 8388608.0);
            } else {
                double scale = ldexp(1.0, bits - 1);
                x[c][i] = (float)(floor(u * scale) / scale);
            }
        }
    x[0][0] = -1.0f; /* negative full scale is representable */
}

static void bext_fill(objr_bwf_bext *b) {
    memset(b, 0, sizeof *b);
    strcpy(b->description, "round trip");
    strcpy(b->originator, "objrender");
    strcpy(b->originator_reference, "ref-1");
    strcpy(b->origination_date, "2026-11-25");
    strcpy(b->origination_time, "10-00-00");
    b->time_reference_frames = 123456789;
    b->loudness_value_lufs = -23.0;
    b->loudness_range_lu = NAN;
    b->max_true_peak_level_dbtp = -1.5;
    b->max_momentary_loudness_lufs = NAN;
    b->max_short_term_loudness_lufs = NAN;
    b->coding_history = "A=PCM,F=48000,W=24,M=stereo,T=objrender\r\n";
}

START_TEST(round_trip_every_format) {
    const objr_bwf_sample_format fmts[] = {OBJR_BWF_SAMPLE_PCM16, OBJR_BWF_SAMPLE_PCM24,
                                           OBJR_BWF_SAMPLE_PCM32, OBJR_BWF_SAMPLE_FLOAT32};
    const int fi = _i;
    objr_bwf_sample_format fmt = fmts[fi];
    float *x[NCH], *y[NCH];
    for (int c = 0; c < NCH; c++) {
        x[c] = malloc(NFR * sizeof(float));
        y[c] = calloc(NFR, sizeof(float));
    }
    make_signal(fmt, x);
    char name[64];
    snprintf(name, sizeof name, "rt%d.wav", fi);
    const char *path = tmp_path(name);
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    ck_assert_uint_eq(cfg.sample_rate_hz, 48000);
    ck_assert_int_eq(cfg.sample_format, OBJR_BWF_SAMPLE_PCM24);
    cfg.n_channels = NCH;
    cfg.sample_rate_hz = 44100;
    cfg.sample_format = fmt;
    cfg.channel_mask = 0x7; /* FL FR FC */
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf_writer *w;
    ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, &dg, &w), OBJR_OK);
    objr_bwf_chna_entry ce[4];
    memset(ce, 0, sizeof ce);
    for (int i = 0; i < 4; i++) {
        ce[i].track_index = (uint16_t)(i < 3 ? i + 1 : 3);
        snprintf(ce[i].uid, sizeof ce[i].uid, "ATU_%08d", i + 1);
        snprintf(ce[i].track_ref, sizeof ce[i].track_ref, "AT_0003100%d_01", i + 1);
        snprintf(ce[i].pack_ref, sizeof ce[i].pack_ref, "AP_0003100%d", i + 1);
    }
    objr_bwf_bext bx;
    bext_fill(&bx);
    ck_assert_int_eq(objr_bwf_writer_set_bext(w, &bx), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_set_chna(w, ce, 4), OBJR_OK);
    /* three uneven blocks */
    size_t cuts[] = {0, 1, 700, NFR};
    for (int k = 0; k < 3; k++) {
        const float *blk[NCH];
        for (int c = 0; c < NCH; c++)
            blk[c] = x[c] + cuts[k];
        ck_assert_int_eq(objr_bwf_writer_write_f32(w, blk, cuts[k + 1] - cuts[k]), OBJR_OK);
    }
    ck_assert_int_eq(count_prefix(name), 1); /* only the temp file so far */
    ck_assert(!exists(path));
    /* chna went out before data: setting it again now would duplicate it */
    ck_assert_int_eq(objr_bwf_writer_set_chna(w, ce, 4), OBJR_ERR_STATE);
    ck_assert(strstr(objr_bwf_writer_last_error(w), "already written") != NULL);
    const char xml[] = "<ebuCoreMain>odd</ebuCoreMain>!"; /* odd length: pad byte */
    ck_assert_int_eq(objr_bwf_writer_set_axml(w, xml, sizeof xml - 1), OBJR_OK);
    uint8_t dbmd[5] = {1, 2, 3, 4, 5};
    ck_assert_int_eq(objr_bwf_writer_add_chunk(w, "dbmd", dbmd, sizeof dbmd), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, &dg), OBJR_OK);
    ck_assert(exists(path));
    ck_assert_int_eq(count_prefix(name), 1); /* the file itself, no temp left */

    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, &dg, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_int_eq(fm.container, OBJR_BWF_CONTAINER_RIFF);
    ck_assert_uint_eq(fm.format_tag, 0xFFFE);
    ck_assert_uint_eq(fm.channel_mask, 0x7);
    ck_assert_uint_eq(fm.n_channels, NCH);
    ck_assert_uint_eq(fm.sample_rate_hz, 44100);
    ck_assert_uint_eq(fm.n_frames, NFR);
    ck_assert_int_eq(fm.sample_format, fmt);
    /* chunk order: JUNK fmt [fact] bext chna data axml dbmd */
    const char *want_f[] = {"JUNK", "fmt ", "fact", "bext", "chna", "data", "axml", "dbmd"};
    const char *want_i[] = {"JUNK", "fmt ", "bext", "chna", "data", "axml", "dbmd"};
    int is_f = fmt == OBJR_BWF_SAMPLE_FLOAT32;
    size_t nchunks = is_f ? 8 : 7;
    ck_assert_uint_eq(objr_bwf_chunk_count(f), nchunks);
    for (size_t i = 0; i < nchunks; i++) {
        objr_bwf_chunk c;
        objr_bwf_get_chunk(f, i, &c);
        ck_assert_str_eq(c.id, is_f ? want_f[i] : want_i[i]);
        if (i == 0)
            ck_assert_uint_eq(c.size, 52); /* JUNK reservation >= 28 */
        if (!strcmp(c.id, "dbmd"))
            ck_assert(c.size == 5 && memcmp(c.data, dbmd, 5) == 0);
    }
    size_t got;
    ck_assert_int_eq(objr_bwf_read_f32(f, y, NFR, &got), OBJR_OK);
    ck_assert_uint_eq(got, NFR);
    for (int c = 0; c < NCH; c++)
        ck_assert(memcmp(x[c], y[c], NFR * sizeof(float)) == 0);
    ck_assert_uint_eq(objr_bwf_chna_count(f), 4);
    const objr__chna *cn = objr__bwf_chna(f);
    ck_assert_uint_eq(cn->n_tracks_declared, 3);
    for (size_t i = 0; i < 4; i++) {
        objr_bwf_chna_entry e;
        objr_bwf_get_chna_entry(f, i, &e);
        ck_assert(memcmp(&e, &ce[i], sizeof e) == 0);
    }
    const uint8_t *ax;
    size_t axn;
    objr_bwf_get_axml(f, &ax, &axn);
    ck_assert_uint_eq(axn, sizeof xml - 1);
    ck_assert(memcmp(ax, xml, axn) == 0);
    const objr_bwf_bext *rb;
    objr_bwf_get_bext(f, &rb);
    ck_assert_ptr_nonnull(rb);
    ck_assert_str_eq(rb->description, "round trip");
    ck_assert_str_eq(rb->origination_time, "10-00-00");
    ck_assert_uint_eq(rb->time_reference_frames, 123456789);
    ck_assert_uint_eq(rb->version, 2);
    ck_assert_double_eq_tol(rb->loudness_value_lufs, -23.0, 1e-9);
    ck_assert(isnan(rb->loudness_range_lu));
    ck_assert_double_eq_tol(rb->max_true_peak_level_dbtp, -1.5, 1e-9);
    ck_assert_str_eq(rb->coding_history, bx.coding_history);

    /* Copy the opaque chunks into a second file: only dbmd is carried over. */
    const char *path2 = tmp_path("copy.wav");
    objr_bwf_writer *w2;
    ck_assert_int_eq(objr_bwf_writer_create(path2, &cfg, NULL, &w2), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_copy_chunks(w2, f), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w2, NULL), OBJR_OK);
    objr_bwf *f2;
    ck_assert_int_eq(objr_bwf_open_file(path2, NULL, NULL, &f2), OBJR_OK);
    char ids[64] = "";
    for (size_t i = 0; i < objr_bwf_chunk_count(f2); i++) {
        objr_bwf_chunk c;
        objr_bwf_get_chunk(f2, i, &c);
        strcat(ids, c.id);
        strcat(ids, ";");
    }
    ck_assert_str_eq(ids, is_f ? "JUNK;fmt ;fact;dbmd;data;" : "JUNK;fmt ;dbmd;data;");
    objr_bwf_close(f2);
    remove(path2);
    objr_bwf_close(f);

    /* libsndfile reads the same file to the same samples */
    SF_INFO si;
    memset(&si, 0, sizeof si);
    SNDFILE *sf = sf_open(path, SFM_READ, &si);
    ck_assert_msg(sf != NULL, "libsndfile: %s", sf_strerror(NULL));
    ck_assert_int_eq(si.channels, NCH);
    ck_assert_int_eq(si.frames, NFR);
    float *il = malloc(NCH * NFR * sizeof(float));
    ck_assert_int_eq(sf_readf_float(sf, il, NFR), NFR);
    sf_close(sf);
    int bad = -1;
    for (int i = 0; i < NFR && bad < 0; i++)
        for (int c = 0; c < NCH; c++)
            if (il[i * NCH + c] != x[c][i])
                bad = i;
    ck_assert_msg(bad < 0, "libsndfile differs at frame %d", bad);
    free(il);
    for (int c = 0; c < NCH; c++) {
        free(x[c]);
        free(y[c]);
    }
    remove(path);
}
END_TEST

START_TEST(quantise_and_clip) {
    const float in[] = {
        1.5f,   -1.5f,    NAN,      1.0f, -1.0f, 0.99999f, 0.5f / 32768.0f, 1.5f / 32768.0f,
        -0.75f, INFINITY, -INFINITY};
    const float want[] = {32767.0f / 32768.0f,
                          -1.0f,
                          0.0f,
                          32767.0f / 32768.0f,
                          -1.0f,
                          32767.0f / 32768.0f,
                          0.0f,
                          2.0f / 32768.0f,
                          -0.75f,
                          32767.0f / 32768.0f,
                          -1.0f};
    const size_t n = sizeof in / sizeof *in;
    const char *path = tmp_path("clip.wav");
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = 1;
    cfg.sample_format = OBJR_BWF_SAMPLE_PCM16;
    objr_bwf_writer *w;
    ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, NULL, &w), OBJR_OK);
    const float *p[1] = {in};
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, p, n), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, NULL), OBJR_OK);
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &f), OBJR_OK);
    float out[16];
    float *o[1] = {out};
    size_t got;
    ck_assert_int_eq(objr_bwf_read_f32(f, o, n, &got), OBJR_OK);
    ck_assert_uint_eq(got, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(out[i] == want[i], "%zu: %.9g want %.9g", i, (double)out[i], (double)want[i]);
    objr_bwf_close(f);
    remove(path);
}
END_TEST

/* A file past the (test) 4 GiB threshold becomes RF64/BW64 with a valid ds64. */
START_TEST(large_switch_rf64_bw64) {
    const uint64_t threshold = 1u << 20;
    const size_t nfr = 200000; /* 2 ch x 3 B x 200000 = 1.2 MB > 1 MiB */
    struct {
        objr_bwf_container policy;
        int with_adm;
        const char *magic;
    } cases[] = {
        {OBJR_BWF_CONTAINER_AUTO, 0, "RF64"},
        {OBJR_BWF_CONTAINER_AUTO, 1, "BW64"},
        {OBJR_BWF_CONTAINER_RF64, 1, "RF64"},
        {OBJR_BWF_CONTAINER_BW64, 0, "BW64"},
    };
    float *x[2];
    for (int c = 0; c < 2; c++) {
        x[c] = malloc(nfr * sizeof(float));
        objr_test_sine(x[c], nfr, 0.5, 440.0 * (c + 1), 48000.0, 0.0);
        for (size_t i = 0; i < nfr; i++) /* on the 24-bit grid so the round trip is exact */
            x[c][i] = (float)(nearbyint(x[c][i] * 8388608.0) / 8388608.0);
    }
    objr__bwf_writer_set_large_threshold(threshold);
    for (int k = 0; k < 4; k++) {
        const char *path = tmp_path("large.wav");
        objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
        cfg.n_channels = 2;
        cfg.channel_mask = 0x3;
        cfg.large_container = cases[k].policy;
        objr_bwf_writer *w;
        ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, NULL, &w), OBJR_OK);
        if (cases[k].with_adm) {
            objr_bwf_chna_entry e[2];
            memset(e, 0, sizeof e);
            e[0].track_index = 1;
            strcpy(e[0].uid, "ATU_00000001");
            e[1].track_index = 2;
            strcpy(e[1].uid, "ATU_00000002");
            ck_assert_int_eq(objr_bwf_writer_set_chna(w, e, 2), OBJR_OK);
        }
        const float *p[2] = {x[0], x[1]};
        ck_assert_int_eq(objr_bwf_writer_write_f32(w, p, nfr), OBJR_OK);
        if (cases[k].with_adm)
            ck_assert_int_eq(objr_bwf_writer_set_axml(w, "<ebuCoreMain/>", 14), OBJR_OK);
        ck_assert_int_eq(objr_bwf_writer_close(w, NULL), OBJR_OK);

        size_t n;
        unsigned char *raw = objr_test_read_file(path, &n);
        ck_assert_ptr_nonnull(raw);
        ck_assert(memcmp(raw, cases[k].magic, 4) == 0);
        ck_assert_uint_eq(objr__rd_u32(raw + 4), 0xFFFFFFFFu);
        ck_assert(memcmp(raw + 12, "ds64", 4) == 0);
        ck_assert_uint_ge(objr__rd_u32(raw + 16), 28);
        ck_assert_uint_eq(objr__rd_u64(raw + 20), n - 8);       /* RIFF size */
        ck_assert_uint_eq(objr__rd_u64(raw + 28), nfr * 2 * 3); /* data size */
        ck_assert_uint_eq(objr__rd_u64(raw + 36), nfr);         /* sample count */
        free(raw);

        objr_bwf *f;
        objr_diag dg;
        objr_diag_clear(&dg);
        ck_assert_msg(objr_bwf_open_file(path, NULL, &dg, &f) == OBJR_OK, "%s", dg.message);
        objr_bwf_format fm;
        objr_bwf_get_format(f, &fm);
        ck_assert_uint_eq(fm.n_frames, nfr);
        ck_assert_int_eq(fm.container, strcmp(cases[k].magic, "BW64") == 0
                                           ? OBJR_BWF_CONTAINER_BW64
                                           : OBJR_BWF_CONTAINER_RF64);
        if (cases[k].with_adm) {
            const uint8_t *ax;
            size_t axn;
            objr_bwf_get_axml(f, &ax, &axn);
            ck_assert_uint_eq(axn, 14);
            ck_assert_uint_eq(objr_bwf_chna_count(f), 2);
        }
        float *y[2] = {malloc(nfr * sizeof(float)), malloc(nfr * sizeof(float))};
        size_t got;
        ck_assert_int_eq(objr_bwf_read_f32(f, y, nfr, &got), OBJR_OK);
        ck_assert_uint_eq(got, nfr);
        size_t bad = (size_t)-1;
        for (size_t i = 0; i < nfr && bad == (size_t)-1; i++)
            if (x[0][i] != y[0][i] || x[1][i] != y[1][i]) /* == : -0 reads back as +0 */
                bad = i;
        ck_assert_msg(bad == (size_t)-1, "case %d frame %zu differs", k, bad);
        objr_bwf_close(f);

        /* libsndfile reads RF64 (it does not know the BW64 magic). */
        if (strcmp(cases[k].magic, "RF64") == 0) {
            SF_INFO si;
            memset(&si, 0, sizeof si);
            SNDFILE *sf = sf_open(path, SFM_READ, &si);
            ck_assert_msg(sf != NULL, "libsndfile: %s", sf_strerror(NULL));
            ck_assert_int_eq(si.frames, (sf_count_t)nfr);
            ck_assert_int_eq(si.format & SF_FORMAT_TYPEMASK, SF_FORMAT_RF64);
            float *il = malloc(2 * nfr * sizeof(float));
            ck_assert_int_eq(sf_readf_float(sf, il, (sf_count_t)nfr), (sf_count_t)nfr);
            for (size_t i = 0; i < nfr; i += 97)
                ck_assert(il[2 * i] == x[0][i] && il[2 * i + 1] == x[1][i]);
            free(il);
            sf_close(sf);
        }
        free(y[0]);
        free(y[1]);
        remove(path);
    }
    /* Below the threshold: plain RIFF with the JUNK reservation. */
    {
        const char *path = tmp_path("small.wav");
        objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
        cfg.n_channels = 2;
        objr_bwf_writer *w;
        ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, NULL, &w), OBJR_OK);
        const float *p[2] = {x[0], x[1]};
        ck_assert_int_eq(objr_bwf_writer_write_f32(w, p, 1000), OBJR_OK);
        ck_assert_int_eq(objr_bwf_writer_close(w, NULL), OBJR_OK);
        size_t n;
        unsigned char *raw = objr_test_read_file(path, &n);
        ck_assert(memcmp(raw, "RIFF", 4) == 0);
        ck_assert_uint_eq(objr__rd_u32(raw + 4), n - 8);
        ck_assert(memcmp(raw + 12, "JUNK", 4) == 0);
        free(raw);
        remove(path);
    }
    objr__bwf_writer_set_large_threshold(0);
    free(x[0]);
    free(x[1]);
}
END_TEST

START_TEST(abort_and_failure_leave_destination_untouched) {
    const char *path = tmp_path("keep.wav");
    FILE *fp = fopen(path, "wb");
    fputs("old contents", fp);
    fclose(fp);
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = 1;
    objr_bwf_writer *w;
    ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, NULL, &w), OBJR_OK);
    float z[64] = {0};
    const float *p[1] = {z};
    ck_assert_int_eq(objr_bwf_writer_write_f32(w, p, 64), OBJR_OK);
    ck_assert_int_eq(count_prefix("keep.wav.tmp-"), 1);
    objr_bwf_writer_abort(w);
    ck_assert_int_eq(count_prefix("keep.wav.tmp-"), 0);
    size_t n;
    unsigned char *raw = objr_test_read_file(path, &n);
    ck_assert_uint_eq(n, 12);
    ck_assert(memcmp(raw, "old contents", 12) == 0);
    free(raw);
    objr_bwf_writer_abort(NULL);

    /* A folder at the destination is refused before anything is written. */
    const char *dir = tmp_path("adir.wav");
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_bwf_writer_create(dir, &cfg, &dg, &w), OBJR_ERR_INVALID_ARG);
    ck_assert(strstr(dg.message, "adir.wav: is a folder") != NULL);
    ck_assert_int_eq(count_prefix("adir.wav.tmp-"), 0);
    rmdir(dir);

    /* Success replaces the old file. */
    ck_assert_int_eq(objr_bwf_writer_create(path, &cfg, NULL, &w), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_close(w, NULL), OBJR_OK); /* zero frames is valid */
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_uint_eq(fm.n_frames, 0);
    objr_bwf_close(f);
    remove(path);
}
END_TEST

START_TEST(unwritable_and_invalid) {
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = 2;
    objr_bwf_writer *w = (objr_bwf_writer *)(uintptr_t)1;
    objr_diag dg;
    objr_diag_clear(&dg);
    /* A missing folder is created, but not through a file sitting at its name. */
    char under_file[600];
    const char *plain = tmp_path("plain-file");
    fclose(fopen(plain, "wb"));
    snprintf(under_file, sizeof under_file, "%s/sub/out.wav", plain);
    ck_assert_int_eq(objr_bwf_writer_create(under_file, &cfg, &dg, &w), OBJR_ERR_IO);
    ck_assert_ptr_null(w);
    ck_assert(strstr(dg.message, under_file) != NULL);
    remove(plain);
    if (geteuid() != 0) { /* root ignores directory permissions */
        const char *ro = tmp_path("ro");
        mkdir(ro, 0555);
        char p[600];
        snprintf(p, sizeof p, "%s/out.wav", ro);
        ck_assert_int_eq(objr_bwf_writer_create(p, &cfg, NULL, &w), OBJR_ERR_IO);
        rmdir(ro);
    }
    objr_bwf_writer_config bad = cfg;
    bad.n_channels = 0;
    ck_assert_int_eq(objr_bwf_writer_create(tmp_path("x.wav"), &bad, NULL, &w),
                     OBJR_ERR_INVALID_ARG);
    bad = cfg;
    bad.sample_format = OBJR_BWF_SAMPLE_PCM8;
    ck_assert_int_eq(objr_bwf_writer_create(tmp_path("x.wav"), &bad, NULL, &w),
                     OBJR_ERR_INVALID_ARG);
    bad = cfg;
    bad.sample_rate_hz = 0;
    ck_assert_int_eq(objr_bwf_writer_create(tmp_path("x.wav"), &bad, NULL, &w),
                     OBJR_ERR_INVALID_ARG);
    bad = cfg;
    bad.large_container = OBJR_BWF_CONTAINER_RIFF;
    ck_assert_int_eq(objr_bwf_writer_create(tmp_path("x.wav"), &bad, NULL, &w),
                     OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_bwf_writer_create(tmp_path("x.wav"), &cfg, NULL, &w), OBJR_OK);
    ck_assert_int_eq(objr_bwf_writer_add_chunk(w, "data", "x", 1), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_bwf_writer_add_chunk(w, "fmt ", "x", 1), OBJR_ERR_INVALID_ARG);
    ck_assert_int_eq(objr_bwf_writer_add_chunk(w,
                                               "a\x01"
                                               "bc",
                                               "x", 1),
                     OBJR_ERR_INVALID_ARG);
    objr_bwf_chna_entry e;
    memset(&e, 0, sizeof e);
    e.track_index = 3; /* beyond 2 channels */
    ck_assert_int_eq(objr_bwf_writer_set_chna(w, &e, 1), OBJR_ERR_INVALID_ARG);
    ck_assert(strstr(objr_bwf_writer_last_error(w), "track index 3") != NULL);
    e.track_index = 0;
    ck_assert_int_eq(objr_bwf_writer_set_chna(w, &e, 1), OBJR_ERR_INVALID_ARG);
    objr_bwf_writer_abort(w);
    ck_assert_int_eq(count_prefix("x.wav"), 0);
}
END_TEST

/* Every allocation of create/set/close failing in turn: a clean NOMEM, no temp file left. */
START_TEST(alloc_failures_leave_nothing) {
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = 2;
    const char *path = tmp_path("nomem.wav");
    float z[16] = {0};
    const float *p[2] = {z, z};
    int ok_seen = 0;
    for (long n = 1; n < 40 && !ok_seen; n++) {
        objr__alloc_fail_after(n);
        objr_bwf_writer *w;
        objr_status st = objr_bwf_writer_create(path, &cfg, NULL, &w);
        if (st == OBJR_OK) {
            objr_bwf_chna_entry e;
            memset(&e, 0, sizeof e);
            e.track_index = 1;
            st = objr_bwf_writer_set_chna(w, &e, 1);
            if (st == OBJR_OK)
                st = objr_bwf_writer_set_axml(w, "<a/>", 4);
            if (st == OBJR_OK)
                st = objr_bwf_writer_write_f32(w, p, 16);
            if (st == OBJR_OK) {
                st = objr_bwf_writer_close(w, NULL);
                ck_assert_int_eq(st, OBJR_OK);
                ok_seen = 1;
            } else {
                objr_bwf_writer_abort(w);
            }
        }
        objr__alloc_fail_after(0);
        if (!ok_seen) {
            ck_assert_int_eq(st, OBJR_ERR_NOMEM);
            ck_assert(!exists(path));
        }
        ck_assert_int_eq(count_prefix("nomem.wav.tmp-"), 0);
    }
    ck_assert(ok_seen);
    remove(path);
}
END_TEST

static Suite *bwf_write_suite(void) {
    Suite *s = suite_create("bwf_write");
    TCase *t = tcase_create("write");
    tcase_set_timeout(t, 60);
    tcase_add_loop_test(t, round_trip_every_format, 0, 4);
    tcase_add_test(t, quantise_and_clip);
    tcase_add_test(t, large_switch_rf64_bw64);
    tcase_add_test(t, abort_and_failure_leave_destination_untouched);
    tcase_add_test(t, unwritable_and_invalid);
    tcase_add_test(t, alloc_failures_leave_nothing);
    suite_add_tcase(s, t);
    return s;
}

OBJR_TEST_MAIN(bwf_write_suite)
