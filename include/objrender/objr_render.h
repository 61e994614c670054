/* SPDX-License-Identifier: BSD-3-Clause */
/* Loudspeaker rendering of ADM scenes (ITU-R BS.2127-1): a streaming renderer handle for
 * embedding, and a file-level convenience that renders an ADM BWF or a mix.xml with stems to
 * one WAV per layout in one pass. */
#ifndef OBJR_OBJR_RENDER_H
#define OBJR_OBJR_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_adm.h"
#include "objrender/objr_bwf.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque streaming renderer: one scene, one or more loudspeaker layouts. */
typedef struct objr_renderer objr_renderer;

/** Renderer options; always start from objr_renderer_config_default(). */
typedef struct objr_renderer_config {
    /** Global gain applied to every output, dB. @default 0 */
    double gain_db;
    /** Render only items whose object, pack and block importance (0..10) is at least this
     *  (BS.2127-1 §6.2). @default 0 (everything) */
    int importance_threshold;
    /** audioProgrammeID to render; NULL renders the first programme. @default NULL */
    const char *programme_id;
    /** Largest n_frames the renderer processes internally per step; process() accepts any
     *  n_frames and loops. @default 1024 */
    size_t max_block_frames;
    /** Layout "binaural": SOFA (AES69) HRTF file; NULL = libmysofa's default set (Debian:
     *  MIT KEMAR). @default NULL */
    const char *hrtf_path;
    /** Layout "binaural": render mode for objects without headphoneVirtualise, an
     *  objr_binaural_mode value (OFF, NEAR, MID, FAR; DRY = anechoic for every object).
     *  @default 0 (MID) */
    int binaural_mode;
    /** Binaural: 1 = diffuse-field equalised HRTFs (objr_binaural_config.diffuse_eq), 0 = the
     *  SOFA set's own responses. @default 1 */
    int binaural_diffuse_eq;
    /* Appended after 0.1 (earlier fields keep their offsets). */
    /** Layout "binaural": per-track render modes, objr_binaural_mode values (OFF, NEAR, MID,
     *  FAR; 0 = not given), indexed by BWF track - 1, e.g. from the Dolby `dbmd` chunk
     *  (objr_dbmd_track_binaural_mode). A given mode wins over the object's ADM
     *  headphoneVirtualise; without one, headphoneVirtualise, then binaural_mode apply.
     *  Read during create only. @default NULL */
    const int *track_binaural_modes;
    size_t n_track_binaural_modes; /**< @default 0 */
    /** 1 = every deviation the reader would fix (exporter rounding of block times, a
     *  missing typeDefinition, out-of-range values...) is an error instead. @default 0 */
    int strict;
    /** Called once per finding kind (fixed, note; errors too) when the scene is read, in
     *  document order; the finding is valid during the call only. May be NULL. @default NULL */
    void (*on_finding)(void *user, const objr_adm_finding *finding);
    void *finding_user;
    /** Layout "binaural": 1 = a true-peak safety limiter (objr_limiter: linked, look-ahead,
     *  BS.1770 true peak) keeps the binaural output under binaural_ceiling_dbtp. The
     *  calibration matches the 2.0 render's loudness, but at the ears content shared by
     *  several channels adds in amplitude and the ear's resonances sharpen transients, so a
     *  mix whose 2.0 render peaks near 0 dBTP peaks about 2-3 dB higher binaurally; the
     *  limiter acts only on those peaks (objr_renderer_binaural_limit_stats() says how much).
     *  0 = off. @default 1 */
    int binaural_peak_limit;
    /** Ceiling of that limiter, -20..0 dBTP. @default OBJR_BINAURAL_CEILING_DBTP */
    double binaural_ceiling_dbtp;
    /** Spatial coding emulation: render the scene as this many elements (1..64; the usual
     *  streaming counts are 12, 14 and 16), clustered by position and loudness per 21.3 ms
     *  frame, the LFE counted as one element of its own; 0 = off. Loudspeaker layouts only
     *  (with "binaural" create fails with OBJR_ERR_UNSUPPORTED). @default 0 */
    size_t spatial_coding_elements;
} objr_renderer_config;

/** Default true-peak ceiling of the binaural output (dBTP): the EBU R128 / AES streaming
 *  maximum, headroom for lossy encoding. */
#define OBJR_BINAURAL_CEILING_DBTP -1.0

/** @brief The defaults listed in objr_renderer_config. */
OBJR_API objr_renderer_config objr_renderer_config_default(void);

