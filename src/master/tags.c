/* SPDX-License-Identifier: BSD-3-Clause */
/* Delivery tags where each format's readers look for them: CAF 'info' key/value strings,
 * FLAC Vorbis comments (ISRC,
 * xiph.org "Ogg Vorbis I format specification: comment field and header"; written with
 * libFLAC's level-2 metadata API), MP3 ID3v2.4 text frames (TIT2 TPE1 TALB TSRC TSSE, id3.org
 * ID3v2.4.0 structure/frames), WAV an "id3 " RIFF chunk with the same ID3v2.4 tag (RIFF INFO
 * has no ISRC: its "ISRC" id is "source"; BWF bext has no ISRC field). libsndfile writes the
 * title/artist/album it knows; this file adds what it cannot, editing the finished file in
 * place (same inode: the output set's fsync and rename still apply to it). */
#include "src/master/master.h"

#include <FLAC/metadata.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Bytes moved per step when a file's tail is shifted. */
#define TAGS_COPY_BLOCK 65536
/* An ID3v2 tag is at most 2^28 - 1 bytes (syncsafe 28-bit size). */
#define ID3_MAX_SIZE 0x0fffffffu
#define ID3_HEADER 10

int objr__master_tags_wanted(const objr_master_config *cfg) {
    return cfg && cfg->embed_tags &&
           (cfg->title[0] || cfg->artist[0] || cfg->album[0] || cfg->isrc[0]);
}

/* ---------------------------------------------------------------------------------------- */
/* ID3v2.4                                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void put_syncsafe(uint8_t *p, size_t v) {
    p[0] = (uint8_t)((v >> 21) & 0x7f);
    p[1] = (uint8_t)((v >> 14) & 0x7f);
    p[2] = (uint8_t)((v >> 7) & 0x7f);
    p[3] = (uint8_t)(v & 0x7f);
}

/* A UTF-8 text frame (encoding byte 3) at @p p, or only its size when p is NULL. */
static size_t id3_text_frame(uint8_t *p, const char *id, const char *text) {
    size_t n = strlen(text);
    if (!n)
        return 0;
    if (p) {
        memcpy(p, id, 4);
        put_syncsafe(p + 4, n + 1);
        p[8] = p[9] = 0;
        p[10] = 3;
        memcpy(p + 11, text, n);
    }
    return ID3_HEADER + 1 + n;
}

/* The whole ID3v2.4 tag (header + frames + zero padding to at least @p min_size) in a new
 * buffer; *size its length. */
static uint8_t *id3_build(const objr_master_config *cfg, size_t min_size, size_t *size) {
    const char *ids[5] = {"TIT2", "TPE1", "TALB", "TSRC", "TSSE"};
    const char *vals[5] = {cfg->title, cfg->artist, cfg->album, cfg->isrc, "objrender objmaster"};
    size_t body = 0;
    for (int i = 0; i < 5; i++)
        body += id3_text_frame(NULL, ids[i], vals[i]);
    size_t total = ID3_HEADER + body;
    if (total < min_size)
        total = min_size; /* the rest is padding, which ID3v2.4 §3.3 allows */
    uint8_t *b = objr__calloc(total, 1);
    if (!b)
        return NULL;
    memcpy(b, "ID3\x04\x00\x00", 6);
    put_syncsafe(b + 6, total - ID3_HEADER);
    size_t k = ID3_HEADER;
    for (int i = 0; i < 5; i++)
        k += id3_text_frame(b + k, ids[i], vals[i]);
    *size = total;
    return b;
}

/* ---------------------------------------------------------------------------------------- */
/* In-place file edits                                                                       */
/* ---------------------------------------------------------------------------------------- */

static int rw_at(FILE *f, long pos, void *buf, size_t n, int write) {
    if (fseek(f, pos, SEEK_SET) != 0)
        return 0;
    return write ? fwrite(buf, 1, n, f) == n : fread(buf, 1, n, f) == n;
}

/* Replace the first @p old_len bytes of @p f (@p size bytes long) by @p head (@p new_len >=
 * old_len bytes), moving the rest towards the end from the last block back. */
