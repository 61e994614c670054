/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender mastering: the file mastering pipeline with delivery presets (EBU R128, ATSC A/85,
 * streaming, immersive music), album mastering, the mastering report, and mastering the ADM
 * itself. The pieces it is built of have headers of their own, included here: the meters
 * (objr_loudness.h), the limiter and gain envelopes (objr_limiter.h), the codec check
 * (objr_codec.h).
 *
 * Decisions (see each function for detail):
 * - Channel weights follow BS.1770-4/-5 Annex 3 for every channel, set explicitly (libebur128's
 *   default map ignores channels 7 and up). A WAV mask with a single surround pair is 5.x, its
 *   surrounds at M±110 (1.41) whether the writer used BL/BR or SL/SR.
 * - Integrated loudness, LRA and momentary/short-term maxima come from objrender's own
 *   K-weighting (all channels in one pass) polled every 10 ms, gated from histograms (exact
 *   gated energies; LRA from short-term values every 100 ms, Tech 3342 V4); true peak from
 *   objrender's 8x meter, interpolating only where a bound says a new maximum is possible
 *   (libebur128's 4x on request; libebur128 is the reference of the unit tests).
 * - Exact targets are met within ±0.1 LU by iterating gain (limiting lowers loudness);
 *   "at most" targets only turn down. A target the ceiling cannot allow is refused (no file;
 *   OBJR_ERR_RANGE with what was reached) unless keep_unreachable asks for the file anyway.
 * - Resampling (libsamplerate, best sinc) happens before the limiter, so the ceiling holds at
 *   the delivered rate; TPDF dither is applied when quantising to 16/24 bit.
 * - ISRC and the other tags are embedded where each format's readers look: FLAC "ISRC" Vorbis
 *   comment (libFLAC), MP3 ID3v2.4 TSRC, WAV an "id3 " chunk with TSRC (RIFF INFO's "ISRC" id
 *   means "source" and BWF bext has no ISRC field; README "Delivery metadata").
 * - A codec check encodes the master with the real encoders (LAME, libopus), decodes it and
 *   measures the true peak after the codec; codec_safe lowers the ceiling until it holds.
 * - Outputs are written to a temporary file next to the target and renamed when complete:
 *   no partial or failed output is ever left, and the input is never overwritten. */
#ifndef OBJR_OBJR_MASTER_H
#define OBJR_OBJR_MASTER_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_codec.h"
#include "objrender/objr_limiter.h"
#include "objrender/objr_loudness.h"
#include "objrender/objr_outfile.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Mastering a file                                                                          */
/* ---------------------------------------------------------------------------------------- */

/** How a preset's loudness target is met. */
typedef enum objr_target_kind {
    OBJR_TARGET_EXACT = 0,   /**< normalise to the target (±0.1 LU) */
    OBJR_TARGET_AT_MOST = 1, /**< only turn down when louder; never raise */
    OBJR_TARGET_NONE = 2,    /**< no loudness target: only the true-peak ceiling */
} objr_target_kind;

/** Output container/codec. */
typedef enum objr_master_format {
    OBJR_MASTER_WAV = 0,  /**< WAV (WAVE_FORMAT_EXTENSIBLE), RF64 automatically above 4 GB */
    OBJR_MASTER_FLAC = 1, /**< FLAC, 16 or 24 bit */
    OBJR_MASTER_MP3 = 2,  /**< MPEG-1 Layer III (libsndfile ≥ 1.1 with mpg123/lame), ≤ 2 ch */
    /** Opus in Ogg (libsndfile ≥ 1.0.29 with libopus), 48 kHz only (Opus codes at 48 kHz:
     *  give out_rate_hz 48000 for other inputs); verified on its decode, as MP3 */
    OBJR_MASTER_OPUS = 3,
    /** Apple Core Audio Format with linear PCM (16/24-bit integer or 32-bit float; any
     *  channel count). Not ALAC: libsndfile's ALAC writer overruns its packet table on
     *  real 24-bit audio (libsndfile issue #973). Title, artist, album and ISRC go in the
     *  CAF 'info' chunk. */
    OBJR_MASTER_CAF = 4,
} objr_master_format;

/** Dither applied when reducing to 16 or 24 bit. */
typedef enum objr_dither_kind {
    OBJR_DITHER_NONE = 0,   /**< plain rounding */
    OBJR_DITHER_TPDF = 1,   /**< triangular PDF, ±1 LSB peak, flat spectrum */
    OBJR_DITHER_SHAPED = 2, /**< TPDF with 2nd-order error-feedback noise shaping */
} objr_dither_kind;

/** Maximum preset-name length (bytes, with NUL). */
#define OBJR_MASTER_NAME_SIZE 32
/** Size of a metadata string (bytes, with NUL). */
#define OBJR_MASTER_TEXT_SIZE 256

/** A delivery target. Presets come from objr_master_preset_get(). */
typedef struct objr_master_target {
    char name[OBJR_MASTER_NAME_SIZE]; /**< preset name or "custom" */
    objr_target_kind kind;            /**< exact or at-most */
    double integrated_lufs;           /**< target (kind != NONE) */
    double true_peak_dbtp;            /**< ceiling, always "at most" */
    double lra_max_lu;                /**< checked, not enforced; <= 0 = no check */
    const char *basis;                /**< static text: what the target is measured on */
} objr_master_target;

/**
 * @brief Look up a preset: "atmos-music", "streaming", "apple-music", "ebu-r128", "atsc-a85".
 * @return OBJR_OK or OBJR_ERR_INVALID_ARG (unknown name; *out untouched).
 */
OBJR_API objr_status objr_master_preset_get(const char *name, objr_master_target *out);
/** @brief The i-th preset name (0-based), NULL past the end. */
OBJR_API const char *objr_master_preset_name(unsigned i);

/** Points of the gain-reduction history in objr_master_report. */
#define OBJR_MASTER_GR_POINTS 200

/** Mastering configuration. Start from objr_master_config_default(). */
typedef struct objr_master_config {
    objr_master_target target;         /**< @default the "ebu-r128" preset */
    objr_master_format format;         /**< @default OBJR_MASTER_WAV */
    unsigned bit_depth;                /**< 16, 24 or 32 (32 = float; WAV only). @default 24 */
    double out_rate_hz;                /**< 0 = keep the input rate. @default 0 */
    objr_dither_kind dither;           /**< @default OBJR_DITHER_TPDF */
    uint64_t dither_seed;              /**< @default a fixed seed (reproducible output) */
    const double *weights;             /**< NULL: from the file's channel mask, else n_channels
                                            weights (borrowed for the call). @default NULL */
    double lookahead_ms;               /**< limiter; 0 = the style's. @default 0 */
    double release_ms;                 /**< limiter slow release; 0 = the style's. @default 0 */
    double limiter_margin_db;          /**< @default OBJR_TP_MARGIN_DB */
    unsigned max_passes;               /**< gain/limit iterations, 1..8. @default 6 */
    double max_reduction_db;           /**< above this limiter reduction the target counts as
                                            unreachable. @default 12 */
    int keep_unreachable;              /**< write the file even when the target cannot be met
                                            (report says so). @default 0 */
    char title[OBJR_MASTER_TEXT_SIZE]; /**< metadata, "" = none */
    char artist[OBJR_MASTER_TEXT_SIZE];
    char album[OBJR_MASTER_TEXT_SIZE];
    char isrc[OBJR_MASTER_TEXT_SIZE]; /**< CCXXXYYNNNNN, embedded (embed_tags) and reported */
    /* Appended in 0.1 (after isrc, so earlier fields keep their offsets); read only by
     * objr_master_adm_file(), which re-renders binaural. */
    /** SOFA (AES69) HRTF file for the binaural re-render, as objr_renderer_config.hrtf_path;
     *  borrowed for the call. NULL = libmysofa's default set. @default NULL */
    const char *hrtf_path;
    /** Room of the binaural re-render for objects without headphoneVirtualise, an
     *  objr_binaural_mode value (OFF, NEAR, MID, FAR, DRY), as
     *  objr_renderer_config.binaural_mode. @default 0 (the renderer's default, MID) */
    int binaural_mode;
    /** Binaural re-render: 1 = diffuse-field equalised HRTFs, 0 = the SOFA set's own
     *  responses, as objr_renderer_config.binaural_diffuse_eq. @default 1 */
    int binaural_diffuse_eq;
    /** Progress of objr_master_file()/objr_master_album() (stages "measuring", "mastering"
     *  per pass); may be NULL. @default NULL */
    objr_progress_fn on_progress;
    void *on_progress_user;
    /** The limiter's style (objr_limiter_style). @default OBJR_LIMITER_TRANSPARENT */
    objr_limiter_style limiter_style;
    /* Appended in 0.2: codec check and delivery tags. */
    /** Codecs to check the master through after mastering (OBJR_CODEC_BIT()s; 0 = none): the
     *  report's codec member says what each decode peaks at. @default 0 */
    unsigned codec_mask;
    /** Bitrate of the codec check (kbps, 32..320). @default OBJR_CODEC_DEFAULT_KBPS */
    double codec_kbps;
    /** Lower the limiter's ceiling and master again until every checked decode is at or under
     *  target.true_peak_dbtp, at most codec_safe_max_passes times; when that fails, the file is
     *  refused (OBJR_ERR_RANGE) unless keep_unreachable. @default 0 */
    int codec_safe;
    /** @default OBJR_CODEC_SAFE_MAX_PASSES (1..8) */
    unsigned codec_safe_max_passes;
    /** Embed title/artist/album/isrc where each format's readers look (FLAC Vorbis comments,
     *  MP3 ID3v2.4 TIT2/TPE1/TALB/TSRC, WAV an "id3 " chunk with the same frames next to
     *  libsndfile's LIST/INFO; README "Delivery metadata"). @default 1 */
    int embed_tags;
    /** objr_master_album(): n_tracks ISRCs in track order (borrowed for the call; NULL or ""
     *  entries for none), each embedded in its track like isrc; NULL = isrc for every track.
     *  @default NULL */
    const char *const *album_isrcs;
} objr_master_config;

OBJR_API objr_master_config objr_master_config_default(void);

/** Outcome of objr_master_file(). */
typedef struct objr_master_report {
    objr_loudness_result before; /**< input, at the input rate */
    objr_loudness_result after;  /**< the written samples (after quantisation) */
    double gain_db;              /**< static gain applied before the limiter */
    objr_limiter_stats limiter;  /**< of the final pass */
    unsigned passes;             /**< gain/limit passes run */
    double in_rate_hz, out_rate_hz;
    unsigned n_channels;
    double weights[OBJR_MASTER_MAX_CHANNELS]; /**< weights used (first n_channels) */
    size_t n_clipped_in;                      /**< input samples with |x| >= 1.0 (likely clipped) */
    int loudness_ok;                          /**< integrated meets the target */
    int true_peak_ok;                         /**< TP <= ceiling */
    int lra_ok;                               /**< LRA <= lra_max (1 when not checked) */
    int unreachable;                          /**< the ceiling makes the target impossible */
    int written;                              /**< the output file exists */
    /** Gain reduction over time of the final pass (objr_limiter_gain_history()): the deepest
     *  reduction (positive dB) in each of n_gr_points equal stretches of gr_point_seconds. */
    float gr_history_db[OBJR_MASTER_GR_POINTS];
    size_t n_gr_points;
    double gr_point_seconds;
    /* Appended in 0.2. */
    objr_codec_report codec; /**< the codec check (n_results 0 when none was asked) */
    int tags_embedded;       /**< the delivery tags were written into the file */
} objr_master_report;

/**
 * @brief Master @p in_path into @p out_path: measure, gain to target, resample, limit,
 *        dither/quantise, write (through a temporary file renamed at the end), re-measure,
 *        iterating the gain when limiting lowered the loudness.
 *
 * Streams in blocks: memory does not grow with the file's length. The input is read once per pass
 * plus one measure pass.
 * @param[out] report filled as far as the work got (may be NULL).
 * @param[out] diag detail on failure (may be NULL).
 * @return OBJR_OK; OBJR_ERR_IO (open/read/write/rename); OBJR_ERR_FORMAT/UNSUPPORTED (sample
 *   format or output format); OBJR_ERR_RANGE (NaN/inf sample, integrated loudness undefined,
 *   target unreachable without keep_unreachable; with codec_safe, a decode still over the
 *   ceiling after codec_safe_max_passes re-masters, report->unreachable set);
 *   OBJR_ERR_INVALID_ARG (same path for input and output, bad config). On error no output
 *   file is left.
 *
 * Then, before the file is put in place: with codec_mask, the codec check
 * (objr_codec_check_file() on the master, report->codec) and with codec_safe its re-masters
 * at lower limiter ceilings; with embed_tags, the tags (OBJR_ERR_IO when they cannot be
 * written).
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_file(const objr_master_config *cfg,
                                                     const char *in_path, const char *out_path,
                                                     objr_master_report *report, objr_diag *diag);

/**
 * @brief As objr_master_file(), but the master becomes an output of @p set: complete when
 *        this returns OBJR_OK, put in place by objr_outset_commit() with the set's other
 *        outputs (several layouts mastered as one transaction). On failure it leaves the set.
 * @return as objr_master_file(); OBJR_ERR_INVALID_ARG for a NULL @p set.
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_file_in(objr_outset *set,
                                                        const objr_master_config *cfg,
                                                        const char *in_path, const char *out_path,
                                                        objr_master_report *report,
                                                        objr_diag *diag);

/** Outcome of objr_master_album(). */
typedef struct objr_master_album_report {
    objr_loudness_result before; /**< all input tracks measured as one programme */
    objr_loudness_result after;  /**< all written tracks measured as one programme */
    double gain_db;              /**< the one gain applied to every track */
    unsigned passes;             /**< album passes (each re-masters every track) */
    int loudness_ok;             /**< album integrated meets the target */
    int unreachable;             /**< the ceiling kept the album from the target */
} objr_master_album_report;

/**
 * @brief Album mode: master @p n_tracks files with one common gain, so that their relative
 *        loudness is kept, to the target measured on the album as one programme (every
 *        track's gating blocks pooled, as BS.1770 gates a programme); each track is then held
 *        under the ceiling by the limiter. When limiting lowers the album's loudness, the
 *        common gain is raised and every track re-mastered (bounded by max_passes).
 *
 * All tracks must share the channel count and sample rate (OBJR_ERR_CONFLICT otherwise).
 * @param[out] reports n_tracks per-track reports (their loudness_ok refers to the ceiling
 *             only: the loudness target applies to the album).
 * @param[out] album the album figures (may be NULL).
 * @return as objr_master_file(); on error no output file is left.
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_album(
    const objr_master_config *cfg, const char *const *in_paths, const char *const *out_paths,
    size_t n_tracks, objr_master_report *reports, objr_master_album_report *album, objr_diag *diag);

/** One master described by the HTML mastering report (all members borrowed for the call). */
typedef struct objr_master_delivery {
    const char *label;                /**< section heading ("7.1.4", a track); NULL: out_path */
    const char *in_path;              /**< the file that was mastered */
    const char *out_path;             /**< the master written */
    const objr_master_config *cfg;    /**< the configuration it was mastered with */
    const objr_master_report *report; /**< what objr_master_file()/_album() reported */
    const char *in_label;             /**< how the page names the input; NULL: in_path */
} objr_master_delivery;

/** Hop of the short-term loudness curves in the HTML mastering report (seconds). */
#define OBJR_MASTER_HTML_HOP_S 0.1

/**
 * @brief The mastering report as one self-contained HTML page (inline SVG, no network): a
 *        table of the deliveries (target, integrated/LRA/true peak before and after, gain,
 *        limiter style and gain reduction, passes, codec-check results), and per delivery a
 *        plot of short-term loudness (EBU Tech 3341 3 s window, every
 *        OBJR_MASTER_HTML_HOP_S) over time of the input after the static gain and of the
 *        master, with the integrated target dashed, under it, on the same time axis, the
 *        limiter's gain reduction (report->gr_history_db; 0 dB at the top), and the true peak
 *        of each hop (8x, linked over channels) of both with the ceiling dashed.
 *
 * The curves are measured here: every input and every master is read once more (streaming,
 * BS.1770 weights report->weights). With @p set, the page is an output of that set (the
 * caller commits it with the masters; a master not yet committed is read from its temporary
 * file); with NULL, the page is written and put in place at once, never over an input or a
 * master.
 * @param[in] album album figures shown above the table, or NULL.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (NULL path or deliveries, n 0, a delivery without
 *         report or cfg); OBJR_ERR_CONFLICT (@p path is an input or a master); OBJR_ERR_IO
 *         (reading an input or master, writing the page); OBJR_ERR_FORMAT (a file the meter
 *         cannot take: over OBJR_MASTER_MAX_CHANNELS channels); OBJR_ERR_RANGE (a NaN/inf
 *         sample); OBJR_ERR_NOMEM. On error nothing is left at @p path (with @p set: the page
 *         is dropped from it, the masters stay).
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_report_write_html(
    objr_outset *set, const char *path, const objr_master_delivery *deliveries, size_t n,
    const objr_master_album_report *album, objr_diag *diag);

/**
 * @brief The limiter envelope that holds every render under the ceiling: for ADM masters.
 *
 * Each render (7.1.4, 5.1, 2.0, binaural: files at one sample rate, any channel counts) is
 * read, multiplied by @p gain_db and run through the true-peak limiter of @p cfg (ceiling,
 * look-ahead, release, margin); the limiter's gain curves are combined frame by frame with
 * the minimum into @p out (which may already hold curves; pass a fresh envelope otherwise).
 * Applying static gain_db and @p out to every track of the ADM BWF (objr_gain_envelope_apply)
 * then keeps each loudspeaker re-render under the ceiling, exactly for renders that are
 * memoryless mixes of the tracks (panning, DirectSpeakers, fold-downs) and approximately for
 * renders with filters (binaural HRTFs, diffuse decorrelation), which the caller re-renders
 * and re-measures, multiplying in the envelope of any re-render that still peaks
 * (objr_master_adm_file() does this).
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_CONFLICT (different sample rates); OBJR_ERR_RANGE
 *         (non-finite samples); OBJR_ERR_NOMEM. @p out is unchanged for renders not reached.
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_envelope_from_renders(
    const objr_master_config *cfg, const char *const *render_paths, size_t n_renders,
    double gain_db, objr_gain_envelope *out, objr_diag *diag);

/**
 * @brief Measure a file (any libsndfile-readable format) with the weights from its channel
 *        mask (or @p weights when not NULL).
 * @param[out] weights_used NULL or OBJR_MASTER_MAX_CHANNELS doubles receiving the weights used.
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_RANGE (NaN/inf sample, position in @p diag).
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_measure_file(
    const char *path, const double *weights, int ebur128_true_peak, objr_loudness_result *out,
    double *weights_used, unsigned *n_channels, objr_diag *diag);

/* ---------------------------------------------------------------------------------------- */
/* Mastering the ADM itself (src/adm_master.c)                                               */
/* ---------------------------------------------------------------------------------------- */

/** Most re-render layouts an ADM master checks. */
#define OBJR_ADM_MASTER_MAX_RENDERS 4
/** Size of objr_adm_master_report.hrtf_path (bytes, with NUL). */
#define OBJR_ADM_MASTER_PATH_SIZE 1024

/** Lines of objr_adm_master_report.dbmd_notes and their size (as objr_render_summary's). */
#define OBJR_ADM_MASTER_DBMD_NOTES 4
#define OBJR_ADM_MASTER_DBMD_NOTE_SIZE 256

/** Outcome of objr_master_adm_file(). Loudness figures follow each target's basis: integrated,
 *  LRA, max momentary and short-term on the 5.1 re-render, true peak the max over renders. */
typedef struct objr_adm_master_report {
    size_t n_renders;                              /**< layouts re-rendered */
    char layouts[OBJR_ADM_MASTER_MAX_RENDERS][16]; /**< "7.1.4", "5.1", "2.0", "binaural" */
    objr_loudness_result before[OBJR_ADM_MASTER_MAX_RENDERS]; /**< re-renders of the input */
    objr_loudness_result after[OBJR_ADM_MASTER_MAX_RENDERS];  /**< re-renders of the output */
    double gain_db;          /**< static gain applied to every track */
    double max_reduction_db; /**< deepest point of the limiter envelope (positive dB) */
    double active_fraction;  /**< fraction of frames where the envelope is below -0.01 dB */
    unsigned passes;         /**< gain/envelope passes run */
    double integrated_lufs;  /**< written integratedLoudness (5.1 re-render of the output) */
    double true_peak_dbtp;   /**< written maxTruePeak (max over the output's re-renders) */
    int loudness_ok;         /**< integrated meets the target */
    int true_peak_ok;        /**< every re-render at or under the ceiling */
    int untouched;           /**< gain 0 dB and no limiting: samples copied unchanged */
    /** The SOFA file the binaural re-renders used: cfg->hrtf_path, or libmysofa's default
     *  path when that was NULL ("" when the path does not fit). */
    char hrtf_path[OBJR_ADM_MASTER_PATH_SIZE];
    /** The binaural room mode used (an objr_binaural_mode value; DEFAULT resolved to MID). */
    int binaural_mode;
    /** The input's Dolby metadata (dbmd) in the re-renders: one line per setting applied or
     *  not (objr_render_summary.dbmd_notes); the chunk itself is copied to the output. */
    char dbmd_notes[OBJR_ADM_MASTER_DBMD_NOTES][OBJR_ADM_MASTER_DBMD_NOTE_SIZE];
    size_t n_dbmd_notes;
} objr_adm_master_report;

/**
 * @brief Master an ADM BWF itself: one static gain and one time-varying limiter envelope,
 *        applied to every track, so that every re-render (7.1.4, 5.1, 2.0 and binaural) meets
 *        the target of @p cfg; the result carries loudnessMetadata measured on it.
 *
 * Steps: render the input once to 7.1.4, 5.1, 2.0 and binaural (as `objrender --layout
 * binaural`: cfg->hrtf_path and cfg->binaural_mode, by default libmysofa's default SOFA set and
 * the MID room; the report names the set and mode used); measure the 5.1
 * render's integrated loudness (the basis of the immersive targets); gain = target - measured
 * (AT_MOST: only when louder; NONE: 0 dB). Each pass: the envelope is the limiter envelope of
 * the input's renders at that gain (objr_master_envelope_from_renders(); exact for the
 * loudspeaker renders, which are memoryless mixes of the tracks; the binaural render's limiter
 * looks 45 ms ahead, since its room's early reflections build a peak from up to ~40 ms of
 * earlier audio) times a refinement; EXACT targets raise the gain until the predicted 5.1
 * loudness is back on the target. Every track is multiplied by gain × envelope (streaming)
 * into a candidate BWF with the same chna, sample format and other chunks, which is
 * re-rendered and measured. If a re-render still overshoots the ceiling (the binaural one,
 * whose HRTFs and room are filters; quantisation), the limiter envelope of that re-render is
 * multiplied into the refinement and the pass repeats: gains only go down where a re-render
 * still peaks, so the passes converge (typically 2). Limiting for binaural can be deeper than
 * the loudspeaker renders need, so an AT_MOST 5.1 may end below the target; EXACT targets end
 * within 0.1 LU. The programme's loudnessMetadata (loudnessMethod "ITU-R BS.1770":
 * integratedLoudness, loudnessRange, maxTruePeak (max over all four re-renders),
 * maxMomentary, maxShortTerm) replaces earlier ones; audioContent loudnessMetadata, no longer
 * valid after the gain, is removed; a bext chunk gets the same figures (version 2). Everything
 * else in the axml is kept (written back through the ADM model).
 *
 * Uses cfg->target, lookahead_ms, release_ms, limiter_style, limiter_margin_db, max_passes,
 * hrtf_path, binaural_mode; the sample format of the input is kept (float64/8-bit become float32).
 * Temporary files live next to @p out_path and are removed; the output is written under a temporary
 * name and renamed.
 * @param[in] programme_id audioProgrammeID to render and annotate, NULL for the first.
 * @param[out] report may be NULL. @param[out] diag detail on failure: always one line naming
 *             the file and the reason.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (same path in and out, a mix.xml input: pack stems to a
 *         BWF first; ceiling, target, limiter settings or binaural_mode out of range);
 *         OBJR_ERR_IO (the HRTF file cannot be read) and OBJR_ERR_HRTF (it is not a usable
 *         SOFA set), the message naming it; the renderer's,
 *         reader's and writer's errors; OBJR_ERR_RANGE (silence with an exact target; a re-render
 *         still over the ceiling after max_passes passes: the message names the layout). No
 *         output on error.
 */
OBJR_API OBJR_NODISCARD objr_status objr_master_adm_file(const objr_master_config *cfg,
                                                         const char *programme_id,
                                                         const char *in_path, const char *out_path,
                                                         objr_adm_master_report *report,
                                                         objr_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_MASTER_H */
