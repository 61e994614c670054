/* SPDX-License-Identifier: BSD-3-Clause */
/* BWF reader on synthetic files built byte by byte: RIFF/RF64/BW64 + ds64, chunk orders, odd
 * sizes, every sample format (exact integer -> float scaling), chna quirks (EBU Tech 3285
 * s7), bext (Tech 3285 v2), and bad input (truncated, oversized, absurd formats). */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bwf_internal.h"
#include "objrender/objr.h"
#include "unit/bwf_builder.h"

/* A minimal file: RIFF, fmt (plain tag/bits), data with the given payload. */
static void simple_wav(bb *b, unsigned tag, unsigned ch, unsigned bits, const void *data,
                       size_t n) {
    memset(b, 0, sizeof *b);
    bb_riff(b, "RIFF");
    bb_fmt(b, tag, ch, 48000, bits);
    bb_chunk(b, "data", data, n);
    bb_finish_riff(b);
}

static void read_all(objr_bwf *f, float **ch, size_t n) {
    size_t got = 99;
    ck_assert_int_eq(objr_bwf_read_f32(f, ch, n, &got), OBJR_OK);
    ck_assert_uint_eq(got, n);
}

START_TEST(pcm16_exact_scaling) {
    /* 16-bit: x / 2^15 (full scale positive is 1 - 2^-15, negative full scale is -1). */
    const int16_t s[] = {0, 1, -1, 32767, -32768};
    bb b;
    uint8_t d[10];
    for (int i = 0; i < 5; i++) {
        d[2 * i] = (uint8_t)((uint16_t)s[i] & 0xFF);
        d[2 * i + 1] = (uint8_t)((uint16_t)s[i] >> 8);
    }
    simple_wav(&b, 1, 1, 16, d, sizeof d);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    objr_bwf_format fm;
    ck_assert_int_eq(objr_bwf_get_format(f, &fm), OBJR_OK);
    ck_assert_uint_eq(fm.n_channels, 1);
    ck_assert_uint_eq(fm.sample_rate_hz, 48000);
    ck_assert_uint_eq(fm.n_frames, 5);
    ck_assert_uint_eq(fm.bits_per_sample, 16);
    ck_assert_int_eq(fm.sample_format, OBJR_BWF_SAMPLE_PCM16);
    ck_assert_int_eq(fm.container, OBJR_BWF_CONTAINER_RIFF);
    float x[5];
    float *ch[1] = {x};
    read_all(f, ch, 5);
    ck_assert(x[0] == 0.0f);
    ck_assert(x[1] == ldexpf(1.0f, -15));
    ck_assert(x[2] == -ldexpf(1.0f, -15));
    ck_assert(x[3] == 1.0f - ldexpf(1.0f, -15));
    ck_assert(x[4] == -1.0f);
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

static void put24(uint8_t *p, int32_t v) {
    uint32_t u = (uint32_t)v;
    p[0] = (uint8_t)u;
    p[1] = (uint8_t)(u >> 8);
    p[2] = (uint8_t)(u >> 16);
}

START_TEST(pcm24_plain_and_extensible) {
    const int32_t s[] = {0, 1, -1, 8388607, -8388608, 4194304};
    uint8_t d[18];
    for (int i = 0; i < 6; i++)
        put24(d + 3 * i, s[i]);
    for (int ext = 0; ext < 2; ext++) {
        bb b;
        memset(&b, 0, sizeof b);
        bb_riff(&b, "RIFF");
        if (ext)
            bb_fmt_ext(&b, 1, 1, 96000, 24, 24, 0x4);
        else
            bb_fmt(&b, 1, 1, 96000, 24);
        bb_chunk(&b, "data", d, sizeof d);
        bb_finish_riff(&b);
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        objr_bwf_format fm;
        objr_bwf_get_format(f, &fm);
        ck_assert_uint_eq(fm.sample_rate_hz, 96000);
        ck_assert_uint_eq(fm.n_frames, 6);
        ck_assert_uint_eq(fm.format_tag, ext ? 0xFFFE : 1);
        ck_assert_uint_eq(fm.channel_mask, ext ? 4 : 0);
        ck_assert_uint_eq(fm.valid_bits, 24);
        float x[6];
        float *ch[1] = {x};
        read_all(f, ch, 6);
        ck_assert(x[0] == 0.0f);
        ck_assert(x[1] == ldexpf(1.0f, -23)); /* one LSB */
        ck_assert(x[2] == -ldexpf(1.0f, -23));
        ck_assert(x[3] == 1.0f - ldexpf(1.0f, -23));
        ck_assert(x[4] == -1.0f);
        ck_assert(x[5] == 0.5f);
        objr_bwf_close(f);
        bb_free(&b);
    }
}
END_TEST

/* Plain PCM with 20 significant bits in 3-byte containers (some recorders write this). */
START_TEST(pcm20_in_24bit_container) {
    uint8_t d[6];
    put24(d, 0x100000); /* 2^20 as a 24-bit container value */
    put24(d + 3, -16);  /* 20-bit LSB -1 sits at bit 4 of the container */
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 20); /* block align = 3 */
    bb_chunk(&b, "data", d, sizeof d);
    bb_finish_riff(&b);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_int_eq(fm.sample_format, OBJR_BWF_SAMPLE_PCM24);
    ck_assert_uint_eq(fm.valid_bits, 20);
    float x[2];
    float *ch[1] = {x};
    read_all(f, ch, 2);
    ck_assert(x[0] == 0.125f);             /* 2^20 / 2^23 */
    ck_assert(x[1] == -ldexpf(1.0f, -19)); /* -16 / 2^23 = one 20-bit LSB */
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

START_TEST(pcm32_pcm8_float_formats) {
    /* PCM32: INT32_MIN -> -1, 1 -> 2^-31, 2^30 -> 0.5 */
    {
        const int32_t s[] = {INT32_MIN, 1, 1 << 30, -(1 << 30)};
        bb b;
        uint8_t d[16];
        for (int i = 0; i < 4; i++)
            objr__wr_u32(d + 4 * i, (uint32_t)s[i]);
        simple_wav(&b, 1, 1, 32, d, sizeof d);
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        float x[4];
        float *ch[1] = {x};
        read_all(f, ch, 4);
        ck_assert(x[0] == -1.0f);
        ck_assert(x[1] == ldexpf(1.0f, -31));
        ck_assert(x[2] == 0.5f);
        ck_assert(x[3] == -0.5f);
        objr_bwf_close(f);
        bb_free(&b);
    }
    /* PCM8 unsigned: 128 = 0, 0 = -1, 255 = 127/128 */
    {
        const uint8_t d[] = {128, 0, 255, 129};
        bb b;
        simple_wav(&b, 1, 1, 8, d, sizeof d);
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        float x[4];
        float *ch[1] = {x};
        read_all(f, ch, 4);
        ck_assert(x[0] == 0.0f);
        ck_assert(x[1] == -1.0f);
        ck_assert(x[2] == 127.0f / 128.0f);
        ck_assert(x[3] == 1.0f / 128.0f);
        objr_bwf_close(f);
        bb_free(&b);
    }
    /* float32 plain and extensible: bit-exact copies, including values beyond +-1 */
    const float v[] = {0.25f, -1.5f, 3.0e-8f, 1.0f};
    for (int ext = 0; ext < 2; ext++) {
        uint8_t d[16];
        for (int i = 0; i < 4; i++) {
            uint32_t u;
            memcpy(&u, &v[i], 4);
            objr__wr_u32(d + 4 * i, u);
        }
        bb b;
        memset(&b, 0, sizeof b);
        bb_riff(&b, "RIFF");
        if (ext)
            bb_fmt_ext(&b, 3, 2, 48000, 32, 32, 0x3);
        else
            bb_fmt(&b, 3, 2, 48000, 32);
        bb_chunk(&b, "data", d, sizeof d);
        bb_finish_riff(&b);
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        objr_bwf_format fm;
        objr_bwf_get_format(f, &fm);
        ck_assert_int_eq(fm.sample_format, OBJR_BWF_SAMPLE_FLOAT32);
        ck_assert_uint_eq(fm.n_frames, 2);
        float l[2], r[2];
        float *ch[2] = {l, r};
        read_all(f, ch, 2);
        ck_assert(l[0] == v[0] && r[0] == v[1] && l[1] == v[2] && r[1] == v[3]);
        objr_bwf_close(f);
        bb_free(&b);
    }
    /* float64 -> float32 rounding */
    {
        const double dv[] = {0.125, -0.75};
        uint8_t d[16];
        for (int i = 0; i < 2; i++) {
            uint64_t u;
            memcpy(&u, &dv[i], 8);
            objr__wr_u64(d + 8 * i, u);
        }
        bb b;
        simple_wav(&b, 3, 1, 64, d, sizeof d);
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        float x[2];
        float *ch[1] = {x};
        read_all(f, ch, 2);
        ck_assert(x[0] == 0.125f && x[1] == -0.75f);
        objr_bwf_close(f);
        bb_free(&b);
    }
}
END_TEST

/* Channel c, frame i holds the 24-bit integer c * 1000 + i: checks the deinterleave over
 * many channels and across the reader's internal block and tile boundaries. */
START_TEST(many_channels_deinterleave_and_seek) {
    const unsigned nch = 37;
    const size_t nfr = 9000; /* > one 256 KiB read block at 111 bytes per frame */
    size_t n = nch * nfr * 3;
    uint8_t *d = malloc(n);
    for (size_t i = 0; i < nfr; i++)
        for (unsigned c = 0; c < nch; c++)
            put24(d + (i * nch + c) * 3, (int32_t)(c * 1000 + i) * (c % 2 ? -1 : 1));
    bb b;
    simple_wav(&b, 1, nch, 24, d, n);
    free(d);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    float *buf[37];
    for (unsigned c = 0; c < nch; c++)
        buf[c] = malloc(nfr * sizeof(float));
    /* Read in uneven pieces. */
    size_t done = 0, step = 1;
    while (done < nfr) {
        float *at[37];
        for (unsigned c = 0; c < nch; c++)
            at[c] = buf[c] + done;
        size_t got;
        ck_assert_int_eq(objr_bwf_read_f32(f, at, step, &got), OBJR_OK);
        ck_assert_uint_gt(got, 0);
        done += got;
        step = step * 3 + 1;
    }
    for (unsigned c = 0; c < nch; c++)
        for (size_t i = 0; i < nfr; i += 7)
            ck_assert(buf[c][i] == (float)((double)(c * 1000 + i) * (c % 2 ? -1 : 1) / 8388608.0));
    /* At the end: OK with zero frames. */
    size_t got = 5;
    ck_assert_int_eq(objr_bwf_read_f32(f, buf, 10, &got), OBJR_OK);
    ck_assert_uint_eq(got, 0);
    /* Seek back and read one frame. */
    ck_assert_int_eq(objr_bwf_seek_frame(f, 4321), OBJR_OK);
    float one[37];
    float *po[37];
    for (unsigned c = 0; c < nch; c++)
        po[c] = &one[c];
    ck_assert_int_eq(objr_bwf_read_f32(f, po, 1, &got), OBJR_OK);
    ck_assert_uint_eq(got, 1);
    ck_assert(one[5] == (float)(-(5.0 * 1000 + 4321) / 8388608.0));
    ck_assert_int_eq(objr_bwf_seek_frame(f, nfr + 1), OBJR_ERR_RANGE);
    ck_assert_str_ne(objr_bwf_last_error(f), "");
    ck_assert_int_eq(objr_bwf_seek_frame(f, nfr), OBJR_OK);
    for (unsigned c = 0; c < nch; c++)
        free(buf[c]);
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

/* RF64 and BW64: every u32 size 0xFFFFFFFF, real sizes in ds64 (data) and its table (axml). */
START_TEST(rf64_bw64_ds64) {
    const char *magics[] = {"RF64", "BW64"};
    for (int k = 0; k < 2; k++) {
        uint8_t d[12];
        for (int i = 0; i < 6; i++)
            objr__wr_u16(d + 2 * i, (uint16_t)(i * 1000));
        const char xml[] = "<ebuCoreMain/>";
        bb b;
        memset(&b, 0, sizeof b);
        bb_id(&b, magics[k]);
        bb_u32(&b, 0xFFFFFFFFu);
        bb_id(&b, "WAVE");
        bb_id(&b, "ds64");
        bb_u32(&b, 28 + 12);
        size_t riff_at = b.n;
        bb_u64(&b, 0);        /* riff size, patched */
        bb_u64(&b, sizeof d); /* data size */
        bb_u64(&b, 3);        /* sample count */
        bb_u32(&b, 1);        /* table length */
        bb_id(&b, "axml");
        bb_u64(&b, sizeof xml - 1);
        bb_fmt(&b, 1, 2, 48000, 16);
        bb_id(&b, "data");
        bb_u32(&b, 0xFFFFFFFFu);
        bb_put(&b, d, sizeof d);
        bb_id(&b, "axml");
        bb_u32(&b, 0xFFFFFFFFu);
        bb_put(&b, xml, sizeof xml - 1);
        bb_u8(&b, 0); /* pad (14 is even, so this is trailing junk, tolerated) */
        uint64_t riff = b.n - 8;
        for (int i = 0; i < 8; i++)
            b.p[riff_at + (size_t)i] = (uint8_t)(riff >> (8 * i));
        memio m;
        objr_diag dg;
        objr_bwf *f;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        objr_bwf_format fm;
        objr_bwf_get_format(f, &fm);
        ck_assert_int_eq(fm.container, k ? OBJR_BWF_CONTAINER_BW64 : OBJR_BWF_CONTAINER_RF64);
        ck_assert_uint_eq(fm.n_frames, 3);
        ck_assert_uint_eq(fm.data_bytes, 12);
        const uint8_t *ax;
        size_t axn;
        objr_bwf_get_axml(f, &ax, &axn);
        ck_assert_uint_eq(axn, sizeof xml - 1);
        ck_assert(memcmp(ax, xml, axn) == 0);
        float l[3], r[3];
        float *ch[2] = {l, r};
        read_all(f, ch, 3);
        ck_assert(r[2] == 5000.0f / 32768.0f);
        objr_bwf_close(f);
        /* Without the table entry the axml size is unknown: a clear error. */
        b.p[riff_at + 24] = 0; /* table length 0 */
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_ERR_FORMAT);
        ck_assert_ptr_null(f);
        ck_assert_str_eq(dg.element_id, "axml");
        bb_free(&b);
    }
}
END_TEST

START_TEST(rf64_without_ds64_rejected) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RF64");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_ERR_FORMAT);
    ck_assert_uint_eq(dg.byte_offset, 12);
    ck_assert(strstr(dg.message, "ds64") != NULL);
    bb_free(&b);
}
END_TEST

