/* SPDX-License-Identifier: BSD-3-Clause */
/* Test generator for the end-to-end intake tests: writes ADM as real exporters do (a Pro Tools
 * ADM BWF per EBU Tech 3285 / ITU-R BS.2088 with chna, axml and dbmd after the data chunk; a
 * Dolby Atmos Renderer XML with stems beside it) and their exact-time twins, states what the
 * reader must report about them, and compares two renders sample by sample. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "common/adm_exports.h"
#include "common/test_common.h"
#include "objrender/objr_bwf.h"
/* the byte builders assert allocations with Check, which reports to a test runner that a
 * program has not got: abort instead */
#undef ck_assert_ptr_nonnull
#define ck_assert_ptr_nonnull(p)                                                                   \
    do {                                                                                           \
        if (!(p))                                                                                  \
            abort();                                                                               \
    } while (0)
#include "unit/bwf_builder.h"
#include "unit/dbmd_builder.h"

#define RATE 48000u
#define BITS 24
/** Audio after the last block (the renders' tails). */
#define TAIL_FRAMES 2000u
/** Largest difference two renders of twins may have. */
#define MAX_DIFF 1e-6

/* 5 objects of 60 blocks of 512 samples (0.64 s), with the 7.1 bed: 13 tracks. */
static objr_test_export_scene scene = {5, 60, 512, NULL};

static size_t n_frames(void) {
    return (size_t)scene.n_blocks * scene.block_frames + TAIL_FRAMES;
}

/* Interleaved 24-bit PCM noise, one independent sequence per track, 0.1 peak. */
static void put_audio(bb *b) {
    unsigned nt = objr_test_export_tracks(&scene);
    size_t nf = n_frames();
    float *x = malloc(nf * nt * sizeof *x);
    if (!x)
        abort();
    objr_test_rng rng;
    objr_test_rng_init(&rng);
    for (unsigned t = 0; t < nt; t++)
        objr_test_noise(&rng, x + t * nf, nf, 0.1);
    for (size_t k = 0; k < nf; k++)
        for (unsigned t = 0; t < nt; t++) {
            long v = lround(x[t * nf + k] * 8388607.0);
            uint8_t s[3] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16)};
            bb_put(b, s, 3);
        }
    free(x);
}

static void put_data(bb *b) {
    size_t at = b->n;
    bb_id(b, "data");
    bb_u32(b, 0);
    put_audio(b);
    bb_set_u32(b, at + 4, (uint32_t)(b->n - at - 8));
    if ((b->n - at) & 1)
        bb_u8(b, 0);
}

/* chna: one row per track, ATU_<n> -> AT_<type><channel>_01 (the export's tracks). */
static void put_chna(bb *b) {
    unsigned nt = objr_test_export_tracks(&scene);
    bb c = {0};
    bb_u16(&c, nt);
    bb_u16(&c, nt);
    for (unsigned t = 0; t < nt; t++) {
        char uid[16], tref[16], pref[16];
        int bed = t < 8;
        unsigned cid = bed ? 0x1001 + t : 0x1001 + t - 8;
        snprintf(uid, sizeof uid, "ATU_%08x", t + 1);
        snprintf(tref, sizeof tref, "AT_%04x%04x_01", bed ? 1u : 3u, cid);
        snprintf(pref, sizeof pref, "AP_%04x%04x", bed ? 1u : 3u, bed ? 0x1001u : cid);
        bb_chna_id(&c, t + 1, uid, tref, pref, 0);
    }
    bb_chunk(b, "chna", c.p, c.n);
    bb_free(&c);
}

/* dbmd: Dolby Atmos segment and supplemental segment, objects rendered "near" binaurally. */
static void put_dbmd(bb *b) {
    unsigned nt = objr_test_export_tracks(&scene);
    bb d = {0};
    bb_u32(&d, DBMD_VERSION_1006);
    dbmd_atmos(&d, "objrender gen_adm_export", 1, 0, 0, 0, 0);
    uint8_t trim[64] = {0}, hp[64];
    for (unsigned t = 0; t < nt; t++)
        hp[t] = t < 8 ? 0 : 1; /* bed off, objects near */
    dbmd_supplemental(&d, NULL, 0, trim, hp, nt, DBMD_SUPP_SYNC, 0);
    bb_u8(&d, 0);
    bb_chunk(b, "dbmd", d.p, d.n);
    bb_free(&d);
}

static int write_file(const char *path, const void *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) {
        fprintf(stderr, "gen_adm_export: cannot write %s\n", path);
        if (f)
            fclose(f);
        return 1;
    }
    return fclose(f) != 0;
}

/* Pro Tools: fmt, data, then chna, axml and dbmd; the exact twin: the ADM chunks first. */
static int write_bwf(objr_test_export_style style, const char *path) {
    size_t xml_len = 0;
    char *xml = objr_test_export_xml(&scene, style, &xml_len);
    bb b = {0};
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, objr_test_export_tracks(&scene), RATE, BITS);
    if (style == OBJR_TEST_EXACT) {
        put_chna(&b);
        bb_chunk(&b, "axml", xml, xml_len);
        put_dbmd(&b);
        put_data(&b);
    } else {
        put_data(&b);
        put_chna(&b);
        bb_chunk(&b, "axml", xml, xml_len);
        put_dbmd(&b);
    }
    bb_finish_riff(&b);
    int rc = write_file(path, b.p, b.n);
    bb_free(&b);
    free(xml);
    return rc;
}

