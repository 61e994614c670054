/* SPDX-License-Identifier: BSD-3-Clause */
/* The Dolby `dbmd` chunk in the translation check: the 2.0 fold-down coefficients from the
 * Dolby Digital Plus downmix levels (EBU Tech 3285 s6 §4.3.7-4.3.8) and the Atmos segments'
 * manual trims, the binaural render modes per track, and a line for what is not applied. */
#include "src/check/check_dbmd.h"

#include <string.h>

#include "formats/dbmd_read.h"
#include "objrender/objr_binaural.h"
#include "objrender/objr_dbmd.h"
#include "renderers/folddown.h"

_Static_assert(OBJR__CHECK_DBMD_NOTE_SIZE == OBJR__DBMD_NOTE_SIZE, "one note width");

objr_status objr__check_dbmd_read(const objr_bwf *bwf, const objr_folddown_config *base, int apply,
                                  int with_binaural, objr__check_dbmd *out) {
    memset(out, 0, sizeof *out);
    out->fold = *base;
    objr__dbmd_notes notes = {out->notes, OBJR__CHECK_DBMD_NOTES, &out->n_notes};
    objr_dbmd *d = NULL;
    objr_status st = objr__dbmd_read_noted(bwf, &notes, &d);
    if (st != OBJR_OK || !d)
        return st;
    if (apply)
        objr__folddown_from_dbmd(d, &out->fold, &notes);
    else
        objr__dbmd_note(&notes,
                        "dbmd: the file's downmix and trim settings are replaced by the fold-down "
                        "options given");
    size_t n = 0, given = 0;
    if (with_binaural && objr__dbmd_binaural_modes(d, &out->modes, &n, &given) != OBJR_OK) {
        objr_dbmd_destroy(d);
        return OBJR_ERR_NOMEM;
    }
    out->n_modes = n;
    if (with_binaural && n) {
        if (given)
            objr__dbmd_note(&notes,
                            "dbmd: binaural render modes of %zu of %zu tracks applied over "
                            "headphoneVirtualise",
                            given, n);
    }
    objr_dbmd_destroy(d);
    return OBJR_OK;
}

void objr__check_dbmd_free(objr__check_dbmd *d) {
    objr__freep(&d->modes);
}