/* chna/axml after data, odd-size chunks with pad bytes, odd data, trailing junk. */
START_TEST(chunk_order_odd_sizes_trailing_junk) {
    uint8_t d[9];
    for (int i = 0; i < 3; i++)
        put24(d + 3 * i, (i + 1) * 256);
    bb chna;
    memset(&chna, 0, sizeof chna);
    bb_u16(&chna, 1);
    bb_u16(&chna, 1);
    bb_chna_id(&chna, 1, "ATU_00000001", "AT_00010003_01", "AP_00010001", 0);
    const char xml[] = "<?xml version=\"1.0\"?><ebuCoreMain/>";
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_chunk(&b, "JUNK", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 28);
    bb_fmt(&b, 1, 1, 48000, 24);
    bb_chunk(&b, "iXML", "<a/>x", 5);  /* odd: pad byte follows */
    bb_chunk(&b, "data", d, sizeof d); /* odd data size */
    bb_chunk(&b, "chna", chna.p, chna.n);
    bb_chunk(&b, "axml", xml, sizeof xml); /* includes the NUL terminator: odd, padded */
    bb_finish_riff(&b);
    bb_put(&b, "\0\0\0\0\0\0\0", 7); /* trailing zeros */
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    ck_assert_uint_eq(objr_bwf_chunk_count(f), 6);
    const char *ids[] = {"JUNK", "fmt ", "iXML", "data", "chna", "axml"};
    for (size_t i = 0; i < 6; i++) {
        objr_bwf_chunk c;
        ck_assert_int_eq(objr_bwf_get_chunk(f, i, &c), OBJR_OK);
        ck_assert_str_eq(c.id, ids[i]);
    }
    objr_bwf_chunk c;
    objr_bwf_get_chunk(f, 2, &c);
    ck_assert_uint_eq(c.size, 5);
    ck_assert(memcmp(c.data, "<a/>x", 5) == 0);
    ck_assert_int_eq(objr_bwf_get_chunk(f, 6, &c), OBJR_ERR_INVALID_ARG);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_uint_eq(fm.n_frames, 3);
    const uint8_t *ax;
    size_t axn;
    objr_bwf_get_axml(f, &ax, &axn);
    ck_assert_uint_eq(axn, sizeof xml - 1); /* trailing NUL trimmed */
    ck_assert_uint_eq(objr_bwf_chna_count(f), 1);
    objr_bwf_chna_entry e;
    ck_assert_int_eq(objr_bwf_get_chna_entry(f, 0, &e), OBJR_OK);
    ck_assert_str_eq(e.uid, "ATU_00000001");
    ck_assert_str_eq(e.pack_ref, "AP_00010001");
    /* Once the model is read the axml text is released (mix sources do, to keep memory
     * independent of the programme's length): no text, the chunk listed without data, the
     * rest of the file intact; a second release is harmless (ASan: no double free). */
    objr__bwf_release_axml(f);
    objr__bwf_release_axml(f);
    objr_bwf_get_axml(f, &ax, &axn);
    ck_assert_ptr_null(ax);
    ck_assert_uint_eq(axn, 0);
    ck_assert_int_eq(objr_bwf_get_chunk(f, 5, &c), OBJR_OK);
    ck_assert_str_eq(c.id, "axml");
    ck_assert_ptr_null(c.data);
    ck_assert_uint_eq(objr_bwf_chna_count(f), 1);
    float x[3];
    float *ch[1] = {x};
    read_all(f, ch, 3);
    ck_assert(x[2] == 768.0f / 8388608.0f);
    objr_bwf_close(f);

    /* A printable garbage id after the last chunk that claims more than the file: error. */
    b.n -= 7;
    bb_put(&b, "zzzz\x10\0\0\0", 8);
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_ERR_TRUNCATED);
    ck_assert_str_eq(dg.element_id, "zzzz");
    bb_free(&b);
    bb_free(&chna);
}
END_TEST

