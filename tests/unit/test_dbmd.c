/* SPDX-License-Identifier: BSD-3-Clause */
/* The dbmd parser (formats/bwf_dbmd.c) on payloads built byte by byte here (EBU Tech 3285 s6
 * framing; Dolby Atmos segments as Dolby's dbmd-atmos-parser documents them): every decoded
 * field, truncation at every byte, bad checksums / sync words / sizes, the segment limit, a
 * dbmd chunk inside a WAV, and the real files of ../shared/adm-corpus (skipped when absent).
 * With OBJR_DBMD_SEED_DIR set it also writes the built payloads there (the fuzz seeds). */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"
#include "src/check/check_dbmd.h"
#include "src/render/render_dbmd.h"
#include "unit/dbmd_builder.h"

/* A chunk with every decoded segment and one unknown segment. Values chosen so that each
 * field has a distinct, checkable code:
 *  DD+: ext_bsi1_word1 = 00 100 110 (Lo/Ro centre code 4 = -3 dB, surround code 6 = -6 dB),
 *       ext_bsi1_word2 = 10 101 111 (dmixmod 2 = stereo, Lt/Rt centre code 5 = -4.5 dB,
 *       surround code 7 = -inf) (s6 Tables 34-38).
 *  Atmos: downmix byte 0 011 00 01 (Pro Logic II, phase 90), rendering byte 01 000 010
 *       (bed distribution 1, warp mode 2 = Pro Logic IIx).
 *  Supplemental: 3 tracks, 2.0 trims manual (-3, -6, -12 dB, balances -64/127 and +127/127),
 *       5.1 trims manual (0, -1.5, -4.5 dB), the rest automatic; track headphone bytes
 *       10 000 001 (head-track bits + near), far, not indicated; trim bytes 0, 1, 2. */
static void build_full(bb *b) {
    memset(b, 0, sizeof *b);
    bb_u32(b, DBMD_VERSION_1006);
    dbmd_ddplus(b, 0x26, 0xAF);
    dbmd_atmos(b, "objrender test tool", 1, 2, 3, 0x31, 0x42);
    const uint8_t unk[5] = {1, 2, 3, 4, 5};
    dbmd_segment(b, 0x42, unk, sizeof unk);
    dbmd_trim_spec t[2] = {{0, -3.0f, -6.0f, -12.0f, 0x80 | 64, 127},
                           {0, 0.0f, -1.5f, -4.5f, 0, 0}};
    const uint8_t tt[3] = {0, 1, 2}, hp[3] = {0x81, 2, 4};
    dbmd_supplemental(b, t, 2, tt, hp, 3, DBMD_SUPP_SYNC, 0);
    bb_u8(b, 0); /* end marker */
}

static void write_seed(const char *name, const bb *b) {
    const char *dir = getenv("OBJR_DBMD_SEED_DIR");
    if (!dir)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b->p, 1, b->n, f), b->n);
    fclose(f);
}

