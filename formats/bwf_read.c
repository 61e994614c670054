/* SPDX-License-Identifier: BSD-3-Clause */
/* BWF reader: RIFF/WAVE, RF64 (EBU Tech 3306) and BW64 (ITU-R BS.2088) with ds64, `fmt `
 * (PCM, IEEE float, WAVE_FORMAT_EXTENSIBLE), chna/axml/bext (EBU Tech 3285), opaque chunks,
 * and block-wise decoding of `data` to planar float32. Chunk sizes are untrusted. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bwf_internal.h"
#include "objrender/objr_outfile.h"

#define WAVE_FORMAT_PCM 0x0001
#define WAVE_FORMAT_IEEE_FLOAT 0x0003
#define WAVE_FORMAT_ALAW 0x0006
#define WAVE_FORMAT_MULAW 0x0007
#define WAVE_FORMAT_EXTENSIBLE 0xFFFE
/* fmt: 16 bytes plain, 18 with cbSize, 40 extensible; anything beyond 4 KiB is not a fmt. */
#define FMT_MIN_BYTES 16
#define FMT_EXTENSIBLE_BYTES 40
#define FMT_MAX_BYTES 4096
#define DS64_TABLE_ENTRY_BYTES 12
/* The largest axml read: the XML reader takes at most 2 GiB - 1. An axml of a file opened by
 * path is mapped, not copied (a 4-minute session with automation every 512 samples is over
 * 600 MB of text); one read through callbacks is copied, and copies stop at 256 MiB. */
#define MAX_AXML_BYTES ((uint64_t)INT32_MAX)
#define MAX_COPIED_AXML_BYTES ((uint64_t)256 << 20)

/* Decode block: about 256 KiB of interleaved data per read call. */
#define READ_BLOCK_BYTES (256u * 1024u)
/* Deinterleave tile: frames per tile so a tile of input stays in L1. */
#define DECODE_TILE_BYTES (16u * 1024u)
#define DECODE_TILE_ALIGN 8u
#define MAX_SAMPLE_RATE_HZ 16000000u

/* KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 trailing bytes after the 16-bit format tag. */
static const uint8_t ksdataformat_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                              0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

typedef struct ds64_entry {
    char id[4];
    uint64_t size;
} ds64_entry;

struct objr_bwf {
    objr_bwf_io io;
    void *user;
    FILE *owned_file;
    objr_bwf_read_config cfg;
    objr_bwf_format fmt;
    unsigned sample_bytes;
    size_t block_align;
    uint64_t file_size;
    uint64_t io_pos; /* UINT64_MAX when unknown */
    objr_bwf_chunk *chunks;
    size_t n_chunks, cap_chunks;
    const uint8_t *axml;
    size_t axml_size;
    objr__filemap axml_map; /* the axml mapped from the file instead of copied (base NULL: not) */
    objr__chna chna;
    int has_chna;
    objr_bwf_bext bext;
    char *bext_history;
    int has_bext;
    int has_ds64;
    uint64_t ds64_riff_size, ds64_data_size;
    ds64_entry *ds64_table;
    size_t ds64_n;
    objr__pcmdsp pcm; /* sample conversion kernels, chosen at open */
    uint8_t *buf;
    size_t buf_frames;
    /* Read-ahead: buf holds frames [buf_first, buf_first + buf_count) of `data`, so that small
     * read calls do not each cost a system call (buf_count 0: empty). */
    uint64_t buf_first;
    size_t buf_count;
    uint64_t pos_frame;
    uint64_t data_missing; /* bytes of `data` declared but absent from the file */
    char last_error[OBJR_DIAG_MESSAGE_SIZE];
};

objr_bwf_read_config objr_bwf_read_config_default(void) {
    objr_bwf_read_config c;
    memset(&c, 0, sizeof c);
    c.max_axml_bytes = MAX_AXML_BYTES;
    c.max_chunk_bytes = (uint64_t)64 << 20;
    c.max_channels = 4096;
    c.max_chunks = 65536;
    c.keep_unknown_chunks = 1;
    return c;
}

unsigned objr__bwf_sample_bytes(objr_bwf_sample_format fmt) {
    switch (fmt) {
    case OBJR_BWF_SAMPLE_PCM8:
        return 1;
    case OBJR_BWF_SAMPLE_PCM16:
        return 2;
    case OBJR_BWF_SAMPLE_PCM24:
        return 3;
    case OBJR_BWF_SAMPLE_PCM32:
        return 4;
    case OBJR_BWF_SAMPLE_FLOAT32:
        return 4;
    case OBJR_BWF_SAMPLE_FLOAT64:
        return 8;
    }
    return 0;
}

/* ---- decoding kernels: one channel of a tile, input stride = bytes per frame ---- */

