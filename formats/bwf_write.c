/* SPDX-License-Identifier: BSD-3-Clause */
/* BWF writer: streaming planar float32 -> WAVE_FORMAT_EXTENSIBLE PCM/float, with a JUNK
 * reservation that becomes `ds64` (RF64, EBU Tech 3306 / BW64, ITU-R BS.2088) when the file
 * passes 4 GiB, chna/axml/bext/pass-through chunks, written through an output set (a temporary
 * file renamed into place at commit; or a stream such as stdout, whose RIFF and data sizes are
 * left at 0xFFFFFFFF, "unknown", as streaming WAV writers do). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "formats/bwf_internal.h"
#include "src/core/outfile.h"

#define WAVE_FORMAT_PCM 0x0001
#define WAVE_FORMAT_IEEE_FLOAT 0x0003
#define WAVE_FORMAT_EXTENSIBLE 0xFFFE
#define FMT_EXTENSIBLE_BYTES 40
/* JUNK reservation right after WAVE: the 28-byte ds64 plus two 12-byte table entries. */
#define JUNK_RESERVE_BYTES 52
#define RIFF_HEADER_BYTES 12
#define CHUNK_HEADER_BYTES 8
#define U32_SIZE_LIMIT 0xFFFFFFFFull
/* Encode block: about 256 KiB of interleaved output per fwrite. */
#define WRITE_BLOCK_BYTES (256u * 1024u)
/* RIFF/data size of a stream whose length is not known when its header goes out. */
#define STREAM_UNKNOWN_SIZE 0xFFFFFFFFu

static const uint8_t ksdataformat_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                              0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

static _Thread_local uint64_t large_threshold_hook; /* 0 = default */

void objr__bwf_writer_set_large_threshold(uint64_t bytes) {
    large_threshold_hook = bytes;
}

typedef struct pending_chunk {
    char id[4];
    uint8_t *data;
    size_t size;
} pending_chunk;

typedef struct chunk_list {
    pending_chunk *v;
    size_t n;
} chunk_list;

struct objr_bwf_writer {
    objr_bwf_writer_config cfg;
    char *path;
    objr_outset *set;     /* the set the file belongs to */
    objr_outset *own_set; /* == set when the writer commits it at close (objr_bwf_writer_create) */
    FILE *fp;             /* owned by the set */
    int stream;           /* not seekable (a pipe): sizes cannot be patched */
    uint64_t pos;         /* bytes written, in order */
    unsigned sample_bytes;
    size_t block_align;
    int started;
    int failed;
    int has_adm;
    uint64_t fact_offset; /* 0 when no fact chunk */
    uint64_t data_header_offset;
    uint64_t data_bytes;
    uint64_t n_frames;
    uint64_t threshold;
    chunk_list pre, post;
    int wrote_chna, wrote_axml, wrote_bext; /* already written before `data` */
    uint8_t *enc;
    size_t enc_frames;
    char last_error[OBJR_DIAG_MESSAGE_SIZE];
};

objr_bwf_writer_config objr_bwf_writer_config_default(void) {
    objr_bwf_writer_config c;
    memset(&c, 0, sizeof c);
    c.sample_rate_hz = 48000;
    c.sample_format = OBJR_BWF_SAMPLE_PCM24;
    c.large_container = OBJR_BWF_CONTAINER_AUTO;
    return c;
}

/* ---- encoding ---- */

/* Round to nearest (ties to even, the FPU default) and clip to [lo, hi]; NaN -> 0. */
static inline long quantise(double y, double lo, double hi) {
    if (y >= hi)
        return (long)hi;
    if (y <= lo)
        return (long)lo;
    if (y != y)
        return 0;
    return lrint(y);
}