START_TEST(full_chunk_fields) {
    bb b;
    build_full(&b);
    write_seed("full.bin", &b);
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, &dg, &d), OBJR_OK);
    ck_assert_uint_eq(objr_dbmd_version(d), 0x01000006u);
    ck_assert_uint_eq(objr_dbmd_segment_count(d), 4);
    static const uint8_t ids[4] = {7, 9, 0x42, 10};
    size_t off = 4;
    static const size_t sizes[4] = {96, 248, 5, 142 + 6};
    for (size_t i = 0; i < 4; i++) {
        objr_dbmd_segment s;
        ck_assert_int_eq(objr_dbmd_get_segment(d, i, &s), OBJR_OK);
        ck_assert_uint_eq(s.id, ids[i]);
        ck_assert_uint_eq(s.offset, off);
        ck_assert_uint_eq(s.size, sizes[i]);
        ck_assert_int_eq(s.checksum_ok, 1);
        ck_assert_int_eq(s.decoded, ids[i] != 0x42);
        off += 3 + sizes[i] + 1;
    }
    objr_dbmd_segment s;
    ck_assert_int_eq(objr_dbmd_get_segment(d, 4, &s), OBJR_ERR_INVALID_ARG);

    objr_dbmd_ddplus dp;
    ck_assert_int_eq(objr_dbmd_get_ddplus(d, &dp), OBJR_OK);
    ck_assert_int_eq(dp.acmod, 7);
    ck_assert_int_eq(dp.lfe_on, 1);
    ck_assert_int_eq(dp.dialnorm_db, 24);
    ck_assert_double_eq_tol(dp.loro_centre_db, -3.0, 1e-12);
    ck_assert_double_eq_tol(dp.loro_surround_db, -6.0, 1e-12);
    ck_assert_int_eq(dp.preferred_downmix, 2);
    ck_assert_double_eq_tol(dp.ltrt_centre_db, -4.5, 1e-12);
    ck_assert(isinf(dp.ltrt_surround_db) && dp.ltrt_surround_db < 0);

    objr_dbmd_atmos a;
    ck_assert_int_eq(objr_dbmd_get_atmos(d, &a), OBJR_OK);
    ck_assert_str_eq(a.creation_tool, "objrender test tool");
    ck_assert_uint_eq(a.tool_version[0], 1);
    ck_assert_uint_eq(a.tool_version[1], 2);
    ck_assert_uint_eq(a.tool_version[2], 3);
    ck_assert_int_eq(a.downmix_2ch, OBJR_DBMD_DOWNMIX_LTRT_PLII);
    ck_assert_int_eq(a.phase90_2ch, 1);
    ck_assert_int_eq(a.warp_mode, OBJR_DBMD_WARP_PLIIX);
    ck_assert_int_eq(a.bed_distribution, 1);

    objr_dbmd_trim t;
    ck_assert_int_eq(objr_dbmd_get_trim(d, 0, &t), OBJR_OK);
    ck_assert_int_eq(t.automatic, 0);
    ck_assert_int_eq(t.valid, 1);
    ck_assert_double_eq_tol(t.centre_trim_db, -3.0, 1e-6);
    ck_assert_double_eq_tol(t.surround_trim_db, -6.0, 1e-6);
    ck_assert_double_eq_tol(t.height_trim_db, -12.0, 1e-6);
    ck_assert_double_eq_tol(t.balance_overhead_floor, -64.0 / 127.0, 1e-12);
    ck_assert_double_eq_tol(t.balance_listener, 1.0, 1e-12);
    ck_assert_int_eq(objr_dbmd_get_trim(d, 1, &t), OBJR_OK);
    ck_assert_int_eq(t.automatic, 0);
    ck_assert_double_eq_tol(t.surround_trim_db, -1.5, 1e-6);
    ck_assert_double_eq_tol(t.height_trim_db, -4.5, 1e-6);
    for (size_t c = 2; c < OBJR_DBMD_N_TRIM_CONFIGS; c++) {
        ck_assert_int_eq(objr_dbmd_get_trim(d, c, &t), OBJR_OK);
        ck_assert_int_eq(t.automatic, 1);
    }
    ck_assert_int_eq(objr_dbmd_get_trim(d, OBJR_DBMD_N_TRIM_CONFIGS, &t), OBJR_ERR_INVALID_ARG);
    ck_assert_str_eq(objr_dbmd_trim_config_name(1), "5.1");
    ck_assert_str_eq(objr_dbmd_trim_config_name(8), "7.1.4");

    ck_assert_uint_eq(objr_dbmd_track_count(d), 3);
    ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, 0), OBJR_DBMD_BINAURAL_NEAR);
    ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, 1), OBJR_DBMD_BINAURAL_FAR);
    ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, 2), OBJR_DBMD_BINAURAL_NOT_INDICATED);
    ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, 3), -1);
    ck_assert_int_eq(objr_dbmd_track_trim_bypass(d, 0), 0);
    ck_assert_int_eq(objr_dbmd_track_trim_bypass(d, 1), 1);
    ck_assert_int_eq(objr_dbmd_track_trim_bypass(d, 2), 0);
    ck_assert_str_eq(objr_dbmd_binaural_mode_name(3), "mid");
    objr_dbmd_destroy(d);
    bb_free(&b);
}
END_TEST

/* Every proper prefix is refused with a message and no handle (the end marker is required). */
START_TEST(truncation_every_byte) {
    bb b;
    build_full(&b);
    for (size_t n = 0; n < b.n; n++) {
        objr_dbmd *d = (objr_dbmd *)&b; /* must be reset to NULL */
        objr_diag dg;
        objr_diag_clear(&dg);
        objr_status st = objr_dbmd_parse(b.p, n, &dg, &d);
        ck_assert_msg(st == OBJR_ERR_TRUNCATED, "prefix %zu: status %d", n, (int)st);
        ck_assert_ptr_null(d);
        ck_assert_msg(dg.message[0] != 0, "prefix %zu: no message", n);
        ck_assert_msg(strncmp(dg.message, "dbmd", 4) == 0, "prefix %zu: %s", n, dg.message);
    }
    bb_free(&b);
}
END_TEST

