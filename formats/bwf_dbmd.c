/* SPDX-License-Identifier: BSD-3-Clause */
/* The `dbmd` Dolby audio metadata chunk (EBU Tech 3285 Supplement 6, Dolby version 1.0.0.x):
 * a version word and checksummed segments; decoded are the Dolby Digital Plus downmix levels
 * (s6 §4.3.7-4.3.8) and the two Dolby Atmos segments (ids 9 and 10, laid out as Dolby's
 * published dbmd-atmos-parser reads them). Every length is checked against the payload; a
 * segment whose checksum, sync word or size is wrong is listed but not decoded. */
#include "objrender/objr_dbmd.h"

#include <math.h>
#include <string.h>

#include "formats/bwf_internal.h"

/* Segment framing (s6 §3): id (1), size (2, little-endian), payload, checksum (1). */
#define SEG_HEADER_BYTES 3
#define SEG_CHECKSUM_BYTES 1
#define SEG_SIZE_ZERO_MEANS 65535u
#define VERSION_BYTES 4

/* Dolby Atmos segment (id 9): byte offsets in the payload. */
enum {
    ATMOS_TOOL = 32, /* char[64] content_creation_tool (after a 32-byte preamble) */
    ATMOS_TOOL_LEN = 64,
    ATMOS_TOOL_VERSION = 96, /* major, minor, micro */
    ATMOS_DOWNMIX = 139,     /* x ddd xx pp: downmix_type_5to2, phaseshift_90deg_5to2 */
    ATMOS_RENDERING = 152,   /* bb rrr www: bed_distribution, warp_mode */
    ATMOS_MIN_BYTES = 153,
};
/* Dolby Atmos supplemental segment (id 10). */
#define SUPP_SYNC 0xF8726FBDu
enum {
    SUPP_OBJECT_COUNT = 4, /* u16 */
    SUPP_TRIMS = 7,        /* 9 x 15 bytes */
    SUPP_TRIM_BYTES = 15,  /* auto flag, 3 x float32 trims (dB), 2 balance bytes */
    SUPP_FIXED_BYTES = SUPP_TRIMS + OBJR_DBMD_N_TRIM_CONFIGS * SUPP_TRIM_BYTES,
};
/* Dolby Digital Plus segment (id 7). */
enum {
    DDP_PROGRAM_INFO = 1, /* 0 lfeon bsmod(3) acmod(3) */
    DDP_DIALNORM = 5,     /* langcode copyrightb origbs dialnorm(5) */
    DDP_EXT_BSI1_W1 = 8,  /* 00 lorocmixlev(3) lorosurmixlev(3) */
    DDP_EXT_BSI1_W2 = 9,  /* dmixmod(2) ltrtcmixlev(3) ltrtsurmixlev(3) */
    DDP_MIN_BYTES = 10,
};
/* Manual trims outside this range are refused as implausible (dB). */
#define TRIM_MIN_DB (-60.0)
#define TRIM_MAX_DB 24.0
#define BALANCE_STEPS 127.0

struct objr_dbmd {
    uint32_t version;
    size_t n_segments;
    objr_dbmd_segment *segments;
    int has_atmos, has_supp, has_ddplus;
    objr_dbmd_atmos atmos;
    objr_dbmd_trim trims[OBJR_DBMD_N_TRIM_CONFIGS];
    size_t n_tracks;
    uint8_t *track_trim; /* per track: raw byte */
    uint8_t *track_hp;   /* per track: raw byte */
    objr_dbmd_ddplus ddplus;
};

static const char *segment_name(uint8_t id) {
    switch (id) {
    case OBJR_DBMD_SEG_DOLBY_E:
        return "Dolby E";
    case OBJR_DBMD_SEG_DOLBY_DIGITAL:
        return "Dolby Digital";
    case OBJR_DBMD_SEG_DOLBY_DIGITAL_PLUS:
        return "Dolby Digital Plus";
    case OBJR_DBMD_SEG_AUDIO_INFO:
        return "Audio Info";
    case OBJR_DBMD_SEG_ATMOS:
        return "Dolby Atmos";
    case OBJR_DBMD_SEG_ATMOS_SUPPLEMENTAL:
        return "Dolby Atmos supplemental";
    default:
        return "unknown";
    }
}

/* s6 §3.3: two's complement of the byte sum of size and payload. The text seeds the sum with
 * "the metadata_segment_size"; Dolby's reader seeds it with the size's low byte. Both
 * readings agree below 256 bytes; either is accepted above. */
static int checksum_ok(const uint8_t *payload, size_t size, uint8_t stored) {
    unsigned sum_low = (unsigned)(size & 0xFF), sum_both = (unsigned)((size & 0xFF) + (size >> 8));
    for (size_t i = 0; i < size; i++) {
        sum_low += payload[i];
        sum_both += payload[i];
    }
    uint8_t a = (uint8_t)(0x100u - (sum_low & 0xFF)), b = (uint8_t)(0x100u - (sum_both & 0xFF));
    return stored == a || stored == b;
}

