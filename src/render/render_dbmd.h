/* SPDX-License-Identifier: BSD-3-Clause */
/* What a file render takes from the input's Dolby `dbmd` chunk (objr_dbmd.h): the per-track
 * binaural render modes, and one summary line per setting applied or not. Internal. */
#ifndef OBJR_SRC_RENDER_RENDER_DBMD_H
#define OBJR_SRC_RENDER_RENDER_DBMD_H

#include <stddef.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_dbmd.h"
#include "objrender/objr_render.h"
#include "src/core/core.h"

typedef struct objr__render_dbmd {
    int *modes; /* per track: objr_binaural_mode, 0 = not given; NULL when none */
    size_t n_modes;
    char notes[OBJR_RENDER_MAX_DBMD_NOTES][OBJR_RENDER_DBMD_NOTE_SIZE];
    size_t n_notes;
} objr__render_dbmd;

/** Read @p bwf's dbmd (if any) for a render to @p layouts. An unreadable chunk is a note, not
 *  an error. @return OBJR_OK or OBJR_ERR_NOMEM. */
OBJR_HIDDEN objr_status objr__render_dbmd_prepare(const objr_bwf *bwf, const char *const *layouts,
                                                  size_t n_layouts, objr__render_dbmd *out);
OBJR_HIDDEN void objr__render_dbmd_free(objr__render_dbmd *d);

#endif /* OBJR_SRC_RENDER_RENDER_DBMD_H */