/* A writer that forgot the pad byte after an odd chunk: the next id is found one byte early. */
START_TEST(missing_pad_byte_tolerated) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_id(&b, "LIST");
    bb_u32(&b, 3);
    bb_put(&b, "abc", 3); /* no pad byte */
    bb_chunk(&b, "data", "\1\0\2\0", 4);
    bb_finish_riff(&b);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_uint_eq(fm.n_frames, 2);
    ck_assert_uint_eq(objr_bwf_chunk_count(f), 3);
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

START_TEST(chna_quirks) {
    bb chna;
    memset(&chna, 0, sizeof chna);
    bb_u16(&chna, 7); /* numTracks wrong on purpose */
    bb_u16(&chna, 5);
    bb_chna_id(&chna, 1, "ATU_00000001", "AT_00031001_01", "AP_00031001", ' ');
    bb_chna_id(&chna, 0, "", "", "", 0); /* unused slot */
    bb_chna_id(&chna, 2, "ATU_0000000a", "AT_0003100a_01", "AP_0003100a", 0);
    bb_chna_id(&chna, 2, "ATU_0000000B", "AC_0003100B_00", "", 0); /* 2nd UID on track 2 */
    bb_chna_id(&chna, 0, "ATU_00000009", "AT_00031009_01", "AP_00031009", ' ');
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 2, 48000, 16);
    bb_chunk(&b, "chna", chna.p, chna.n);
    bb_chunk(&b, "data", "\0\0\0\0", 4);
    bb_finish_riff(&b);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    ck_assert_uint_eq(objr_bwf_chna_count(f), 3);
    const objr__chna *c = objr__bwf_chna(f);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->n_tracks_declared, 7);
    ck_assert_uint_eq(c->n_entries, 3);
    ck_assert_uint_eq(c->entries[0].track_index, 1);
    ck_assert_str_eq(c->entries[0].uid, "ATU_00000001"); /* space padding trimmed */
    ck_assert_str_eq(c->entries[0].track_ref, "AT_00031001_01");
    ck_assert_str_eq(c->entries[0].pack_ref, "AP_00031001");
    ck_assert_str_eq(c->entries[1].uid, "ATU_0000000a"); /* lower-case hex kept */
    ck_assert_uint_eq(c->entries[2].track_index, 2);
    ck_assert_str_eq(c->entries[2].track_ref, "AC_0003100B_00");
    ck_assert_str_eq(c->entries[2].pack_ref, "");
    objr_bwf_close(f);
    bb_free(&b);

    /* numUIDs beyond the payload: truncated, named with the chna offset. */
    chna.p[2] = 9;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 2, 48000, 16);
    size_t chna_at = b.n;
    bb_chunk(&b, "chna", chna.p, chna.n);
    bb_chunk(&b, "data", "\0\0\0\0", 4);
    bb_finish_riff(&b);
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_ERR_TRUNCATED);
    ck_assert_str_eq(dg.element_id, "chna");
    ck_assert_uint_eq(dg.byte_offset, chna_at);
    bb_free(&b);
    bb_free(&chna);
}
END_TEST

