/* SPDX-License-Identifier: BSD-3-Clause */
/* What formats/mix_source.c shares with its read-ahead thread (formats/mix_source_ahead.c):
 * the source's layout and the one block read both paths run. Internal; never installed. */
#ifndef OBJR_FORMATS_MIX_SOURCE_INTERNAL_H
#define OBJR_FORMATS_MIX_SOURCE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "formats/mix_source.h"

#define OBJR__MIX_WARNING_SIZE 512
#define OBJR__MIX_MAX_WARNINGS 16

typedef struct objr__mix_ahead objr__mix_ahead;

typedef struct objr__mix_file_state {
    objr__mix_file pub; /* pub.buf: the current block (home, or a read-ahead slot) */
    float **home;       /* the block buffers prepare() allocated */
    objr__audio_reader *reader;
    char *path_own, *file_own;
    uint64_t pos; /* next frame this file delivers */
} objr__mix_file_state;

/** Non-finite samples replaced: how many, and where the first one was. */
typedef struct objr__mix_nonfinite {
    uint64_t count;
    char first[OBJR__MIX_WARNING_SIZE];
} objr__mix_nonfinite;

struct objr__mix_source {
    objr__mix_source_config cfg;
    char *path;
    objr__adm_model *model;
    objr__audio_reader *main; /* the BWF; also files[0].reader */
    objr__mix_file_state *files;
    size_t n_files;
    size_t block_frames;
    float ***homes; /* files[k].home for k < n_files: the synchronous read's targets */
    uint32_t rate;
    uint64_t n_frames;
    char warnings[OBJR__MIX_MAX_WARNINGS][OBJR__MIX_WARNING_SIZE];
    size_t n_warnings;
    objr__mix_nonfinite nonfinite;
    objr__mix_ahead *ahead; /* non-NULL while a read-ahead thread owns the readers */
};

/**
 * The block read of objr__mix_source_read(): @p n_frames frames of every file into
 * @p bufs[file][channel] (silence past each file's end, zeros up to @p pad_frames), the
 * non-finite check (error, or repair counted into @p nf), advancing every file's position.
 * Touches only the readers, the positions and @p bufs, so a read-ahead thread may run it.
 */
OBJR_HIDDEN objr_status objr__mix_source_read_block(objr__mix_source *ms, float *const *const *bufs,
                                                    size_t n_frames, size_t pad_frames,
                                                    objr__mix_nonfinite *nf, objr_diag *diag);

/** Merge @p add (read later in the stream) into @p into. */
OBJR_HIDDEN void objr__mix_nonfinite_merge(objr__mix_nonfinite *into,
                                           const objr__mix_nonfinite *add);

/* formats/mix_source_ahead.c */
OBJR_HIDDEN objr_status objr__mix_ahead_start(objr__mix_source *ms, size_t step_frames,
                                              size_t steps_per_slot, size_t n_slots,
                                              uint64_t n_frames, objr__mix_ahead **out);
OBJR_HIDDEN objr_status objr__mix_ahead_read(objr__mix_source *ms, objr__mix_ahead *a,
                                             size_t n_frames, size_t pad_frames, objr_diag *diag);
/** Stop the thread (it may be blocked on a full ring or in a read) and free. NULL-safe. */
OBJR_HIDDEN void objr__mix_ahead_destroy(objr__mix_ahead *a);

#endif /* OBJR_FORMATS_MIX_SOURCE_INTERNAL_H */