/* DIR/mix.xml whose tracks are the channels of DIR/stems.wav (24-bit, one channel a track). */
static int write_xml(objr_test_export_style style, const char *dir) {
    char path[4096];
    scene.stem_file = "stems.wav";
    size_t xml_len = 0;
    char *xml = objr_test_export_xml(&scene, style, &xml_len);
    snprintf(path, sizeof path, "%s/mix.xml", dir);
    int rc = write_file(path, xml, xml_len);
    free(xml);
    bb b = {0};
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, objr_test_export_tracks(&scene), RATE, BITS);
    put_data(&b);
    bb_finish_riff(&b);
    snprintf(path, sizeof path, "%s/stems.wav", dir);
    rc |= write_file(path, b.p, b.n);
    bb_free(&b);
    return rc;
}

/* What the reader must say: the overlap count, the first overlapping block and its line. */
static int expect(objr_test_export_style style) {
    char id[64];
    if (!objr_test_export_first_overlap(&scene, id, sizeof id))
        return 1;
    size_t len = 0;
    char *xml = objr_test_export_xml(&scene, style, &len);
    const char *at = strstr(xml, id);
    long line = 1;
    for (const char *p = xml; at && p < at; p++)
        line += *p == '\n';
    printf("%u %s %ld\n", objr_test_export_rounding_overlaps(&scene), id, line);
    free(xml);
    return at ? 0 : 1;
}

/* Two float renders: same shape, not silent, every sample within MAX_DIFF. */
static int compare(const char *a, const char *b) {
    objr_bwf *f[2] = {NULL, NULL};
    objr_bwf_format fm[2];
    const char *p[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        objr_diag d;
        objr_diag_clear(&d);
        if (objr_bwf_open_file(p[i], NULL, &d, &f[i]) != OBJR_OK) {
            fprintf(stderr, "gen_adm_export: %s: %s\n", p[i], d.message);
            return 2;
        }
        (void)objr_bwf_get_format(f[i], &fm[i]);
    }
    int rc = 1;
    double max_diff = 0.0, energy = 0.0;
    uint32_t nc = fm[0].n_channels;
    if (nc != fm[1].n_channels || fm[0].n_frames != fm[1].n_frames || nc > 64) {
        fprintf(stderr, "gen_adm_export: shapes differ: %u x %llu, %u x %llu\n", nc,
                (unsigned long long)fm[0].n_frames, fm[1].n_channels,
                (unsigned long long)fm[1].n_frames);
        goto done;
    }
    enum { STEP = 1024 };
    float *buf[2][64];
    for (int i = 0; i < 2; i++)
        for (uint32_t c = 0; c < nc; c++)
            buf[i][c] = malloc(STEP * sizeof(float));
    for (uint64_t done = 0; done < fm[0].n_frames;) {
        size_t want = fm[0].n_frames - done < STEP ? (size_t)(fm[0].n_frames - done) : STEP;
        size_t got[2] = {0, 0};
        for (int i = 0; i < 2; i++)
            if (objr_bwf_read_f32(f[i], buf[i], want, &got[i]) != OBJR_OK)
                got[i] = 0;
        if (got[0] != want || got[1] != want)
            break;
        for (uint32_t c = 0; c < nc; c++)
            for (size_t k = 0; k < want; k++) {
                max_diff = fmax(max_diff, fabs((double)buf[0][c][k] - buf[1][c][k]));
                energy += (double)buf[0][c][k] * buf[0][c][k];
            }
        done += want;
        if (done == fm[0].n_frames)
            rc = 0;
    }
    for (int i = 0; i < 2; i++)
        for (uint32_t c = 0; c < nc; c++)
            free(buf[i][c]);
    printf("channels %u frames %llu max_abs_diff %.3g energy %.3g\n", nc,
           (unsigned long long)fm[0].n_frames, max_diff, energy);
    if (rc == 0 && (max_diff >= MAX_DIFF || energy <= 1.0))
        rc = 1;
done:
    objr_bwf_close(f[0]);
    objr_bwf_close(f[1]);
    return rc;
}

static int style_of(const char *s, objr_test_export_style *out) {
    if (!strcmp(s, "exact"))
        *out = OBJR_TEST_EXACT;
    else if (!strcmp(s, "protools"))
        *out = OBJR_TEST_PROTOOLS;
    else if (!strcmp(s, "dolby"))
        *out = OBJR_TEST_DOLBY_RENDERER;
    else
        return 0;
    return 1;
}

int main(int argc, char **argv) {
    objr_test_export_style style = OBJR_TEST_EXACT;
    if (argc == 4 && !strcmp(argv[1], "bwf") && style_of(argv[2], &style))
        return write_bwf(style, argv[3]);
    if (argc == 4 && !strcmp(argv[1], "xml") && style_of(argv[2], &style))
        return write_xml(style, argv[3]);
    if (argc == 3 && !strcmp(argv[1], "expect") && style_of(argv[2], &style))
        return expect(style);
    if (argc == 4 && !strcmp(argv[1], "cmp"))
        return compare(argv[2], argv[3]);
    fprintf(stderr, "usage: gen_adm_export bwf exact|protools OUT.wav\n"
                    "       gen_adm_export xml exact|dolby DIR   (DIR/mix.xml, DIR/stems.wav)\n"
                    "       gen_adm_export expect protools|dolby (overlaps, first ID, line)\n"
                    "       gen_adm_export cmp A.wav B.wav      (float renders, max diff 1e-6)\n");
    return 2;
}