void objr__bwf_encode(objr_bwf_sample_format fmt, const float *const *in, size_t at,
                      size_t n_channels, size_t n_frames, uint8_t *out) {
    size_t bytes = objr__bwf_sample_bytes(fmt);
    for (size_t c = 0; c < n_channels; c++) {
        const float *x = in[c] + at;
        uint8_t *p = out + c * bytes;
        size_t stride = bytes * n_channels;
        switch (fmt) {
        case OBJR_BWF_SAMPLE_PCM8:
            for (size_t i = 0; i < n_frames; i++, p += stride)
                p[0] = (uint8_t)(quantise((double)x[i] * 128.0, -128.0, 127.0) + 128);
            break;
        case OBJR_BWF_SAMPLE_PCM16:
            for (size_t i = 0; i < n_frames; i++, p += stride)
                objr__wr_u16(p, (uint16_t)quantise((double)x[i] * 32768.0, -32768.0, 32767.0));
            break;
        case OBJR_BWF_SAMPLE_PCM24:
            for (size_t i = 0; i < n_frames; i++, p += stride) {
                uint32_t v = (uint32_t)quantise((double)x[i] * 8388608.0, -8388608.0, 8388607.0);
                p[0] = (uint8_t)v;
                p[1] = (uint8_t)(v >> 8);
                p[2] = (uint8_t)(v >> 16);
            }
            break;
        case OBJR_BWF_SAMPLE_PCM32:
            for (size_t i = 0; i < n_frames; i++, p += stride)
                objr__wr_u32(p, (uint32_t)quantise((double)x[i] * 2147483648.0, -2147483648.0,
                                                   2147483647.0));
            break;
        case OBJR_BWF_SAMPLE_FLOAT32:
            for (size_t i = 0; i < n_frames; i++, p += stride) {
                uint32_t u;
                memcpy(&u, &x[i], sizeof u);
                objr__wr_u32(p, u);
            }
            break;
        case OBJR_BWF_SAMPLE_FLOAT64:
            for (size_t i = 0; i < n_frames; i++, p += stride) {
                double d = x[i];
                uint64_t u;
                memcpy(&u, &d, sizeof u);
                objr__wr_u64(p, u);
            }
            break;
        }
    }
}

/* ---- helpers ---- */

static objr_status fail(objr_bwf_writer *w, objr_status st, const char *what) {
    w->failed = 1;
    snprintf(w->last_error, sizeof w->last_error, "%s: %s%s%s", w->path, what, errno ? ": " : "",
             errno ? strerror(errno) : "");
    return st;
}

static int put(objr_bwf_writer *w, const void *p, size_t n) {
    w->pos += n;
    return fwrite(p, 1, n, w->fp) == n;
}

static int put_chunk(objr_bwf_writer *w, const char id[4], const void *data, size_t n) {
    uint8_t h[CHUNK_HEADER_BYTES];
    memcpy(h, id, 4);
    objr__wr_u32(h + 4, (uint32_t)n);
    static const uint8_t zero = 0;
    return put(w, h, sizeof h) && (n == 0 || put(w, data, n)) && (!(n & 1) || put(w, &zero, 1));
}

static void list_free(chunk_list *l) {
    for (size_t i = 0; i < l->n; i++)
        objr__freep(&l->v[i].data);
    objr__freep(&l->v);
    l->n = 0;
}

/* Add (or replace, for the same id when @p replace) a chunk; takes ownership of @p data. */
static objr_status list_put(chunk_list *l, const char id[4], uint8_t *data, size_t size,
                            int replace) {
    if (replace)
        for (size_t i = 0; i < l->n; i++)
            if (memcmp(l->v[i].id, id, 4) == 0) {
                objr__freep(&l->v[i].data);
                l->v[i].data = data;
                l->v[i].size = size;
                return OBJR_OK;
            }
    pending_chunk *v = objr__realloc_array(l->v, l->n + 1, sizeof *v);
    if (!v) {
        objr__freep(&data);
        return OBJR_ERR_NOMEM;
    }
    l->v = v;
    memcpy(v[l->n].id, id, 4);
    v[l->n].data = data;
    v[l->n].size = size;
    l->n++;
    return OBJR_OK;
}

static objr_status add_owned(objr_bwf_writer *w, const char id[4], uint8_t *data, size_t size,
                             int replace) {
    int already = (!memcmp(id, "chna", 4) && w->wrote_chna) ||
                  (!memcmp(id, "axml", 4) && w->wrote_axml) ||
                  (!memcmp(id, "bext", 4) && w->wrote_bext);
    if (w->failed || !w->fp || already) {
        if (already)
            snprintf(w->last_error, sizeof w->last_error,
                     "%s: %.4s was already written before the audio", w->path, id);
        objr__freep(&data);
        return OBJR_ERR_STATE;
    }
    if ((uint64_t)size >= U32_SIZE_LIMIT) {
        objr__freep(&data);
        snprintf(w->last_error, sizeof w->last_error, "%s: %.4s chunk of %zu bytes is too large",
                 w->path, id, size);
        return OBJR_ERR_LIMIT;
    }
    return list_put(w->started ? &w->post : &w->pre, id, data, size, replace);
}

