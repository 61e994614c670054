/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender fold-downs (ITU-R BS.775 Lo/Ro, matrix-surround Lt/Rt, 7.1.4 -> 7.1 / 5.1.4 / 5.1
 * with trims and an explicit LFE policy) and translation checks across the renders of one mix
 * (loudness per BS.1770-4/-5, correlation, mono compatibility, spectral balance, per-object
 * audibility, QC of the stems), with a JSON and a self-contained HTML report. */
#ifndef OBJR_OBJR_CHECK_H
#define OBJR_OBJR_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Fold-downs                                                                                */
/* ---------------------------------------------------------------------------------------- */

/** Fold-down kinds. Channel orders are file orders (WAVE_FORMAT_EXTENSIBLE mask order):
 *  7.1.4 = FL FR FC LFE BL BR SL SR TFL TFR TBL TBR (M+030 M-030 M+000 LFE1 M+135 M-135
 *  M+090 M-090 U+045 U-045 U+135 U-135); 7.1 = its first 8; 5.1.4 = FL FR FC LFE SL SR TFL
 *  TFR TBL TBR (surrounds at M±110, tops at U±030/U±110); 5.1 = FL FR FC LFE SL SR; 2.0. */
typedef enum objr_folddown_kind {
    OBJR_FOLDDOWN_714_TO_71 = 0,  /**< tops into the ear layer: L += h·Ltf, Lrs += h·Ltr */
    OBJR_FOLDDOWN_714_TO_514 = 1, /**< Ls5 = Lss + b·Lrs; tops kept */
    OBJR_FOLDDOWN_714_TO_51 = 2,  /**< L5 = L + h·Ltf; Ls5 = Lss + b·Lrs + h·Ltr */
    OBJR_FOLDDOWN_51_TO_LORO = 3, /**< BS.775: Lo = L + c·C + s·Ls */
    OBJR_FOLDDOWN_51_TO_LTRT = 4, /**< Lt = L + c·C + s·H{Ls+Rs}, Rt = R + c·C − s·H{Ls+Rs} */
    OBJR_FOLDDOWN_714_TO_LORO = 5, /**< 7.1.4 -> 5.1 -> Lo/Ro */
    OBJR_FOLDDOWN_714_TO_LTRT = 6, /**< 7.1.4 -> 5.1 -> Lt/Rt */
} objr_folddown_kind;

/** What happens to the LFE channel when the target has none (2.0). Targets with an LFE
 *  channel always carry it 1:1. */
typedef enum objr_lfe_policy {
    OBJR_LFE_DROP = 0, /**< dropped (BS.775, EAR, most decoders) */
    OBJR_LFE_FOLD = 1, /**< added to L and R at lfe_gain_db */
} objr_lfe_policy;

/** Fold-down coefficients (Dolby-style trims). Start from objr_folddown_config_default(). Any
 *  trim at or below OBJR_FOLDDOWN_OFF_DB removes that path. */
typedef struct objr_folddown_config {
    double
        centre_trim_db; /**< c: centre into L/R (Lo/Ro, Lt/Rt). @default OBJR_FOLDDOWN_MINUS3_DB */
    double surround_trim_db; /**< s: surround into L/R (Lo/Ro, Lt/Rt). @default
                                OBJR_FOLDDOWN_MINUS3_DB */
    double height_trim_db;   /**< h: tops into the ear layer. @default OBJR_FOLDDOWN_MINUS3_DB */
    double back_trim_db;     /**< b: rear surrounds (Lrs/Rrs) into the 5.1 surround. @default 0 */
    /** Front/back balance: fronts (L R C) get +balance/2 dB, surrounds −balance/2 dB, applied
     *  to the source channels. @default 0 */
    double front_back_balance_db;
    objr_lfe_policy lfe_policy; /**< @default OBJR_LFE_DROP */
    double lfe_gain_db;         /**< LFE into L and R when folded. @default 0 */
} objr_folddown_config;

/** 20·log10(1/√2): the "−3 dB" of BS.775 (gain 0.7071). */
#define OBJR_FOLDDOWN_MINUS3_DB (-3.0102999566)
/** Trims at or below this are "off" (gain 0). */
#define OBJR_FOLDDOWN_OFF_DB (-120.0)
/** Taps of the Hilbert FIR used for the ±90° surround shift of Lt/Rt (odd). */
#define OBJR_FOLDDOWN_HILBERT_TAPS 1023