START_TEST(bad_checksum_not_decoded) {
    bb b;
    build_full(&b);
    /* flip the Atmos segment's checksum: it follows the DD+ segment (4 + 100) */
    size_t atmos_ck = 4 + 100 + 3 + 248;
    b.p[atmos_ck] ^= 0x5A;
    objr_dbmd *d = NULL;
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
    objr_dbmd_segment s;
    ck_assert_int_eq(objr_dbmd_get_segment(d, 1, &s), OBJR_OK);
    ck_assert_int_eq(s.checksum_ok, 0);
    ck_assert_int_eq(s.decoded, 0);
    objr_dbmd_atmos a;
    ck_assert_int_eq(objr_dbmd_get_atmos(d, &a), OBJR_ERR_STATE);
    objr_dbmd_ddplus dp;
    ck_assert_int_eq(objr_dbmd_get_ddplus(d, &dp), OBJR_OK); /* the others still decode */
    objr_dbmd_destroy(d);
    bb_free(&b);
}
END_TEST

START_TEST(supplemental_bad_sync_and_count) {
    const uint8_t tt[2] = {0, 0}, hp[2] = {1, 1};
    for (int variant = 0; variant < 3; variant++) {
        bb b;
        memset(&b, 0, sizeof b);
        bb_u32(&b, DBMD_VERSION_1006);
        if (variant == 0) /* wrong sync */
            dbmd_supplemental(&b, NULL, 0, tt, hp, 2, 0x12345678u, 0);
        else if (variant == 1) { /* object_count 3 announced, lists for 2 only */
            dbmd_supplemental(&b, NULL, 0, tt, hp, 2, DBMD_SUPP_SYNC, 0);
            b.p[4 + 3 + 4] = 3;
            /* fix the checksum: it covers the payload */
            size_t n = 142 + 4;
            unsigned sum = n & 0xFF;
            for (size_t i = 0; i < n; i++)
                sum += b.p[4 + 3 + i];
            b.p[4 + 3 + n] = (uint8_t)(0x100u - (sum & 0xFF));
        } else /* too short for the trims */
            dbmd_segment(&b, 10, (const uint8_t *)"\xbd\x6f\x72\xf8\x00\x00\x00", 7);
        bb_u8(&b, 0);
        if (variant == 1)
            write_seed("supp_count.bin", &b);
        objr_dbmd *d = NULL;
        ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
        objr_dbmd_segment s;
        ck_assert_int_eq(objr_dbmd_get_segment(d, 0, &s), OBJR_OK);
        ck_assert_int_eq(s.checksum_ok, 1);
        ck_assert_int_eq(s.decoded, 0);
        ck_assert_uint_eq(objr_dbmd_track_count(d), 0);
        objr_dbmd_trim t;
        ck_assert_int_eq(objr_dbmd_get_trim(d, 0, &t), OBJR_ERR_STATE);
        objr_dbmd_destroy(d);
        bb_free(&b);
    }
}
END_TEST

/* A segment over 255 bytes (128 tracks: 142 + 256): the checksum seed is the size's low byte
 * (Dolby's reader) or the sum of both size bytes (the text of s6 §3.3); both are accepted,
 * anything else is not. */
START_TEST(long_segment_checksum_seeds) {
    uint8_t tt[128], hp[128];
    for (int i = 0; i < 128; i++)
        tt[i] = 0, hp[i] = (uint8_t)(i % 4);
    for (int variant = 0; variant < 3; variant++) {
        bb b;
        memset(&b, 0, sizeof b);
        bb_u32(&b, DBMD_VERSION_1006);
        dbmd_supplemental(&b, NULL, 0, tt, hp, 128, DBMD_SUPP_SYNC, 0);
        size_t n = 142 + 256, ck = 4 + 3 + n;
        if (variant == 1)
            b.p[ck] = (uint8_t)(b.p[ck] - (n >> 8)); /* seed with both bytes */
        else if (variant == 2)
            b.p[ck] = (uint8_t)(b.p[ck] + 7);
        bb_u8(&b, 0);
        if (variant == 0)
            write_seed("supp_128.bin", &b);
        objr_dbmd *d = NULL;
        ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
        objr_dbmd_segment s;
        ck_assert_int_eq(objr_dbmd_get_segment(d, 0, &s), OBJR_OK);
        ck_assert_int_eq(s.checksum_ok, variant != 2);
        ck_assert_uint_eq(objr_dbmd_track_count(d), variant != 2 ? 128 : 0);
        if (variant != 2)
            ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, 127), 3);
        objr_dbmd_destroy(d);
        bb_free(&b);
    }
}
END_TEST

