/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender's linked look-ahead true-peak limiter (styles, program-dependent release, gain
 * reduction history) and gain envelopes: one gain curve applied to any set of tracks (ADM
 * masters, album gain). */
#ifndef OBJR_OBJR_LIMITER_H
#define OBJR_OBJR_LIMITER_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_loudness.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* True-peak limiter                                                                         */
/* ---------------------------------------------------------------------------------------- */

/** Look-ahead of the default (transparent) style: the gain reaches its target before the
 *  peak arrives. */
#define OBJR_TP_LOOKAHEAD_MS 5.0
/** Slow (sustained-overload) release time constant of the default (transparent) style. */
#define OBJR_TP_RELEASE_MS 500.0
/** Default safety margin under the ceiling for the limiter's own detector: covers what 4x
 *  meters (libebur128, ffmpeg) read above objrender's 8x one on content near the Nyquist
 *  frequency (measured up to 0.15 dB on limited noise). */
#define OBJR_TP_MARGIN_DB 0.2

/**
 * Limiter styles. Every style holds the same true-peak ceiling; they differ in how far ahead
 * the gain starts to fall, how long it holds and how fast it recovers. The release is program
 * dependent in every style: an overload memory charges while the limiter is reducing (time
 * constant "charge") and discharges while it is not ("discharge"), and the release time
 * constant slides with it from the style's fast value (after short peaks, and between drum
 * hits further apart than the charge time) to its slow value (after seconds of continuous
 * reduction; the release then speeds up again as the memory discharges).
 */
typedef enum objr_limiter_style {
    /** Default. Look-ahead 5 ms plus a 7.5 ms hold (the gain does not move between the
     *  peaks of a tone down to 40 Hz, so steady bass is not modulated); release 50 ms fast,
     *  500 ms slow; charge 300 ms, discharge 1 s. */
    OBJR_LIMITER_TRANSPARENT = 0,
    /** Look-ahead 1.5 ms, no hold, release 15 ms fast, 150 ms slow, charge 100 ms,
     *  discharge 300 ms: keeps attacks and level, at the price of distortion on loud low
     *  bass (the gain moves within a bass cycle: about -57 dB THD+N at 100 Hz). */
    OBJR_LIMITER_PUNCHY = 1,
    /** Look-ahead 10 ms, 15 ms hold, release 80 ms fast, 800 ms slow, charge 300 ms,
     *  discharge 1 s, and the detector a further 0.3 dB under the ceiling (headroom for
     *  codecs and other meters): the cleanest, with the most gain reduction. */
    OBJR_LIMITER_SAFE = 2
} objr_limiter_style;
/** Number of limiter styles (valid values are 0 .. OBJR_LIMITER_N_STYLES - 1). */
#define OBJR_LIMITER_N_STYLES 3

/** @brief "transparent", "punchy", "safe"; NULL for a value out of range. */
OBJR_API const char *objr_limiter_style_name(objr_limiter_style style);
/** @brief Style of a name from objr_limiter_style_name(). @return OBJR_OK or
 *  OBJR_ERR_INVALID_ARG (unknown name; *out untouched). */
OBJR_API objr_status objr_limiter_style_from_name(const char *name, objr_limiter_style *out);

/** Limiter configuration. Start from objr_limiter_config_default(). */
typedef struct objr_limiter_config {
    double rate_hz;      /**< @default 48000 */
    unsigned n_channels; /**< 1..OBJR_MASTER_MAX_CHANNELS. @default 2 */
    double ceiling_dbtp; /**< true-peak ceiling. @default -1.0 */
    double margin_db;    /**< the detector aims this far under the ceiling (covers meter
                              differences). @default OBJR_TP_MARGIN_DB */
    double lookahead_ms; /**< attack/look-ahead, 0.5..50; 0 = the style's. @default 0 */
    double release_ms;   /**< slow (sustained-overload) release time constant, 1..5000; the fast
                              one keeps the style's ratio to it; 0 = the style's. @default 0 */
    objr_limiter_style style; /**< @default OBJR_LIMITER_TRANSPARENT */
} objr_limiter_config;

OBJR_API objr_limiter_config objr_limiter_config_default(void);

typedef struct objr_limiter objr_limiter;