OBJR_API objr_folddown_config objr_folddown_config_default(void);

/** @brief Input and output channel counts of @p kind. @return OBJR_OK, OBJR_ERR_INVALID_ARG. */
OBJR_API objr_status objr_folddown_channels(objr_folddown_kind kind, size_t *n_in, size_t *n_out)
    OBJR_NONNULL(2, 3);

/**
 * @brief The fold-down matrix, out = M·in, row-major n_out x n_in. For Lt/Rt this is the part
 *        without the surround (the surrounds enter through the Hilbert path: entry
 *        [out][in] of @p hilbert, when not NULL, holds the gain of H{in} into out).
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (unknown kind, NaN trims).
 */
OBJR_API objr_status objr_folddown_matrix(objr_folddown_kind kind, const objr_folddown_config *cfg,
                                          double *matrix, double *hilbert) OBJR_NONNULL(2, 3);

/** A streaming fold-down (matrix plus, for Lt/Rt, a 90° Hilbert FIR with the direct paths
 *  delayed to match). One thread at a time. */
typedef struct objr_folddown objr_folddown;

/** @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM. *out NULL on failure. */
OBJR_API OBJR_NODISCARD objr_status objr_folddown_create(objr_folddown_kind kind,
                                                         const objr_folddown_config *cfg,
                                                         size_t max_frames, objr_folddown **out)
    OBJR_NONNULL(2, 4);
OBJR_API void objr_folddown_destroy(objr_folddown *f);
/** @brief Frames of delay (Lt/Rt: (OBJR_FOLDDOWN_HILBERT_TAPS − 1)/2; others 0). */
OBJR_API size_t objr_folddown_latency_frames(const objr_folddown *f) OBJR_NONNULL(1);
/**
 * @brief Fold n_frames (≤ max_frames) of planar input into planar output. No allocation.
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (NULL buffers, too many frames).
 */
OBJR_API objr_status objr_folddown_process(objr_folddown *f, const float *const *in,
                                           float *const *out, size_t n_frames) OBJR_NONNULL(1);

/* Deprecated spellings: objrender 0.1 wrote "foldown". They stay for this release (the
 * functions as real exported symbols, so binaries linked against 0.1 keep working) and go in
 * the next. */
typedef objr_folddown_kind objr_foldown_kind;
typedef objr_folddown_config objr_foldown_config;
typedef objr_folddown objr_foldown;
#define OBJR_FOLDOWN_714_TO_71 OBJR_FOLDDOWN_714_TO_71
#define OBJR_FOLDOWN_714_TO_514 OBJR_FOLDDOWN_714_TO_514
#define OBJR_FOLDOWN_714_TO_51 OBJR_FOLDDOWN_714_TO_51
#define OBJR_FOLDOWN_51_TO_LORO OBJR_FOLDDOWN_51_TO_LORO
#define OBJR_FOLDOWN_51_TO_LTRT OBJR_FOLDDOWN_51_TO_LTRT
#define OBJR_FOLDOWN_714_TO_LORO OBJR_FOLDDOWN_714_TO_LORO
#define OBJR_FOLDOWN_714_TO_LTRT OBJR_FOLDDOWN_714_TO_LTRT
#define OBJR_FOLDOWN_MINUS3_DB OBJR_FOLDDOWN_MINUS3_DB
#define OBJR_FOLDOWN_OFF_DB OBJR_FOLDDOWN_OFF_DB
#define OBJR_FOLDOWN_HILBERT_TAPS OBJR_FOLDDOWN_HILBERT_TAPS
/** @deprecated objr_folddown_config_default */
OBJR_API OBJR_DEPRECATED objr_folddown_config objr_foldown_config_default(void);
/** @deprecated objr_folddown_channels */
OBJR_API OBJR_DEPRECATED objr_status objr_foldown_channels(objr_folddown_kind kind, size_t *n_in,
                                                           size_t *n_out);
/** @deprecated objr_folddown_matrix */
OBJR_API OBJR_DEPRECATED objr_status objr_foldown_matrix(objr_folddown_kind kind,
                                                         const objr_folddown_config *cfg,
                                                         double *matrix, double *hilbert);