START_TEST(chna_serialize_round_trip) {
    objr__chna_entry e[3];
    memset(e, 0, sizeof e);
    e[0].track_index = 1;
    strcpy(e[0].uid, "ATU_00000001");
    strcpy(e[0].track_ref, "AT_00010001_01");
    strcpy(e[0].pack_ref, "AP_00010002");
    e[1] = e[0];
    e[1].track_index = 2;
    strcpy(e[1].uid, "ATU_00000002");
    e[2] = e[1];
    strcpy(e[2].uid, "ATU_00000003"); /* second UID on track 2 */
    uint8_t *p;
    size_t n;
    ck_assert_int_eq(objr__chna_serialize(e, 3, &p, &n), OBJR_OK);
    ck_assert_uint_eq(n, 4 + 3 * 40);
    ck_assert_uint_eq(objr__rd_u16(p), 2); /* numTracks = distinct tracks */
    ck_assert_uint_eq(objr__rd_u16(p + 2), 3);
    ck_assert(memcmp(p + 4 + 2, "ATU_00000001", 12) == 0);
    ck_assert_uint_eq(p[4 + 39], 0);
    objr__chna c;
    ck_assert_int_eq(objr__chna_parse(p, n, 0, NULL, &c), OBJR_OK);
    ck_assert_uint_eq(c.n_entries, 3);
    ck_assert(memcmp(c.entries, e, sizeof e) == 0);
    objr__chna_free(&c);
    free(p);
}
END_TEST