static void dec_pcm8(const uint8_t *restrict p, size_t stride, float *restrict o, size_t n) {
    for (size_t i = 0; i < n; i++, p += stride)
        o[i] = (float)((int)p[0] - 128) * (1.0f / 128.0f);
}
static void dec_pcm16(const uint8_t *restrict p, size_t stride, float *restrict o, size_t n) {
    for (size_t i = 0; i < n; i++, p += stride)
        o[i] = (float)(int16_t)(uint16_t)(p[0] | (p[1] << 8)) * (1.0f / 32768.0f);
}
static void dec_pcm32(const uint8_t *restrict p, size_t stride, float *restrict o, size_t n) {
    for (size_t i = 0; i < n; i++, p += stride)
        o[i] = (float)(int32_t)objr__rd_u32(p) * (1.0f / 2147483648.0f);
}
static void dec_f32(const uint8_t *restrict p, size_t stride, float *restrict o, size_t n) {
    for (size_t i = 0; i < n; i++, p += stride) {
        uint32_t u = objr__rd_u32(p);
        memcpy(&o[i], &u, sizeof u);
    }
}
static void dec_f64(const uint8_t *restrict p, size_t stride, float *restrict o, size_t n) {
    for (size_t i = 0; i < n; i++, p += stride) {
        uint64_t u = objr__rd_u64(p);
        double d;
        memcpy(&d, &u, sizeof d);
        o[i] = (float)d;
    }
}

void objr__bwf_decode(const objr__pcmdsp *dsp, objr_bwf_sample_format fmt, const uint8_t *in,
                      size_t n_channels, size_t n_frames, float *const *out, size_t at) {
    size_t bytes = objr__bwf_sample_bytes(fmt);
    size_t stride = bytes * n_channels;
    size_t tile = DECODE_TILE_BYTES / stride;
    /* Whole steps of the widest vector kernel (8 frames) per tile, at least one. */
    tile = tile < DECODE_TILE_ALIGN ? DECODE_TILE_ALIGN : tile - tile % DECODE_TILE_ALIGN;
    if (fmt == OBJR_BWF_SAMPLE_PCM24) {
        /* The s24 kernel deinterleaves all channels of a tile (src/dsp/pcm.h). */
        for (size_t t0 = 0; t0 < n_frames; t0 += tile) {
            size_t n = n_frames - t0 < tile ? n_frames - t0 : tile;
            dsp->s24_to_f32(in + t0 * stride, n_channels, n, out, at + t0);
        }
        return;
    }
    void (*k)(const uint8_t *restrict, size_t, float *restrict, size_t) = dec_f32;
    switch (fmt) {
    case OBJR_BWF_SAMPLE_PCM8:
        k = dec_pcm8;
        break;
    case OBJR_BWF_SAMPLE_PCM16:
        k = dec_pcm16;
        break;
    case OBJR_BWF_SAMPLE_PCM24:
        break; /* handled above */
    case OBJR_BWF_SAMPLE_PCM32:
        k = dec_pcm32;
        break;
    case OBJR_BWF_SAMPLE_FLOAT32:
        k = dec_f32;
        break;
    case OBJR_BWF_SAMPLE_FLOAT64:
        k = dec_f64;
        break;
    }
    for (size_t t0 = 0; t0 < n_frames; t0 += tile) {
        size_t n = n_frames - t0 < tile ? n_frames - t0 : tile;
        const uint8_t *base = in + t0 * stride;
        for (size_t c = 0; c < n_channels; c++)
            k(base + c * bytes, stride, out[c] + at + t0, n);
    }
}

/* ---- I/O ---- */

static objr_status read_at(objr_bwf *f, uint64_t off, void *buf, size_t n) {
    if (f->io_pos != off) {
        if (off > INT64_MAX || f->io.seek(f->user, (int64_t)off, 0) != 0) {
            f->io_pos = UINT64_MAX;
            return OBJR_ERR_IO;
        }
        f->io_pos = off;
    }
    size_t got = f->io.read(f->user, buf, n);
    if (got != n) {
        f->io_pos = UINT64_MAX;
        return OBJR_ERR_IO;
    }
    f->io_pos = off + n;
    return OBJR_OK;
}

static void id_text(char out[5], const uint8_t *id) {
    for (int i = 0; i < 4; i++)
        out[i] = (id[i] >= 0x20 && id[i] < 0x7F) ? (char)id[i] : '?';
    out[4] = 0;
}

static int id_is(const char id[5], const char *s) {
    return memcmp(id, s, 4) == 0;
}

static int id_printable(const uint8_t *id) {
    for (int i = 0; i < 4; i++)
        if (id[i] < 0x20 || id[i] >= 0x7F)
            return 0;
    return 1;
}

/* The sample format from the format tag (@p sub: the SubFormat's for WAVE_FORMAT_EXTENSIBLE)
 * and bits per sample; only PCM and IEEE float are read. @p o: the fmt chunk's offset. */