/** @deprecated objr_folddown_create */
OBJR_API OBJR_DEPRECATED objr_status objr_foldown_create(objr_folddown_kind kind,
                                                         const objr_folddown_config *cfg,
                                                         size_t max_frames, objr_folddown **out);
/** @deprecated objr_folddown_destroy */
OBJR_API OBJR_DEPRECATED void objr_foldown_destroy(objr_folddown *f);
/** @deprecated objr_folddown_latency_frames */
OBJR_API OBJR_DEPRECATED size_t objr_foldown_latency_frames(const objr_folddown *f);
/** @deprecated objr_folddown_process */
OBJR_API OBJR_DEPRECATED objr_status objr_foldown_process(objr_folddown *f, const float *const *in,
                                                          float *const *out, size_t n_frames);

/* ---------------------------------------------------------------------------------------- */
/* Translation checks                                                                        */
/* ---------------------------------------------------------------------------------------- */

/** Verdicts, ordered by severity. */
typedef enum objr_check_verdict {
    OBJR_CHECK_PASS = 0,
    OBJR_CHECK_WARN = 1,
    OBJR_CHECK_FAIL = 2,
} objr_check_verdict;

/** Thresholds (warn/fail pairs). Start from objr_check_thresholds_default(); change them by
 *  name with objr_check_thresholds_set(). Names in brackets. */
typedef struct objr_check_thresholds {
    double loudness_delta_warn_lu, loudness_delta_fail_lu; /**< |ΔL| [loudness_delta] 2, 4 */
    double lra_delta_warn_lu, lra_delta_fail_lu;           /**< |ΔLRA| [lra_delta] 3, 6 */
    double true_peak_ceiling_dbtp;                   /**< [true_peak_ceiling] -1: over it warns */
    double limiter_fail_db;                          /**< [limiter] reduction needed to fail: 3 */
    double corr_p5_warn, corr_p5_fail;               /**< 5th percentile of r_w [corr_p5] 0, -0.3 */
    double mono_loss_warn_lu, mono_loss_fail_lu;     /**< ΔL_mono below −x [mono_loss] 3, 6 */
    double band_warn_db, band_fail_db;               /**< |d_b| [band] 3, 6 */
    double object_drop_warn_db, object_drop_fail_db; /**< fall [object_drop] 4, 8 */
    /** An object's loss when a stereo render is summed to mono, against its stereo level
     *  [object_mono] 4.5, 9 (hard-panned loses 3) */
    double object_mono_warn_lu, object_mono_fail_lu;
    double clip_level_dbfs; /**< [clip_level] -0.01: |x| at or over is at clip level */
    unsigned clip_run;      /**< [clip_run] 3 consecutive samples make a clip */
    double headroom_warn_dbfs, headroom_fail_dbfs; /**< mix sample peak [headroom] -3, 0 */
    double dc_warn_dbfs, dc_fail_dbfs;             /**< |mean| [dc] -50, -40 */
    double click_ratio;          /**< [click_ratio] second difference / local RMS: 12 */
    double silence_level_dbfs;   /**< [silence_level] -60 */
    double lead_silence_warn_s;  /**< [lead_silence] 2 */
    double trail_silence_warn_s; /**< [trail_silence] 5 */
    /** An object is buried in a render when its contribution never comes within this margin
     *  of the rest of the mix in any channel and octave band (a masking estimate) [buried] 15 */
    double buried_db;
    /* Appended in 0.1 (earlier fields keep their offsets). */
    /** Spatial coding render ("scN"): an object's largest position error, the angle between
     *  it and the elements it is coded into [spatial_error] 30, 60 degrees (30: the spacing
     *  of adjacent 7.1.4 front loudspeakers, a source lands at its neighbour's place; 60:
     *  front to side, side to rear) */
    double spatial_error_warn_deg, spatial_error_fail_deg;
} objr_check_thresholds;

OBJR_API objr_check_thresholds objr_check_thresholds_default(void);

/**
 * @brief Set a threshold by name: "loudness_delta_warn", "band_fail", "clip_run", ... (the
 *        field names without the unit suffix).
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (unknown name), OBJR_ERR_RANGE (NaN).
 */
OBJR_API objr_status objr_check_thresholds_set(objr_check_thresholds *t, const char *name,
                                               double value) OBJR_NONNULL(1, 2);

