/* SPDX-License-Identifier: BSD-3-Clause */
/* Opening any mix once: an ADM BWF/RF64/BW64 (axml + chna, or chna alone, ITU-R BS.2088 /
 * EBU Tech 3285) or an ADM XML document whose audioTrackUIDs point at stem files (mix.xml,
 * urn:objrender:mix:1), into the scene model plus one planar float track reader that streams
 * every audio file of the mix in blocks (bounded memory). Internal. */
#ifndef OBJR_FORMATS_MIX_SOURCE_H
#define OBJR_FORMATS_MIX_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "formats/audio_io.h"
#include "src/core/core.h"

/** An open mix: scene model, its audio files and their block buffers. One thread at a time. */
typedef struct objr__mix_source objr__mix_source;

/** How a mix is opened; start from objr__mix_source_config_default(). */
typedef struct objr__mix_source_config {
    /** Largest XML document read (mix.xml or axml). @default 1 GiB */
    size_t max_xml_bytes;
    /** 1: refuse a scene whose validation finds an error (the first one is reported), as a
     *  renderer must; 0: keep the problems in the model for a validator to list. @default 1 */
    int validate;
    /** 1: stems may be absolute paths or leave the mix.xml's folder through "..". @default 0 */
    int allow_external_stems;
    /** 1: NaN/Inf samples are replaced by 0 and counted; 0: the first one is an error.
     *  @default 0 */
    int repair_nonfinite;
    /** 1: stems with different sample rates open (the rate is the first stem's), for a checker
     *  that reports them; 0: an OBJR_ERR_FORMAT error. @default 0 */
    int allow_mixed_rates;
} objr__mix_source_config;

/** One audio file of the mix: the BWF itself, or one stem file. */
typedef struct objr__mix_file {
    const char *path; /**< as opened (mix.xml stems: resolved against the document's folder) */
    const char *file; /**< as written in the mix.xml (the BWF: its path) */
    objr__audio_info info;
    uint32_t n_channels_used; /**< highest channel the scene reads (BWF: all of them) */
    /** Planar, info.n_channels x block frames (after prepare): the last block read. Fixed
     *  without read-ahead; with it, valid until the next objr__mix_source_read(). */
    float **buf;
} objr__mix_file;

OBJR_HIDDEN objr__mix_source_config objr__mix_source_config_default(void);

/**
 * Open @p path: a WAVE-family file is read as an ADM BWF, a document that starts with '<'
 * (after a UTF-8/UTF-16 byte-order mark and white space) as ADM XML with stems; anything else
 * goes to the audio reader, which names what it found. Stems are checked against the stem
 * policy (inside the document's folder tree unless allow_external_stems) but not opened.
 * @return OBJR_OK; OBJR_ERR_IO; OBJR_ERR_FORMAT (no ADM metadata, a sample encoding an ADM BWF
 *         cannot carry); OBJR_ERR_REFERENCE (a stem outside the folder); OBJR_ERR_LIMIT; the
 *         container and ADM readers' errors; OBJR_ERR_NOMEM. *out is NULL on failure and
 *         @p diag names the file (and line/element where known).
 */
OBJR_HIDDEN objr_status objr__mix_source_open(const char *path, const objr__mix_source_config *cfg,
                                              objr_diag *diag, objr__mix_source **out);

/**
 * Read an ADM XML document (an axml chunk or a mix.xml), merge @p chna (may be NULL) and, when
 * @p validate, refuse the first validation error against @p n_tracks file channels (0: stems).
 * @return OBJR_OK or the reader's, the chna merge's or the validation's error (*out NULL).
 */
OBJR_HIDDEN objr_status objr__mix_source_read_scene(const char *xml, size_t len,
                                                    const objr__adm_read_opts *opts,
                                                    const objr__chna *chna, size_t n_tracks,
                                                    int validate, objr_diag *diag,
                                                    objr__adm_model **out);

/** Free everything the source owns (the model too, unless taken). NULL-safe. */
OBJR_HIDDEN void objr__mix_source_destroy(objr__mix_source *ms);

/** The scene model (NULL after objr__mix_source_take_model()). */
OBJR_HIDDEN const objr__adm_model *objr__mix_source_model(const objr__mix_source *ms);
/** Hand the model to the caller, who destroys it; the audio stays readable. */
OBJR_HIDDEN objr__adm_model *objr__mix_source_take_model(objr__mix_source *ms);
/** 1 for an ADM BWF (tracks are the file's channels), 0 for a mix.xml with stems. */
OBJR_HIDDEN int objr__mix_source_is_bwf(const objr__mix_source *ms);
/** The BWF's chunks (dbmd, bext, ...) for an ADM BWF, NULL for a mix.xml. Owned by the
 *  source. */
OBJR_HIDDEN const objr_bwf *objr__mix_source_bwf(const objr__mix_source *ms);
/** Channels of the BWF, 0 for a mix.xml. */
OBJR_HIDDEN uint32_t objr__mix_source_n_tracks(const objr__mix_source *ms);

/**
 * Open the audio: the BWF is open already; for a mix.xml, the stems named in @p stem_paths
 * (resolved paths as in the model; NULL = every stem of the model), each once. All files must
 * share one sample rate (unless allow_mixed_rates). Conditions that still render (a stem
 * shorter than the mix, a stem with more channels than the scene reads, a data chunk cut
 * short, audio shorter than the metadata) become warnings.
 * @return OBJR_OK; OBJR_ERR_IO / OBJR_ERR_FORMAT (a stem cannot be read or is not a regular
 *         file; sample rates differ); OBJR_ERR_REFERENCE (a channel beyond a stem's channels,
 *         a scene with no audio); OBJR_ERR_NOMEM.
 */
