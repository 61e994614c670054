/* SPDX-License-Identifier: BSD-3-Clause */
/* What the render and the check both take from a file's Dolby `dbmd` chunk (objr_dbmd.h):
 * reading it with an "unreadable, ignored" note instead of an error, the per-track binaural
 * render modes, and the note lines both report. Internal. */
#ifndef OBJR_FORMATS_DBMD_READ_H
#define OBJR_FORMATS_DBMD_READ_H

#include <stddef.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_dbmd.h"
#include "src/core/core.h"

#define OBJR__DBMD_NOTE_SIZE 256

/** Note lines in the caller's table (@p line has @p cap rows; @p n counts those written). */
typedef struct objr__dbmd_notes {
    char (*line)[OBJR__DBMD_NOTE_SIZE];
    size_t cap;
    size_t *n;
} objr__dbmd_notes;

/** Append a line (dropped when the table is full). */
OBJR_HIDDEN void OBJR_PRINTF(2, 3)
    objr__dbmd_note(const objr__dbmd_notes *notes, const char *fmt, ...);

/** @p bwf's dbmd into *out (NULL when there is none, or when it cannot be read: then a note
 *  says so). @return OBJR_OK or OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__dbmd_read_noted(const objr_bwf *bwf, const objr__dbmd_notes *notes,
                                              objr_dbmd **out);

/** Map a dbmd binaural render mode (objr_dbmd_binaural_mode) to objr_binaural_mode; 0 for
 *  "not indicated" and reserved values. */
OBJR_HIDDEN int objr__dbmd_to_binaural_mode(int dbmd_mode);

/** The per-track binaural render modes of @p d (objr_binaural_mode, 0 = not given), one per
 *  track: *modes allocated (NULL when the chunk lists no track), *n_given how many are set.
 *  @return OBJR_OK or OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__dbmd_binaural_modes(const objr_dbmd *d, int **modes, size_t *n_modes,
                                                  size_t *n_given);

#endif /* OBJR_FORMATS_DBMD_READ_H */
