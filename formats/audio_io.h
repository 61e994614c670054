/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic audio source for stems: our BWF reader for RIFF/RF64/BW64, libsndfile for every other
 * format it reads (FLAC, AIFF, Ogg, ...), both as planar float32 blocks. Internal. */
#ifndef OBJR_FORMATS_AUDIO_IO_H
#define OBJR_FORMATS_AUDIO_IO_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_bwf.h"
#include "src/core/core.h"

/** An open audio file. One thread at a time. */
typedef struct objr__audio_reader objr__audio_reader;

/** Format of an open audio file. */
typedef struct objr__audio_info {
    uint32_t n_channels;
    uint32_t sample_rate_hz;
    uint64_t n_frames;
    uint16_t bits_per_sample; /**< valid bits (PCM) or 32/64 (float); 0 if unknown (lossy) */
    int is_float;             /**< 1 for IEEE float samples */
    int is_bwf;               /**< 1 when read by objr_bwf (chunks available) */
} objr__audio_info;

/**
 * Open @p path. WAVE/RF64/BW64 files go to objr_bwf (libsndfile is the fallback only for
 * encodings objr_bwf does not support, e.g. ADPCM); everything else to libsndfile.
 * @return OBJR_OK; OBJR_ERR_IO (cannot open); OBJR_ERR_FORMAT/TRUNCATED/LIMIT (objr_bwf's
 *         verdict on a WAVE file, or libsndfile cannot read it); OBJR_ERR_NOMEM. The diag
 *         message names the path.
 */
OBJR_HIDDEN objr_status objr__audio_reader_open(const char *path, objr_diag *diag,
                                                objr__audio_reader **out);
OBJR_HIDDEN void objr__audio_reader_close(objr__audio_reader *r);
OBJR_HIDDEN void objr__audio_reader_get_info(const objr__audio_reader *r, objr__audio_info *out);
/** The BWF handle (axml, chna, chunks) when is_bwf, else NULL. Owned by the reader. */
OBJR_HIDDEN const objr_bwf *objr__audio_reader_bwf(const objr__audio_reader *r);
/** objr__bwf_release_axml() on the reader's BWF handle (no-op for other files). */
OBJR_HIDDEN void objr__audio_reader_release_axml(objr__audio_reader *r);
/**
 * Read up to @p n_frames frames as planar float (n_channels buffers). *n_read < n_frames only at
 * the end. @return OBJR_OK or OBJR_ERR_IO (text in objr__audio_reader_last_error()).
 */
OBJR_HIDDEN objr_status objr__audio_reader_read_f32(objr__audio_reader *r, float *const *planar,
                                                    size_t n_frames, size_t *n_read);
/** Seek to frame @p frame (<= n_frames). @return OBJR_OK, OBJR_ERR_RANGE, OBJR_ERR_IO. */
OBJR_HIDDEN objr_status objr__audio_reader_seek(objr__audio_reader *r, uint64_t frame);
OBJR_HIDDEN const char *objr__audio_reader_last_error(const objr__audio_reader *r);
/** Why objr_bwf left a WAVE file to libsndfile (its sample encoding, e.g. A-law), "" when it
 *  did not. Never NULL. */
OBJR_HIDDEN const char *objr__audio_reader_bwf_refusal(const objr__audio_reader *r);

#endif /* OBJR_FORMATS_AUDIO_IO_H */
