/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender metering: ITU-R BS.1770-4/-5 loudness (integrated, LRA per EBU Tech 3342, momentary
 * and short-term maxima) with the Annex 3 channel weights for every layout, and true peak
 * (Annex 2) from objrender's 8x meter. K-weighting runs over all channels in one pass, polled
 * every 10 ms and gated from histograms (exact gated energies); the true-peak interpolation
 * runs only where a bound says a new maximum is possible (libebur128's 4x on request;
 * libebur128 is the reference of the unit tests). Used by mastering (objr_master.h) and the
 * translation check (objr_check.h). */
#ifndef OBJR_OBJR_LOUDNESS_H
#define OBJR_OBJR_LOUDNESS_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Channel weights (BS.1770-4/-5 Annex 3, Table 4)                                           */
/* ---------------------------------------------------------------------------------------- */

/** Most channels a meter, limiter or mastering run accepts. */
#define OBJR_MASTER_MAX_CHANNELS 64

/** Weight of a channel that lies in the ±60..±120° azimuth zone at |elevation| < 30° (+1.5 dB). */
#define OBJR_LOUDNESS_WEIGHT_SIDE 1.41
/** Weight of every other non-LFE channel. */
#define OBJR_LOUDNESS_WEIGHT_DEFAULT 1.0
/** The LFE channel is excluded from the measurement. */
#define OBJR_LOUDNESS_WEIGHT_LFE 0.0

/**
 * @brief BS.1770 Annex 3 weight of a loudspeaker at (azimuth, elevation).
 * @param[in] azimuth_deg ADM convention (positive to the left); only |azimuth| matters.
 * @param[in] elevation_deg positive up.
 * @param[in] is_lfe non-zero for an LFE channel (weight 0).
 * @return 1.41 for |elevation| < 30° and 60° ≤ |azimuth| ≤ 120°, 0 for LFE, 1.0 otherwise.
 */
OBJR_API double objr_loudness_weight_for_direction(double azimuth_deg, double elevation_deg,
                                                   int is_lfe);

/**
 * @brief Weights for a WAVE_FORMAT_EXTENSIBLE file from its dwChannelMask.
 *
 * Channels are in mask-bit order (FL FR FC LFE BL BR FLC FRC BC SL SR TC TFL TFC TFR TBL TBC
 * TBR). Positions: FL/FR M±030, FC M+000, BL/BR M±135, SL/SR M±090, FLC/FRC M±015, BC M+180,
 * tops at elevation 45 (weight 1.0). Exception, the 5.1 rule: when the mask holds exactly one
 * surround pair (BL/BR or SL/SR, not both), that pair is the 5.1 surround of BS.2051 System B
 * at M±110 and gets 1.41 — "5.1(side)" and "5.1(back)" masks are the same layout in practice.
 * With both pairs present (7.1, 7.1.4) BL/BR are M±135 (1.0) and SL/SR M±090 (1.41).
 *
 * @param[in] channel_mask the mask; 0 means "no mask" and selects objr_loudness_weights_default().
 * @param[in] n_channels channels in the file.
 * @param[out] weights n_channels values.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (NULL, 0 channels); OBJR_ERR_LAYOUT when the mask has
 *         more bits than there are channels (extra channels beyond the mask's bits get 1.0).
 */
OBJR_API objr_status objr_loudness_weights_from_mask(uint32_t channel_mask, unsigned n_channels,
                                                     double *weights);

/**
 * @brief Weights from channel labels: BS.2051 labels ("M+030", "M-110", "U+045", "LFE1",
 *        "B+000", "T+000", "M+SC"), or the common speaker names L R C LFE Ls Rs Lss Rss Lrs Rrs
 *        Lw Rw Ltf Rtf Ltm Rtm Ltr Rtr Lts Rts (case-sensitive).
 * @param[out] weights n_channels values.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_LAYOUT for an unknown label (weights untouched).
 */
OBJR_API objr_status objr_loudness_weights_from_labels(const char *const *labels,
                                                       unsigned n_channels, double *weights);

/**
 * @brief Weights used when nothing says where the channels are: by count, following the
 *        SMPTE/WAV default masks (1 mono, 2 stereo, 6 = 5.1 with surrounds at M±110, 8 = 7.1,
 *        10 = 5.1.4, 12 = 7.1.4); other counts: all 1.0 except none treated as LFE.
 */
OBJR_API objr_status objr_loudness_weights_default(unsigned n_channels, double *weights);