static objr_status add_copy(objr_bwf_writer *w, const char id[4], const void *data, size_t size,
                            int replace) {
    if (size > 0 && !data)
        return OBJR_ERR_INVALID_ARG;
    uint8_t *p = objr__malloc(size);
    if (!p)
        return OBJR_ERR_NOMEM;
    if (size)
        memcpy(p, data, size);
    return add_owned(w, id, p, size, replace);
}

/* ---- create ---- */

static void writer_free(objr_bwf_writer *w) {
    objr_outset_destroy(w->own_set); /* removes the temporary file if not committed */
    objr__freep(&w->path);
    list_free(&w->pre);
    list_free(&w->post);
    objr__freep(&w->enc);
    free(w);
}

static int is_float(objr_bwf_sample_format f) {
    return f == OBJR_BWF_SAMPLE_FLOAT32 || f == OBJR_BWF_SAMPLE_FLOAT64;
}

objr_status objr_bwf_writer_create(const char *path, const objr_bwf_writer_config *cfg,
                                   objr_diag *diag, objr_bwf_writer **out) {
    *out = NULL;
    objr_outset *set = NULL;
    if (objr_outset_create(&set) != OBJR_OK)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "%s: out of memory", path);
    objr_status st = objr_bwf_writer_create_in(set, path, cfg, diag, out);
    if (st != OBJR_OK) {
        objr_outset_destroy(set);
        return st;
    }
    (*out)->own_set = set;
    return OBJR_OK;
}

objr_status objr_bwf_writer_create_in(objr_outset *set, const char *path,
                                      const objr_bwf_writer_config *cfg, objr_diag *diag,
                                      objr_bwf_writer **out) {
    *out = NULL;
    unsigned bytes = objr__bwf_sample_bytes(cfg->sample_format);
    if (cfg->n_channels == 0 || cfg->n_channels > UINT16_MAX)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: channel count %lu is not in 1..65535", path,
                              (unsigned long)cfg->n_channels);
    if (cfg->sample_rate_hz == 0)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: sample rate 0 Hz", path);
    if (bytes == 0 || cfg->sample_format == OBJR_BWF_SAMPLE_PCM8 ||
        (size_t)cfg->n_channels * bytes > UINT16_MAX)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: unsupported sample format for writing", path);
    if (cfg->large_container != OBJR_BWF_CONTAINER_RF64 &&
        cfg->large_container != OBJR_BWF_CONTAINER_BW64 &&
        cfg->large_container != OBJR_BWF_CONTAINER_AUTO)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: large_container must be RF64, BW64 or AUTO", path);
    objr_bwf_writer *w = objr__calloc(1, sizeof *w);
    if (!w)
        return OBJR_ERR_NOMEM;
    objr_status st = OBJR_ERR_NOMEM;
    w->cfg = *cfg;
    w->sample_bytes = bytes;
    w->block_align = (size_t)cfg->n_channels * bytes;
    w->threshold = large_threshold_hook ? large_threshold_hook : U32_SIZE_LIMIT;
    w->enc_frames = WRITE_BLOCK_BYTES / w->block_align;
    if (w->enc_frames == 0)
        w->enc_frames = 1;
    w->path = objr__strdup(path);
    w->enc = objr__malloc(w->enc_frames * w->block_align);
    if (!w->path || !w->enc)
        goto fail;
    w->set = set;
    if ((st = objr_outset_open(set, path, diag, &w->fp)) != OBJR_OK) {
        w->fp = NULL;
        goto fail;
    }
    w->stream = lseek(fileno(w->fp), 0, SEEK_CUR) < 0;

    /* Header: RIFF size WAVE, JUNK reservation, fmt (extensible), fact (float). */
    uint8_t h[RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES + JUNK_RESERVE_BYTES];
    memset(h, 0, sizeof h);
    memcpy(h, "RIFF", 4);
    if (w->stream)
        objr__wr_u32(h + 4, STREAM_UNKNOWN_SIZE);
    memcpy(h + 8, "WAVE", 4);
    memcpy(h + 12, "JUNK", 4);
    objr__wr_u32(h + 16, JUNK_RESERVE_BYTES);
    uint8_t fmt[FMT_EXTENSIBLE_BYTES];
    memset(fmt, 0, sizeof fmt);
    objr__wr_u16(fmt, WAVE_FORMAT_EXTENSIBLE);
    objr__wr_u16(fmt + 2, (uint16_t)cfg->n_channels);
    objr__wr_u32(fmt + 4, cfg->sample_rate_hz);
    uint64_t byte_rate = (uint64_t)cfg->sample_rate_hz * w->block_align;
    objr__wr_u32(fmt + 8, byte_rate > UINT32_MAX ? UINT32_MAX : (uint32_t)byte_rate);
    objr__wr_u16(fmt + 12, (uint16_t)w->block_align);
    objr__wr_u16(fmt + 14, (uint16_t)(bytes * 8));
    objr__wr_u16(fmt + 16, 22);
    objr__wr_u16(fmt + 18, (uint16_t)(bytes * 8));
    objr__wr_u32(fmt + 20, cfg->channel_mask);
    objr__wr_u16(fmt + 24, is_float(cfg->sample_format) ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
    memcpy(fmt + 26, ksdataformat_tail, sizeof ksdataformat_tail);
    errno = 0;
    if (!put(w, h, sizeof h) || !put_chunk(w, "fmt ", fmt, sizeof fmt)) {
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s", path,
                            strerror(errno));
        goto fail;
    }
    if (is_float(cfg->sample_format)) {
        /* Non-PCM WAVE requires `fact` (sample frames); patched at close. */
        w->fact_offset = sizeof h + CHUNK_HEADER_BYTES + sizeof fmt;
        uint8_t zero4[4] = {0, 0, 0, 0};
        if (w->stream)
            objr__wr_u32(zero4, STREAM_UNKNOWN_SIZE);
        if (!put_chunk(w, "fact", zero4, 4)) {
            st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                                path, strerror(errno));
            goto fail;
        }
    }
    *out = w;
    return OBJR_OK;