static objr_status sample_format_of(uint16_t tag, uint16_t sub, uint16_t bits, size_t o,
                                    objr_bwf_sample_format *sf, objr_diag *diag) {
    if (sub == WAVE_FORMAT_PCM) {
        switch (bits) {
        case 8:
            *sf = OBJR_BWF_SAMPLE_PCM8;
            break;
        case 16:
            *sf = OBJR_BWF_SAMPLE_PCM16;
            break;
        case 24:
            *sf = OBJR_BWF_SAMPLE_PCM24;
            break;
        case 32:
            *sf = OBJR_BWF_SAMPLE_PCM32;
            break;
        default:
            /* Plain PCM may give the significant bits (e.g. 20) in wBitsPerSample. */
            if (tag == WAVE_FORMAT_PCM && bits > 0 && bits < 32 && bits % 8 != 0) {
                *sf = (objr_bwf_sample_format)(OBJR_BWF_SAMPLE_PCM8 + (bits + 7) / 8 - 1);
                break;
            }
            return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                                  "fmt chunk at byte %zu: %u bits per PCM sample is not "
                                  "supported (8, 16, 24, 32)",
                                  o, (unsigned)bits);
        }
    } else if (sub == WAVE_FORMAT_IEEE_FLOAT) {
        if (bits == 32)
            *sf = OBJR_BWF_SAMPLE_FLOAT32;
        else if (bits == 64)
            *sf = OBJR_BWF_SAMPLE_FLOAT64;
        else
            return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                                  "fmt chunk at byte %zu: %u bits per float sample (need 32 "
                                  "or 64)",
                                  o, (unsigned)bits);
    } else if (sub == WAVE_FORMAT_ALAW || sub == WAVE_FORMAT_MULAW) {
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, "fmt ", 0, o,
                              "fmt chunk at byte %zu: %s samples (format tag 0x%04X), not PCM "
                              "or IEEE float",
                              o, sub == WAVE_FORMAT_ALAW ? "A-law" : "mu-law", (unsigned)sub);
    } else {
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, "fmt ", 0, o,
                              "fmt chunk at byte %zu: format tag 0x%04X is not PCM or IEEE "
                              "float",
                              o, (unsigned)sub);
    }
    return OBJR_OK;
}

static objr_status parse_fmt(objr_bwf *f, const uint8_t *p, size_t size, uint64_t off,
                             objr_diag *diag) {
    objr_bwf_format *fm = &f->fmt;
    size_t o = (size_t)off;
    uint16_t tag = objr__rd_u16(p);
    uint16_t n_ch = objr__rd_u16(p + 2);
    uint32_t rate = objr__rd_u32(p + 4);
    uint16_t align = objr__rd_u16(p + 12);
    uint16_t bits = objr__rd_u16(p + 14);
    uint16_t valid = bits;
    uint32_t mask = 0;
    uint16_t sub = tag;
    if (tag == WAVE_FORMAT_EXTENSIBLE) {
        if (size < FMT_EXTENSIBLE_BYTES || objr__rd_u16(p + 16) < 22)
            return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                                  "WAVE_FORMAT_EXTENSIBLE fmt chunk at byte %zu is %zu bytes "
                                  "(cbSize %u), need 40 (cbSize 22)",
                                  o, size, size >= 18 ? objr__rd_u16(p + 16) : 0u);
        valid = objr__rd_u16(p + 18);
        mask = objr__rd_u32(p + 20);
        sub = objr__rd_u16(p + 24);
        if (memcmp(p + 26, ksdataformat_tail, sizeof ksdataformat_tail) != 0)
            return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, "fmt ", 0, o,
                                  "fmt chunk at byte %zu: unsupported SubFormat GUID "
                                  "(not KSDATAFORMAT PCM or IEEE float)",
                                  o);
        if (valid == 0)
            valid = bits; /* some writers leave it 0 */
    }
    if (n_ch == 0)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                              "fmt chunk at byte %zu declares 0 channels", o);
    if (n_ch > f->cfg.max_channels)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "fmt ", 0, o,
                              "fmt chunk at byte %zu declares %u channels (limit %u)", o,
                              (unsigned)n_ch, (unsigned)f->cfg.max_channels);
    if (rate == 0 || rate > MAX_SAMPLE_RATE_HZ)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                              "fmt chunk at byte %zu declares sample rate %lu Hz", o,
                              (unsigned long)rate);
    objr_bwf_sample_format sf = OBJR_BWF_SAMPLE_PCM16; /* set by sample_format_of */
    objr_status st = sample_format_of(tag, sub, bits, o, &sf, diag);
    if (st != OBJR_OK)
        return st;
    unsigned bytes = objr__bwf_sample_bytes(sf);
    if (valid > bytes * 8)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                              "fmt chunk at byte %zu: %u valid bits in a %u-bit sample", o,
                              (unsigned)valid, bytes * 8);
    if ((size_t)align != (size_t)n_ch * bytes)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, o,
                              "fmt chunk at byte %zu: block align %u does not match %u "
                              "channels x %u bytes",
                              o, (unsigned)align, (unsigned)n_ch, bytes);
    fm->sample_format = sf;
    fm->n_channels = n_ch;
    fm->sample_rate_hz = rate;
    fm->bits_per_sample = (uint16_t)(bytes * 8);
    fm->valid_bits = valid;
    fm->format_tag = tag;
    fm->channel_mask = mask;
    f->sample_bytes = bytes;
    f->block_align = align;
    return OBJR_OK;
}