/** Limiter statistics since create/reset. */
typedef struct objr_limiter_stats {
    double max_reduction_db;  /**< largest gain reduction (positive dB) */
    double active_fraction;   /**< fraction of output frames with reduction > 0.01 dB */
    size_t n_frames;          /**< output frames produced */
    double over_1db_fraction; /**< fraction of output frames with reduction > 1 dB */
} objr_limiter_stats;

/** @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_NOMEM. *out NULL on failure. */
OBJR_API OBJR_NODISCARD objr_status objr_limiter_create(const objr_limiter_config *cfg,
                                                        objr_limiter **out);
OBJR_API void objr_limiter_destroy(objr_limiter *l);
/** @brief Frames of delay between input and output (look-ahead + detector support). */
OBJR_API size_t objr_limiter_latency_frames(const objr_limiter *l);
/**
 * @brief Limit n_frames of planar audio. Output lags input by objr_limiter_latency_frames()
 *        (the first latency frames out are silence); flush with zeros at the end.
 * @param[in] in n_channels planar input buffers.
 * @param[out] out n_channels planar output buffers (may equal @p in).
 * @param[out] gain NULL or n_frames linear gains applied to the output frames (the gain
 *             envelope, for objr_gain_envelope_append()).
 * No allocation. @return OBJR_OK or OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_limiter_process(objr_limiter *l, const float *const *in,
                                          float *const *out, size_t n_frames, float *gain);
OBJR_API objr_status objr_limiter_get_stats(const objr_limiter *l, objr_limiter_stats *out);
/**
 * @brief Gain reduction over the output so far, decimated to at most @p n_points equal
 *        stretches: each point is the deepest reduction (positive dB) within its stretch.
 *        Kept at a resolution of 10 ms or finer for outputs up to about 10 s, coarsening by
 *        halves beyond (at least 512 stretches are always kept), without allocation.
 * @param[out] reduction_db n_points values (only the returned count is written).
 * @param[out] seconds_per_point the length of one stretch (may be NULL).
 * @return the number of points written: min(n_points, stretches kept); 0 before any output.
 */
OBJR_API size_t objr_limiter_gain_history(const objr_limiter *l, float *reduction_db,
                                          size_t n_points, double *seconds_per_point);

/* ---------------------------------------------------------------------------------------- */
/* Gain envelope: one gain curve applied to many tracks (ADM masters, album gain)            */
/* ---------------------------------------------------------------------------------------- */

/**
 * A time-varying linear gain at sample resolution, stored compactly: runs of a constant gain
 * cost one entry, only the frames where a limiter acts are stored sample by sample. The
 * intended use for an ADM master: run the limiter (analysis) on each re-render (7.1.4, 5.1,
 * 2.0, binaural), combine the envelopes with objr_gain_envelope_min(), then apply the result
 * to every track of the ADM BWF: since each render is linear in the tracks, each re-render of
 * the gained tracks is the gained render and meets the ceiling.
 */
typedef struct objr_gain_envelope objr_gain_envelope;

OBJR_API OBJR_NODISCARD objr_status objr_gain_envelope_create(objr_gain_envelope **out);
OBJR_API void objr_gain_envelope_destroy(objr_gain_envelope *e);
/** @brief Append n_frames gains. @return OBJR_OK, OBJR_ERR_RANGE (gain NaN/negative),
 * OBJR_ERR_NOMEM. */
OBJR_API objr_status objr_gain_envelope_append(objr_gain_envelope *e, const float *gain,
                                               size_t n_frames);
/** @brief Total frames described. */
OBJR_API size_t objr_gain_envelope_length(const objr_gain_envelope *e);
/** @brief e = min(e, other) frame by frame; the shorter one is extended with 1.0. */
OBJR_API objr_status objr_gain_envelope_min(objr_gain_envelope *e, const objr_gain_envelope *other);
/**
 * @brief Multiply tracks[0..n_tracks)[0..n_frames) by the envelope from @p start_frame on
 *        (frames beyond its length get 1.0) and by @p static_gain.
 */
OBJR_API objr_status objr_gain_envelope_apply(const objr_gain_envelope *e, size_t start_frame,
                                              double static_gain, float *const *tracks,
                                              unsigned n_tracks, size_t n_frames);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_LIMITER_H */
