/* SPDX-License-Identifier: BSD-3-Clause */
/* The `bext` Broadcast Audio Extension chunk (EBU Tech 3285 v2, 2011): parse and serialise,
 * including the v2 loudness fields (EBU R128 values in hundredths, 0x7FFF = not set). */
#include <math.h>
#include <string.h>

#include "formats/bwf_internal.h"

/* Field offsets (EBU Tech 3285 v2 "BroadcastAudioExtension"). */
enum {
    BEXT_DESCRIPTION = 0,      /* char[256] */
    BEXT_ORIGINATOR = 256,     /* char[32] */
    BEXT_ORIGINATOR_REF = 288, /* char[32] */
    BEXT_DATE = 320,           /* char[10] */
    BEXT_TIME = 330,           /* char[8] */
    BEXT_TIME_REF = 338,       /* u32 low, u32 high */
    BEXT_VERSION = 346,        /* u16 */
    BEXT_UMID = 348,           /* u8[64] */
    BEXT_LOUDNESS = 412,       /* 5 x i16 */
    BEXT_RESERVED = 422,       /* 180 bytes */
};
#define BEXT_LOUDNESS_UNSET 0x7FFF
#define BEXT_LOUDNESS_SCALE 100.0

static void get_str(char *dst, size_t dst_size, const uint8_t *src, size_t n) {
    size_t len = 0;
    while (len < n && len < dst_size - 1 && src[len])
        len++;
    memcpy(dst, src, len);
    dst[len] = 0;
}

static double get_loud(const uint8_t *p, int present) {
    int16_t v = (int16_t)objr__rd_u16(p);
    if (!present || v == BEXT_LOUDNESS_UNSET)
        return NAN;
    return v / BEXT_LOUDNESS_SCALE;
}

objr_status objr__bext_parse(const uint8_t *data, size_t size, uint64_t base_offset,
                             objr_diag *diag, objr_bwf_bext *out, char **history_out) {
    *history_out = NULL;
    /* Version 0 files end the fixed part at the same offset (the UMID/reserved bytes are
     * zero), so the fixed size applies to every version. */
    if (size < OBJR_BWF_BEXT_FIXED_BYTES)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "bext", 0, (size_t)base_offset,
                              "bext chunk at byte %llu has %zu bytes, need at least %d",
                              (unsigned long long)base_offset, size, OBJR_BWF_BEXT_FIXED_BYTES);
    memset(out, 0, sizeof *out);
    get_str(out->description, sizeof out->description, data + BEXT_DESCRIPTION, 256);
    get_str(out->originator, sizeof out->originator, data + BEXT_ORIGINATOR, 32);
    get_str(out->originator_reference, sizeof out->originator_reference, data + BEXT_ORIGINATOR_REF,
            32);
    get_str(out->origination_date, sizeof out->origination_date, data + BEXT_DATE, 10);
    get_str(out->origination_time, sizeof out->origination_time, data + BEXT_TIME, 8);
    out->time_reference_frames = objr__rd_u64(data + BEXT_TIME_REF);
    out->version = objr__rd_u16(data + BEXT_VERSION);
    if (out->version >= 1)
        memcpy(out->umid, data + BEXT_UMID, 64);
    int v2 = out->version >= 2;
    out->loudness_value_lufs = get_loud(data + BEXT_LOUDNESS, v2);
    out->loudness_range_lu = get_loud(data + BEXT_LOUDNESS + 2, v2);
    out->max_true_peak_level_dbtp = get_loud(data + BEXT_LOUDNESS + 4, v2);
    out->max_momentary_loudness_lufs = get_loud(data + BEXT_LOUDNESS + 6, v2);
    out->max_short_term_loudness_lufs = get_loud(data + BEXT_LOUDNESS + 8, v2);
    size_t hist_len = size - OBJR_BWF_BEXT_FIXED_BYTES;
    const uint8_t *h = data + OBJR_BWF_BEXT_FIXED_BYTES;
    size_t n = 0;
    while (n < hist_len && h[n])
        n++;
    char *hist = objr__malloc(n + 1);
    if (!hist)
        return OBJR_ERR_NOMEM;
    memcpy(hist, h, n);
    hist[n] = 0;
    *history_out = hist;
    out->coding_history = hist;
    return OBJR_OK;
}

static void put_str(uint8_t *dst, size_t n, const char *s) {
    memcpy(dst, s, strnlen(s, n));
}

static void put_loud(uint8_t *p, double v) {
    long c = BEXT_LOUDNESS_UNSET;
    if (isfinite(v)) {
        c = lround(v * BEXT_LOUDNESS_SCALE);
        if (c < INT16_MIN)
            c = INT16_MIN;
        if (c > INT16_MAX - 1)
            c = INT16_MAX - 1;
    }
    objr__wr_u16(p, (uint16_t)(int16_t)c);
}

objr_status objr__bext_serialize(const objr_bwf_bext *b, uint8_t **out, size_t *out_size) {
    size_t hist = b->coding_history ? strlen(b->coding_history) : 0;
    size_t size = OBJR_BWF_BEXT_FIXED_BYTES + hist;
    uint8_t *d = objr__calloc(size, 1);
    if (!d)
        return OBJR_ERR_NOMEM;
    put_str(d + BEXT_DESCRIPTION, 256, b->description);
    put_str(d + BEXT_ORIGINATOR, 32, b->originator);
    put_str(d + BEXT_ORIGINATOR_REF, 32, b->originator_reference);
    put_str(d + BEXT_DATE, 10, b->origination_date);
    put_str(d + BEXT_TIME, 8, b->origination_time);
    objr__wr_u64(d + BEXT_TIME_REF, b->time_reference_frames);
    int has_loud = isfinite(b->loudness_value_lufs) || isfinite(b->loudness_range_lu) ||
                   isfinite(b->max_true_peak_level_dbtp) ||
                   isfinite(b->max_momentary_loudness_lufs) ||
                   isfinite(b->max_short_term_loudness_lufs);
    uint16_t version = b->version ? b->version : 1;
    if (has_loud && version < 2)
        version = 2;
    objr__wr_u16(d + BEXT_VERSION, version);
    memcpy(d + BEXT_UMID, b->umid, 64);
    if (version >= 2) {
        put_loud(d + BEXT_LOUDNESS, b->loudness_value_lufs);
        put_loud(d + BEXT_LOUDNESS + 2, b->loudness_range_lu);
        put_loud(d + BEXT_LOUDNESS + 4, b->max_true_peak_level_dbtp);
        put_loud(d + BEXT_LOUDNESS + 6, b->max_momentary_loudness_lufs);
        put_loud(d + BEXT_LOUDNESS + 8, b->max_short_term_loudness_lufs);
    }
    (void)BEXT_RESERVED;
    if (hist)
        memcpy(d + OBJR_BWF_BEXT_FIXED_BYTES, b->coding_history, hist);
    *out = d;
    *out_size = size;
    return OBJR_OK;
}
