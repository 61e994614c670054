/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender mixes: open an ADM BWF/RF64/BW64 (chna + axml, ITU-R BS.2088) or an ADM XML
 * document whose audioTrackUIDs point at stem files (mix.xml, urn:objrender:mix:1) once, and
 * stream its audio as planar float blocks: the same opening, stem policy and sample checks
 * objr_render_file() and objr_check_run() apply. */
#ifndef OBJR_OBJR_MIX_H
#define OBJR_OBJR_MIX_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_adm.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief An open mix: its scene and its audio files. One thread at a time. */
typedef struct objr_mix objr_mix;

/** @brief How a mix is opened. Always start from objr_mix_config_default(). */
typedef struct objr_mix_config {
    /** 1: refuse a scene whose validation finds an error, as a renderer does; 0: open it and
     *  leave the problems to objr_adm_validate(). @default 1 */
    int validate;
    /** 1: mix.xml stems may be absolute paths or leave the document's folder through "..";
     *  0: such a stem is an OBJR_ERR_REFERENCE naming its line and ID (a crafted mix.xml must
     *  not read, render or pack files elsewhere on the disk). @default 0 */
    int allow_external_stems;
    /** 1: NaN/Inf samples read as 0 and are counted (objr_mix_nonfinite()); 0: the first one
     *  is an OBJR_ERR_FORMAT naming the file, track and time. @default 0 */
    int repair_nonfinite;
    /** 1: stems with different sample rates open (a checker reports them); 0: an
     *  OBJR_ERR_FORMAT. @default 0 */
    int allow_mixed_rates;
} objr_mix_config;

/** @brief The defaults listed in objr_mix_config. */
OBJR_API objr_mix_config objr_mix_config_default(void);

/** @brief One audio file of a mix (a value filled by objr_mix_file_info()). */
typedef struct objr_mix_file_info {
    const char *path; /**< as opened; owned by the mix */
    const char *file; /**< as written in the mix.xml (the BWF: its path); owned by the mix */
    uint32_t n_channels;
    uint32_t n_channels_used; /**< highest channel the scene reads */
    uint32_t sample_rate_hz;
    uint64_t n_frames;
    uint16_t bits_per_sample; /**< 0 when unknown (lossy) */
    int is_float;
} objr_mix_file_info;

/**
 * @brief Open @p path (an ADM BWF, or an ADM XML document with stems) and read its scene.
 *        Stems are checked against the stem policy but not opened (objr_mix_open_audio()).
 * @param[in] cfg  options, or NULL for the defaults
 * @param[out] out the mix, NULL on failure
 * @param[out] diag optional: names the file, line and element
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_FORMAT (no ADM metadata; an encoding an ADM BWF does
 *         not carry, e.g. A-law); OBJR_ERR_REFERENCE (a stem outside the folder); the
 *         container and ADM readers' errors; OBJR_ERR_NOMEM.
 */
OBJR_API OBJR_NODISCARD objr_status objr_mix_open(const char *path, const objr_mix_config *cfg,
                                                  objr_mix **out, objr_diag *diag)
    OBJR_NONNULL(1, 3);

/** @brief Free the mix and everything it owns. NULL-safe. */
OBJR_API void objr_mix_destroy(objr_mix *mix);

/** @brief The scene, owned by the mix (valid until objr_mix_destroy()). */
OBJR_API objr_adm *objr_mix_adm(objr_mix *mix) OBJR_NONNULL(1);

/** @brief 1 for an ADM BWF, 0 for a mix.xml with stems. */
OBJR_API int objr_mix_is_bwf(const objr_mix *mix) OBJR_NONNULL(1);

/**
 * @brief Probe one audio file as a stem would be read (WAVE through objr_bwf, FLAC, AIFF and
 *        the other formats libsndfile reads). @p out->path and file are @p path.
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_FORMAT; OBJR_ERR_NOMEM (message in @p diag).
 */
OBJR_API objr_status objr_mix_probe_audio(const char *path, objr_mix_file_info *out,
                                          objr_diag *diag) OBJR_NONNULL(1, 2);

/**
 * @brief Open every audio file of the mix (the BWF, or each stem once) and allocate buffers
 *        of @p block_frames frames per channel.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (called twice, block_frames 0); OBJR_ERR_IO /
 *         OBJR_ERR_FORMAT (a stem cannot be read; rates differ); OBJR_ERR_REFERENCE (a
 *         channel beyond a stem's channels); OBJR_ERR_NOMEM.
 */
OBJR_API objr_status objr_mix_open_audio(objr_mix *mix, size_t block_frames, objr_diag *diag)
    OBJR_NONNULL(1);

/** @brief Files opened by objr_mix_open_audio() (0 before). */
OBJR_API size_t objr_mix_file_count(const objr_mix *mix) OBJR_NONNULL(1);
/** @brief Describe file @p i. @return OBJR_OK, OBJR_ERR_INVALID_ARG (out untouched). */
OBJR_API objr_status objr_mix_file_info_get(const objr_mix *mix, size_t i, objr_mix_file_info *out)
    OBJR_NONNULL(1, 3);
/** @brief Frames of the longest file (the mix's length), after objr_mix_open_audio(). */
OBJR_API uint64_t objr_mix_frames(const objr_mix *mix) OBJR_NONNULL(1);
/** @brief The mix's sample rate, after objr_mix_open_audio(). */
OBJR_API uint32_t objr_mix_sample_rate(const objr_mix *mix) OBJR_NONNULL(1);

/**
 * @brief Read the next @p n_frames (<= block_frames) of every file; files past their end read
 *        silence. The samples are in objr_mix_channel().
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_IO; OBJR_ERR_FORMAT (non-finite sample
 *         unless repair_nonfinite).
 */
OBJR_API objr_status objr_mix_read(objr_mix *mix, size_t n_frames, objr_diag *diag) OBJR_NONNULL(1);
/** @brief Channel @p ch (0-based) of file @p i after objr_mix_read(), or NULL. */
OBJR_API const float *objr_mix_channel(const objr_mix *mix, size_t i, uint32_t ch) OBJR_NONNULL(1);

/** @brief Warnings about the mix (one line each, naming the file); @p i < count. */
OBJR_API size_t objr_mix_warning_count(const objr_mix *mix) OBJR_NONNULL(1);
OBJR_API const char *objr_mix_warning(const objr_mix *mix, size_t i) OBJR_NONNULL(1);
/** @brief Non-finite samples replaced so far; when any, a summary ("N non-finite samples
 *         (NaN/Inf; first: FILE: track T at S s)") goes to @p buf. */
OBJR_API uint64_t objr_mix_nonfinite(const objr_mix *mix, char *buf, size_t size) OBJR_NONNULL(1);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_MIX_H */