OBJR_HIDDEN objr_status objr__mix_source_open_audio(objr__mix_source *ms,
                                                    const char *const *stem_paths,
                                                    size_t n_stem_paths, objr_diag *diag);

/** Allocate the block buffers, @p block_frames (> 0) per channel, once, after open_audio.
 *  @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__mix_source_prepare(objr__mix_source *ms, size_t block_frames);

OBJR_HIDDEN uint32_t objr__mix_source_sample_rate(const objr__mix_source *ms);
/** Frames of the longest audio file (the length of the mix). */
OBJR_HIDDEN uint64_t objr__mix_source_n_frames(const objr__mix_source *ms);
OBJR_HIDDEN size_t objr__mix_source_file_count(const objr__mix_source *ms);
OBJR_HIDDEN const objr__mix_file *objr__mix_source_file(const objr__mix_source *ms, size_t i);

/**
 * The block buffer that holds BWF track @p track_index (1-based; 0 for a stem), or channel
 * @p stem_channel (1-based) of the stem whose resolved or written path is @p stem_path.
 * NULL when the mix has no such track. Valid until destroy; with read-ahead, valid until the
 * next objr__mix_source_read() (look it up again after every read).
 */
OBJR_HIDDEN const float *objr__mix_source_track(const objr__mix_source *ms, uint32_t track_index,
                                                const char *stem_path, uint32_t stem_channel);

/** Where objr__mix_source_track() finds a track: file index and 0-based channel (for a
 *  caller that re-reads file(k)->buf[channel] after every read). 0 when there is no such
 *  track. */
OBJR_HIDDEN int objr__mix_source_track_ref(const objr__mix_source *ms, uint32_t track_index,
                                           const char *stem_path, uint32_t stem_channel,
                                           size_t *file, uint32_t *channel);

/** Position every file at frame @p frame (files shorter than that read silence).
 *  OBJR_ERR_INVALID_ARG once read-ahead has started. */
OBJR_HIDDEN objr_status objr__mix_source_seek(objr__mix_source *ms, uint64_t frame,
                                              objr_diag *diag);

/**
 * Read the next @p n_frames frames (<= block_frames) of every file into its buffers, silence
 * past each file's end, then zero the buffers up to @p pad_frames (>= n_frames,
 * <= block_frames). Non-finite samples: an OBJR_ERR_FORMAT error naming the file, track and
 * time, or (repair_nonfinite) replaced by 0 and counted. With read-ahead the block comes from
 * the thread (see objr__mix_source_start_read_ahead()).
 * @return OBJR_OK; OBJR_ERR_IO (a read failed); OBJR_ERR_FORMAT (non-finite sample);
 *         OBJR_ERR_INVALID_ARG (with read-ahead: not the planned read).
 */
OBJR_HIDDEN objr_status objr__mix_source_read(objr__mix_source *ms, size_t n_frames,
                                              size_t pad_frames, objr_diag *diag);

/** Most read-ahead ring slots. */
#define OBJR__MIX_AHEAD_MAX_SLOTS 8

/**
 * Decode on a second thread from here on: the next @p n_frames frames of the mix (from the
 * current position), in the reads the caller will make, @p step_frames at a time (the last
 * one shorter), decoded @p steps_per_slot steps per slot into a ring of @p n_slots slots
 * (2..OBJR__MIX_AHEAD_MAX_SLOTS) while the caller works on the one it holds. The thread fills
 * the ring, then sleeps until half of it is free again; memory: n_slots x steps_per_slot x
 * step_frames frames of every channel of every file.
 *
 * The thread makes exactly the reads objr__mix_source_read() would make (same sizes, same
 * order, same checks), so the samples, the non-finite handling and an error's status and
 * text are those of the synchronous path, and an error surfaces at the read where it
 * happened. Afterwards every read with n_frames > 0 must ask for the next planned step
 * (min(step_frames, what is left)); reads with n_frames = 0 (past the planned frames) give
 * silence. Buffer pointers change at every read (see objr__mix_source_track()). The thread
 * stops at destroy, wherever it is.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (before prepare, step_frames 0 or > block frames,
 *         n_slots out of range, started already); OBJR_ERR_NOMEM (ring or thread).
 */
OBJR_HIDDEN objr_status objr__mix_source_start_read_ahead(objr__mix_source *ms, size_t step_frames,
                                                          size_t steps_per_slot, size_t n_slots,
                                                          uint64_t n_frames);

/** Warnings gathered so far (one line each, naming the file). Owned by the source. */
OBJR_HIDDEN size_t objr__mix_source_warning_count(const objr__mix_source *ms);
OBJR_HIDDEN const char *objr__mix_source_warning(const objr__mix_source *ms, size_t i);

/**
 * Non-finite samples replaced so far; when any, one summary ("N non-finite samples (NaN/Inf;
 * first: FILE: track T at S s)") is written to @p buf for the caller to complete.
 */
OBJR_HIDDEN uint64_t objr__mix_source_nonfinite(const objr__mix_source *ms, char *buf, size_t size);

#endif /* OBJR_FORMATS_MIX_SOURCE_H */