static void bext_payload(bb *p, unsigned version, const char *history) {
    memset(p, 0, sizeof *p);
    char desc[256] = "A description";
    bb_put(p, desc, 256);
    char orig[32] = "objrender test";
    bb_put(p, orig, 32);
    char ref[32] = "REF123";
    bb_put(p, ref, 32);
    bb_put(p, "2026-11-25", 10);
    bb_put(p, "12-34-56", 8);
    bb_u64(p, 48000ull * 3600 * 5);
    bb_u16(p, version);
    uint8_t umid[64];
    for (int i = 0; i < 64; i++)
        umid[i] = (uint8_t)i;
    bb_put(p, umid, 64);
    bb_u16(p, (uint16_t)(int16_t)-2300); /* -23.00 LUFS */
    bb_u16(p, 750);                      /* 7.50 LU */
    bb_u16(p, (uint16_t)(int16_t)-100);  /* -1.00 dBTP */
    bb_u16(p, 0x7FFF);                   /* not set */
    bb_u16(p, (uint16_t)(int16_t)-1800);
    bb_zero(p, 180);
    bb_put(p, history, strlen(history));
}

START_TEST(bext_v2_parsed) {
    bb pay;
    bext_payload(&pay, 2, "A=PCM,F=48000,W=24,M=mono\r\n");
    ck_assert_uint_eq(pay.n, 602 + 27);
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_chunk(&b, "bext", pay.p, pay.n);
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    bb_finish_riff(&b);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    const objr_bwf_bext *x;
    ck_assert_int_eq(objr_bwf_get_bext(f, &x), OBJR_OK);
    ck_assert_ptr_nonnull(x);
    ck_assert_str_eq(x->description, "A description");
    ck_assert_str_eq(x->originator, "objrender test");
    ck_assert_str_eq(x->originator_reference, "REF123");
    ck_assert_str_eq(x->origination_date, "2026-11-25");
    ck_assert_str_eq(x->origination_time, "12-34-56");
    ck_assert_uint_eq(x->time_reference_frames, 48000ull * 3600 * 5);
    ck_assert_uint_eq(x->version, 2);
    ck_assert_uint_eq(x->umid[63], 63);
    ck_assert_double_eq_tol(x->loudness_value_lufs, -23.0, 1e-9);
    ck_assert_double_eq_tol(x->loudness_range_lu, 7.5, 1e-9);
    ck_assert_double_eq_tol(x->max_true_peak_level_dbtp, -1.0, 1e-9);
    ck_assert(isnan(x->max_momentary_loudness_lufs));
    ck_assert_double_eq_tol(x->max_short_term_loudness_lufs, -18.0, 1e-9);
    ck_assert_str_eq(x->coding_history, "A=PCM,F=48000,W=24,M=mono\r\n");
    objr_bwf_close(f);
    bb_free(&b);
    bb_free(&pay);

    /* Version 1: loudness fields are reserved bytes -> NaN. A short bext is truncated. */
    bext_payload(&pay, 1, "");
    objr_bwf_bext out;
    char *hist;
    ck_assert_int_eq(objr__bext_parse(pay.p, pay.n, 0, NULL, &out, &hist), OBJR_OK);
    ck_assert(isnan(out.loudness_value_lufs));
    ck_assert_str_eq(out.coding_history, "");
    free(hist);
    objr_diag dg2;
    objr_diag_clear(&dg2);
    ck_assert_int_eq(objr__bext_parse(pay.p, 100, 777, &dg2, &out, &hist), OBJR_ERR_TRUNCATED);
    ck_assert_uint_eq(dg2.byte_offset, 777);
    bb_free(&pay);
}
END_TEST