/* Tables 34, 35, 37, 38: 3-bit mix level codes, +3 dB down to -inf in 1.5 dB steps. */
static double mixlev_db(unsigned code) {
    return code >= 7 ? -HUGE_VAL : 3.0 - 1.5 * (double)code;
}

static float rd_f32(const uint8_t *p) {
    uint32_t u = objr__rd_u32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static int trim_ok(double db) {
    return isfinite(db) && db >= TRIM_MIN_DB && db <= TRIM_MAX_DB;
}

static double balance(uint8_t b) {
    double v = (double)(b & 0x7F) / BALANCE_STEPS;
    return (b & 0x80) ? -v : v;
}

static int decode_atmos(objr_dbmd *d, const uint8_t *p, size_t n) {
    if (n < ATMOS_MIN_BYTES)
        return 0;
    objr_dbmd_atmos *a = &d->atmos;
    memset(a, 0, sizeof *a);
    size_t len = 0;
    while (len < ATMOS_TOOL_LEN && p[ATMOS_TOOL + len])
        len++;
    memcpy(a->creation_tool, p + ATMOS_TOOL, len);
    for (size_t i = 0; i < len; i++) /* printable ASCII only: it is shown and put in JSON */
        if (a->creation_tool[i] < 0x20 || a->creation_tool[i] > 0x7E)
            a->creation_tool[i] = '?';
    memcpy(a->tool_version, p + ATMOS_TOOL_VERSION, 3);
    a->downmix_2ch = (p[ATMOS_DOWNMIX] >> 4) & 0x7;
    a->phase90_2ch = p[ATMOS_DOWNMIX] & 0x3;
    a->warp_mode = p[ATMOS_RENDERING] & 0x7;
    a->bed_distribution = (p[ATMOS_RENDERING] >> 6) & 0x3;
    d->has_atmos = 1;
    return 1;
}

static int decode_supplemental(objr_dbmd *d, const uint8_t *p, size_t n) {
    if (n < SUPP_FIXED_BYTES || objr__rd_u32(p) != SUPP_SYNC)
        return 0;
    size_t n_tracks = objr__rd_u16(p + SUPP_OBJECT_COUNT);
    if (n_tracks > (n - SUPP_FIXED_BYTES) / 2)
        return 0; /* the per-track lists do not fit */
    uint8_t *tt = objr__malloc(n_tracks ? n_tracks : 1),
            *hp = objr__malloc(n_tracks ? n_tracks : 1);
    if (!tt || !hp) {
        objr__freep(&tt);
        objr__freep(&hp);
        return -1;
    }
    for (size_t c = 0; c < OBJR_DBMD_N_TRIM_CONFIGS; c++) {
        const uint8_t *t = p + SUPP_TRIMS + c * SUPP_TRIM_BYTES;
        objr_dbmd_trim *o = &d->trims[c];
        o->automatic = t[0] & 0x1;
        o->centre_trim_db = rd_f32(t + 1);
        o->surround_trim_db = rd_f32(t + 5);
        o->height_trim_db = rd_f32(t + 9);
        o->balance_overhead_floor = balance(t[13]);
        o->balance_listener = balance(t[14]);
        o->valid = o->automatic || (trim_ok(o->centre_trim_db) && trim_ok(o->surround_trim_db) &&
                                    trim_ok(o->height_trim_db));
    }
    memcpy(tt, p + SUPP_FIXED_BYTES, n_tracks);
    memcpy(hp, p + SUPP_FIXED_BYTES + n_tracks, n_tracks);
    d->track_trim = tt;
    d->track_hp = hp;
    d->n_tracks = n_tracks;
    d->has_supp = 1;
    return 1;
}

static int decode_ddplus(objr_dbmd *d, const uint8_t *p, size_t n) {
    if (n < DDP_MIN_BYTES)
        return 0;
    objr_dbmd_ddplus *o = &d->ddplus;
    o->acmod = p[DDP_PROGRAM_INFO] & 0x7;
    o->lfe_on = (p[DDP_PROGRAM_INFO] >> 6) & 0x1;
    int dn = p[DDP_DIALNORM] & 0x1F;
    o->dialnorm_db = dn ? dn : 31; /* §4.3.4.4: 0 is read as 31 */
    o->loro_centre_db = mixlev_db((p[DDP_EXT_BSI1_W1] >> 3) & 0x7);
    o->loro_surround_db = mixlev_db(p[DDP_EXT_BSI1_W1] & 0x7);
    o->preferred_downmix = (p[DDP_EXT_BSI1_W2] >> 6) & 0x3;
    o->ltrt_centre_db = mixlev_db((p[DDP_EXT_BSI1_W2] >> 3) & 0x7);
    o->ltrt_surround_db = mixlev_db(p[DDP_EXT_BSI1_W2] & 0x7);
    d->has_ddplus = 1;
    return 1;
}

/* Decode the first segment of each known type; later ones are listed only. */
static int decode_segment(objr_dbmd *d, uint8_t id, const uint8_t *p, size_t n) {
    switch (id) {
    case OBJR_DBMD_SEG_ATMOS:
        return d->has_atmos ? 0 : decode_atmos(d, p, n);
    case OBJR_DBMD_SEG_ATMOS_SUPPLEMENTAL:
        return d->has_supp ? 0 : decode_supplemental(d, p, n);
    case OBJR_DBMD_SEG_DOLBY_DIGITAL_PLUS:
        return d->has_ddplus ? 0 : decode_ddplus(d, p, n);
    default:
        return 0;
    }
}

/* Walk the segments: count them (segs NULL) or fill segs. Returns the status; *n_out the
 * count. Offsets in messages are payload offsets plus @p base. */
static objr_status walk(const uint8_t *data, size_t size, size_t base, objr_diag *diag,
                        objr_dbmd_segment *segs, size_t *n_out) {
    size_t pos = VERSION_BYTES, n = 0;
    for (;;) {
        if (pos >= size)
            return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "dbmd", 0, base + pos,
                                  "dbmd: no end marker (segment id 0) before the end of the "
                                  "chunk at byte %zu",
                                  base + pos);
        uint8_t id = data[pos];
        if (id == OBJR_DBMD_SEG_END)
            break;
        if (size - pos < SEG_HEADER_BYTES)
            return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "dbmd", 0, base + pos,
                                  "dbmd: segment header at byte %zu is cut off", base + pos);
        size_t seg = objr__rd_u16(data + pos + 1);
        if (seg == 0)
            seg = SEG_SIZE_ZERO_MEANS;
        size_t avail = size - pos - SEG_HEADER_BYTES;
        if (seg > avail || avail - seg < SEG_CHECKSUM_BYTES)
            return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "dbmd", 0, base + pos,
                                  "dbmd: %s segment at byte %zu announces %zu bytes, the chunk "
                                  "has %zu left",
                                  segment_name(id), base + pos, seg + SEG_CHECKSUM_BYTES, avail);
        if (n >= OBJR_DBMD_MAX_SEGMENTS)
            return objr__diag_set(diag, OBJR_ERR_LIMIT, "dbmd", 0, base + pos,
                                  "dbmd: more than %d segments", OBJR_DBMD_MAX_SEGMENTS);
        if (segs) {
            const uint8_t *pl = data + pos + SEG_HEADER_BYTES;
            objr_dbmd_segment *s = &segs[n];
            s->id = id;
            s->name = segment_name(id);
            s->offset = pos;
            s->size = seg;
            s->checksum_ok = checksum_ok(pl, seg, pl[seg]);
            s->decoded = 0;
        }
        n++;
        pos += SEG_HEADER_BYTES + seg + SEG_CHECKSUM_BYTES;
    }
    *n_out = n;
    return OBJR_OK;
}