/** Most renders one check compares. */
#define OBJR_CHECK_MAX_RENDERS 12

/** Options of objr_check_run(); start from objr_check_config_default(). */
typedef struct objr_check_config {
    objr_check_thresholds thresholds;
    objr_folddown_config folddown;
    /** Renders to compare with the 7.1.4 reference: "5.1", "2.0", "7.1", "5.1.4" (direct
     *  object renders), "5.1-fold", "7.1-fold", "5.1.4-fold", "loro", "ltrt" (fold-downs of the
     *  7.1.4), "binaural" (the headphone render of `objrender --layout binaural`, with
     *  hrtf_path and binaural_mode). NULL = the default set {"5.1", "2.0", "5.1-fold", "loro",
     *  "ltrt", "binaural"}. The binaural render gets the loudness, true-peak, spectral-balance
     *  and per-object audibility checks; correlation and mono checks, which are about
     *  loudspeaker stereo, are not made on it. "scN" (N = 1..64, e.g. "sc16"): "spatial
     *  coding (N)", the 7.1.4 of the scene clustered to N elements as streaming delivery
     *  does (`objrender --spatial-coding N`), with loudness and spectral deltas against the
     *  7.1.4 and each object's largest position error and its time; not in the default set
     *  (one more 7.1.4 render, and N depends on the delivery). One N per check. */
    const char *const *renders;
    size_t n_renders;
    /** Per-object figures: levels, mono loss, masking margin and cancelling pairs in every
     *  loudspeaker render and fold-down, derived in the one pass from each object's signal and
     *  the renderer's gains (no render per object). @default 1 */
    int per_object;
    /** Most objects measured; the rest are reported as not measured. @default 4096 */
    size_t max_objects;
    /** audioProgrammeID or NULL for the first. @default NULL */
    const char *programme_id;
    /* Appended in 0.1 (earlier fields keep their offsets). */
    /** "binaural": SOFA (AES69) HRTF file, as objr_renderer_config.hrtf_path; borrowed for the
     *  call. NULL = libmysofa's default set. @default NULL */
    const char *hrtf_path;
    /** "binaural": room for objects without headphoneVirtualise, an objr_binaural_mode value,
     *  as objr_renderer_config.binaural_mode. @default 0 (MID) */
    int binaural_mode;
    /** "binaural": most objects measured alone in the binaural render (each is one more
     *  HRTF convolution and room per object, several times the cost of a loudspeaker
     *  render); further objects are measured on the loudspeaker renders only and their
     *  binaural audibility is reported as not measured. The binaural renders run on a second
     *  thread beside the loudspeaker renders. @default 4 */
    size_t max_binaural_objects;
    /** "binaural": 1 = diffuse-field equalised HRTFs, 0 = the SOFA set's own responses, as
     *  objr_renderer_config.binaural_diffuse_eq (the reference heard at the ears uses the
     *  same). @default 1 */
    int binaural_diffuse_eq;
    /** Progress of the streaming pass (stage "checking"); may be NULL. @default NULL */
    objr_progress_fn on_progress;
    void *on_progress_user;
    /** Apply the input's Dolby `dbmd` chunk (objr_dbmd.h): the 2.0 fold-downs take its
     *  Dolby Digital Plus downmix levels (Lo/Ro, or Lt/Rt when its 2.0 downmix is Lt/Rt) and
     *  its manual 2.0 centre/surround trims added to @ref folddown's, the tops its manual 5.1
     *  height trim; the binaural render its per-track render modes. The report lists each
     *  setting applied or not. 0 keeps @ref folddown as given (the binaural modes still
     *  apply). @default 1 */
    int apply_dbmd;
    /** 1: NaN/Inf input samples are measured as silence (one warning through @ref warning);
     *  0: the first one fails the run (OBJR_ERR_FORMAT naming the file, track and time), as
     *  objr_render_file_options.repair_nonfinite. @default 0 */
    int repair_nonfinite;
    /** 1: mix.xml stems may be absolute paths or leave the document's folder through "..";
     *  0: such a stem is an OBJR_ERR_REFERENCE, as objr_render_file_options.
     *  allow_external_stems. @default 0 */
    int allow_external_stems;
    /** Called with each warning about the input (one line naming the file: a stem shorter
     *  than the mix, repaired NaN/Inf samples, ...); may be NULL. @default NULL */
    void (*warning)(void *user, const char *message);
    void *warning_user;
    /** 1: every ADM deviation the renderer would fix (objr_adm_finding severity FIXED) is an
     *  error instead, as objr_renderer_config.strict. @default 0 */
    int strict;
} objr_check_config;