static int splice_head(FILE *f, long size, long old_len, const uint8_t *head, long new_len) {
    uint8_t *buf = objr__malloc(TAGS_COPY_BLOCK);
    if (!buf)
        return 0;
    const long d = new_len - old_len;
    int ok = 1;
    for (long end = size; ok && d > 0 && end > old_len;) {
        long n = end - old_len < TAGS_COPY_BLOCK ? end - old_len : TAGS_COPY_BLOCK;
        ok = rw_at(f, end - n, buf, (size_t)n, 0) && rw_at(f, end - n + d, buf, (size_t)n, 1);
        end -= n;
    }
    objr__freep(&buf);
    return ok && rw_at(f, 0, (void *)(uintptr_t)head, (size_t)new_len, 1) && fflush(f) == 0;
}

static long file_size(FILE *f) {
    if (fseek(f, 0, SEEK_END) != 0)
        return -1;
    return ftell(f);
}

/* MP3: our ID3v2.4 tag replaces the one at the head (libsndfile/LAME's, holding only what
 * LAME knows), padded to its size when ours is smaller so nothing moves. */
static objr_status mp3_tags(const char *path, const objr_master_config *cfg, objr_diag *diag) {
    FILE *f = fopen(path, "r+b");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open to tag",
                              path);
    long size = file_size(f), old = 0;
    uint8_t h[ID3_HEADER];
    if (size >= ID3_HEADER && rw_at(f, 0, h, ID3_HEADER, 0) && !memcmp(h, "ID3", 3) &&
        !((h[6] | h[7] | h[8] | h[9]) & 0x80))
        old = ID3_HEADER +
              (long)(((size_t)h[6] << 21) | ((size_t)h[7] << 14) | ((size_t)h[8] << 7) | h[9]) +
              ((h[5] & 0x10) ? ID3_HEADER : 0); /* a footer */
    size_t n = 0;
    uint8_t *tag = old <= size ? id3_build(cfg, (size_t)old, &n) : NULL;
    int ok = tag && n <= ID3_MAX_SIZE && size >= 0 && splice_head(f, size, old, tag, (long)n);
    objr__freep(&tag);
    ok = fclose(f) == 0 && ok;
    return ok ? OBJR_OK
              : objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                               "%s: writing the ID3v2 tag failed", path);
}

static void put_le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* WAV/RF64: an "id3 " chunk appended after the last chunk (RIFF allows chunks after data;
 * ffmpeg, Apple Music and the common taggers read it), the RIFF size (or, for RF64, the ds64
 * riffSize) updated. */
static objr_status wav_tags(const char *path, const objr_master_config *cfg, objr_diag *diag) {
    FILE *f = fopen(path, "r+b");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open to tag",
                              path);
    uint8_t h[28];
    long size = file_size(f);
    int ok = size >= 12 && rw_at(f, 0, h, 12, 0) && !memcmp(h + 8, "WAVE", 4);
    int rf64 = ok && (!memcmp(h, "RF64", 4) || !memcmp(h, "BW64", 4));
    ok = ok && (rf64 || !memcmp(h, "RIFF", 4));
    if (ok && rf64)
        ok = size >= 28 && rw_at(f, 0, h, 28, 0) && !memcmp(h + 12, "ds64", 4);
    size_t n = 0;
    uint8_t *tag = ok ? id3_build(cfg, 0, &n) : NULL;
    if (!tag) {
        fclose(f);
        return objr__diag_set(diag, ok ? OBJR_ERR_NOMEM : OBJR_ERR_FORMAT, NULL, 0, (size_t)-1,
                              "%s: not a RIFF/RF64 WAVE file: cannot tag it", path);
    }
    uint8_t ck[8], zero = 0;
    memcpy(ck, "id3 ", 4);
    put_le32(ck + 4, (uint32_t)n);
    long at = size + (size & 1); /* chunks start on even offsets */
    ok = (!(size & 1) || rw_at(f, size, &zero, 1, 1)) && rw_at(f, at, ck, 8, 1) &&
         rw_at(f, at + 8, tag, n, 1) && (!(n & 1) || rw_at(f, at + 8 + (long)n, &zero, 1, 1));
    uint64_t riff = (uint64_t)(at + 8 + (long)n + (long)(n & 1)) - 8;
    if (ok && rf64) {
        uint8_t v[8];
        for (int i = 0; i < 8; i++)
            v[i] = (uint8_t)(riff >> (8 * i));
        ok = rw_at(f, 20, v, 8, 1);
    } else if (ok) {
        uint8_t v[4];
        ok = riff <= 0xffffffffu;
        put_le32(v, (uint32_t)riff);
        ok = ok && rw_at(f, 4, v, 4, 1);
    }
    objr__freep(&tag);
    ok = fclose(f) == 0 && ok;
    return ok ? OBJR_OK
              : objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                               "%s: writing the id3 chunk failed", path);
}