/* A stored size of 0 means 65535 bytes (s6 §3.1): here more than the chunk has. */
START_TEST(size_zero_means_65535) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_u32(&b, DBMD_VERSION_1006);
    bb_u8(&b, 9);
    bb_u16(&b, 0);
    bb_zero(&b, 300);
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, &dg, &d), OBJR_ERR_TRUNCATED);
    ck_assert_ptr_nonnull(strstr(dg.message, "65536"));
    ck_assert_uint_eq(dg.byte_offset, 4);
    bb_free(&b);
}
END_TEST

/* A later major version: the segments are listed, none is decoded. */
START_TEST(newer_major_version_listed_only) {
    bb b;
    build_full(&b);
    bb_set_u32(&b, 0, 0x02000000u);
    objr_dbmd *d = NULL;
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
    ck_assert_uint_eq(objr_dbmd_segment_count(d), 4);
    objr_dbmd_atmos a;
    ck_assert_int_eq(objr_dbmd_get_atmos(d, &a), OBJR_ERR_STATE);
    ck_assert_uint_eq(objr_dbmd_track_count(d), 0);
    objr_dbmd_destroy(d);
    bb_free(&b);
}
END_TEST

START_TEST(segment_limit) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_u32(&b, DBMD_VERSION_1006);
    const uint8_t one = 0;
    for (int i = 0; i <= OBJR_DBMD_MAX_SEGMENTS; i++)
        dbmd_segment(&b, 0x20, &one, 1);
    bb_u8(&b, 0);
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, &dg, &d), OBJR_ERR_LIMIT);
    ck_assert_ptr_null(d);
    ck_assert_ptr_nonnull(strstr(dg.message, "segments"));
    /* one fewer is fine */
    b.n -= 5 + 1;
    bb_u8(&b, 0);
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
    ck_assert_uint_eq(objr_dbmd_segment_count(d), OBJR_DBMD_MAX_SEGMENTS);
    objr_dbmd_destroy(d);
    bb_free(&b);
}
END_TEST

/* Manual trims that are not finite or outside [-60, +24] dB are flagged invalid. */
START_TEST(implausible_trims_invalid) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_u32(&b, DBMD_VERSION_1006);
    dbmd_trim_spec t[2] = {{0, NAN, 0, 0, 0, 0}, {0, 0, -90.0f, 0, 0, 0}};
    const uint8_t tt[1] = {0}, hp[1] = {3};
    dbmd_supplemental(&b, t, 2, tt, hp, 1, DBMD_SUPP_SYNC, 0);
    bb_u8(&b, 0);
    objr_dbmd *d = NULL;
    ck_assert_int_eq(objr_dbmd_parse(b.p, b.n, NULL, &d), OBJR_OK);
    objr_dbmd_trim tr;
    ck_assert_int_eq(objr_dbmd_get_trim(d, 0, &tr), OBJR_OK);
    ck_assert_int_eq(tr.valid, 0);
    ck_assert_int_eq(objr_dbmd_get_trim(d, 1, &tr), OBJR_OK);
    ck_assert_int_eq(tr.valid, 0);
    ck_assert_int_eq(objr_dbmd_get_trim(d, 2, &tr), OBJR_OK);
    ck_assert_int_eq(tr.valid, 1);
    objr_dbmd_destroy(d);
    bb_free(&b);
}
END_TEST