START_TEST(unknown_chunks_kept_opaque) {
    uint8_t dbmd[37];
    for (int i = 0; i < 37; i++)
        dbmd[i] = (uint8_t)(i * 7);
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    bb_chunk(&b, "dbmd", dbmd, sizeof dbmd);
    bb_chunk(&b, "XYZW", "hello", 5);
    bb_finish_riff(&b);
    memio m;
    objr_diag dg;
    objr_bwf *f;
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    objr_bwf_chunk c;
    ck_assert_int_eq(objr_bwf_get_chunk(f, 2, &c), OBJR_OK);
    ck_assert_str_eq(c.id, "dbmd");
    ck_assert_uint_eq(c.size, 37);
    ck_assert(memcmp(c.data, dbmd, 37) == 0);
    ck_assert_int_eq(objr_bwf_get_chunk(f, 3, &c), OBJR_OK);
    ck_assert_str_eq(c.id, "XYZW");
    ck_assert(memcmp(c.data, "hello", 5) == 0);
    /* data is never loaded */
    ck_assert_int_eq(objr_bwf_get_chunk(f, 1, &c), OBJR_OK);
    ck_assert_ptr_null(c.data);
    const uint8_t *ax;
    size_t axn = 9;
    objr_bwf_get_axml(f, &ax, &axn);
    ck_assert_ptr_null(ax);
    ck_assert_uint_eq(axn, 0);
    ck_assert_uint_eq(objr_bwf_chna_count(f), 0);
    ck_assert_ptr_null(objr__bwf_chna(f));
    const objr_bwf_bext *bx;
    objr_bwf_get_bext(f, &bx);
    ck_assert_ptr_null(bx);
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

/* ---- bad input ---- */

static objr_status open_expect(const bb *b, objr_status want, const char *chunk_id, size_t offset) {
    memio m;
    objr_diag dg;
    objr_bwf *f = (objr_bwf *)(uintptr_t)1;
    objr_status st = open_mem(b, &m, &dg, &f);
    ck_assert_msg(st == want, "status %d (%s), want %d: %s", st, objr_strerror(st), want,
                  dg.message);
    ck_assert_ptr_null(f);
    ck_assert_str_ne(dg.message, "");
    if (chunk_id)
        ck_assert_str_eq(dg.element_id, chunk_id);
    if (offset != (size_t)-2)
        ck_assert_uint_eq(dg.byte_offset, offset);
    return st;
}

START_TEST(truncated_and_oversized_chunks) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    size_t ax_at = b.n;
    bb_id(&b, "axml");
    bb_u32(&b, 1000);
    bb_put(&b, "<a/>", 4);
    open_expect(&b, OBJR_ERR_TRUNCATED, "axml", ax_at);
    bb_free(&b);

    /* data claims more than the file holds (a file cut short): the whole frames that are
     * there are read (400 bytes / 4 bytes per stereo 16-bit frame = 100), the shortfall is
     * reported; the file is not refused */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 2, 48000, 16);
    bb_id(&b, "data");
    bb_u32(&b, 4000000);
    bb_zero(&b, 400);
    {
        memio m;
        objr_diag dg;
        objr_bwf *f = NULL;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        objr_bwf_format fm;
        ck_assert_int_eq(objr_bwf_get_format(f, &fm), OBJR_OK);
        ck_assert_uint_eq(fm.n_frames, 100);
        ck_assert_uint_eq(objr__bwf_data_bytes_missing(f), 4000000 - 400);
        objr_bwf_close(f);
    }
    bb_free(&b);

    /* one byte short: 4 stereo 16-bit frames declared (16 bytes), 15 present: 3 whole frames */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 2, 48000, 16);
    bb_id(&b, "data");
    bb_u32(&b, 16);
    bb_zero(&b, 15);
    {
        memio m;
        objr_diag dg;
        objr_bwf *f = NULL;
        ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
        objr_bwf_format fm;
        ck_assert_int_eq(objr_bwf_get_format(f, &fm), OBJR_OK);
        ck_assert_uint_eq(fm.n_frames, 3);
        ck_assert_uint_eq(objr__bwf_data_bytes_missing(f), 1);
        objr_bwf_close(f);
    }
    bb_free(&b);

    /* axml larger than the configured limit */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    ax_at = b.n;
    bb_chunk(&b, "axml", "<ebuCoreMain></ebuCoreMain>", 27);
    bb_chunk(&b, "data", "\0\0", 2);
    memio m;
    memset(&m, 0, sizeof m);
    m.p = b.p;
    m.n = b.n;
    objr_bwf_read_config cfg = objr_bwf_read_config_default();
    ck_assert_uint_eq(cfg.max_axml_bytes, INT32_MAX); /* the XML reader's bound */
    cfg.max_axml_bytes = 16;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_io(&memio_cb, &m, &cfg, &dg, &f), OBJR_ERR_LIMIT);
    ck_assert_str_eq(dg.element_id, "axml");
    ck_assert_uint_eq(dg.byte_offset, ax_at);
    /* unknown chunks above the limit are skipped, not fatal */
    cfg = objr_bwf_read_config_default();
    cfg.max_chunk_bytes = 8;
    b.p[ax_at] = 'q';
    m.pos = 0;
    ck_assert_int_eq(objr_bwf_open_io(&memio_cb, &m, &cfg, &dg, &f), OBJR_OK);
    objr_bwf_chunk c;
    objr_bwf_get_chunk(f, 1, &c);
    ck_assert_str_eq(c.id, "qxml");
    ck_assert_ptr_null(c.data);
    objr_bwf_close(f);
    /* chunk count limit */
    cfg = objr_bwf_read_config_default();
    cfg.max_chunks = 2;
    m.pos = 0;
    ck_assert_int_eq(objr_bwf_open_io(&memio_cb, &m, &cfg, &dg, &f), OBJR_ERR_LIMIT);
    bb_free(&b);

    /* 0xFFFFFFFF data size in a plain RIFF (unpatched streaming writer): to end of file */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_id(&b, "data");
    bb_u32(&b, 0xFFFFFFFFu);
    bb_zero(&b, 20);
    ck_assert_int_eq(open_mem(&b, &m, &dg, &f), OBJR_OK);
    objr_bwf_format fm;
    objr_bwf_get_format(f, &fm);
    ck_assert_uint_eq(fm.n_frames, 10);
    objr_bwf_close(f);
    bb_free(&b);

    /* I/O failure while reading audio: error, partial count, handle still usable */
    memset(&b, 0, sizeof b);
    simple_wav(&b, 1, 1, 16, "\1\0\2\0\3\0", 6);
    memset(&m, 0, sizeof m);
    m.p = b.p;
    m.n = b.n;
    ck_assert_int_eq(objr_bwf_open_io(&memio_cb, &m, NULL, NULL, &f), OBJR_OK);
    m.fail_reads_after = m.n_reads = 1; /* next read fails */
    float x[3];
    float *ch[1] = {x};
    size_t got = 7;
    ck_assert_int_eq(objr_bwf_read_f32(f, ch, 3, &got), OBJR_ERR_IO);
    ck_assert_uint_eq(got, 0);
    ck_assert(strstr(objr_bwf_last_error(f), "byte") != NULL);
    objr_bwf_close(f);
    bb_free(&b);
}
END_TEST