static objr_status parse_at(const uint8_t *data, size_t size, size_t base, objr_diag *diag,
                            objr_dbmd **out) {
    *out = NULL;
    if (!data && size)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "dbmd", 0, base, "dbmd: no data");
    if (size < VERSION_BYTES)
        return objr__diag_set(diag, OBJR_ERR_TRUNCATED, "dbmd", 0, base,
                              "dbmd: %zu bytes, too short for the version", size);
    size_t n = 0;
    objr_status st = walk(data, size, base, diag, NULL, &n);
    if (st != OBJR_OK)
        return st;
    objr_dbmd *d = objr__calloc(1, sizeof *d);
    if (!d || !(d->segments = objr__calloc(n ? n : 1, sizeof *d->segments))) {
        objr_dbmd_destroy(d);
        return objr__diag_set(diag, OBJR_ERR_NOMEM, "dbmd", 0, base, "dbmd: out of memory");
    }
    d->version = objr__rd_u32(data);
    (void)walk(data, size, base, diag, d->segments, &d->n_segments);
    /* Version 1.x only: a later major version may lay the segments out differently. */
    int known = (d->version >> 24) == 1;
    for (size_t i = 0; known && i < d->n_segments; i++) {
        objr_dbmd_segment *s = &d->segments[i];
        if (!s->checksum_ok)
            continue;
        int r = decode_segment(d, s->id, data + s->offset + SEG_HEADER_BYTES, s->size);
        if (r < 0) {
            objr_dbmd_destroy(d);
            return objr__diag_set(diag, OBJR_ERR_NOMEM, "dbmd", 0, base, "dbmd: out of memory");
        }
        s->decoded = r;
    }
    *out = d;
    return OBJR_OK;
}