/* Inside a WAV: found by objr_dbmd_from_bwf, error offsets are file offsets; no chunk = NULL. */
START_TEST(from_bwf) {
    bb d;
    build_full(&d);
    for (int with = 0; with < 2; with++) {
        bb w;
        memset(&w, 0, sizeof w);
        bb_id(&w, "RIFF");
        bb_u32(&w, 0);
        bb_id(&w, "WAVE");
        bb_id(&w, "fmt ");
        bb_u32(&w, 16);
        bb_u16(&w, 1), bb_u16(&w, 1), bb_u32(&w, 48000), bb_u32(&w, 96000);
        bb_u16(&w, 2), bb_u16(&w, 16);
        bb_id(&w, "data");
        bb_u32(&w, 4);
        bb_zero(&w, 4);
        size_t dbmd_at = w.n;
        if (with) {
            bb_id(&w, "dbmd");
            bb_u32(&w, (uint32_t)d.n);
            bb_put(&w, d.p, d.n);
            if (d.n & 1)
                bb_u8(&w, 0);
        }
        bb_set_u32(&w, 4, (uint32_t)(w.n - 8));
        char path[1024];
        snprintf(path, sizeof path, "%s/dbmd_%d.wav", objr_test_tmpdir(), with);
        FILE *f = fopen(path, "wb");
        ck_assert_ptr_nonnull(f);
        fwrite(w.p, 1, w.n, f);
        fclose(f);
        objr_bwf *bw = NULL;
        ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &bw), OBJR_OK);
        objr_dbmd *m = (objr_dbmd *)&w;
        ck_assert_int_eq(objr_dbmd_from_bwf(bw, NULL, &m), OBJR_OK);
        if (!with) {
            ck_assert_ptr_null(m);
        } else {
            ck_assert_ptr_nonnull(m);
            ck_assert_uint_eq(objr_dbmd_track_count(m), 3);
            objr_dbmd_destroy(m);
        }
        objr_bwf_close(bw);
        if (with) { /* cut the chunk's end marker: the error names the file offset */
            w.p[w.n - 1 - (d.n & 1)] = 9;
            f = fopen(path, "wb");
            fwrite(w.p, 1, w.n, f);
            fclose(f);
            ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &bw), OBJR_OK);
            objr_diag dg;
            objr_diag_clear(&dg);
            ck_assert_int_eq(objr_dbmd_from_bwf(bw, &dg, &m), OBJR_ERR_TRUNCATED);
            ck_assert_uint_eq(dg.byte_offset, dbmd_at + 8 + d.n - 1);
            objr_bwf_close(bw);
        }
        bb_free(&w);
    }
    bb_free(&d);
}
END_TEST

/* The real files: values as Dolby's dbmd-atmos-parser sample outputs (sample_adm_file_0/3.txt)
 * and MANIFEST.md rows 37-39 state them. */
typedef struct corpus_dbmd {
    const char *name, *tool;
    unsigned v[3];
    int warp_mode;
    size_t n_tracks;
    int mode;
} corpus_dbmd;
static const corpus_dbmd corpus[] = {
    {"dolby-dact180__sample_adm_file_0.wav", "Dolby Atmos Conversion Tool", {1, 8, 0}, 4, 2, 4},
    {"dolby-dact190__sample_adm_file_3.wav", "Dolby Atmos Conversion Tool", {1, 9, 0}, 0, 2, 1},
    {"fiedler-dace__dolby_metadata.wav",
     "Dolby Atmos Composer Essential (fiedler audio)",
     {1, 0, 1},
     3,
     3,
     4},
};

START_TEST(corpus_files) {
    const corpus_dbmd *c = &corpus[_i];
    const char *path = objr_test_corpus_path(c->name);
    if (!path)
        return;
    objr_bwf *bw = NULL;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, NULL, &bw), OBJR_OK);
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_msg(objr_dbmd_from_bwf(bw, &dg, &d) == OBJR_OK, "%s: %s", c->name, dg.message);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(objr_dbmd_version(d), 0x01000006u);
    ck_assert_uint_eq(objr_dbmd_segment_count(d), 3);
    for (size_t i = 0; i < 3; i++) {
        objr_dbmd_segment s;
        ck_assert_int_eq(objr_dbmd_get_segment(d, i, &s), OBJR_OK);
        ck_assert_int_eq(s.checksum_ok, 1);
        ck_assert_int_eq(s.decoded, 1);
    }
    objr_dbmd_atmos a;
    ck_assert_int_eq(objr_dbmd_get_atmos(d, &a), OBJR_OK);
    ck_assert_str_eq(a.creation_tool, c->tool);
    for (int k = 0; k < 3; k++)
        ck_assert_uint_eq(a.tool_version[k], c->v[k]);
    ck_assert_int_eq(a.warp_mode, c->warp_mode);
    ck_assert_uint_eq(objr_dbmd_track_count(d), c->n_tracks);
    for (size_t i = 0; i < c->n_tracks; i++)
        ck_assert_int_eq(objr_dbmd_track_binaural_mode(d, i), c->mode);
    for (size_t k = 0; k < OBJR_DBMD_N_TRIM_CONFIGS; k++) {
        objr_dbmd_trim t;
        ck_assert_int_eq(objr_dbmd_get_trim(d, k, &t), OBJR_OK);
        ck_assert_int_eq(t.automatic, 1); /* "automatic trims" for all nine */
    }
    objr_dbmd_ddplus dp;
    ck_assert_int_eq(objr_dbmd_get_ddplus(d, &dp), OBJR_OK);
    ck_assert_int_eq(dp.acmod, 7);
    objr_dbmd_destroy(d);
    objr_bwf_close(bw);
}
END_TEST

