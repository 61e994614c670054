/* SPDX-License-Identifier: BSD-3-Clause */
/* Dolby audio metadata: the `dbmd` chunk of a BWF (EBU Tech 3285 Supplement 6: version,
 * checksummed metadata segments), with the Dolby Atmos segments written by Pro Tools and the
 * Dolby tools (creation tool, 5.1 warp mode, 5.1 -> 2.0 downmix type, per-configuration trims,
 * per-track binaural render modes) and the Dolby Digital Plus downmix levels. Read-only. */
#ifndef OBJR_OBJR_DBMD_H
#define OBJR_OBJR_DBMD_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed `dbmd` payload. Opaque, immutable after parsing (may be shared read-only). */
typedef struct objr_dbmd objr_dbmd;

/** Segment types (Tech 3285 s6 Table 2; 9 and 10 as Dolby's dbmd-atmos-parser reads them). */
typedef enum objr_dbmd_segment_id {
    OBJR_DBMD_SEG_END = 0,
    OBJR_DBMD_SEG_DOLBY_E = 1,
    OBJR_DBMD_SEG_DOLBY_DIGITAL = 3,
    OBJR_DBMD_SEG_DOLBY_DIGITAL_PLUS = 7,
    OBJR_DBMD_SEG_AUDIO_INFO = 8,
    OBJR_DBMD_SEG_ATMOS = 9,
    OBJR_DBMD_SEG_ATMOS_SUPPLEMENTAL = 10,
} objr_dbmd_segment_id;

/** Most segments one chunk may hold (more -> OBJR_ERR_LIMIT). */
#define OBJR_DBMD_MAX_SEGMENTS 4096
/** Trim configurations of the Atmos supplemental segment, in this order:
 *  2.0, 5.1, 7.1, 2.1.2, 5.1.2, 7.1.2, 2.1.4, 5.1.4, 7.1.4. */
#define OBJR_DBMD_N_TRIM_CONFIGS 9

/** One metadata segment as found (a value type). */
typedef struct objr_dbmd_segment {
    uint8_t id;       /**< objr_dbmd_segment_id or another value */
    const char *name; /**< "Dolby Atmos", "Dolby Digital Plus", ..., "unknown" */
    size_t offset;    /**< byte offset of the id byte in the payload */
    size_t size;      /**< payload bytes (a stored 0 means 65535, as the spec says) */
    int checksum_ok;  /**< 1 when the segment's checksum matches */
    int decoded;      /**< 1 when its fields were read (known type, checksum and size ok) */
} objr_dbmd_segment;

/** The 5.1 -> 2.0 downmix chosen in the Atmos segment (downmix_type_5to2). */
typedef enum objr_dbmd_downmix_2ch {
    OBJR_DBMD_DOWNMIX_NOT_INDICATED = 0, /**< Lo/Ro by default */
    OBJR_DBMD_DOWNMIX_LORO = 1,
    OBJR_DBMD_DOWNMIX_LTRT_PL = 2,   /**< Lt/Rt (Dolby Pro Logic) */
    OBJR_DBMD_DOWNMIX_LTRT_PLII = 3, /**< Lt/Rt (Dolby Pro Logic II) */
    OBJR_DBMD_DOWNMIX_DIRECT = 4,    /**< direct stereo render */
} objr_dbmd_downmix_2ch;

/** How 5.1(.x) is rendered (warp_mode of the Atmos segment). */
typedef enum objr_dbmd_warp_mode {
    OBJR_DBMD_WARP_NORMAL = 0,        /**< direct render */
    OBJR_DBMD_WARP_WARPING = 1,       /**< direct render with room balance */
    OBJR_DBMD_WARP_PLIIX = 2,         /**< downmix from 7.1 with Dolby Pro Logic IIx */
    OBJR_DBMD_WARP_LORO = 3,          /**< standard (Lo/Ro) downmix from 7.1 */
    OBJR_DBMD_WARP_NOT_INDICATED = 4, /**< the renderer's default */
} objr_dbmd_warp_mode;

/** The Dolby Atmos segment (id 9). */
typedef struct objr_dbmd_atmos {
    char creation_tool[65];  /**< content_creation_tool, NUL-terminated */
    uint8_t tool_version[3]; /**< major, minor, micro */
    int warp_mode;           /**< objr_dbmd_warp_mode (raw 3-bit value) */
    int downmix_2ch;         /**< objr_dbmd_downmix_2ch (raw 3-bit value) */
    int phase90_2ch;         /**< 5.1 -> 2.0 surround phase shift: 0 none, 1 90 degrees,
                                  2-3 not indicated (raw 2-bit value) */
    int bed_distribution;    /**< raw 2-bit value */
} objr_dbmd_atmos;

/** Trims of one speaker configuration (Atmos supplemental segment). */
typedef struct objr_dbmd_trim {
    int automatic;         /**< 1: the renderer's automatic trims; the values below unused */
    int valid;             /**< 0 when a manual value is NaN/inf or outside [-60, +24] dB */
    double centre_trim_db; /**< manual trims, dB */
    double surround_trim_db;
    double height_trim_db;
    double balance_overhead_floor; /**< front/back balance amount/127, negative when the
                                        direction bit is set, -1..+1 */
    double balance_listener;       /**< the same for the listener plane */
} objr_dbmd_trim;

/** Per-track binaural render mode (Atmos supplemental segment), raw values. */
typedef enum objr_dbmd_binaural_mode {
    OBJR_DBMD_BINAURAL_OFF = 0, /**< bypass: no binaural processing */
    OBJR_DBMD_BINAURAL_NEAR = 1,
    OBJR_DBMD_BINAURAL_FAR = 2,
    OBJR_DBMD_BINAURAL_MID = 3,
    OBJR_DBMD_BINAURAL_NOT_INDICATED = 4,
} objr_dbmd_binaural_mode;