/**
 * @brief Create a renderer from an ADM document and (optionally) the chna entries of its BWF.
 *
 * Input channel i of objr_renderer_process() is BWF track i+1 when @p n_tracks > 0; when
 * @p n_tracks is 0 the scene must point at stems (mix.xml) and the inputs are the distinct
 * (stem, channel) sources, in the order objr_renderer_input_source() reports.
 * Output channels are the layouts' channels one layout after another, each layout in its
 * file order (WAVE_FORMAT_EXTENSIBLE mask order when the mask describes it, for 7.1.4:
 * FL FR FC LFE BL BR SL SR TFL TFR TBL TBR; else BS.2051 order).
 *
 * @param[in] cfg       options, or NULL for the defaults
 * @param[in] adm_xml   the ADM XML (axml chunk or mix.xml), @p adm_xml_len bytes; copied
 * @param[in] chna      chna entries (may be NULL when @p n_chna is 0); copied
 * @param[in] n_tracks  tracks of the audio file, or 0 for stem scenes
 * @param[in] sample_rate_hz audio sample rate
 * @param[in] layouts   layout names ("7.1.4", "4+7+0", "2.0", ...) or custom layout file
 *                      paths; @p n_layouts of them (1..16)
 * @param[out] diag     optional detail on failure (element ID, line)
 * @param[out] out      the renderer; NULL on failure
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_NOMEM; OBJR_ERR_LAYOUT (unknown or invalid
 *         layout); the ADM reader's errors (OBJR_ERR_XML, OBJR_ERR_ADM, OBJR_ERR_REFERENCE,
 *         ...); OBJR_ERR_UNSUPPORTED (Matrix or Binaural content, which are refused
 *         rather than dropped; diffuse objects when no decorrelators are built in).
 */
OBJR_API OBJR_NODISCARD objr_status
objr_renderer_create(const objr_renderer_config *cfg, const char *adm_xml, size_t adm_xml_len,
                     const objr_bwf_chna_entry *chna, size_t n_chna, uint32_t n_tracks,
                     uint32_t sample_rate_hz, const char *const *layouts, size_t n_layouts,
                     objr_diag *diag, objr_renderer **out) OBJR_NONNULL(2, 11);

/**
 * @brief Create a renderer from a parsed scene (objr_adm, see objr_adm.h), e.g. one loaded
 *        with objr_adm_load_file() and linked to its tracks with objr_adm_apply_chna().
 *        The scene is only read during the call (it is serialised and re-read, track links
 *        included). Inputs, outputs and errors as objr_renderer_create().
 */
OBJR_API OBJR_NODISCARD objr_status
objr_renderer_create_adm(const objr_renderer_config *cfg, const objr_adm *scene, uint32_t n_tracks,
                         uint32_t sample_rate_hz, const char *const *layouts, size_t n_layouts,
                         objr_diag *diag, objr_renderer **out) OBJR_NONNULL(2, 8);

/** @brief Free the renderer and everything it owns. NULL-safe. */
OBJR_API void objr_renderer_destroy(objr_renderer *r);

/** @brief Number of input channels process() reads. */
OBJR_API size_t objr_renderer_input_count(const objr_renderer *r) OBJR_NONNULL(1);
/** @brief Number of output channels process() writes (all layouts). */
OBJR_API size_t objr_renderer_output_count(const objr_renderer *r) OBJR_NONNULL(1);

/**
 * @brief Where input @p i comes from: a BWF track (1-based, *stem_path NULL) or a stem file
 *        (resolved path, owned by the renderer) and its 1-based channel.
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (i out of range; outputs untouched).
 */
OBJR_API objr_status objr_renderer_input_source(const objr_renderer *r, size_t i,
                                                uint32_t *track_index, const char **stem_path,
                                                uint32_t *stem_channel) OBJR_NONNULL(1, 4, 5);

/**
 * @brief Describe layout @p l: its name, first output channel, channel count and channel
 *        mask (0 when the mask cannot describe it). @p name is owned by the renderer.
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG.
 */
OBJR_API objr_status objr_renderer_layout_info(const objr_renderer *r, size_t l, const char **name,
                                               size_t *first_channel, size_t *n_channels,
                                               uint32_t *channel_mask) OBJR_NONNULL(1, 3, 4, 5, 6);

/** @brief BS.2051 label ("M+030", "LFE1") of output channel @p ch, or "" when out of range.
 *         Owned by the renderer. */
OBJR_API const char *objr_renderer_channel_label(const objr_renderer *r, size_t ch) OBJR_NONNULL(1);

/** @brief Frames of delay the renderer adds (the diffuse decorrelation path; 0 when the scene
 *         has no diffuse content). objr_render_file() compensates it by reading ahead. */
OBJR_API size_t objr_renderer_latency_frames(const objr_renderer *r) OBJR_NONNULL(1);