/* A 1-track 16-bit WAV holding @p d as its dbmd chunk; returns the path (static buffer). */
static const char *wav_with_dbmd(const bb *d, const char *name) {
    static char path[1024];
    bb w;
    memset(&w, 0, sizeof w);
    bb_id(&w, "RIFF");
    bb_u32(&w, 0);
    bb_id(&w, "WAVE");
    bb_id(&w, "fmt ");
    bb_u32(&w, 16);
    bb_u16(&w, 1), bb_u16(&w, 1), bb_u32(&w, 48000), bb_u32(&w, 96000);
    bb_u16(&w, 2), bb_u16(&w, 16);
    bb_id(&w, "data");
    bb_u32(&w, 4);
    bb_zero(&w, 4);
    bb_id(&w, "dbmd");
    bb_u32(&w, (uint32_t)d->n);
    bb_put(&w, d->p, d->n);
    if (d->n & 1)
        bb_u8(&w, 0);
    bb_set_u32(&w, 4, (uint32_t)(w.n - 8));
    snprintf(path, sizeof path, "%s/%s", objr_test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(w.p, 1, w.n, f), w.n);
    fclose(f);
    bb_free(&w);
    return path;
}

/* The check's fold-down from dbmd: DD+ Lo/Ro levels (codes 3 = -1.5 dB centre, 6 = -6 dB
 * surround) plus the manual 2.0 trims (-2, -4 dB), the tops the default -3.01 dB plus the
 * manual 5.1 height trim (-6 dB); with an Lt/Rt 2.0 downmix the Lt/Rt levels (codes 4 = -3,
 * 7 = off) are used instead; apply 0 keeps the base; binaural modes mapped per track. */
