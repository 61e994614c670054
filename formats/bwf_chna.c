/* SPDX-License-Identifier: BSD-3-Clause */
/* The `chna` chunk (EBU Tech 3285 s7, ITU-R BS.2088): parse defensively, serialise. */
#include <stdio.h>
#include <string.h>

#include "formats/bwf_internal.h"

/* Copy a fixed-width field and trim the NUL/space padding writers use (EAR: NUL, libbw64:
 * space). Embedded control bytes are kept as '?' so a diag or a later ID lookup never sees
 * raw binary. */
static void copy_field(char *dst, size_t dst_size, const uint8_t *src, size_t n) {
    size_t len = n < dst_size - 1 ? n : dst_size - 1;
    size_t end = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == 0)
            break;
        dst[i] = (src[i] < 0x20 || src[i] >= 0x7F) ? '?' : (char)src[i];
        end = i + 1;
    }
    while (end > 0 && dst[end - 1] == ' ')
        end--;
    dst[end] = 0;
}

objr_status objr__chna_parse(const uint8_t *data, size_t size, uint64_t base_offset,
                             objr_diag *diag, objr__chna *out) {
    memset(out, 0, sizeof *out);
    if (size < OBJR_BWF_CHNA_HEADER_BYTES)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "chna", 0, (size_t)base_offset,
                              "chna chunk at byte %llu has %zu bytes, need at least 4",
                              (unsigned long long)base_offset, size);
    out->n_tracks_declared = objr__rd_u16(data);
    size_t n_uids = objr__rd_u16(data + 2);
    size_t avail = (size - OBJR_BWF_CHNA_HEADER_BYTES) / OBJR_BWF_CHNA_ID_BYTES;
    if (n_uids > avail)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "chna", 0, (size_t)base_offset,
                              "chna chunk at byte %llu declares %zu audioIDs but holds only %zu",
                              (unsigned long long)base_offset, n_uids, avail);
    if (n_uids == 0)
        return OBJR_OK;
    out->entries = objr__calloc(n_uids, sizeof *out->entries);
    if (!out->entries)
        return OBJR_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n_uids; i++) {
        const uint8_t *p = data + OBJR_BWF_CHNA_HEADER_BYTES + i * OBJR_BWF_CHNA_ID_BYTES;
        uint16_t track = objr__rd_u16(p);
        if (track == 0)
            continue; /* unused placeholder slot (libbw64 reserves them) */
        objr__chna_entry *e = &out->entries[k++];
        e->track_index = track;
        copy_field(e->uid, sizeof e->uid, p + 2, 12);
        copy_field(e->track_ref, sizeof e->track_ref, p + 14, 14);
        copy_field(e->pack_ref, sizeof e->pack_ref, p + 28, 11);
    }
    out->n_entries = k;
    return OBJR_OK;
}

void objr__chna_free(objr__chna *c) {
    if (!c)
        return;
    objr__freep(&c->entries);
    c->n_entries = 0;
}

/* Write a string into a fixed-width field, NUL-padded (EAR, Pro Tools and bmx style). */
static void put_field(uint8_t *dst, size_t n, const char *s) {
    size_t len = strnlen(s, n);
    memset(dst, 0, n);
    memcpy(dst, s, len);
}

objr_status objr__chna_serialize(const objr__chna_entry *entries, size_t n, uint8_t **out,
                                 size_t *out_size) {
    *out = NULL;
    *out_size = 0;
    if (n > UINT16_MAX || (n > 0 && !entries))
        return OBJR_ERR_INVALID_ARG;
    size_t size = OBJR_BWF_CHNA_HEADER_BYTES + n * OBJR_BWF_CHNA_ID_BYTES;
    uint8_t *b = objr__calloc(size, 1);
    if (!b)
        return OBJR_ERR_NOMEM;
    /* numTracks = distinct trackIndex values; a small bitmap over the u16 range. */
    uint8_t *seen = objr__calloc(65536 / 8, 1);
    if (!seen) {
        objr__freep(&b);
        return OBJR_ERR_NOMEM;
    }
    unsigned n_tracks = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t t = entries[i].track_index;
        if (!(seen[t >> 3] & (1u << (t & 7)))) {
            seen[t >> 3] = (uint8_t)(seen[t >> 3] | (1u << (t & 7)));
            n_tracks++;
        }
        uint8_t *p = b + OBJR_BWF_CHNA_HEADER_BYTES + i * OBJR_BWF_CHNA_ID_BYTES;
        objr__wr_u16(p, t);
        put_field(p + 2, 12, entries[i].uid);
        put_field(p + 14, 14, entries[i].track_ref);
        put_field(p + 28, 11, entries[i].pack_ref);
        p[39] = 0;
    }
    objr__freep(&seen);
    objr__wr_u16(b, (uint16_t)n_tracks);
    objr__wr_u16(b + 2, (uint16_t)n);
    *out = b;
    *out_size = size;
    return OBJR_OK;
}