static objr_status parse_ds64(objr_bwf *f, uint64_t pos, objr_diag *diag) {
    uint8_t h[8];
    size_t o = (size_t)pos;
    if (f->file_size < pos + 8 || read_at(f, pos, h, 8) != OBJR_OK)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "ds64", 0, o,
                              "RF64/BW64 file ends before its ds64 chunk at byte %zu", o);
    if (memcmp(h, "ds64", 4) != 0)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "ds64", 0, o,
                              "RF64/BW64 file has no ds64 chunk at byte %zu", o);
    uint32_t size = objr__rd_u32(h + 4);
    if (size < OBJR_BWF_DS64_MIN_BYTES)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "ds64", 0, o,
                              "ds64 chunk at byte %zu is %lu bytes, need at least %d", o,
                              (unsigned long)size, OBJR_BWF_DS64_MIN_BYTES);
    if (size > f->file_size - pos - 8)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "ds64", 0, o,
                              "ds64 chunk at byte %zu claims %lu bytes but the file has %llu", o,
                              (unsigned long)size, (unsigned long long)(f->file_size - pos - 8));
    if (size > f->cfg.max_chunk_bytes)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "ds64", 0, o,
                              "ds64 chunk at byte %zu is %lu bytes (limit %llu)", o,
                              (unsigned long)size, (unsigned long long)f->cfg.max_chunk_bytes);
    uint8_t *p = objr__malloc(size);
    if (!p)
        return OBJR_ERR_NOMEM;
    objr_status st = read_at(f, pos + 8, p, size);
    if (st != OBJR_OK) {
        objr__freep(&p);
        return objr__diag_set(diag, st, "ds64", 0, o, "cannot read ds64 chunk at byte %zu", o);
    }
    f->has_ds64 = 1;
    f->ds64_riff_size = objr__rd_u64(p);
    f->ds64_data_size = objr__rd_u64(p + 8);
    uint32_t table_len = objr__rd_u32(p + 24);
    size_t fit = (size - OBJR_BWF_DS64_MIN_BYTES) / DS64_TABLE_ENTRY_BYTES;
    size_t n = table_len < fit ? table_len : fit; /* never trust the count beyond the chunk */
    if (n) {
        f->ds64_table = objr__calloc(n, sizeof *f->ds64_table);
        if (!f->ds64_table) {
            objr__freep(&p);
            return OBJR_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            const uint8_t *e = p + OBJR_BWF_DS64_MIN_BYTES + i * DS64_TABLE_ENTRY_BYTES;
            memcpy(f->ds64_table[i].id, e, 4);
            f->ds64_table[i].size = objr__rd_u64(e + 4);
        }
        f->ds64_n = n;
    }
    objr__freep(&p);
    return OBJR_OK;
}

static objr_status add_chunk(objr_bwf *f, const char id[5], uint64_t off, uint64_t size,
                             objr_bwf_chunk **out, objr_diag *diag) {
    if (f->n_chunks >= f->cfg.max_chunks)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, id, 0, (size_t)off,
                              "more than %lu chunks (at byte %llu)",
                              (unsigned long)f->cfg.max_chunks, (unsigned long long)off);
    /* Grow by doubling; the count is bounded by max_chunks and by the file size / 8. */
    size_t n = f->n_chunks;
    if (n == f->cap_chunks) {
        size_t cap = n ? n * 2 : 16;
        objr_bwf_chunk *c = objr__realloc_array(f->chunks, cap, sizeof *c);
        if (!c)
            return OBJR_ERR_NOMEM;
        f->chunks = c;
        f->cap_chunks = cap;
    }
    objr_bwf_chunk *c = &f->chunks[n];
    memset(c, 0, sizeof *c);
    memcpy(c->id, id, 5);
    c->offset = off;
    c->size = size;
    f->n_chunks = n + 1;
    *out = c;
    return OBJR_OK;
}

/* Read a chunk payload into memory (size already checked against the file and limits). One
 * extra NUL byte is appended so text payloads are C strings. */
static objr_status load_payload(objr_bwf *f, uint64_t off, uint64_t size, uint8_t **out,
                                const char *id, objr_diag *diag) {
    uint8_t *p = objr__malloc((size_t)size + 1);
    if (!p)
        return OBJR_ERR_NOMEM;
    objr_status st = read_at(f, off + 8, p, (size_t)size);
    if (st != OBJR_OK) {
        objr__freep(&p);
        return objr__diag_set(diag, st, id, 0, (size_t)off, "cannot read %s chunk at byte %llu", id,
                              (unsigned long long)off);
    }
    p[size] = 0;
    *out = p;
    return OBJR_OK;
}

