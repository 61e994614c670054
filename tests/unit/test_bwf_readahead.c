/* SPDX-License-Identifier: BSD-3-Clause */
/* The BWF reader's read-ahead buffer (formats/bwf_read.c): any pattern of read sizes and seeks
 * returns exactly the samples the `data` chunk holds (24-bit two's complement over 2^23, by
 * definition), across many buffer refills; and a stream that ends early after open still
 * delivers every whole request before the end, then a clear I/O error. */
#include "common/test_common.h"

#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"

#define N_CH 5
#define N_FRAMES 200003 /* several 256 KiB read-ahead buffers and an odd tail */
#define HEADER_BYTES 44

typedef struct mem_stream {
    const uint8_t *data;
    size_t size;  /* what seek/tell report */
    size_t limit; /* bytes actually readable (< size: the file shrank after open) */
    size_t pos;
} mem_stream;

static size_t ms_read(void *user, void *buf, size_t n) {
    mem_stream *m = user;
    size_t end = m->limit < m->size ? m->limit : m->size;
    size_t k = m->pos >= end ? 0 : (end - m->pos < n ? end - m->pos : n);
    memcpy(buf, m->data + m->pos, k);
    m->pos += k;
    return k;
}
static int ms_seek(void *user, int64_t off, int whence) {
    mem_stream *m = user;
    int64_t base = whence == 2 ? (int64_t)m->size : 0;
    if (base + off < 0 || base + off > (int64_t)m->size)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}
static int64_t ms_tell(void *user) {
    return (int64_t)((mem_stream *)user)->pos;
}

static void put_u16(uint8_t *p, unsigned v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A plain RIFF/WAVE, PCM 24-bit, N_CH x N_FRAMES of random bytes. */
static uint8_t *make_wave(size_t *size) {
    const size_t data = (size_t)N_FRAMES * N_CH * 3;
    *size = HEADER_BYTES + data + (data & 1);
    uint8_t *w = calloc(*size, 1);
    ck_assert_ptr_nonnull(w);
    memcpy(w, "RIFF", 4);
    put_u32(w + 4, (uint32_t)(*size - 8));
    memcpy(w + 8, "WAVEfmt ", 8);
    put_u32(w + 16, 16);
    put_u16(w + 20, 1);
    put_u16(w + 22, N_CH);
    put_u32(w + 24, 48000);
    put_u32(w + 28, 48000u * N_CH * 3);
    put_u16(w + 32, N_CH * 3);
    put_u16(w + 34, 24);
    memcpy(w + 36, "data", 4);
    put_u32(w + 40, (uint32_t)data);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (size_t i = 0; i < data; i++)
        w[HEADER_BYTES + i] = (uint8_t)(objr_test_rng_uniform(&r) * 256.0);
    return w;
}

static double expected(const uint8_t *wave, size_t frame, size_t ch) {
    const uint8_t *b = wave + HEADER_BYTES + (frame * N_CH + ch) * 3;
    long v = (long)b[0] | ((long)b[1] << 8) | ((long)b[2] << 16);
    if (v >= 0x800000L)
        v -= 0x1000000L;
    return (double)v / 8388608.0;
}

static float buf[N_CH][N_FRAMES];

static void check_span(const uint8_t *wave, size_t first, size_t n) {
    for (size_t c = 0; c < N_CH; c++)
        for (size_t i = 0; i < n; i++)
            if ((double)buf[c][i] != expected(wave, first + i, c))
                ck_abort_msg("frame %zu ch %zu: %a vs %a", first + i, c, (double)buf[c][i],
                             expected(wave, first + i, c));
}

START_TEST(any_read_sizes_and_seeks) {
    size_t size;
    uint8_t *wave = make_wave(&size);
    static const objr_bwf_io io = {ms_read, ms_seek, ms_tell};
    float *ptrs[N_CH];
    for (int c = 0; c < N_CH; c++)
        ptrs[c] = buf[c];
    static const size_t chunks[] = {1, 7, 256, 1000, 20011, N_FRAMES};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        mem_stream m = {wave, size, size, 0};
        objr_bwf *f = NULL;
        ck_assert_int_eq(objr_bwf_open_io(&io, &m, NULL, NULL, &f), OBJR_OK);
        size_t pos = 0, got = 0;
        do {
            ck_assert_int_eq(objr_bwf_read_f32(f, ptrs, chunks[k], &got), OBJR_OK);
            check_span(wave, pos, got);
            pos += got;
        } while (got == chunks[k]);
        ck_assert_uint_eq(pos, N_FRAMES);
        objr_bwf_close(f);
    }
    /* Seeks backwards and forwards, inside and outside the buffered span. */
    mem_stream m = {wave, size, size, 0};
    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_io(&io, &m, NULL, NULL, &f), OBJR_OK);
    objr_test_rng r;
    objr_test_rng_init(&r);
    for (int t = 0; t < 200; t++) {
        size_t at = (size_t)(objr_test_rng_uniform(&r) * N_FRAMES);
        size_t n = 1 + (size_t)(objr_test_rng_uniform(&r) * 40000.0);
        size_t got = 0;
        ck_assert_int_eq(objr_bwf_seek_frame(f, at), OBJR_OK);
        ck_assert_int_eq(objr_bwf_read_f32(f, ptrs, n, &got), OBJR_OK);
        ck_assert_uint_eq(got, n < N_FRAMES - at ? n : N_FRAMES - at);
        check_span(wave, at, got);
        if (t % 3 == 0 && at > 10) { /* just behind: served from the same buffer */
            ck_assert_int_eq(objr_bwf_seek_frame(f, at - 10), OBJR_OK);
            ck_assert_int_eq(objr_bwf_read_f32(f, ptrs, 20, &got), OBJR_OK);
            check_span(wave, at - 10, got);
        }
    }
    objr_bwf_close(f);
    free(wave);
}
END_TEST

START_TEST(stream_shorter_than_declared) {
    size_t size;
    uint8_t *wave = make_wave(&size);
    static const objr_bwf_io io = {ms_read, ms_seek, ms_tell};
    float *ptrs[N_CH];
    for (int c = 0; c < N_CH; c++)
        ptrs[c] = buf[c];
    const size_t avail_frames = 30017, req = 100;
    /* The header says N_FRAMES, but only avail_frames (and a partial frame) can be read. */
    mem_stream m = {wave, size, HEADER_BYTES + avail_frames * N_CH * 3 + 4, 0};
    objr_bwf *f = NULL;
    ck_assert_int_eq(objr_bwf_open_io(&io, &m, NULL, NULL, &f), OBJR_OK);
    size_t pos = 0, got = 0;
    objr_status st;
    while ((st = objr_bwf_read_f32(f, ptrs, req, &got)) == OBJR_OK && got == req) {
        check_span(wave, pos, got);
        pos += got;
    }
    ck_assert_int_eq(st, OBJR_ERR_IO);
    ck_assert_uint_eq(pos, avail_frames / req * req);
    ck_assert_ptr_nonnull(strstr(objr_bwf_last_error(f), "cannot read"));
    objr_bwf_close(f);
    free(wave);
}
END_TEST

static Suite *bwf_readahead_suite(void) {
    Suite *s = suite_create("bwf_readahead");
    TCase *tc = tcase_create("readahead");
    tcase_add_test(tc, any_read_sizes_and_seeks);
    tcase_add_test(tc, stream_shorter_than_declared);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(bwf_readahead_suite)
