/* SPDX-License-Identifier: BSD-3-Clause */
/* Binaural rendering for headphones: every object convolved with the HRTF pair for its
 * direction from a SOFA (AES69) file, beds as virtual loudspeakers, LFE low-passed to both
 * ears, per-object distance treatment (off / near / mid / far, as Dolby's render modes) with
 * shared early reflections and a late reverb. */
#ifndef OBJR_OBJR_BINAURAL_H
#define OBJR_OBJR_BINAURAL_H

#include <stddef.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque binaural renderer. Used by one thread at a time. */
typedef struct objr_binaural objr_binaural;

/** Per-object distance treatment (ADM headphoneVirtualise / Dolby binaural render mode). */
typedef enum objr_binaural_mode {
    OBJR_BINAURAL_MODE_DEFAULT = 0, /**< per source: use the renderer's default_mode */
    OBJR_BINAURAL_MODE_OFF = 1,     /**< no HRTF: a constant-power stereo pan, no room */
    OBJR_BINAURAL_MODE_NEAR = 2,    /**< HRTF, a little room */
    OBJR_BINAURAL_MODE_MID = 3,     /**< HRTF, moderate room */
    OBJR_BINAURAL_MODE_FAR = 4,     /**< HRTF, most room, direct sound 3 dB down */
    /** HRTF alone, anechoic. As the renderer's default_mode it switches the room off for every
     *  source (near/mid/far render dry); sources marked OFF stay plain stereo. */
    OBJR_BINAURAL_MODE_DRY = 5,
} objr_binaural_mode;

/** Renderer configuration. Start from objr_binaural_config_default(). */
typedef struct objr_binaural_config {
    /** SOFA file; NULL (and no hrtf_data) = Debian's libmysofa default (MIT KEMAR).
     *  @default NULL */
    const char *hrtf_path;
    /** SOFA file contents in memory (borrowed for the create call); used when non-NULL. */
    const void *hrtf_data;
    size_t hrtf_size;
    double sample_rate_hz; /**< output rate; the HRTF is resampled once @default 48000 */
    size_t max_sources;    /**< source slots (objects + bed channels) @default 64 */
    /** smallest processing block in frames; the renderer may use a larger block (its FFT
     *  size minus the history the longest HRTF needs, a multiple of 16) so that the filter
     *  fits one partition: read the result with objr_binaural_block_frames(). @default 512 */
    size_t block_frames;
    objr_binaural_mode default_mode; /**< @default OBJR_BINAURAL_MODE_MID */
    double lfe_cutoff_hz;            /**< LFE low-pass (4th-order Linkwitz-Riley) @default 120 */
    double lfe_gain_db;              /**< LFE gain to each ear @default 0 */
    /** 0 = FFTW_ESTIMATE plans: the same plans every run, so the output is bit-identical run
     *  to run (as long as the process has no FFTW wisdom from elsewhere for these sizes);
     *  1 = FFTW_MEASURE: plans chosen by timing (slower create), whose rounding can differ
     *  from run to run (around -100 dB). @default 0 */
    int fft_measure;
    /** 1 = diffuse-field equalisation: the HRTF set's average response over all directions
     *  (ear canal, microphones, the measurement loudspeaker) is taken out with one
     *  minimum-phase filter, the same for both ears (ITDs and ILDs unchanged), so a render
     *  sounds neutral on headphones equalised to the diffuse field, as most are (each ear's
     *  diffuse-field response becomes flat at -3 dB); 0 = the
     *  set's own responses. The late reverb and OFF/LFE sources are not equalised.
     *  @default 1 */
    int diffuse_eq;
} objr_binaural_config;

/** @brief Defaults for every field. */
OBJR_API objr_binaural_config objr_binaural_config_default(void);

/** One source's parameters for the coming blocks. Start from objr_binaural_source_default(). */
typedef struct objr_binaural_source {
    int active;              /**< 0 = silent slot @default 1 */
    double azimuth_deg;      /**< ADM polar: 0 front, positive to the LEFT @default 0 */
    double elevation_deg;    /**< positive up @default 0 */
    double gain;             /**< linear @default 1 */
    double width_deg;        /**< ADM extent: spread over several directions @default 0 */
    double height_deg;       /**< @default 0 */
    double diffuse;          /**< 0..1: share sent to the decorrelated diffuse field @default 0 */
    objr_binaural_mode mode; /**< @default OBJR_BINAURAL_MODE_DEFAULT */
    int lfe; /**< 1 = LFE channel: low-passed to both ears, never an HRTF @default 0 */
} objr_binaural_source;

/** @brief Defaults for every field. */
OBJR_API objr_binaural_source objr_binaural_source_default(void);

/**
 * @brief Map ADM headphoneVirtualise to a mode: bypass -> OFF; otherwise by DRR (dB): no DRR
 *        -> DEFAULT, DRR >= 20 -> NEAR, >= 10 -> MID, below -> FAR.
 */
OBJR_API objr_binaural_mode objr_binaural_mode_from_adm(int bypass, int has_drr, double drr_db);

/**
 * @brief Load the HRTF set and prepare the renderer.
 * @param[in] cfg configuration (copied).
 * @param[out] diag optional detail on failure (file, what is wrong).
 * @param[out] out the renderer, NULL on failure.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (bad rate, zero or more than 4096 sources);
 *         OBJR_ERR_IO (HRTF file unreadable); OBJR_ERR_HRTF (malformed or unusable SOFA);
 *         OBJR_ERR_NOMEM; OBJR_ERR_INTERNAL (FFTW planning failed).
 */
OBJR_API OBJR_NODISCARD objr_status objr_binaural_create(const objr_binaural_config *cfg,
                                                         objr_diag *diag, objr_binaural **out);

/** @brief Free everything the renderer owns. NULL-safe. */
OBJR_API void objr_binaural_destroy(objr_binaural *b);

/** @brief Output delay in frames: output sample t + latency corresponds to input sample t. */
OBJR_API size_t objr_binaural_latency_frames(const objr_binaural *b);

/** @brief The processing block: process() calls of this many frames apply source parameters
 *         sample-accurately at block boundaries (other sizes are buffered). */
OBJR_API size_t objr_binaural_block_frames(const objr_binaural *b);

/**
 * @brief Set source @p index for the following audio. Changes ramp over one block (gains) or
 *        cross-fade between filters with a correlation-aware level correction (directions).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (index out of range, NULL); OBJR_ERR_RANGE (NaN or
 *         infinite values, negative gain or extent, diffuse outside 0..1). Unchanged on error.
 */
OBJR_API objr_status objr_binaural_set_source(objr_binaural *b, size_t index,
                                              const objr_binaural_source *src);

/**
 * @brief Render @p n_frames frames. No allocation, locking or I/O.
 *
 * The output is always finite: NaN and infinite input samples are rendered as silence (each
 * block of each source is checked), and should finite inputs so large that a sum overflows
 * still make a block non-finite, that block is silenced and every internal state restarts from
 * silence, as objr_binaural_reset() does.
 * @param[in] in max_sources planar float pointers (n_frames each); NULL entries are silence.
 * @param[out] out_l, out_r n_frames each (overwritten).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_binaural_process(objr_binaural *b, const float *const *in, float *out_l,
                                           float *out_r, size_t n_frames);

/** @brief Forget all audio history and parameter ramps (filters stay). */
OBJR_API void objr_binaural_reset(objr_binaural *b);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_BINAURAL_H */