/* The 12-byte RIFF/RF64/BW64 header, and the ds64 chunk that follows in RF64 and BW64. */
static objr_status read_riff_header(objr_bwf *f, objr_diag *diag) {
    uint8_t h[12];
    if (f->file_size < 12 || read_at(f, 0, h, 12) != OBJR_OK)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "RIFF", 0, 0,
                              "not a WAVE file: shorter than the 12-byte RIFF header");
    if (memcmp(h, "RIFF", 4) == 0)
        f->fmt.container = OBJR_BWF_CONTAINER_RIFF;
    else if (memcmp(h, "RF64", 4) == 0)
        f->fmt.container = OBJR_BWF_CONTAINER_RF64;
    else if (memcmp(h, "BW64", 4) == 0)
        f->fmt.container = OBJR_BWF_CONTAINER_BW64;
    else
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "RIFF", 0, 0,
                              "not a WAVE file: starts with neither RIFF, RF64 nor BW64");
    if (memcmp(h + 8, "WAVE", 4) != 0)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "WAVE", 0, 8,
                              "not a WAVE file: form type at byte 8 is not WAVE");
    if (f->fmt.container != OBJR_BWF_CONTAINER_RIFF)
        return parse_ds64(f, 12, diag);
    return OBJR_OK;
}

/* The chunk's real size: its 32-bit size, or (0xFFFFFFFF) the one ds64 gives; a data chunk
 * cut short by the end of the file keeps the whole frames that are there. @p avail: the bytes
 * after the chunk header. */
static objr_status chunk_size(objr_bwf *f, const uint8_t h[8], const char *id, size_t o,
                              uint64_t avail, int have_data, uint64_t *out, objr_diag *diag) {
    uint32_t size32 = objr__rd_u32(h + 4);
    uint64_t size = size32;
    if (size32 == OBJR_BWF_SIZE_IN_DS64) {
        int found = 0;
        if (f->has_ds64 && id_is(id, "data")) {
            size = f->ds64_data_size;
            found = 1;
        } else if (f->has_ds64) {
            for (size_t i = 0; i < f->ds64_n; i++)
                if (memcmp(f->ds64_table[i].id, h, 4) == 0) {
                    size = f->ds64_table[i].size;
                    found = 1;
                    break;
                }
        } else if (id_is(id, "data")) {
            /* A plain RIFF written by a streaming writer that never patched the size:
             * the data runs to the end of the file. */
            size = avail;
            found = 1;
        }
        if (!found)
            return objr__diag_set(diag, OBJR_ERR_FORMAT, id, 0, o,
                                  "chunk '%s' at byte %zu has size 0xFFFFFFFF but no ds64 "
                                  "entry gives its real size",
                                  id, o);
    }
    if (size > avail && id_is(id, "data") && !have_data) {
        /* A file cut short (a copy or a recorder that stopped): the whole frames that are
         * there are audio; the caller reports the shortfall. */
        f->data_missing = size - avail;
        size = avail;
    }
    if (size > avail)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, id, 0, o,
                              "chunk '%s' at byte %zu claims %llu bytes but only %llu "
                              "remain in the file",
                              id, o, (unsigned long long)size, (unsigned long long)avail);
    *out = size;
    return OBJR_OK;
}

static size_t file_read(void *user, void *buf, size_t n);

/* A large axml of a file opened by path is mapped in place (*out NULL: read it instead); a copy
 * over MAX_COPIED_AXML_BYTES is refused. */
static objr_status map_axml(objr_bwf *f, uint64_t pos, uint64_t size, uint8_t **out,
                            objr_diag *diag) {
    *out = NULL;
    FILE *fp = f->io.read == file_read ? f->user : NULL; /* opened by path */
    if (size >= OBJR__FILEMAP_MIN_BYTES && fp &&
        objr__filemap_open(fileno(fp), pos + 8, (size_t)size, &f->axml_map) == OBJR_OK) {
        *out = (uint8_t *)f->axml_map.data;
        return OBJR_OK;
    }
    if (size > MAX_COPIED_AXML_BYTES)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "axml", 0, (size_t)pos,
                              "axml chunk at byte %llu is %llu bytes: larger than %llu bytes "
                              "cannot be read except from a file opened by its path",
                              (unsigned long long)pos, (unsigned long long)size,
                              (unsigned long long)MAX_COPIED_AXML_BYTES);
    return OBJR_OK;
}

/* A metadata chunk (axml, chna, bext; others with keep_unknown_chunks): its payload is loaded
 * into @p c, and the first axml, chna and bext are parsed. */