/**
 * @brief Render the next @p n_frames frames. Allocation-, lock- and I/O-free, with one
 *        exception: a long document (from 4 MiB of XML) keeps its block formats in a temporary
 *        file, and then a block first reached may be read back from it and, once a second,
 *        the pages passed are given back (one lock, one madvise). A real-time host rendering
 *        long documents can set the environment variable OBJR_ADM_SPILL_BYTES=0 before the
 *        document is read to keep every block in memory.
 * @param[in]  in  planar, objr_renderer_input_count() x n_frames
 * @param[out] out planar, objr_renderer_output_count() x n_frames, overwritten
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG (NULL buffers).
 */
OBJR_API objr_status objr_renderer_process(objr_renderer *r, const float *const *in,
                                           float *const *out, size_t n_frames) OBJR_NONNULL(1);

/**
 * @brief What the binaural safety limiter did since create or the last seek: its largest gain
 *        reduction (positive dB) and the fraction of output frames it reduced (> 0.01 dB).
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG when the renderer has no binaural limiter (outputs
 *         untouched).
 */
OBJR_API objr_status objr_renderer_binaural_limit_stats(const objr_renderer *r,
                                                        double *max_reduction_db,
                                                        double *active_fraction)
    OBJR_NONNULL(1, 2, 3);

/** @brief Move the scene clock to @p frame (the next process() renders from there) and clear
 *         the filter state. @return OBJR_OK. */
OBJR_API objr_status objr_renderer_seek(objr_renderer *r, uint64_t frame) OBJR_NONNULL(1);

/** @brief Text of the last error of this handle, "" when none. Never NULL. */
OBJR_API const char *objr_renderer_last_error(const objr_renderer *r);

/* ---------------------------------------------------------------------------------------- */
/* File-level rendering                                                                      */

/** Most layouts objr_render_file() renders in one pass. */
#define OBJR_RENDER_MAX_LAYOUTS 16
/** Most channels of one layout. */
#define OBJR_RENDER_MAX_CHANNELS 64

/** Options of objr_render_file(); start from objr_render_file_options_default(). */
typedef struct objr_render_file_options {
    objr_renderer_config renderer; /**< @default objr_renderer_config_default() */
    /** First second of the scene to render. @default 0 */
    double start_s;
    /** 1 = start_s is a session timecode: when the rendered programme starts at a timecode
     *  (exporters write 01:00:00.00000 with the objects at 0) at or before start_s, that
     *  start is subtracted, so "01:00:30" is 30 s into the mix. @default 0 */
    int start_is_timecode;
    /** Seconds to render; < 0 renders to the end. @default -1 */
    double duration_s;
    /** Output sample format: OBJR_BWF_SAMPLE_FLOAT32, _PCM24 or _PCM16 (TPDF-free
     *  rounding, clipped). @default OBJR_BWF_SAMPLE_FLOAT32 */
    objr_bwf_sample_format format;
    /** Called now and then with the fraction done (0..1); may be NULL. @default NULL */
    void (*progress)(void *user, double fraction);
    void *progress_user;
    /** Nonzero: a render with any overloaded sample (see objr_render_layout_summary
     *  n_overloads) fails with OBJR_ERR_RANGE after the whole pass, the diag naming the first
     *  such output, and leaves no output file. @default 0 */
    int fail_on_overload;
    /** Progress with stage and audio seconds (stage "rendering"); may be NULL. @default NULL */
    objr_progress_fn on_progress;
    void *on_progress_user;
    /** Apply the input's Dolby `dbmd` chunk (objr_dbmd.h): its per-track binaural render
     *  modes, unless renderer.track_binaural_modes is given. What was applied and what was
     *  not is listed in objr_render_summary.dbmd_notes. @default 1 */
    int apply_dbmd;
    /** 1: NaN/Inf input samples are replaced by silence and reported in one warning; 0: the
     *  first one fails the render (OBJR_ERR_FORMAT naming the file, track and time).
     *  @default 0 */
    int repair_nonfinite;
    /** 1: mix.xml stems may be absolute paths or leave the document's folder through "..";
     *  0: such a stem fails the render (OBJR_ERR_REFERENCE naming the line and ID), so that a
     *  crafted mix.xml cannot make the render read files elsewhere on the disk.
     *  @default 0 */
    int allow_external_stems;
    /** Called with each warning (one line naming the file: a stem shorter than the mix, a
     *  data chunk cut short, repaired samples, ...); may be NULL. @default NULL */
    void (*warning)(void *user, const char *message);
    void *warning_user;
    /** Threads the render uses: 1 = all on the calling thread; 2 = the input is decoded on a
     *  second thread, a few blocks ahead of the rendering (bounded memory; output identical
     *  to 1); 0 = the environment variable OBJR_THREADS when set (1 or 2), else 2 when two or
     *  more processors are online. @default 0 */
    int n_threads;
} objr_render_file_options;