OBJR_API objr_check_config objr_check_config_default(void);

/** One finding of a check (a value type; strings owned by the report). */
typedef struct objr_check_finding {
    const char *check; /**< "loudness_delta", "lra_delta", "true_peak", "correlation",
                            "mono", "spectral_balance", "object_audibility", "object_mono",
                          "qc_clipping", "qc_headroom", "qc_dc", "qc_clicks", "qc_silence",
                          "qc_format", "object_buried", "object_muted", "phase_pair", "too_short" */
    objr_check_verdict verdict;
    const char *render;  /**< render name ("2.0 Lo/Ro fold-down"), "" when none */
    const char *subject; /**< object "AO_1005 'Overhead FX'", band "40 Hz", stem, or "" */
    double value;        /**< the measured figure (unit in the message) */
    const char *message; /**< one line for people */
} objr_check_finding;

typedef struct objr_check_report objr_check_report;

/**
 * @brief Render @p input_path (ADM BWF or mix.xml with stems) to 7.1.4 and to the requested
 *        renders, run every check and collect the findings.
 * @param[out] out the report (also on a QC format failure, when no render could be made)
 * @return OBJR_OK (whatever the verdicts); the reader, renderer and file errors with @p diag
 *         naming the file; OBJR_ERR_INVALID_ARG; OBJR_ERR_NOMEM.
 */
OBJR_API OBJR_NODISCARD objr_status objr_check_run(const char *input_path,
                                                   const objr_check_config *cfg,
                                                   objr_check_report **out, objr_diag *diag)
    OBJR_NONNULL(1, 3);
OBJR_API void objr_check_report_destroy(objr_check_report *r);
/** @brief Worst verdict over all findings. */
OBJR_API objr_check_verdict objr_check_report_verdict(const objr_check_report *r) OBJR_NONNULL(1);
OBJR_API size_t objr_check_report_finding_count(const objr_check_report *r) OBJR_NONNULL(1);
/** @return OBJR_OK or OBJR_ERR_INVALID_ARG (out untouched). */
OBJR_API objr_status objr_check_report_get_finding(const objr_check_report *r, size_t i,
                                                   objr_check_finding *out) OBJR_NONNULL(1, 3);
/** @brief Integrated loudness, LRA and true peak of render @p name ("7.1.4", "2.0", ...).
 *  @return OBJR_OK, OBJR_ERR_INVALID_ARG (no such render). */
OBJR_API objr_status objr_check_report_render_loudness(const objr_check_report *r, const char *name,
                                                       double *integrated_lufs, double *range_lu,
                                                       double *true_peak_dbtp)
    OBJR_NONNULL(1, 2, 3, 4, 5);
/** @brief Write report.json. @return OBJR_OK, OBJR_ERR_IO (diag names the path). */
OBJR_API objr_status objr_check_report_write_json(const objr_check_report *r, const char *path,
                                                  objr_diag *diag) OBJR_NONNULL(1, 2);
/** @brief Write the self-contained report.html (inline SVG plots, no network).
 *  @return OBJR_OK, OBJR_ERR_IO. */
OBJR_API objr_status objr_check_report_write_html(const objr_check_report *r, const char *path,
                                                  objr_diag *diag) OBJR_NONNULL(1, 2);
/**
 * @brief The HRTF set and room mode of the report's binaural render.
 * @param[out] hrtf_path the SOFA file used (libmysofa's default path when none was given);
 *             owned by the report
 * @param[out] binaural_mode the objr_binaural_mode used (DEFAULT resolved to MID)
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (the report has no binaural render; outputs untouched).
 */
OBJR_API objr_status objr_check_report_binaural(const objr_check_report *r, const char **hrtf_path,
                                                int *binaural_mode) OBJR_NONNULL(1, 2, 3);
/** @brief Plain-text summary (one line per render and per finding), malloc'd; free(). */
OBJR_API char *objr_check_report_summary(const objr_check_report *r) OBJR_NONNULL(1);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_CHECK_H */