static objr_status load_metadata_chunk(objr_bwf *f, objr_bwf_chunk *c, const char *id, uint64_t pos,
                                       uint64_t size, objr_diag *diag) {
    objr_status st;
    size_t o = (size_t)pos;
    int is_axml = id_is(id, "axml");
    int known = is_axml || id_is(id, "chna") || id_is(id, "bext");
    uint64_t limit = is_axml ? f->cfg.max_axml_bytes : f->cfg.max_chunk_bytes;
    if (size > limit || size > SIZE_MAX - 1) {
        if (known)
            return objr__diag_set(diag, OBJR_ERR_LIMIT, id, 0, o,
                                  "%s chunk at byte %zu is %llu bytes (limit %llu)", id, o,
                                  (unsigned long long)size, (unsigned long long)limit);
        return OBJR_OK;
    }
    if (!known && !f->cfg.keep_unknown_chunks)
        return OBJR_OK;
    uint8_t *p = NULL;
    if (is_axml && !f->axml && (st = map_axml(f, pos, size, &p, diag)) != OBJR_OK)
        return st;
    if (!p && (st = load_payload(f, pos, size, &p, id, diag)) != OBJR_OK)
        return st;
    c->data = p;
    if (is_axml && !f->axml) {
        size_t n = (size_t)size;
        while (n > 0 && p[n - 1] == 0)
            n--; /* tolerate NUL padding */
        f->axml = p;
        f->axml_size = n;
    } else if (id_is(id, "chna") && !f->has_chna) {
        if ((st = objr__chna_parse(p, (size_t)size, pos, diag, &f->chna)) != OBJR_OK)
            return st;
        f->has_chna = 1;
    } else if (id_is(id, "bext") && !f->has_bext) {
        if ((st = objr__bext_parse(p, (size_t)size, pos, diag, &f->bext, &f->bext_history)) !=
            OBJR_OK)
            return st;
        f->has_bext = 1;
    }
    return OBJR_OK;
}

/* One chunk by its id: the first fmt is parsed, the first data located, structural and filler
 * chunks only listed, the rest loaded as metadata. */
static objr_status take_chunk(objr_bwf *f, objr_bwf_chunk *c, const char *id, uint64_t pos,
                              uint64_t size, int *have_fmt, int *have_data, objr_diag *diag) {
    objr_status st;
    size_t o = (size_t)pos;
    if (id_is(id, "fmt ")) {
        if (*have_fmt)
            return OBJR_OK;
        if (size < FMT_MIN_BYTES || size > FMT_MAX_BYTES)
            return objr__diag_set(diag, OBJR_ERR_FORMAT, id, 0, o,
                                  "fmt chunk at byte %zu is %llu bytes (need 16..%d)", o,
                                  (unsigned long long)size, FMT_MAX_BYTES);
        uint8_t fb[FMT_MAX_BYTES];
        if ((st = read_at(f, pos + 8, fb, (size_t)size)) != OBJR_OK)
            return objr__diag_set(diag, st, id, 0, o, "cannot read fmt chunk at %zu", o);
        if ((st = parse_fmt(f, fb, (size_t)size, pos, diag)) != OBJR_OK)
            return st;
        *have_fmt = 1;
    } else if (id_is(id, "data")) {
        if (!*have_data) {
            f->fmt.data_offset = pos + 8;
            f->fmt.data_bytes = size;
            *have_data = 1;
        }
    } else if (id_is(id, "ds64") || id_is(id, "JUNK") || id_is(id, "junk") || id_is(id, "FLLR") ||
               id_is(id, "PAD ") || id_is(id, "fact")) {
        /* structural or filler: listed, not kept */
    } else {
        return load_metadata_chunk(f, c, id, pos, size, diag);
    }
    return OBJR_OK;
}

static objr_status scan_chunks(objr_bwf *f, objr_diag *diag) {
    objr_status st = read_riff_header(f, diag);
    if (st != OBJR_OK)
        return st;
    uint8_t h[8];
    int have_fmt = 0, have_data = 0, prev_odd = 0;
    uint64_t pos = 12;
    while (f->file_size - pos >= 8) {
        size_t o = (size_t)pos;
        if ((st = read_at(f, pos, h, 8)) != OBJR_OK)
            return objr__diag_set(diag, st, NULL, 0, o, "cannot read chunk header at byte %zu", o);
        if (!id_printable(h) && prev_odd) {
            /* Some writers omit the pad byte after an odd-sized chunk: the next id then
             * starts one byte earlier (libsndfile tolerates this too). */
            uint8_t h2[8];
            if (read_at(f, pos - 1, h2, 8) == OBJR_OK && id_printable(h2)) {
                memcpy(h, h2, 8);
                pos--;
                o = (size_t)pos;
            }
        }
        char id[5];
        id_text(id, h);
        if (!id_printable(h)) {
            if (have_fmt && have_data)
                break; /* trailing junk after the last chunk: tolerated */
            return objr__diag_set(diag, OBJR_ERR_FORMAT, id, 0, o,
                                  "invalid chunk id (non-ASCII bytes) at byte %zu", o);
        }
        uint64_t size = 0;
        if ((st = chunk_size(f, h, id, o, f->file_size - pos - 8, have_data, &size, diag)) !=
            OBJR_OK)
            return st;
        objr_bwf_chunk *c = NULL;
        if ((st = add_chunk(f, id, pos, size, &c, diag)) != OBJR_OK)
            return st;
        if ((st = take_chunk(f, c, id, pos, size, &have_fmt, &have_data, diag)) != OBJR_OK)
            return st;
        /* Word alignment: an odd-sized chunk is followed by one pad byte (may be missing at
         * the very end of the file). */
        uint64_t next = pos + 8 + size + (size & 1);
        if (next > f->file_size)
            break;
        prev_odd = (int)(size & 1);
        pos = next;
    }
    if (!have_fmt)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, (size_t)-1,
                              "WAVE file has no fmt chunk");
    if (!have_data)
        return objr__diag_set(diag, OBJR_ERR_FORMAT, "data", 0, (size_t)-1,
                              "WAVE file has no data chunk");
    f->fmt.n_frames = f->fmt.data_bytes / f->block_align;
    return OBJR_OK;
}