/* ---------------------------------------------------------------------------------------- */
/* CAF (Apple "Core Audio Format Specification" 1.0: 'info' chunk of UTF-8 key/value pairs;    */
/* the keys title, artist, album and ISRC are the ones Apple's and ffmpeg's readers map)       */
/* ---------------------------------------------------------------------------------------- */

/* The head of a CAF file (everything before the 'data' chunk) is at most this long. */
#define CAF_MAX_HEAD (1L << 20)
#define CAF_MAX_KEYS 32

static uint64_t get_be(const uint8_t *p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

static void put_be(uint8_t *p, uint64_t v, int n) {
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

typedef struct caf_info {
    const char *key[CAF_MAX_KEYS], *value[CAF_MAX_KEYS];
    size_t n, bytes; /* entries, and the chunk body's size */
} caf_info;

static void caf_info_set(caf_info *in, const char *key, const char *value) {
    size_t i = 0;
    while (i < in->n && strcmp(in->key[i], key) != 0)
        i++;
    if (!value[0] || (i == in->n && in->n == CAF_MAX_KEYS))
        return;
    if (i == in->n) {
        in->n++;
        in->bytes += strlen(key) + 1;
    } else
        in->bytes -= strlen(in->value[i]) + 1;
    in->key[i] = key;
    in->value[i] = value;
    in->bytes += strlen(value) + 1;
}

/* Entries of an existing 'info' body (libsndfile writes title/artist/software there). */
static int caf_info_parse(caf_info *in, const uint8_t *body, size_t len) {
    if (len < 4)
        return 0;
    uint64_t count = get_be(body, 4);
    size_t at = 4;
    for (uint64_t k = 0; k < count; k++) {
        const char *kv[2];
        for (int j = 0; j < 2; j++) {
            const uint8_t *z = at < len ? memchr(body + at, 0, len - at) : NULL;
            if (!z)
                return 0;
            kv[j] = (const char *)body + at;
            at = (size_t)(z - body) + 1;
        }
        caf_info_set(in, kv[0], kv[1]);
    }
    return 1;
}

/* The new head: file header, 'desc', our 'info', the other chunks but 'free', and a 'free'
 * chunk that pads to the old head's length when the new one fits in it. */
static uint8_t *caf_head(const uint8_t *old, long data_off, const caf_info *in, long *len) {
    size_t cap = (size_t)data_off + 12 + 4 + in->bytes + 12;
    uint8_t *h = objr__malloc(cap);
    if (!h)
        return NULL;
    size_t n = 8;
    memcpy(h, old, 8);
    for (long at = 8; at < data_off;) {
        long clen = 12 + (long)get_be(old + at + 4, 8);
        if (!memcmp(old + at, "desc", 4)) {
            memcpy(h + n, old + at, (size_t)clen);
            n += (size_t)clen;
            memcpy(h + n, "info", 4);
            put_be(h + n + 4, 4 + in->bytes, 8);
            put_be(h + n + 12, in->n, 4);
            n += 16;
            for (size_t i = 0; i < in->n; i++)
                for (int j = 0; j < 2; j++) {
                    const char *t = j ? in->value[i] : in->key[i];
                    memcpy(h + n, t, strlen(t) + 1);
                    n += strlen(t) + 1;
                }
        } else if (memcmp(old + at, "info", 4) != 0 && memcmp(old + at, "free", 4) != 0) {
            memcpy(h + n, old + at, (size_t)clen);
            n += (size_t)clen;
        }
        at += clen;
    }
    if ((long)n + 12 <= data_off) {
        memcpy(h + n, "free", 4);
        put_be(h + n + 4, (uint64_t)(data_off - (long)n - 12), 8);
        memset(h + n + 12, 0, (size_t)(data_off - (long)n - 12));
        n = (size_t)data_off;
    }
    *len = (long)n;
    return h;
}

/* Finds the 'data' chunk (the head's end) and checks the chunks before it. */
static long caf_data_offset(FILE *f, long size, uint8_t *old) {
    if (size < 8 || !rw_at(f, 0, old, 8, 0) || memcmp(old, "caff", 4) != 0)
        return -1;
    long at = 8;
    while (at + 12 <= size && at + 12 <= CAF_MAX_HEAD) {
        if (!rw_at(f, at, old + at, 12, 0))
            return -1;
        if (!memcmp(old + at, "data", 4))
            return memcmp(old + 8, "desc", 4) == 0 ? at : -1;
        uint64_t clen = get_be(old + at + 4, 8);
        if (clen > (uint64_t)(CAF_MAX_HEAD - at - 12) || !rw_at(f, at + 12, old + at + 12, clen, 0))
            return -1;
        at += 12 + (long)clen;
    }
    return -1;
}

static objr_status caf_tags(const char *path, const objr_master_config *cfg, objr_diag *diag) {
    FILE *f = fopen(path, "r+b");
    uint8_t *old = objr__malloc(CAF_MAX_HEAD + 12), *head = NULL;
    long size = f ? file_size(f) : -1, data_off = -1, len = 0;
    caf_info in = {.n = 0, .bytes = 0};
    int ok = old && size > 0 && (data_off = caf_data_offset(f, size, old)) > 0;
    for (long at = 8; ok && at < data_off; at += 12 + (long)get_be(old + at + 4, 8))
        if (!memcmp(old + at, "info", 4))
            ok = caf_info_parse(&in, old + at + 12, (size_t)get_be(old + at + 4, 8));
    if (ok) {
        caf_info_set(&in, "title", cfg->title);
        caf_info_set(&in, "artist", cfg->artist);
        caf_info_set(&in, "album", cfg->album);
        caf_info_set(&in, "ISRC", cfg->isrc);
        head = caf_head(old, data_off, &in, &len);
        ok = head && (len == data_off ? rw_at(f, 0, head, (size_t)len, 1)
                                      : splice_head(f, size, data_off, head, len));
    }
    objr__freep(&head);
    objr__freep(&old);
    ok = f && fclose(f) == 0 && ok;
    return ok ? OBJR_OK
              : objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                               "%s: writing the CAF info chunk failed", path);
}

/* ---------------------------------------------------------------------------------------- */
/* FLAC (libFLAC level-2 metadata, through stdio callbacks)                                  */
/* ---------------------------------------------------------------------------------------- */

static size_t io_read(void *ptr, size_t size, size_t n, FLAC__IOHandle h) {
    return fread(ptr, size, n, (FILE *)h);
}
static size_t io_write(const void *ptr, size_t size, size_t n, FLAC__IOHandle h) {
    return fwrite(ptr, size, n, (FILE *)h);
}
static int io_seek(FLAC__IOHandle h, FLAC__int64 off, int whence) {
    return fseeko((FILE *)h, (off_t)off, whence);
}
static FLAC__int64 io_tell(FLAC__IOHandle h) {
    return (FLAC__int64)ftello((FILE *)h);
}
static int io_eof(FLAC__IOHandle h) {
    return feof((FILE *)h);
}

/* Set (replace) NAME=value in the Vorbis comment block, creating the block when missing. */
static int flac_set(FLAC__Metadata_Chain *chain, const char *name, const char *value) {
    FLAC__Metadata_Iterator *it = FLAC__metadata_iterator_new();
    if (!it)
        return 0;
    FLAC__metadata_iterator_init(it, chain);
    FLAC__StreamMetadata *vc = NULL;
    do {
        if (FLAC__metadata_iterator_get_block_type(it) == FLAC__METADATA_TYPE_VORBIS_COMMENT)
            vc = FLAC__metadata_iterator_get_block(it);
    } while (!vc && FLAC__metadata_iterator_next(it));
    int ok = 1;
    if (!vc) {
        FLAC__metadata_iterator_init(it, chain); /* after STREAMINFO */
        vc = FLAC__metadata_object_new(FLAC__METADATA_TYPE_VORBIS_COMMENT);
        ok = vc && FLAC__metadata_iterator_insert_block_after(it, vc);
        if (!ok && vc)
            FLAC__metadata_object_delete(vc);
    }
    FLAC__StreamMetadata_VorbisComment_Entry e;
    ok = ok && FLAC__metadata_object_vorbiscomment_entry_from_name_value_pair(&e, name, value);
    ok = ok && FLAC__metadata_object_vorbiscomment_replace_comment(vc, e, true, false);
    FLAC__metadata_iterator_delete(it);
    return ok;
}

/* Copy @p from (from its start) over @p to, which is truncated to that length. */
static int copy_back(FILE *from, FILE *to) {
    uint8_t *buf = objr__malloc(TAGS_COPY_BLOCK);
    int ok =
        buf && fflush(from) == 0 && fseek(from, 0, SEEK_SET) == 0 && fseek(to, 0, SEEK_SET) == 0;
    size_t n;
    while (ok && (n = fread(buf, 1, TAGS_COPY_BLOCK, from)) > 0)
        ok = fwrite(buf, 1, n, to) == n;
    ok = ok && !ferror(from) && fflush(to) == 0 && ftruncate(fileno(to), ftello(to)) == 0;
    objr__freep(&buf);
    return ok;
}

/* FLAC: title/artist/album are libsndfile's comments already; ISRC is added (Vorbis comment
 * field names per xiph.org's recommended list: ISRC). In place when the metadata fits, else
 * the whole stream is rewritten into an anonymous temporary file and copied back. */
static objr_status flac_tags(const char *path, const objr_master_config *cfg, objr_diag *diag) {
    if (!cfg->isrc[0])
        return OBJR_OK;
    FILE *f = fopen(path, "r+b");
    FLAC__Metadata_Chain *chain = FLAC__metadata_chain_new();
    FLAC__IOCallbacks cb = {io_read, io_write, io_seek, io_tell, io_eof, NULL};
    int ok = f && chain && FLAC__metadata_chain_read_with_callbacks(chain, f, cb) &&
             flac_set(chain, "ISRC", cfg->isrc);
    if (ok && !FLAC__metadata_chain_check_if_tempfile_needed(chain, true)) {
        ok = FLAC__metadata_chain_write_with_callbacks(chain, true, f, cb);
    } else if (ok) {
        FILE *t = tmpfile();
        ok = t &&
             FLAC__metadata_chain_write_with_callbacks_and_tempfile(chain, true, f, cb, t, cb) &&
             copy_back(t, f);
        if (t)
            fclose(t);
    }
    const char *why = chain && !ok
                          ? FLAC__Metadata_ChainStatusString[FLAC__metadata_chain_status(chain)]
                          : "cannot open";
    if (chain)
        FLAC__metadata_chain_delete(chain);
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? OBJR_OK
              : objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                               "%s: writing the FLAC ISRC comment failed (%s)", path, why);
}

objr_status objr__master_tags_write(const char *path, const objr_master_config *cfg,
                                    objr_diag *diag) {
    if (!path || !cfg)
        return OBJR_ERR_INVALID_ARG;
    if (!objr__master_tags_wanted(cfg))
        return OBJR_OK;
    switch (cfg->format) {
    case OBJR_MASTER_FLAC:
        return flac_tags(path, cfg, diag);
    case OBJR_MASTER_MP3:
        return mp3_tags(path, cfg, diag);
    case OBJR_MASTER_WAV:
        return wav_tags(path, cfg, diag);
    case OBJR_MASTER_CAF:
        return caf_tags(path, cfg, diag);
    case OBJR_MASTER_OPUS:
        return objr__diag_set(diag, OBJR_ERR_UNSUPPORTED, NULL, 0, (size_t)-1,
                              "%s: ISRC embedding is written for WAV, FLAC and MP3 masters; "
                              "for Opus it goes in the CUE sheet only",
                              path);
    }
    return OBJR_ERR_INVALID_ARG;
}