fail:
    if (st == OBJR_ERR_NOMEM)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s: out of memory", path);
    if (w->fp)
        objr__outset_drop(set, w->fp);
    writer_free(w);
    return st;
}

/* ---- metadata ---- */

objr_status objr__bwf_writer_set_chna(objr_bwf_writer *w, const objr__chna_entry *entries,
                                      size_t n) {
    for (size_t i = 0; i < n; i++)
        if (entries[i].track_index == 0 || entries[i].track_index > w->cfg.n_channels) {
            snprintf(w->last_error, sizeof w->last_error,
                     "%s: chna entry %zu has track index %u (file has %lu channels)", w->path, i,
                     (unsigned)entries[i].track_index, (unsigned long)w->cfg.n_channels);
            return OBJR_ERR_INVALID_ARG;
        }
    uint8_t *p;
    size_t size;
    objr_status st = objr__chna_serialize(entries, n, &p, &size);
    if (st != OBJR_OK)
        return st;
    w->has_adm = 1;
    return add_owned(w, "chna", p, size, 1);
}

objr_status objr_bwf_writer_set_chna(objr_bwf_writer *w, const objr_bwf_chna_entry *entries,
                                     size_t n_entries) {
    if (n_entries > UINT16_MAX || (n_entries && !entries))
        return OBJR_ERR_INVALID_ARG;
    return objr__bwf_writer_set_chna(w, entries, n_entries);
}

objr_status objr_bwf_writer_set_axml(objr_bwf_writer *w, const void *xml, size_t n) {
    objr_status st = add_copy(w, "axml", xml, n, 1);
    if (st == OBJR_OK)
        w->has_adm = 1;
    return st;
}

objr_status objr__bwf_writer_take_axml(objr_bwf_writer *w, uint8_t *xml, size_t n) {
    objr_status st = add_owned(w, "axml", xml, n, 1);
    if (st == OBJR_OK)
        w->has_adm = 1;
    return st;
}

objr_status objr_bwf_writer_set_bext(objr_bwf_writer *w, const objr_bwf_bext *bext) {
    uint8_t *p;
    size_t size;
    objr_status st = objr__bext_serialize(bext, &p, &size);
    if (st != OBJR_OK)
        return st;
    return add_owned(w, "bext", p, size, 1);
}

static const char *const reserved_ids[] = {"RIFF", "RF64", "BW64", "WAVE",
                                           "fmt ", "data", "ds64", "fact"};

