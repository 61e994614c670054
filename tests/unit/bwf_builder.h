/* SPDX-License-Identifier: BSD-3-Clause */
/* Byte-level WAVE builder and memory I/O for the BWF tests: every file these tests read is
 * assembled here field by field (EBU Tech 3285/3306, BS.2088 layouts), independent of the
 * library's writer. Header-only, test use only. */
#ifndef OBJR_TESTS_UNIT_BWF_BUILDER_H
#define OBJR_TESTS_UNIT_BWF_BUILDER_H

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_bwf.h"

typedef struct bb {
    uint8_t *p;
    size_t n, cap;
} bb;

static inline void bb_put(bb *b, const void *d, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        ck_assert_ptr_nonnull(b->p);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->n, d, n);
    b->n += n;
}
static inline void bb_u8(bb *b, unsigned v) {
    uint8_t x = (uint8_t)v;
    bb_put(b, &x, 1);
}
static inline void bb_u16(bb *b, unsigned v) {
    bb_u8(b, v & 0xFF);
    bb_u8(b, (v >> 8) & 0xFF);
}
static inline void bb_u32(bb *b, uint32_t v) {
    for (int i = 0; i < 4; i++)
        bb_u8(b, (v >> (8 * i)) & 0xFF);
}
static inline void bb_u64(bb *b, uint64_t v) {
    bb_u32(b, (uint32_t)v);
    bb_u32(b, (uint32_t)(v >> 32));
}
static inline void bb_id(bb *b, const char *id) {
    bb_put(b, id, 4);
}
static inline void bb_zero(bb *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        bb_u8(b, 0);
}
static inline void bb_set_u32(bb *b, size_t at, uint32_t v) {
    for (int i = 0; i < 4; i++)
        b->p[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}
static inline void bb_free(bb *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}
/* A chunk with its real size, plus the pad byte when odd. */
static inline void bb_chunk(bb *b, const char *id, const void *d, size_t n) {
    bb_id(b, id);
    bb_u32(b, (uint32_t)n);
    bb_put(b, d, n);
    if (n & 1)
        bb_u8(b, 0);
}
/* "RIFF" + size placeholder + "WAVE"; fix the size with bb_finish_riff(). */
static inline void bb_riff(bb *b, const char *magic) {
    bb_id(b, magic);
    bb_u32(b, 0);
    bb_id(b, "WAVE");
}
static inline void bb_finish_riff(bb *b) {
    bb_set_u32(b, 4, (uint32_t)(b->n - 8));
}
/* Plain fmt (16 bytes) with the given tag. */
static inline void bb_fmt(bb *b, unsigned tag, unsigned ch, uint32_t rate, unsigned bits) {
    unsigned bytes = (bits + 7) / 8;
    bb_id(b, "fmt ");
    bb_u32(b, 16);
    bb_u16(b, tag);
    bb_u16(b, ch);
    bb_u32(b, rate);
    bb_u32(b, rate * ch * bytes);
    bb_u16(b, ch * bytes);
    bb_u16(b, bits);
}
/* WAVE_FORMAT_EXTENSIBLE fmt (40 bytes) with sub-format tag 1 (PCM) or 3 (float). */
static inline void bb_fmt_ext(bb *b, unsigned sub, unsigned ch, uint32_t rate, unsigned bits,
                              unsigned valid, uint32_t mask) {
    static const uint8_t tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                     0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    unsigned bytes = bits / 8;
    bb_id(b, "fmt ");
    bb_u32(b, 40);
    bb_u16(b, 0xFFFE);
    bb_u16(b, ch);
    bb_u32(b, rate);
    bb_u32(b, rate * ch * bytes);
    bb_u16(b, ch * bytes);
    bb_u16(b, bits);
    bb_u16(b, 22);
    bb_u16(b, valid);
    bb_u32(b, mask);
    bb_u16(b, sub);
    bb_put(b, tail, sizeof tail);
}
/* One 40-byte chna audioID with explicit padding byte. */
static inline void bb_chna_id(bb *b, unsigned track, const char *uid, const char *tref,
                              const char *pref, uint8_t pad) {
    uint8_t rec[40];
    memset(rec, pad, sizeof rec);
    rec[0] = (uint8_t)track;
    rec[1] = (uint8_t)(track >> 8);
    memcpy(rec + 2, uid, strlen(uid) < 12 ? strlen(uid) : 12);
    memcpy(rec + 14, tref, strlen(tref) < 14 ? strlen(tref) : 14);
    memcpy(rec + 28, pref, strlen(pref) < 11 ? strlen(pref) : 11);
    bb_put(b, rec, sizeof rec);
}

/* Memory stream for objr_bwf_open_io. */
typedef struct memio {
    const uint8_t *p;
    size_t n, pos;
    int fail_reads_after; /* >0: reads beyond this many calls fail */
    int n_reads;
} memio;

static inline size_t memio_read(void *u, void *buf, size_t n) {
    memio *m = u;
    if (m->fail_reads_after > 0 && ++m->n_reads > m->fail_reads_after)
        return 0;
    size_t k = m->pos < m->n ? m->n - m->pos : 0;
    if (k > n)
        k = n;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    return k;
}
static inline int memio_seek(void *u, int64_t off, int whence) {
    memio *m = u;
    int64_t base = whence == 2 ? (int64_t)m->n : 0;
    if (base + off < 0)
        return -1;
    m->pos = (size_t)(base + off);
    return 0;
}
static inline int64_t memio_tell(void *u) {
    return (int64_t)((memio *)u)->pos;
}
static const objr_bwf_io memio_cb = {memio_read, memio_seek, memio_tell};

static inline objr_status open_mem(const bb *b, memio *m, objr_diag *d, objr_bwf **f) {
    memset(m, 0, sizeof *m);
    m->p = b->p;
    m->n = b->n;
    objr_diag_clear(d);
    return objr_bwf_open_io(&memio_cb, m, NULL, d, f);
}

#endif /* OBJR_TESTS_UNIT_BWF_BUILDER_H */
