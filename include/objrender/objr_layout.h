/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudspeaker layouts: the ITU-R BS.2051-3 systems, common names (7.1.4, 5.1, stereo...) and
 * custom layout files, with the output channel order objrender writes. */
#ifndef OBJR_OBJR_LAYOUT_H
#define OBJR_OBJR_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief An immutable loudspeaker layout (opaque). May be shared read-only between threads. */
typedef struct objr_layout objr_layout;

/** @brief Size of objr_speaker_info::label including the terminating NUL. */
#define OBJR_SPEAKER_LABEL_SIZE 16

/**
 * @brief One output channel of a layout (a value type).
 *
 * Angles follow the ADM convention: azimuth in degrees, positive to the LEFT (anticlockwise
 * seen from above), 0 = front; elevation in degrees, positive up.
 */
typedef struct objr_speaker_info {
    char label[OBJR_SPEAKER_LABEL_SIZE]; /**< BS.2051 label ("M+030", "LFE1") or custom label */
    double azimuth_deg;                  /**< real position used for rendering */
    double elevation_deg;                /**< real position used for rendering */
    double distance_m;                   /**< 1.0 when unknown */
    int is_lfe;                          /**< 1 for an LFE channel (never panned to) */
    uint32_t wav_mask_bit;               /**< WAVE_FORMAT_EXTENSIBLE bit, 0 when none */
} objr_speaker_info;

/**
 * @brief Look a built-in layout up by BS.2051 name ("4+7+0"), common name ("7.1.4", "5.1",
 * "stereo", "2.0", "22.2") or system letter ("J"); case-insensitive.
 * @param[out] out new handle, NULL on failure; free with objr_layout_destroy().
 * @return OBJR_OK, OBJR_ERR_LAYOUT (unknown name), OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM.
 */
OBJR_API OBJR_NODISCARD objr_status objr_layout_from_name(const char *name, objr_layout **out);

/**
 * @brief Parse a custom layout file held in memory (format: layouts/README.md): one speaker
 * per line "LABEL AZIMUTH_DEG ELEVATION_DEG [DISTANCE_M] [lfe]", '#' comments, optional
 * "name = ..." and "base = <layout>" (then the lines give real positions of the base
 * layout's speakers).
 * @param source_name used in messages ("room.txt:12: ..."); may be NULL.
 * @param[out] diag optional; on failure holds "file:line: what is wrong" and the line.
 * @return OBJR_OK; OBJR_ERR_FORMAT, OBJR_ERR_RANGE, OBJR_ERR_DUPLICATE, OBJR_ERR_LIMIT,
 *         OBJR_ERR_LAYOUT (two speakers in one place, no usable speakers, speakers that do
 *         not surround the listener), OBJR_ERR_NOMEM, OBJR_ERR_INVALID_ARG. *out is NULL on
 *         failure.
 */
OBJR_API OBJR_NODISCARD objr_status objr_layout_load_mem(const char *text, size_t n_bytes,
                                                         const char *source_name, objr_layout **out,
                                                         objr_diag *diag);

/** @brief As objr_layout_load_mem() for a file; OBJR_ERR_IO when it cannot be read. */
OBJR_API OBJR_NODISCARD objr_status objr_layout_load_file(const char *path, objr_layout **out,
                                                          objr_diag *diag);

/** @brief Free a layout. NULL-safe. */
OBJR_API void objr_layout_destroy(objr_layout *layout);

/** @brief Layout name ("4+7+0", or the custom file's name). Owned by @p layout. */
OBJR_API const char *objr_layout_name(const objr_layout *layout);

/** @brief Common name ("7.1.4") or "" when none. Owned by @p layout. */
OBJR_API const char *objr_layout_common_name(const objr_layout *layout);

/** @brief Number of output channels (LFE included). */
OBJR_API size_t objr_layout_n_channels(const objr_layout *layout);

/**
 * @brief Describe output channel @p channel (file order: the WAVE_FORMAT_EXTENSIBLE mask
 * order when the mask describes the layout, else BS.2051 / file order).
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (NULL or channel out of range; *out untouched).
 */
OBJR_API objr_status objr_layout_channel_info(const objr_layout *layout, size_t channel,
                                              objr_speaker_info *out);

/** @brief WAVE_FORMAT_EXTENSIBLE channel mask, 0 when the mask cannot describe the layout. */
OBJR_API uint32_t objr_layout_channel_mask(const objr_layout *layout);

/**
 * @brief A non-fatal problem found when loading, e.g. a real speaker position outside its
 * BS.2051 range (rendered anyway, as BS.2127 does), or "" when none. Owned by @p layout.
 */
OBJR_API const char *objr_layout_warning(const objr_layout *layout);

/**
 * @brief Resolve a layout name as engineers type it: spaces around it ignored, any case;
 * built-in names and aliases ("7.1.4", "4+7+0", "J", "stereo", "2.0", "LoRo", "mono", "1.0",
 * "5.1.2-dolby"), digits only ("714"), a trailing zero part ("7.1.4.0"), and "binaural" /
 * "headphones" (the headphone render). Names are matched before paths.
 * @param[out] out the name to use (the trimmed input when it is an exact name or alias, else
 *             the layout's common name; "binaural" for headphones), NUL-terminated.
 * @return OBJR_OK; OBJR_ERR_LAYOUT (not a known name; @p out untouched);
 *         OBJR_ERR_INVALID_ARG (NULL, or out_size 0).
 */
OBJR_API objr_status objr_layout_resolve_name(const char *name, char *out, size_t out_size);

/** @brief 1 when @p name is a custom layout file by its form: it contains '/' or ends in
 *         ".txt" or ".layout" (so "./binaural" is a file, "binaural" the headphone render). */
OBJR_API int objr_layout_name_is_path(const char *name);

/**
 * @brief The known names nearest to @p name by edit distance, comma-separated ("7.1.4,
 *        7.1.2"), at most 3, for a "did you mean" line. @return how many (0: none close).
 */
OBJR_API size_t objr_layout_suggest(const char *name, char *out, size_t out_size);

/** @brief Number of built-in layouts (for --list-layouts). */
OBJR_API size_t objr_layout_known_count(void);

/**
 * @brief Primary name of built-in layout @p index (< objr_layout_known_count()), or NULL.
 * Static string; pass it to objr_layout_from_name().
 */
OBJR_API const char *objr_layout_known_name(size_t index);

/** @brief '|'-separated names accepted for built-in layout @p index, or NULL. Static. */
OBJR_API const char *objr_layout_known_aliases(size_t index);

#ifdef __cplusplus
}
#endif

#endif /* OBJR_OBJR_LAYOUT_H */
