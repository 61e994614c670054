/* SPDX-License-Identifier: BSD-3-Clause */
/* Byte-level builder of `dbmd` payloads (EBU Tech 3285 Supplement 6 framing; the Dolby Atmos
 * segments laid out as Dolby's dbmd-atmos-parser documents them), independent of the
 * library's parser. Header-only, test use only; builds on bwf_builder.h's byte buffer. */
#ifndef OBJR_TESTS_UNIT_DBMD_BUILDER_H
#define OBJR_TESTS_UNIT_DBMD_BUILDER_H

#include <stdint.h>
#include <string.h>

#include "unit/bwf_builder.h"

/* One segment: id, u16 size, payload, checksum = two's complement of (size low byte + the
 * payload bytes) (s6 §3.3). */
static inline void dbmd_segment(bb *b, unsigned id, const uint8_t *payload, size_t n) {
    bb_u8(b, id);
    bb_u16(b, (unsigned)n);
    bb_put(b, payload, n);
    unsigned sum = (unsigned)(n & 0xFF);
    for (size_t i = 0; i < n; i++)
        sum += payload[i];
    bb_u8(b, (0x100u - (sum & 0xFF)) & 0xFF);
}

/* Dolby Digital Plus segment (96 bytes, s6 §4.3): acmod 3/2 with LFE, dialnorm 24, the
 * ext_bsi1 words given. */
static inline void dbmd_ddplus(bb *b, unsigned ext_bsi1_word1, unsigned ext_bsi1_word2) {
    uint8_t p[96];
    memset(p, 0, sizeof p);
    p[1] = 0x40 | 0x07; /* lfeon, bsmod 0, acmod 3/2 */
    p[5] = 24;          /* dialnorm */
    p[8] = (uint8_t)ext_bsi1_word1;
    p[9] = (uint8_t)ext_bsi1_word2;
    dbmd_segment(b, 7, p, sizeof p);
}

/* Dolby Atmos segment (248 bytes): tool name and version, downmix byte (downmix_type_5to2 in
 * bits 6..4, 90-degree phase in bits 1..0) and rendering byte (bed_distribution 7..6, warp
 * mode 2..0). */
static inline void dbmd_atmos(bb *b, const char *tool, unsigned maj, unsigned min, unsigned mic,
                              unsigned downmix_byte, unsigned rendering_byte) {
    uint8_t p[248];
    memset(p, 0, sizeof p);
    memcpy(p, "Created using Dolby equipment", 29);
    size_t n = strlen(tool);
    memcpy(p + 32, tool, n < 64 ? n : 64);
    p[96] = (uint8_t)maj, p[97] = (uint8_t)min, p[98] = (uint8_t)mic;
    p[139] = (uint8_t)downmix_byte;
    p[152] = (uint8_t)rendering_byte;
    dbmd_segment(b, 9, p, sizeof p);
}

typedef struct dbmd_trim_spec {
    int automatic;
    float centre_db, surround_db, height_db;
    uint8_t balance_ohfl, balance_lstr; /* direction bit 7, amount 0..127 */
} dbmd_trim_spec;

static inline void put_f32(uint8_t *p, float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(u >> (8 * i));
}

/* Dolby Atmos supplemental segment: sync, object count, 9 trim configurations (those not
 * given are automatic), per-track trim byte and headphone byte. @p extra bytes of zeros are
 * appended. */
static inline void dbmd_supplemental(bb *b, const dbmd_trim_spec *trims, size_t n_trims,
                                     const uint8_t *track_trim, const uint8_t *track_hp,
                                     size_t n_tracks, uint32_t sync, size_t extra) {
    size_t n = 4 + 2 + 1 + 9 * 15 + 2 * n_tracks + extra;
    uint8_t *p = calloc(n, 1);
    ck_assert_ptr_nonnull(p);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(sync >> (8 * i));
    p[4] = (uint8_t)n_tracks, p[5] = (uint8_t)(n_tracks >> 8);
    for (size_t c = 0; c < 9; c++) {
        uint8_t *t = p + 7 + 15 * c;
        if (c >= n_trims || trims[c].automatic) {
            t[0] = 1;
            continue;
        }
        put_f32(t + 1, trims[c].centre_db);
        put_f32(t + 5, trims[c].surround_db);
        put_f32(t + 9, trims[c].height_db);
        t[13] = trims[c].balance_ohfl;
        t[14] = trims[c].balance_lstr;
    }
    memcpy(p + 142, track_trim, n_tracks);
    memcpy(p + 142 + n_tracks, track_hp, n_tracks);
    dbmd_segment(b, 10, p, n);
    free(p);
}

#define DBMD_SUPP_SYNC 0xF8726FBDu
#define DBMD_VERSION_1006 0x01000006u

#endif /* OBJR_TESTS_UNIT_DBMD_BUILDER_H */
