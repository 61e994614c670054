/* SPDX-License-Identifier: BSD-3-Clause */
/* The codec check: a master after lossy encoding with the real encoders (LAME, libopus through
 * libsndfile; AAC when the build has an encoder), decoded and measured for true peak and
 * loudness, as streaming services will transcode it. */
#ifndef OBJR_OBJR_CODEC_H
#define OBJR_OBJR_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Codec check: the master after lossy encoding (src/master/codec_check.c)                   */
/* ---------------------------------------------------------------------------------------- */

/** Lossy codecs a master can be checked through (streaming services transcode masters). */
typedef enum objr_codec {
    OBJR_CODEC_MP3 = 0,  /**< MPEG-1 Layer III, libmp3lame through libsndfile (CBR), 1-2 ch */
    OBJR_CODEC_OPUS = 1, /**< Ogg Opus, libopus through libsndfile (VBR), 8/12/16/24/48 kHz */
    OBJR_CODEC_AAC = 2,  /**< AAC-LC: needs an AAC encoder built in; this build has none, so it
                              is reported as skipped (one line saying why) */
} objr_codec;
/** Number of objr_codec values. */
#define OBJR_CODEC_COUNT 3
/** Bit of @p codec in objr_master_config.codec_mask. */
#define OBJR_CODEC_BIT(codec) (1u << (unsigned)(codec))
/** Default bitrate of the check: a common streaming tier (Spotify "normal", YouTube Music). */
#define OBJR_CODEC_DEFAULT_KBPS 128.0
/** Re-masters --codec-safe runs at most after the first master. */
#define OBJR_CODEC_SAFE_MAX_PASSES 4
/** Size of the text fields of objr_codec_result (bytes, with NUL). */
#define OBJR_CODEC_TEXT_SIZE 128

/** One codec's round trip of the master. Loudness figures are -HUGE_VAL when not measured. */
typedef struct objr_codec_result {
    objr_codec codec;
    int checked;                        /**< 1: encoded, decoded and measured; 0: skipped */
    char encoder[OBJR_CODEC_TEXT_SIZE]; /**< "LAME 3.100 (libsndfile-1.2.0)" and the like */
    char note[OBJR_CODEC_TEXT_SIZE];    /**< why it was skipped ("" when checked) */
    double bitrate_kbps;                /**< asked for (CBR for MP3, the VBR target for Opus) */
    double real_kbps;                   /**< measured: encoded bytes x 8 / duration */
    double rate_hz;                     /**< sample rate encoded */
    double true_peak_dbtp;        /**< of the decode, objrender's 8x meter, max over channels */
    double sample_peak_dbfs;      /**< of the decode */
    double integrated_lufs;       /**< of the decode (the master's channel weights) */
    double master_true_peak_dbtp; /**< the master's own true peak, for the difference */
    double master_integrated_lufs;
    int over_ceiling; /**< true_peak_dbtp > the delivery ceiling */
} objr_codec_result;

/** Outcome of a codec check (and of --codec-safe's re-masters). */
typedef struct objr_codec_report {
    unsigned n_results;                          /**< entries of results[] used */
    objr_codec_result results[OBJR_CODEC_COUNT]; /**< in the order mp3, opus, aac */
    double ceiling_dbtp;         /**< the delivery ceiling the decodes are held to */
    double limiter_ceiling_dbtp; /**< the ceiling the final master was limited to (lower than
                                      ceiling_dbtp after codec-safe re-masters) */
    unsigned remasters;          /**< codec-safe re-masters run (0: the first master passed) */
    int all_ok;                  /**< every checked decode at or under ceiling_dbtp */
} objr_codec_report;

/** Codec check configuration. Start from objr_codec_check_config_default(). */
typedef struct objr_codec_check_config {
    unsigned codec_mask;   /**< OBJR_CODEC_BIT()s to check. @default MP3 | OPUS */
    double bitrate_kbps;   /**< total bitrate of every codec, 32..320. @default 128 */
    double ceiling_dbtp;   /**< delivery ceiling the decodes are judged against. @default -1 */
    const double *weights; /**< n_channels BS.1770 weights (borrowed for the call), NULL for the
                                file's mask. @default NULL */
} objr_codec_check_config;

OBJR_API objr_codec_check_config objr_codec_check_config_default(void);

/**
 * @brief Encode @p path (any libsndfile-readable PCM file) with each codec of the mask, decode
 *        it, and measure the decode's true peak (objrender's 8x meter, BS.1770-4 Annex 2) and
 *        integrated loudness. The encoded streams live in anonymous temporary files (removed
 *        when closed); memory does not grow with the file. A codec the build or the file cannot
 *        use (MP3 over 2 channels, Opus at 44.1 kHz, AAC without an encoder) is reported as
 *        skipped with the reason, not as an error.
 * @param[out] out filled (its remasters 0, limiter_ceiling_dbtp = ceiling_dbtp).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (NULL, bitrate or ceiling out of range); OBJR_ERR_IO
 *         (the file or a temporary file cannot be read or written; an encoder failed);
 *         OBJR_ERR_RANGE (a non-finite sample). *out holds what was done before the error.
 */
OBJR_API OBJR_NODISCARD objr_status objr_codec_check_file(const objr_codec_check_config *cfg,
                                                          const char *path, objr_codec_report *out,
                                                          objr_diag *diag);

/** @brief "mp3", "opus", "aac" (NULL for an unknown value). */
OBJR_API const char *objr_codec_name(objr_codec codec);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_CODEC_H */
