/* SPDX-License-Identifier: BSD-3-Clause */
/* Private interfaces of the BWF reader/writer (RIFF/RF64/BW64, EBU Tech 3285/3306, BS.2088):
 * chna/bext (de)serialisation, sample codecs, and internal accessors for the ADM model. */
#ifndef OBJR_FORMATS_BWF_INTERNAL_H
#define OBJR_FORMATS_BWF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "formats/chna.h"
#include "objrender/objr_bwf.h"
#include "src/core/core.h"
#include "src/core/filemap.h"
#include "src/dsp/pcm.h"

/** Size of one chna audioID record (EBU Tech 3285 s7). */
#define OBJR_BWF_CHNA_ID_BYTES 40
/** chna header: numTracks + numUIDs. */
#define OBJR_BWF_CHNA_HEADER_BYTES 4
/** Fixed part of a bext chunk before CodingHistory (EBU Tech 3285 v2). */
#define OBJR_BWF_BEXT_FIXED_BYTES 602
/** Minimum ds64 payload: three u64 + table length. */
#define OBJR_BWF_DS64_MIN_BYTES 28
/** A u32 chunk size meaning "look in ds64". */
#define OBJR_BWF_SIZE_IN_DS64 0xFFFFFFFFu

static inline uint16_t objr__rd_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}
static inline uint32_t objr__rd_u32(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline uint64_t objr__rd_u64(const uint8_t *p) {
    return (uint64_t)objr__rd_u32(p) | ((uint64_t)objr__rd_u32(p + 4) << 32);
}
static inline void objr__wr_u16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void objr__wr_u32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static inline void objr__wr_u64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/**
 * Parse a chna payload defensively: trims NUL/space padding, drops trackIndex 0, ignores
 * numTracks (kept as n_tracks_declared), reads only the whole records present (numUIDs larger
 * than the payload is an error, smaller is honoured). @p out is zeroed first; free with
 * objr__chna_free(). Errors name the byte offset @p base_offset + position in @p diag.
 */
OBJR_HIDDEN objr_status objr__chna_parse(const uint8_t *data, size_t size, uint64_t base_offset,
                                         objr_diag *diag, objr__chna *out);
OBJR_HIDDEN void objr__chna_free(objr__chna *c);
/** Serialise entries to a chna payload (numTracks = distinct track indices). Caller frees. */
OBJR_HIDDEN objr_status objr__chna_serialize(const objr__chna_entry *entries, size_t n,
                                             uint8_t **out, size_t *out_size);

/** Parse a bext payload into @p out (coding_history allocated into *history_out). */
OBJR_HIDDEN objr_status objr__bext_parse(const uint8_t *data, size_t size, uint64_t base_offset,
                                         objr_diag *diag, objr_bwf_bext *out, char **history_out);
/** Serialise a bext chunk payload. Caller frees. */
OBJR_HIDDEN objr_status objr__bext_serialize(const objr_bwf_bext *b, uint8_t **out,
                                             size_t *out_size);

/** Free the axml payload of an open file once its model is read (the text can be as large as
 *  the metadata it describes, ~200 bytes per block): objr_bwf_get_axml() then returns no
 *  data, and the chunk list keeps the chunk without data. */
OBJR_HIDDEN void objr__bwf_release_axml(objr_bwf *f);
/** The axml's mapping when it was mapped from the file rather than copied (NULL otherwise): the
 *  XML reader gives back the pages it has passed. */
OBJR_HIDDEN const objr__filemap *objr__bwf_axml_map(const objr_bwf *f);

/** The parsed chna of an open file (entries with trackIndex 0 dropped); NULL if none. */
OBJR_HIDDEN const objr__chna *objr__bwf_chna(const objr_bwf *f);

/** Bytes of the data chunk its header declares but the file does not hold (a file cut short:
 *  objr_bwf reads the whole frames that are there); 0 for a complete file. */
OBJR_HIDDEN uint64_t objr__bwf_data_bytes_missing(const objr_bwf *f);

/** objr_bwf_writer_set_chna() taking the internal entry type. */
OBJR_HIDDEN objr_status objr__bwf_writer_set_chna(objr_bwf_writer *w,
                                                  const objr__chna_entry *entries, size_t n);

/** objr_bwf_writer_set_axml() taking over the malloc'd @p xml (freed by the writer, also on
 *  error) instead of copying it: a large document is held once. */
OBJR_HIDDEN objr_status objr__bwf_writer_take_axml(objr_bwf_writer *w, uint8_t *xml, size_t n);

/**
 * Test hook: the writer switches to RF64/BW64 when the RIFF size would exceed @p bytes
 * (default 0xFFFFFFFF). Applies to writers created afterwards on this thread.
 */
OBJR_HIDDEN void objr__bwf_writer_set_large_threshold(uint64_t bytes);

/** Readable bytes objr__bwf_decode() needs before its input (24-bit samples are read with
 *  32-bit loads that start early; at least OBJR__PCM_S24_HEADROOM). */
#define OBJR_BWF_DECODE_HEADROOM 8
_Static_assert(OBJR_BWF_DECODE_HEADROOM >= OBJR__PCM_S24_HEADROOM, "decode headroom");

/** Decode @p n_frames interleaved frames of @p fmt to planar float (frame offset @p at), 24-bit
 *  PCM through the kernels of @p dsp (objr__pcmdsp_init()).
 *  @p in must be preceded by OBJR_BWF_DECODE_HEADROOM readable bytes. */
OBJR_HIDDEN void objr__bwf_decode(const objr__pcmdsp *dsp, objr_bwf_sample_format fmt,
                                  const uint8_t *in, size_t n_channels, size_t n_frames,
                                  float *const *out, size_t at);
/** Encode planar float to interleaved @p fmt with clipping (integers). */
OBJR_HIDDEN void objr__bwf_encode(objr_bwf_sample_format fmt, const float *const *in, size_t at,
                                  size_t n_channels, size_t n_frames, uint8_t *out);
/** Bytes per sample of @p fmt. */
OBJR_HIDDEN unsigned objr__bwf_sample_bytes(objr_bwf_sample_format fmt);

#endif /* OBJR_FORMATS_BWF_INTERNAL_H */