objr_status objr_dbmd_parse(const uint8_t *data, size_t size, objr_diag *diag, objr_dbmd **out) {
    return parse_at(data, size, 0, diag, out);
}

objr_status objr_dbmd_from_bwf(const objr_bwf *f, objr_diag *diag, objr_dbmd **out) {
    *out = NULL;
    size_t n = objr_bwf_chunk_count(f);
    for (size_t i = 0; i < n; i++) {
        objr_bwf_chunk c;
        if (objr_bwf_get_chunk(f, i, &c) != OBJR_OK || memcmp(c.id, "dbmd", 4) != 0)
            continue;
        if (!c.data) /* above the reader's max_chunk_bytes: not kept */
            return objr__diag_set(diag, OBJR_ERR_LIMIT, "dbmd", 0, (size_t)c.offset,
                                  "dbmd chunk at byte %llu (%llu bytes) is too large",
                                  (unsigned long long)c.offset, (unsigned long long)c.size);
        return parse_at(c.data, (size_t)c.size, (size_t)c.offset + 8, diag, out);
    }
    return OBJR_OK;
}

void objr_dbmd_destroy(objr_dbmd *d) {
    if (!d)
        return;
    objr__freep(&d->segments);
    objr__freep(&d->track_trim);
    objr__freep(&d->track_hp);
    objr__freep(&d);
}

uint32_t objr_dbmd_version(const objr_dbmd *d) {
    return d->version;
}

size_t objr_dbmd_segment_count(const objr_dbmd *d) {
    return d->n_segments;
}

objr_status objr_dbmd_get_segment(const objr_dbmd *d, size_t i, objr_dbmd_segment *out) {
    if (i >= d->n_segments)
        return OBJR_ERR_INVALID_ARG;
    *out = d->segments[i];
    return OBJR_OK;
}

objr_status objr_dbmd_get_atmos(const objr_dbmd *d, objr_dbmd_atmos *out) {
    if (!d->has_atmos)
        return OBJR_ERR_STATE;
    *out = d->atmos;
    return OBJR_OK;
}

objr_status objr_dbmd_get_trim(const objr_dbmd *d, size_t config, objr_dbmd_trim *out) {
    if (config >= OBJR_DBMD_N_TRIM_CONFIGS)
        return OBJR_ERR_INVALID_ARG;
    if (!d->has_supp)
        return OBJR_ERR_STATE;
    *out = d->trims[config];
    return OBJR_OK;
}

const char *objr_dbmd_trim_config_name(size_t config) {
    static const char *const names[OBJR_DBMD_N_TRIM_CONFIGS] = {
        "2.0", "5.1", "7.1", "2.1.2", "5.1.2", "7.1.2", "2.1.4", "5.1.4", "7.1.4"};
    return config < OBJR_DBMD_N_TRIM_CONFIGS ? names[config] : "";
}

size_t objr_dbmd_track_count(const objr_dbmd *d) {
    return d->n_tracks;
}

int objr_dbmd_track_binaural_mode(const objr_dbmd *d, size_t i) {
    return i < d->n_tracks ? d->track_hp[i] & 0x7 : -1;
}

int objr_dbmd_track_trim_bypass(const objr_dbmd *d, size_t i) {
    return i < d->n_tracks ? (d->track_trim[i] & 0x3) == 1 : -1;
}

objr_status objr_dbmd_get_ddplus(const objr_dbmd *d, objr_dbmd_ddplus *out) {
    if (!d->has_ddplus)
        return OBJR_ERR_STATE;
    *out = d->ddplus;
    return OBJR_OK;
}

const char *objr_dbmd_binaural_mode_name(int mode) {
    static const char *const names[] = {"off", "near", "far", "mid", "not indicated"};
    return mode >= 0 && mode <= OBJR_DBMD_BINAURAL_NOT_INDICATED ? names[mode] : "reserved";
}

const char *objr_dbmd_downmix_2ch_name(int downmix) {
    static const char *const names[] = {"not indicated (Lo/Ro)", "Lo/Ro", "Lt/Rt (Pro Logic)",
                                        "Lt/Rt (Pro Logic II)", "direct stereo render"};
    return downmix >= 0 && downmix <= OBJR_DBMD_DOWNMIX_DIRECT ? names[downmix] : "reserved";
}

const char *objr_dbmd_warp_mode_name(int warp_mode) {
    static const char *const names[] = {"direct render", "direct render with room balance",
                                        "Pro Logic IIx", "standard (Lo/Ro)", "not indicated"};
    return warp_mode >= 0 && warp_mode <= OBJR_DBMD_WARP_NOT_INDICATED ? names[warp_mode]
                                                                       : "reserved";
}