START_TEST(check_fold_from_dbmd) {
    for (int variant = 0; variant < 3; variant++) {
        bb b;
        memset(&b, 0, sizeof b);
        bb_u32(&b, DBMD_VERSION_1006);
        dbmd_ddplus(&b, (3u << 3) | 6u, (0u << 6) | (4u << 3) | 7u);
        dbmd_atmos(&b, "t", 1, 0, 0, variant == 1 ? 0x20 : 0x10, 0);
        dbmd_trim_spec t[2] = {{0, -2.0f, -4.0f, -9.0f, 0, 0}, {0, -1.0f, -1.0f, -6.0f, 0, 0}};
        const uint8_t tt[2] = {0, 0}, hp[2] = {0, 2}; /* off, far */
        dbmd_supplemental(&b, t, 2, tt, hp, 2, DBMD_SUPP_SYNC, 0);
        bb_u8(&b, 0);
        objr_bwf *bw = NULL;
        ck_assert_int_eq(objr_bwf_open_file(wav_with_dbmd(&b, "fold.wav"), NULL, NULL, &bw),
                         OBJR_OK);
        objr_folddown_config base = objr_folddown_config_default();
        objr__check_dbmd cd;
        ck_assert_int_eq(objr__check_dbmd_read(bw, &base, variant != 2, 1, &cd), OBJR_OK);
        if (variant == 0) {
            ck_assert_double_eq_tol(cd.fold.centre_trim_db, -1.5 - 2.0, 1e-9);
            ck_assert_double_eq_tol(cd.fold.surround_trim_db, -6.0 - 4.0, 1e-9);
        } else if (variant == 1) {
            ck_assert_double_eq_tol(cd.fold.centre_trim_db, -3.0 - 2.0, 1e-9);
            ck_assert(cd.fold.surround_trim_db <= OBJR_FOLDDOWN_OFF_DB);
        } else {
            ck_assert(cd.fold.centre_trim_db == base.centre_trim_db);
            ck_assert(cd.fold.surround_trim_db == base.surround_trim_db);
        }
        ck_assert_double_eq_tol(cd.fold.height_trim_db,
                                variant == 2 ? base.height_trim_db : base.height_trim_db - 6.0,
                                1e-9);
        ck_assert_uint_eq(cd.n_modes, 2);
        ck_assert_int_eq(cd.modes[0], OBJR_BINAURAL_MODE_OFF);
        ck_assert_int_eq(cd.modes[1], OBJR_BINAURAL_MODE_FAR);
        ck_assert_uint_ge(cd.n_notes, 1);
        int says_height_not_applied = 0;
        for (size_t k = 0; k < cd.n_notes; k++)
            says_height_not_applied |= strstr(cd.notes[k], "height -9.0 dB") != NULL ||
                                       strstr(cd.notes[k], "height +-9.0") != NULL ||
                                       strstr(cd.notes[k], "height -9") != NULL;
        ck_assert_int_eq(says_height_not_applied, variant != 2);
        /* the fold-down accepts the result */
        objr_folddown *fd = NULL;
        ck_assert_int_eq(objr_folddown_create(OBJR_FOLDDOWN_714_TO_LORO, &cd.fold, 16, &fd),
                         OBJR_OK);
        objr_folddown_destroy(fd);
        objr__check_dbmd_free(&cd);
        objr_bwf_close(bw);
        bb_free(&b);
    }
}
END_TEST

/* The render's dbmd notes and modes: binaural + 2.0 asked for. */
START_TEST(render_notes_and_modes) {
    bb b;
    build_full(&b);
    objr_bwf *bw = NULL;
    ck_assert_int_eq(objr_bwf_open_file(wav_with_dbmd(&b, "render.wav"), NULL, NULL, &bw), OBJR_OK);
    const char *lays[2] = {"headphones", "stereo"};
    objr__render_dbmd rd;
    ck_assert_int_eq(objr__render_dbmd_prepare(bw, lays, 2, &rd), OBJR_OK);
    ck_assert_uint_eq(rd.n_modes, 3);
    ck_assert_int_eq(rd.modes[0], OBJR_BINAURAL_MODE_NEAR);
    ck_assert_int_eq(rd.modes[1], OBJR_BINAURAL_MODE_FAR);
    ck_assert_int_eq(rd.modes[2], 0);
    ck_assert_uint_eq(rd.n_notes, 2);
    ck_assert_ptr_nonnull(strstr(rd.notes[0], "near: track 1; far: track 2"));
    ck_assert_ptr_nonnull(strstr(rd.notes[1], "not applied"));
    objr__render_dbmd_free(&rd);
    const char *lays2[1] = {"7.1.4"};
    ck_assert_int_eq(objr__render_dbmd_prepare(bw, lays2, 1, &rd), OBJR_OK);
    ck_assert_uint_eq(rd.n_modes, 0);
    ck_assert_uint_eq(rd.n_notes, 0);
    objr__render_dbmd_free(&rd);
    objr_bwf_close(bw);
    bb_free(&b);
}
END_TEST

static Suite *dbmd_suite(void) {
    Suite *s = suite_create("dbmd");
    TCase *t = tcase_create("parse");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, full_chunk_fields);
    tcase_add_test(t, truncation_every_byte);
    tcase_add_test(t, bad_checksum_not_decoded);
    tcase_add_test(t, supplemental_bad_sync_and_count);
    tcase_add_test(t, long_segment_checksum_seeds);
    tcase_add_test(t, size_zero_means_65535);
    tcase_add_test(t, newer_major_version_listed_only);
    tcase_add_test(t, segment_limit);
    tcase_add_test(t, implausible_trims_invalid);
    tcase_add_test(t, from_bwf);
    tcase_add_test(t, check_fold_from_dbmd);
    tcase_add_test(t, render_notes_and_modes);
    tcase_add_loop_test(t, corpus_files, 0, (int)(sizeof corpus / sizeof *corpus));
    suite_add_tcase(s, t);
    return s;
}

OBJR_TEST_MAIN(dbmd_suite)
