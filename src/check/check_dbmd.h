/* SPDX-License-Identifier: BSD-3-Clause */
/* What the translation check takes from the input's Dolby `dbmd` chunk: the fold-down
 * coefficients (DD+ downmix levels, manual trims) and the per-track binaural render modes,
 * with one report line per setting applied or not. Internal. */
#ifndef OBJR_SRC_CHECK_CHECK_DBMD_H
#define OBJR_SRC_CHECK_CHECK_DBMD_H

#include <stddef.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_check.h"
#include "src/core/core.h"

#define OBJR__CHECK_DBMD_NOTES 8
#define OBJR__CHECK_DBMD_NOTE_SIZE 256

typedef struct objr__check_dbmd {
    objr_folddown_config fold; /* the base configuration with the dbmd settings applied */
    int *modes;                /* per track: objr_binaural_mode, 0 = not given; NULL if none */
    size_t n_modes;
    char notes[OBJR__CHECK_DBMD_NOTES][OBJR__CHECK_DBMD_NOTE_SIZE];
    size_t n_notes;
} objr__check_dbmd;

/**
 * Read @p bwf's dbmd (NULL or none: @p out->fold = *base, no notes). With @p apply_fold the
 * 2.0 fold-downs take the DD+ downmix levels (Lo/Ro, or Lt/Rt when the Atmos segment's 2.0
 * downmix is Lt/Rt) plus the manual 2.0 centre/surround trims, and the tops the manual 5.1
 * height trim; otherwise a note says the file's settings were replaced by the options.
 * @return OBJR_OK or OBJR_ERR_NOMEM (an unreadable chunk is a note).
 */
OBJR_HIDDEN objr_status objr__check_dbmd_read(const objr_bwf *bwf, const objr_folddown_config *base,
                                              int apply_fold, int with_binaural,
                                              objr__check_dbmd *out);
OBJR_HIDDEN void objr__check_dbmd_free(objr__check_dbmd *d);

#endif /* OBJR_SRC_CHECK_CHECK_DBMD_H */
