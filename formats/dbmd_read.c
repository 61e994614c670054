/* SPDX-License-Identifier: BSD-3-Clause */
/* The Dolby `dbmd` chunk as the render and the check use it (dbmd_read.h): read with a note
 * when unreadable, and the per-track binaural render modes (Dolby's off / near / mid / far). */
#include "formats/dbmd_read.h"

#include <stdarg.h>
#include <stdio.h>

#include "objrender/objr_binaural.h"

void objr__dbmd_note(const objr__dbmd_notes *notes, const char *fmt, ...) {
    if (*notes->n >= notes->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(notes->line[*notes->n], OBJR__DBMD_NOTE_SIZE, fmt, ap);
    va_end(ap);
    objr__one_line(notes->line[(*notes->n)++]);
}

objr_status objr__dbmd_read_noted(const objr_bwf *bwf, const objr__dbmd_notes *notes,
                                  objr_dbmd **out) {
    *out = NULL;
    if (!bwf)
        return OBJR_OK;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_status st = objr_dbmd_from_bwf(bwf, &dg, out);
    if (st == OBJR_ERR_NOMEM)
        return st;
    if (st != OBJR_OK) {
        *out = NULL;
        objr__dbmd_note(notes, "dbmd: unreadable, ignored (%s)", dg.message);
    }
    return OBJR_OK;
}

int objr__dbmd_to_binaural_mode(int dbmd_mode) {
    switch (dbmd_mode) {
    case OBJR_DBMD_BINAURAL_OFF:
        return OBJR_BINAURAL_MODE_OFF;
    case OBJR_DBMD_BINAURAL_NEAR:
        return OBJR_BINAURAL_MODE_NEAR;
    case OBJR_DBMD_BINAURAL_MID:
        return OBJR_BINAURAL_MODE_MID;
    case OBJR_DBMD_BINAURAL_FAR:
        return OBJR_BINAURAL_MODE_FAR;
    default:
        return 0;
    }
}

objr_status objr__dbmd_binaural_modes(const objr_dbmd *d, int **modes, size_t *n_modes,
                                      size_t *n_given) {
    *modes = NULL;
    *n_modes = *n_given = 0;
    size_t n = objr_dbmd_track_count(d);
    if (n == 0)
        return OBJR_OK;
    if (!(*modes = objr__calloc(n, sizeof **modes)))
        return OBJR_ERR_NOMEM;
    *n_modes = n;
    for (size_t i = 0; i < n; i++) {
        (*modes)[i] = objr__dbmd_to_binaural_mode(objr_dbmd_track_binaural_mode(d, i));
        *n_given += (*modes)[i] != 0;
    }
    return OBJR_OK;
}