START_TEST(bad_formats_rejected) {
    bb b;
    size_t fmt_at = 12;
    /* zero channels */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 0, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* absurd channel count (above the 4096 default limit) */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 60000, 48000, 8);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_LIMIT, "fmt ", fmt_at);
    bb_free(&b);
    /* absurd bit depths */
    const unsigned bad_bits[] = {0, 40, 48, 64, 1000};
    for (size_t i = 0; i < sizeof bad_bits / sizeof *bad_bits; i++) {
        memset(&b, 0, sizeof b);
        bb_riff(&b, "RIFF");
        bb_fmt(&b, 1, 2, 48000, bad_bits[i]);
        bb_chunk(&b, "data", "\0\0\0\0", 4);
        open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
        bb_free(&b);
    }
    /* float with 16 bits */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 3, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* ADPCM tag: unsupported (audio_io falls back to libsndfile for these) */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 2, 1, 48000, 4);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_UNSUPPORTED, "fmt ", fmt_at);
    bb_free(&b);
    /* block align mismatch */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 2, 48000, 16);
    b.p[fmt_at + 8 + 12] = 3;
    bb_chunk(&b, "data", "\0\0\0\0", 4);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* extensible with valid bits above the container, and with a foreign GUID */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt_ext(&b, 1, 1, 48000, 16, 24, 0);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    b.p[fmt_at + 8 + 18] = 16;
    b.p[fmt_at + 8 + 39] = 0x72; /* GUID tail mismatch */
    open_expect(&b, OBJR_ERR_UNSUPPORTED, "fmt ", fmt_at);
    bb_free(&b);
    /* extensible tag with a 16-byte fmt */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 0xFFFE, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* sample rate 0 */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 0, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* missing data, missing fmt, not RIFF, not WAVE, too short */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    open_expect(&b, OBJR_ERR_FORMAT, "data", (size_t)-2);
    bb_free(&b);
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", (size_t)-2);
    bb_free(&b);
    memset(&b, 0, sizeof b);
    bb_riff(&b, "FORM");
    bb_fmt(&b, 1, 1, 48000, 16);
    open_expect(&b, OBJR_ERR_FORMAT, NULL, 0);
    b.p[0] = 'R', b.p[1] = 'I', b.p[2] = 'F', b.p[3] = 'F';
    b.p[8] = 'A';
    open_expect(&b, OBJR_ERR_FORMAT, NULL, 8);
    b.n = 5;
    open_expect(&b, OBJR_ERR_FORMAT, NULL, 0);
    bb_free(&b);
    /* binary chunk id before fmt/data */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_chunk(&b, "\x01\x02\x03\x04", "ab", 2);
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, NULL, 12);
    bb_free(&b);
    /* fmt with an absurd declared size */
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_id(&b, "fmt ");
    bb_u32(&b, 8);
    bb_zero(&b, 8);
    bb_chunk(&b, "data", "\0\0", 2);
    open_expect(&b, OBJR_ERR_FORMAT, "fmt ", fmt_at);
    bb_free(&b);
    /* missing callbacks */
    objr_bwf_io none = {NULL, NULL, NULL};
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_io(&none, NULL, NULL, NULL, &f), OBJR_ERR_INVALID_ARG);
    /* file API: missing file names the path */
    objr_diag dg;
    objr_diag_clear(&dg);
    ck_assert_int_eq(objr_bwf_open_file("/nonexistent/x.wav", NULL, &dg, &f), OBJR_ERR_IO);
    ck_assert(strstr(dg.message, "/nonexistent/x.wav") != NULL);
}
END_TEST