objr_status objr_bwf_writer_add_chunk(objr_bwf_writer *w, const char id[4], const void *data,
                                      size_t n) {
    for (int i = 0; i < 4; i++)
        if ((unsigned char)id[i] < 0x20 || (unsigned char)id[i] >= 0x7F)
            return OBJR_ERR_INVALID_ARG;
    for (size_t i = 0; i < sizeof reserved_ids / sizeof *reserved_ids; i++)
        if (memcmp(id, reserved_ids[i], 4) == 0)
            return OBJR_ERR_INVALID_ARG;
    return add_copy(w, id, data, n, 0);
}

objr_status objr_bwf_writer_copy_chunks(objr_bwf_writer *w, const objr_bwf *src) {
    static const char *const regenerated[] = {"chna", "axml", "bext"};
    for (size_t i = 0; i < objr_bwf_chunk_count(src); i++) {
        objr_bwf_chunk c;
        if (objr_bwf_get_chunk(src, i, &c) != OBJR_OK || !c.data)
            continue; /* structural and filler chunks are never kept by the reader */
        int skip = 0;
        for (size_t k = 0; k < sizeof regenerated / sizeof *regenerated; k++)
            skip |= memcmp(c.id, regenerated[k], 4) == 0;
        if (skip)
            continue;
        objr_status st = objr_bwf_writer_add_chunk(w, c.id, c.data, (size_t)c.size);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* ---- audio ---- */

static int write_pending(objr_bwf_writer *w, chunk_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        if (!put_chunk(w, l->v[i].id, l->v[i].data, l->v[i].size))
            return 0;
        w->wrote_chna |= !memcmp(l->v[i].id, "chna", 4);
        w->wrote_axml |= !memcmp(l->v[i].id, "axml", 4);
        w->wrote_bext |= !memcmp(l->v[i].id, "bext", 4);
    }
    list_free(l);
    return 1;
}

static objr_status start_data(objr_bwf_writer *w) {
    errno = 0;
    if (!write_pending(w, &w->pre))
        return fail(w, OBJR_ERR_IO, "cannot write metadata chunks");
    w->data_header_offset = w->pos;
    uint8_t h[CHUNK_HEADER_BYTES];
    memcpy(h, "data", 4);
    objr__wr_u32(h + 4, w->stream ? STREAM_UNKNOWN_SIZE : 0);
    if (!put(w, h, sizeof h))
        return fail(w, OBJR_ERR_IO, "cannot write data chunk header");
    w->started = 1;
    return OBJR_OK;
}

objr_status objr_bwf_writer_write_f32(objr_bwf_writer *w, const float *const *planar,
                                      size_t n_frames) {
    if (w->failed || !w->fp)
        return OBJR_ERR_STATE;
    if (n_frames == 0)
        return OBJR_OK;
    if (!planar)
        return OBJR_ERR_INVALID_ARG;
    objr_status st;
    if (!w->started && (st = start_data(w)) != OBJR_OK)
        return st;
    for (size_t done = 0; done < n_frames;) {
        size_t k = n_frames - done < w->enc_frames ? n_frames - done : w->enc_frames;
        objr__bwf_encode(w->cfg.sample_format, planar, done, w->cfg.n_channels, k, w->enc);
        errno = 0;
        if (!put(w, w->enc, k * w->block_align))
            return fail(w, OBJR_ERR_IO, "cannot write audio");
        done += k;
        w->data_bytes += (uint64_t)k * w->block_align;
        w->n_frames += k;
    }
    return OBJR_OK;
}

/* ---- close ---- */

static int patch(objr_bwf_writer *w, uint64_t off, const void *p, size_t n) {
    return fseeko(w->fp, (off_t)off, SEEK_SET) == 0 && put(w, p, n);
}

static objr_status finish(objr_bwf_writer *w) {
    objr_status st;
    if (!w->started && (st = start_data(w)) != OBJR_OK)
        return st;
    errno = 0;
    static const uint8_t zero = 0;
    if (w->stream) {
        /* A reader of a stream takes everything after `data` as audio: nothing may follow. */
        if (w->post.n) {
            errno = 0;
            return fail(w, OBJR_ERR_UNSUPPORTED, "chunks after the audio cannot go to a stream");
        }
        if (fflush(w->fp) != 0)
            return fail(w, OBJR_ERR_IO, "cannot write audio");
        return w->own_set ? objr_outset_commit(w->own_set, NULL) : OBJR_OK;
    }
    if ((w->data_bytes & 1) && !put(w, &zero, 1))
        return fail(w, OBJR_ERR_IO, "cannot write pad byte");
    if (!write_pending(w, &w->post))
        return fail(w, OBJR_ERR_IO, "cannot write metadata chunks");
    uint64_t riff_size = w->pos - CHUNK_HEADER_BYTES;
    int large = riff_size > w->threshold || w->data_bytes > w->threshold;
    uint8_t b[4];
    if (large) {
        objr_bwf_container c = w->cfg.large_container;
        if (c == OBJR_BWF_CONTAINER_AUTO)
            c = w->has_adm ? OBJR_BWF_CONTAINER_BW64 : OBJR_BWF_CONTAINER_RF64;
        uint8_t h[RIFF_HEADER_BYTES + CHUNK_HEADER_BYTES + OBJR_BWF_DS64_MIN_BYTES];
        memset(h, 0, sizeof h);
        memcpy(h, c == OBJR_BWF_CONTAINER_BW64 ? "BW64" : "RF64", 4);
        objr__wr_u32(h + 4, OBJR_BWF_SIZE_IN_DS64);
        memcpy(h + 8, "WAVE", 4);
        /* The JUNK reservation becomes ds64; its declared size stays the reserved size and
         * the unused table space is zero (table length 0). */
        memcpy(h + 12, "ds64", 4);
        objr__wr_u32(h + 16, JUNK_RESERVE_BYTES);
        objr__wr_u64(h + 20, riff_size);
        objr__wr_u64(h + 28, w->data_bytes);
        objr__wr_u64(h + 36, w->n_frames);
        objr__wr_u32(h + 44, 0);
        if (!patch(w, 0, h, sizeof h))
            return fail(w, OBJR_ERR_IO, "cannot write ds64 header");
        objr__wr_u32(b, OBJR_BWF_SIZE_IN_DS64);
        if (!patch(w, w->data_header_offset + 4, b, 4))
            return fail(w, OBJR_ERR_IO, "cannot patch data size");
    } else {
        objr__wr_u32(b, (uint32_t)riff_size);
        if (!patch(w, 4, b, 4))
            return fail(w, OBJR_ERR_IO, "cannot patch RIFF size");
        objr__wr_u32(b, (uint32_t)w->data_bytes);
        if (!patch(w, w->data_header_offset + 4, b, 4))
            return fail(w, OBJR_ERR_IO, "cannot patch data size");
    }
    if (w->fact_offset) {
        objr__wr_u32(b, w->n_frames > UINT32_MAX ? UINT32_MAX : (uint32_t)w->n_frames);
        if (!patch(w, w->fact_offset + CHUNK_HEADER_BYTES, b, 4))
            return fail(w, OBJR_ERR_IO, "cannot patch fact chunk");
    }
    if (fflush(w->fp) != 0)
        return fail(w, OBJR_ERR_IO, "cannot write");
    if (!w->own_set)
        return OBJR_OK; /* the set's owner commits it with the run's other outputs */
    objr_diag d;
    objr_diag_clear(&d);
    st = objr_outset_commit(w->own_set, &d);
    if (st != OBJR_OK) {
        w->failed = 1;
        snprintf(w->last_error, sizeof w->last_error, "%s", d.message);
    }
    return st;
}

objr_status objr_bwf_writer_close(objr_bwf_writer *w, objr_diag *diag) {
    if (!w)
        return OBJR_ERR_INVALID_ARG;
    objr_status st = w->failed ? OBJR_ERR_STATE : finish(w);
    if (st != OBJR_OK)
        objr__diag_set(diag, st, NULL, 0, (size_t)-1, "%s",
                       w->last_error[0] ? w->last_error : "writer had failed earlier");
    if (st != OBJR_OK && !w->own_set && w->fp)
        objr__outset_drop(w->set, w->fp); /* a failed output is not committed with the rest */
    writer_free(w);                       /* removes the temp file if it is still there */
    return st;
}

void objr_bwf_writer_abort(objr_bwf_writer *w) {
    if (!w)
        return;
    if (!w->own_set && w->fp)
        objr__outset_drop(w->set, w->fp);
    writer_free(w);
}

const char *objr_bwf_writer_last_error(const objr_bwf_writer *w) {
    return w ? w->last_error : "";
}