/* A chunk's payload given back: unmapped when it is the mapped axml, else freed. */
static void free_payload(objr_bwf *f, objr_bwf_chunk *c) {
    if (c->data && f->axml_map.base && c->data == (const uint8_t *)f->axml_map.data)
        objr__filemap_close(&f->axml_map);
    else
        free((void *)(uintptr_t)c->data);
    c->data = NULL;
}

void objr__bwf_release_axml(objr_bwf *f) {
    if (!f || !f->axml)
        return;
    for (size_t i = 0; i < f->n_chunks; i++)
        if (f->chunks[i].data == f->axml) {
            free_payload(f, &f->chunks[i]);
        }
    f->axml = NULL;
    f->axml_size = 0;
}

const objr__filemap *objr__bwf_axml_map(const objr_bwf *f) {
    return f && f->axml_map.base && f->axml ? &f->axml_map : NULL;
}

void objr_bwf_close(objr_bwf *f) {
    if (!f)
        return;
    for (size_t i = 0; i < f->n_chunks; i++)
        free_payload(f, &f->chunks[i]);
    objr__freep(&f->chunks);
    objr__chna_free(&f->chna);
    objr__freep(&f->bext_history);
    objr__freep(&f->ds64_table);
    objr__freep(&f->buf);
    if (f->owned_file)
        fclose(f->owned_file);
    free(f);
}

objr_status objr_bwf_open_io(const objr_bwf_io *io, void *user, const objr_bwf_read_config *cfg,
                             objr_diag *diag, objr_bwf **out) {
    *out = NULL;
    if (!io->read || !io->seek || !io->tell)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "objr_bwf_open_io: read, seek and tell callbacks are required");
    objr_bwf *f = objr__calloc(1, sizeof *f);
    if (!f)
        return OBJR_ERR_NOMEM;
    f->io = *io;
    f->user = user;
    f->cfg = cfg ? *cfg : objr_bwf_read_config_default();
    if (f->cfg.max_channels == 0 || f->cfg.max_channels > UINT16_MAX)
        f->cfg.max_channels = UINT16_MAX;
    f->io_pos = UINT64_MAX;
    objr__pcmdsp_init(&f->pcm, objr__cpu_flags());
    objr_status st;
    int64_t sz;
    if (io->seek(user, 0, 2) != 0 || (sz = io->tell(user)) < 0) {
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                            "cannot determine the stream size (not seekable?)");
        goto fail;
    }
    f->file_size = (uint64_t)sz;
    f->io_pos = (uint64_t)sz;
    if ((st = scan_chunks(f, diag)) != OBJR_OK)
        goto fail;
    /* The block buffer depends on the frame size only: bounded by max_channels x 8 bytes. */
    f->buf_frames = READ_BLOCK_BYTES / f->block_align;
    if (f->buf_frames == 0)
        f->buf_frames = 1;
    f->buf = objr__calloc(f->buf_frames * f->block_align + OBJR_BWF_DECODE_HEADROOM, 1);
    if (!f->buf) {
        st = OBJR_ERR_NOMEM;
        goto fail;
    }
    *out = f;
    return OBJR_OK;
fail:
    if (st == OBJR_ERR_NOMEM)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "out of memory while reading WAVE file");
    objr_bwf_close(f);
    return st;
}

/* ---- FILE* callbacks for objr_bwf_open_file ---- */

static size_t file_read(void *user, void *buf, size_t n) {
    return fread(buf, 1, n, (FILE *)user);
}
static int file_seek(void *user, int64_t off, int whence) {
    return fseeko((FILE *)user, (off_t)off, whence == 2 ? SEEK_END : SEEK_SET);
}
static int64_t file_tell(void *user) {
    return (int64_t)ftello((FILE *)user);
}

objr_status objr_bwf_open_file(const char *path, const objr_bwf_read_config *cfg, objr_diag *diag,
                               objr_bwf **out) {
    *out = NULL;
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    int had_msg = diag && diag->message[0];
    static const objr_bwf_io file_io = {file_read, file_seek, file_tell};
    objr_status st = objr_bwf_open_io(&file_io, fp, cfg, diag, out);
    if (st != OBJR_OK) {
        fclose(fp);
        if (diag && !had_msg && diag->message[0]) {
            /* Prefix the path; the composed text is cut to the diag buffer. */
            char msg[2 * OBJR_DIAG_MESSAGE_SIZE + 8];
            int n = snprintf(msg, sizeof msg, "%s: ", path);
            size_t used = n > 0 && (size_t)n < sizeof msg ? (size_t)n : 0;
            snprintf(msg + used, sizeof msg - used, "%s", diag->message);
            memcpy(diag->message, msg, sizeof diag->message - 1);
            diag->message[sizeof diag->message - 1] = 0;
        }
        return st;
    }
    (*out)->owned_file = fp;
    return OBJR_OK;
}