/** Default channel mask for a channel count (the same table as objr_loudness_weights_default), 0 if
 * none. */
OBJR_API uint32_t objr_loudness_default_mask(unsigned n_channels);

/* ---------------------------------------------------------------------------------------- */
/* Loudness meter (BS.1770 gating from histograms, objrender's oversampled true-peak meter)  */
/* ---------------------------------------------------------------------------------------- */

/** Configuration of a loudness meter. Start from objr_loudness_config_default(). */
typedef struct objr_loudness_config {
    double rate_hz;        /**< sample rate, 8000..768000. @default 48000 */
    unsigned n_channels;   /**< 1..OBJR_MASTER_MAX_CHANNELS. @default 2 */
    const double *weights; /**< n_channels weights (borrowed for create only), or NULL for
                                objr_loudness_weights_default(). Only 0, 1.0, 1.41 and 2.0
                                (dual mono) are representable. @default NULL */
    int true_peak;         /**< measure true peak with objrender's meter. @default 1 */
    int ebur128_true_peak; /**< also run libebur128's own 4x true-peak meter (slow; for
                                comparison). @default 0 */
} objr_loudness_config;

/** @brief Defaults: 48 kHz stereo, own true peak on, libebur128 true peak off. */
OBJR_API objr_loudness_config objr_loudness_config_default(void);

/** Measured figures. Values that are undefined are -HUGE_VAL (e.g. silence). */
typedef struct objr_loudness_result {
    double integrated_lufs;        /**< gated integrated loudness (BS.1770-4) */
    double range_lu;               /**< loudness range (EBU Tech 3342) */
    double momentary_max_lufs;     /**< max momentary (400 ms), sampled every 10 ms */
    double short_term_max_lufs;    /**< max short-term (3 s), sampled every 10 ms */
    double sample_peak_dbfs;       /**< max |sample| over all channels */
    double true_peak_dbtp;         /**< objrender true peak, max over channels (-HUGE_VAL if off) */
    double true_peak_ebur128_dbtp; /**< BS.1770 4x, libebur128's filter (-HUGE_VAL if off) */
    unsigned true_peak_oversampling; /**< objrender TP oversampling ratio used (0 if off) */
    size_t n_frames;                 /**< frames measured */
} objr_loudness_result;

typedef struct objr_loudness_meter objr_loudness_meter;

/**
 * @brief Create a meter.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (rate, channels, weights out of range);
 *         OBJR_ERR_NOMEM. *out is NULL on failure.
 */
OBJR_API OBJR_NODISCARD objr_status objr_loudness_meter_create(const objr_loudness_config *cfg,
                                                               objr_loudness_meter **out);
/** @brief Destroy (NULL-safe). */
OBJR_API void objr_loudness_meter_destroy(objr_loudness_meter *m);
/** @brief Forget everything measured (same configuration). @return OBJR_OK or OBJR_ERR_NOMEM. */
OBJR_API objr_status objr_loudness_meter_reset(objr_loudness_meter *m);
/**
 * @brief Add planar float frames (n_channels pointers, n_frames each; full scale ±1).
 * @return OBJR_OK; OBJR_ERR_RANGE when a sample is NaN or infinite (nothing of this call is
 *         counted); OBJR_ERR_NOMEM (only with ebur128_true_peak). Memory does not grow with the
 * input.
 */
OBJR_API objr_status objr_loudness_meter_add_f32(objr_loudness_meter *m, const float *const *in,
                                                 size_t n_frames);
/** @brief As objr_loudness_meter_add_f32() for interleaved frames. */
OBJR_API objr_status objr_loudness_meter_add_interleaved_f32(objr_loudness_meter *m,
                                                             const float *in, size_t n_frames);
/**
 * @brief Momentary and short-term loudness of the most recent 400 ms / 3 s (for live display
 *        and for tests that follow M/S over time), updated every 10 ms of input (the value at
 *        the last completed 10 ms step). -HUGE_VAL when silent.
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_loudness_meter_get_current(const objr_loudness_meter *m,
                                                     double *momentary_lufs,
                                                     double *short_term_lufs);
/** @brief Current figures (cheap enough to call per block). @return OBJR_OK or
 * OBJR_ERR_INVALID_ARG. */
OBJR_API objr_status objr_loudness_meter_get(const objr_loudness_meter *m,
                                             objr_loudness_result *out);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_LOUDNESS_H */