START_TEST(open_file_prefixes_path) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 0, 48000, 16);
    bb_chunk(&b, "data", "\0\0", 2);
    char path[512];
    snprintf(path, sizeof path, "%s/zero_channels.wav", objr_test_tmpdir());
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fwrite(b.p, 1, b.n, fp);
    fclose(fp);
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf *f;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, &dg, &f), OBJR_ERR_FORMAT);
    ck_assert(strncmp(dg.message, path, strlen(path)) == 0);
    ck_assert(strstr(dg.message, "0 channels") != NULL);
    ck_assert_uint_eq(dg.byte_offset, 12);
    remove(path);
    bb_free(&b);
}
END_TEST

START_TEST(alloc_failures_are_clean) {
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb chna;
    memset(&chna, 0, sizeof chna);
    bb_u16(&chna, 1);
    bb_u16(&chna, 1);
    bb_chna_id(&chna, 1, "ATU_00000001", "AT_00010003_01", "AP_00010001", 0);
    bb_chunk(&b, "chna", chna.p, chna.n);
    bb_chunk(&b, "axml", "<a/>", 4);
    bb_chunk(&b, "data", "\0\0", 2);
    bb_finish_riff(&b);
    int ok_seen = 0;
    for (long n = 1; n < 40 && !ok_seen; n++) {
        memio m;
        objr_diag dg;
        objr_bwf *f;
        objr__alloc_fail_after(n);
        objr_status st = open_mem(&b, &m, &dg, &f);
        objr__alloc_fail_after(0);
        if (st == OBJR_OK) {
            ok_seen = 1;
            objr_bwf_close(f);
        } else {
            ck_assert_int_eq(st, OBJR_ERR_NOMEM);
            ck_assert_ptr_null(f);
        }
    }
    ck_assert(ok_seen);
    bb_free(&b);
    bb_free(&chna);
}
END_TEST

/* A large axml of a file opened by path is mapped, not copied: the bytes are the file's, a NUL
 * follows them whether the chunk ends inside a page or exactly at a page boundary at the end
 * of the file, and releasing the text leaves the file readable. */
static void mapped_axml_case(size_t pad) {
    const size_t n = OBJR__FILEMAP_MIN_BYTES + pad;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + (i * 7 + i / 4093) % 26);
    bb b;
    memset(&b, 0, sizeof b);
    bb_riff(&b, "RIFF");
    bb_fmt(&b, 1, 1, 48000, 16);
    bb_chunk(&b, "data", "\1\0\2\0", 4);
    bb_chunk(&b, "axml", text, n);
    bb_finish_riff(&b);
    char path[512];
    snprintf(path, sizeof path, "%s/mapped_axml_%zu.wav", objr_test_tmpdir(), pad);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(b.p, 1, b.n, fp), b.n);
    fclose(fp);
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_file(path, NULL, &dg, &f), OBJR_OK);
    const uint8_t *ax = NULL;
    size_t ax_n = 0;
    ck_assert_int_eq(objr_bwf_get_axml(f, &ax, &ax_n), OBJR_OK);
    ck_assert_uint_eq(ax_n, n);
    ck_assert_ptr_nonnull(objr__bwf_axml_map(f));
    ck_assert(memcmp(ax, text, n) == 0);
    ck_assert_int_eq(ax[n], 0);
    /* pages given back read again from the file */
    objr__filemap_release(objr__bwf_axml_map(f), n);
    ck_assert(memcmp(ax, text, n) == 0);
    ck_assert_int_eq(ax[n], 0);
    float s[2], *ch[1] = {s};
    read_all(f, ch, 2);
    ck_assert(s[0] > 0.0f && s[1] > s[0]);
    objr__bwf_release_axml(f);
    ck_assert_int_eq(objr_bwf_get_axml(f, &ax, &ax_n), OBJR_OK);
    ck_assert_ptr_null(ax);
    objr_bwf_close(f);
    remove(path);
    free(text);
    bb_free(&b);
}

START_TEST(large_axml_mapped) {
    /* header 12 + fmt 24 + data 12 + axml header 8 = 56 bytes before the text: 4040 more makes
     * the file end at a page boundary (the NUL then comes from the page reserved after it) */
    mapped_axml_case(4096 - 56);
    mapped_axml_case(1001); /* odd: the chunk has a pad byte, the NUL is inside its page */
}
END_TEST

static Suite *bwf_suite(void) {
    Suite *s = suite_create("bwf");
    TCase *t = tcase_create("read");
    tcase_add_test(t, pcm16_exact_scaling);
    tcase_add_test(t, pcm24_plain_and_extensible);
    tcase_add_test(t, pcm20_in_24bit_container);
    tcase_add_test(t, pcm32_pcm8_float_formats);
    tcase_add_test(t, many_channels_deinterleave_and_seek);
    tcase_add_test(t, rf64_bw64_ds64);
    tcase_add_test(t, rf64_without_ds64_rejected);
    tcase_add_test(t, chunk_order_odd_sizes_trailing_junk);
    tcase_add_test(t, missing_pad_byte_tolerated);
    tcase_add_test(t, chna_quirks);
    tcase_add_test(t, chna_serialize_round_trip);
    tcase_add_test(t, bext_v2_parsed);
    tcase_add_test(t, unknown_chunks_kept_opaque);
    tcase_add_test(t, large_axml_mapped);
    suite_add_tcase(s, t);
    TCase *bad = tcase_create("bad_input");
    tcase_add_test(bad, truncated_and_oversized_chunks);
    tcase_add_test(bad, bad_formats_rejected);
    tcase_add_test(bad, open_file_prefixes_path);
    tcase_add_test(bad, alloc_failures_are_clean);
    suite_add_tcase(s, bad);
    return s;
}

OBJR_TEST_MAIN(bwf_suite)