/** The Dolby Digital Plus segment (id 7): downmix levels of Tech 3285 s6 §4.3. */
typedef struct objr_dbmd_ddplus {
    int acmod; /**< audio coding mode (7 = 3/2) */
    int lfe_on;
    int dialnorm_db;       /**< dialogue level below full scale, 1..31 dB */
    int preferred_downmix; /**< dmixmod: 0 not indicated, 1 Pro Logic, 2 stereo (Lo/Ro),
                                3 Pro Logic II */
    double loro_centre_db; /**< -inf for "mute" */
    double loro_surround_db;
    double ltrt_centre_db;
    double ltrt_surround_db;
} objr_dbmd_ddplus;

/**
 * @brief Parse a `dbmd` payload (an untrusted binary: every length is checked).
 * @param[out] diag optional: what is wrong and the byte offset in the payload.
 * @param[out] out the parsed view, NULL on failure.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_TRUNCATED (shorter than the version, a
 *         segment longer than the data, or no end marker); OBJR_ERR_LIMIT (more than
 *         OBJR_DBMD_MAX_SEGMENTS segments); OBJR_ERR_NOMEM. A segment with a bad checksum, a
 *         bad sync word or a size too small for its type is listed but not decoded.
 */
OBJR_API OBJR_NODISCARD objr_status objr_dbmd_parse(const uint8_t *data, size_t size,
                                                    objr_diag *diag, objr_dbmd **out)
    OBJR_NONNULL(4);

/**
 * @brief Parse the `dbmd` chunk of an open BWF. *out is NULL (and OBJR_OK returned) when the
 *        file has none. @return as objr_dbmd_parse(); diag offsets are file offsets.
 */
OBJR_API OBJR_NODISCARD objr_status objr_dbmd_from_bwf(const objr_bwf *f, objr_diag *diag,
                                                       objr_dbmd **out) OBJR_NONNULL(1, 3);

/** @brief Free a parsed view. NULL-safe. */
OBJR_API void objr_dbmd_destroy(objr_dbmd *d);

/** @brief The chunk's version as written (1.0.0.6 = 0x01000006). */
OBJR_API uint32_t objr_dbmd_version(const objr_dbmd *d) OBJR_NONNULL(1);

/** @brief Number of segments before the end marker. */
OBJR_API size_t objr_dbmd_segment_count(const objr_dbmd *d) OBJR_NONNULL(1);

/** @brief Describe segment @p i. @return OBJR_OK or OBJR_ERR_INVALID_ARG (out untouched). */
OBJR_API objr_status objr_dbmd_get_segment(const objr_dbmd *d, size_t i, objr_dbmd_segment *out)
    OBJR_NONNULL(1, 3);

/** @brief The first decoded Dolby Atmos segment. @return OBJR_OK, or OBJR_ERR_STATE when
 *         there is none (out untouched). */
OBJR_API objr_status objr_dbmd_get_atmos(const objr_dbmd *d, objr_dbmd_atmos *out)
    OBJR_NONNULL(1, 2);

/** @brief Trims of configuration @p config (0 = 2.0, 1 = 5.1, ... see
 *         OBJR_DBMD_N_TRIM_CONFIGS) from the first decoded supplemental segment.
 *  @return OBJR_OK; OBJR_ERR_STATE (no supplemental segment); OBJR_ERR_INVALID_ARG. */
OBJR_API objr_status objr_dbmd_get_trim(const objr_dbmd *d, size_t config, objr_dbmd_trim *out)
    OBJR_NONNULL(1, 3);

/** @brief Name of trim configuration @p config ("2.0", "5.1", ...), "" when out of range. */
OBJR_API const char *objr_dbmd_trim_config_name(size_t config);

/** @brief Entries of the supplemental segment's per-track lists (its object_count: one per
 *         track of the file, beds included, in track order); 0 when there is none. */
OBJR_API size_t objr_dbmd_track_count(const objr_dbmd *d) OBJR_NONNULL(1);

/** @brief Binaural render mode (objr_dbmd_binaural_mode) of track @p i (0-based), or -1 when
 *         @p i is out of range. */
OBJR_API int objr_dbmd_track_binaural_mode(const objr_dbmd *d, size_t i) OBJR_NONNULL(1);

/** @brief 1 when track @p i (0-based) bypasses the trims, 0 when they apply, -1 out of range. */
OBJR_API int objr_dbmd_track_trim_bypass(const objr_dbmd *d, size_t i) OBJR_NONNULL(1);

/** @brief The first decoded Dolby Digital Plus segment. @return OBJR_OK or OBJR_ERR_STATE. */
OBJR_API objr_status objr_dbmd_get_ddplus(const objr_dbmd *d, objr_dbmd_ddplus *out)
    OBJR_NONNULL(1, 2);

/**
 * @brief A few lines of text describing @p d (segments, creation tool, 5.1 and 2.0 downmix,
 *        trims, binaural render modes by track), each line ending in '\n'.
 * @return a malloc'd string the caller frees with free(); NULL when out of memory.
 */
OBJR_API char *objr_dbmd_describe(const objr_dbmd *d) OBJR_NONNULL(1);

/** @brief The same as one JSON object (dB values that are -inf are null). free() it. */
OBJR_API char *objr_dbmd_to_json(const objr_dbmd *d) OBJR_NONNULL(1);

/** @brief Text names: "off", "near", "far", "mid", "not indicated" / "Lo/Ro", ... */
OBJR_API const char *objr_dbmd_binaural_mode_name(int mode);
OBJR_API const char *objr_dbmd_downmix_2ch_name(int downmix);
OBJR_API const char *objr_dbmd_warp_mode_name(int warp_mode);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_DBMD_H */