/* ---- queries ---- */

objr_status objr_bwf_get_format(const objr_bwf *f, objr_bwf_format *out) {
    *out = f->fmt;
    return OBJR_OK;
}

objr_status objr_bwf_get_axml(const objr_bwf *f, const uint8_t **data, size_t *size) {
    *data = f->axml;
    *size = f->axml ? f->axml_size : 0;
    return OBJR_OK;
}

size_t objr_bwf_chna_count(const objr_bwf *f) {
    return f->has_chna ? f->chna.n_entries : 0;
}

objr_status objr_bwf_get_chna_entry(const objr_bwf *f, size_t i, objr_bwf_chna_entry *out) {
    if (!f->has_chna || i >= f->chna.n_entries)
        return OBJR_ERR_INVALID_ARG;
    *out = f->chna.entries[i];
    return OBJR_OK;
}

uint64_t objr__bwf_data_bytes_missing(const objr_bwf *f) {
    return f->data_missing;
}

const objr__chna *objr__bwf_chna(const objr_bwf *f) {
    return f->has_chna ? &f->chna : NULL;
}

objr_status objr_bwf_get_bext(const objr_bwf *f, const objr_bwf_bext **out) {
    *out = f->has_bext ? &f->bext : NULL;
    return OBJR_OK;
}

size_t objr_bwf_chunk_count(const objr_bwf *f) {
    return f->n_chunks;
}

objr_status objr_bwf_get_chunk(const objr_bwf *f, size_t i, objr_bwf_chunk *out) {
    if (i >= f->n_chunks)
        return OBJR_ERR_INVALID_ARG;
    *out = f->chunks[i];
    return OBJR_OK;
}

const char *objr_bwf_last_error(const objr_bwf *f) {
    return f ? f->last_error : "";
}

/* ---- audio ---- */

objr_status objr_bwf_seek_frame(objr_bwf *f, uint64_t frame) {
    if (frame > f->fmt.n_frames) {
        snprintf(f->last_error, sizeof f->last_error,
                 "seek to frame %llu beyond the end (%llu frames)", (unsigned long long)frame,
                 (unsigned long long)f->fmt.n_frames);
        return OBJR_ERR_RANGE;
    }
    f->pos_frame = frame;
    return OBJR_OK;
}

/* Load frames from `first` into the read-ahead buffer: a whole buffer (or up to the end of
 * `data`) when the stream allows, else just the @p need frames the caller asked for. */
static objr_status fill_buffer(objr_bwf *f, uint64_t first, size_t need) {
    uint64_t left = f->fmt.n_frames - first;
    size_t k = (uint64_t)f->buf_frames < left ? f->buf_frames : (size_t)left;
    uint64_t off = f->fmt.data_offset + first * f->block_align;
    uint8_t *in = f->buf + OBJR_BWF_DECODE_HEADROOM;
    f->buf_count = 0;
    if (read_at(f, off, in, k * f->block_align) != OBJR_OK) {
        /* The stream may end early (a file truncated after open): what was asked may still
         * be there. */
        k = need < k ? need : k;
        if (read_at(f, off, in, k * f->block_align) != OBJR_OK) {
            snprintf(f->last_error, sizeof f->last_error,
                     "cannot read %zu frames of audio at byte %llu", k, (unsigned long long)off);
            return OBJR_ERR_IO;
        }
    }
    f->buf_first = first;
    f->buf_count = k;
    return OBJR_OK;
}

objr_status objr_bwf_read_f32(objr_bwf *f, float *const *planar_out, size_t n_frames,
                              size_t *n_read) {
    *n_read = 0;
    uint64_t left = f->fmt.n_frames - f->pos_frame;
    size_t want = (uint64_t)n_frames < left ? n_frames : (size_t)left;
    if (want > 0 && !planar_out)
        return OBJR_ERR_INVALID_ARG;
    size_t done = 0;
    while (done < want) {
        if (f->pos_frame < f->buf_first || f->pos_frame >= f->buf_first + f->buf_count) {
            size_t need = want - done < f->buf_frames ? want - done : f->buf_frames;
            if (fill_buffer(f, f->pos_frame, need) != OBJR_OK) {
                *n_read = done;
                return OBJR_ERR_IO;
            }
        }
        size_t at = (size_t)(f->pos_frame - f->buf_first);
        size_t k = f->buf_count - at < want - done ? f->buf_count - at : want - done;
        const uint8_t *in = f->buf + OBJR_BWF_DECODE_HEADROOM + at * f->block_align;
        objr__bwf_decode(&f->pcm, f->fmt.sample_format, in, f->fmt.n_channels, k, planar_out, done);
        done += k;
        f->pos_frame += k;
    }
    *n_read = done;
    return OBJR_OK;
}