OBJR_API objr_render_file_options objr_render_file_options_default(void);

/** Lines of objr_render_summary.dbmd_notes, and their size. */
#define OBJR_RENDER_MAX_DBMD_NOTES 4
#define OBJR_RENDER_DBMD_NOTE_SIZE 256

/** What one output file holds. */
typedef struct objr_render_layout_summary {
    char name[32];        /**< layout name as resolved ("4+7+0") */
    char common_name[32]; /**< "7.1.4" or "" */
    uint32_t n_channels;
    uint32_t channel_mask;                      /**< WAVE_FORMAT_EXTENSIBLE mask, 0 if none */
    char labels[OBJR_RENDER_MAX_CHANNELS][16];  /**< file order */
    double peak_dbfs[OBJR_RENDER_MAX_CHANNELS]; /**< sample peak, -inf for silence */
    /** Overloaded samples per channel: with integer output, samples whose rounded value is
     *  past the format's range and were clipped (x * 2^(bits-1) >= 2^(bits-1) - 0.5 or
     *  < -2^(bits-1) - 0.5); with float output, samples over full scale (|x| > 1). */
    uint64_t n_overloads[OBJR_RENDER_MAX_CHANNELS];
    /** Output frame of the first overloaded sample in any channel; UINT64_MAX when none. */
    uint64_t first_overload_frame;
} objr_render_layout_summary;

/** Summary of a file render (a caller-owned value). */
typedef struct objr_render_summary {
    uint32_t sample_rate_hz;
    uint64_t n_frames; /**< frames written to each output */
    double duration_s;
    uint32_t n_objects_items, n_direct_speakers_items; /**< render items by type */
    uint32_t n_hoa_items;
    uint32_t n_dropped_importance; /**< items dropped by the importance threshold */
    uint32_t n_inputs;             /**< audio tracks / stem channels read */
    size_t n_layouts;
    objr_render_layout_summary layouts[OBJR_RENDER_MAX_LAYOUTS];
    /** Dolby metadata (dbmd): one line per setting applied or present but not applied
     *  ("dbmd: ..."); none when the input has no dbmd chunk. */
    char dbmd_notes[OBJR_RENDER_MAX_DBMD_NOTES][OBJR_RENDER_DBMD_NOTE_SIZE];
    size_t n_dbmd_notes;
    /** 1 when the binaural output went through its safety limiter (objr_renderer_config
     *  binaural_peak_limit), with its largest gain reduction (dB, >= 0) and the fraction of
     *  frames it reduced. */
    int binaural_limited;
    double binaural_limit_max_db;
    double binaural_limit_active_fraction;
    /** With spatial coding: the elements, and the sources' position error against their
     *  elements in degrees (mean weighted by each source's energy per frame; largest of a
     *  source above -100 dBFS). 0 without. */
    uint32_t spatial_coding_elements;
    double spatial_mean_error_deg, spatial_max_error_deg;
    /** Where the largest error happened: the input (BWF track, or stem source index, from 1;
     *  0 = none) and the time in seconds from the programme's start. */
    uint32_t spatial_max_error_input;
    double spatial_max_error_time_s;
} objr_render_summary;

/**
 * @brief Render @p input_path (an ADM BWF/RF64/BW64 file, or an ADM XML document whose
 *        audioTrackUIDs point at stem files) to one WAV per layout, in one pass.
 *
 * Every output has the input's length (from @p opt start/duration), WAVE_FORMAT_EXTENSIBLE
 * with its channel mask, RF64 past 4 GiB, and is written to a temporary name and renamed
 * when complete: on any error no output file is left.
 *
 * @param[in] output_paths one path per layout
 * @param[out] summary    optional
 * @return OBJR_OK or the first error; @p diag then names the file and the element or byte
 *         offset: OBJR_ERR_IO (unreadable input, unwritable output), the container and ADM
 *         readers' errors, OBJR_ERR_LAYOUT, OBJR_ERR_REFERENCE (missing track or stem, a stem
 *         outside the mix.xml's folder), OBJR_ERR_UNSUPPORTED (Matrix/Binaural content),
 *         OBJR_ERR_FORMAT (stems with different sample rates, a non-finite sample, a sample
 *         rate the renderers do not support), OBJR_ERR_RANGE (start_s at or past the end).
 */
OBJR_API OBJR_NODISCARD objr_status objr_render_file(const char *input_path,
                                                     const char *const *layouts, size_t n_layouts,
                                                     const char *const *output_paths,
                                                     const objr_render_file_options *opt,
                                                     objr_render_summary *summary, objr_diag *diag)
    OBJR_NONNULL(1, 2, 4);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_RENDER_H */
