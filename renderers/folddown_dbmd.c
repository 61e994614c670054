/* SPDX-License-Identifier: BSD-3-Clause */
/* The fold-downs' coefficients from a file's Dolby `dbmd` chunk: the 2.0 centre and surround
 * levels from the Dolby Digital Plus downmix levels (EBU Tech 3285 s6 §4.3.7-4.3.8, Lo/Ro or
 * Lt/Rt as the Atmos segment's 2.0 downmix says) plus its manual 2.0 trims, the tops from its
 * manual 5.1 height trim, with a note for each setting applied or not reproduced. */
#include <math.h>

#include "objrender/objr_check.h"
#include "renderers/folddown.h"

enum { TRIM_20 = 0, TRIM_51 = 1 }; /* objr_dbmd_get_trim configurations */

/* The fold-down's accepted range: OFF (-inf levels) up to +24 dB. */
#define FOLD_MAX_DB 24.0

static double level_db(double db) {
    return isfinite(db) ? fmin(db, FOLD_MAX_DB) : OBJR_FOLDDOWN_OFF_DB;
}

void objr__folddown_from_dbmd(const objr_dbmd *d, objr_folddown_config *fold,
                              const objr__dbmd_notes *notes) {
    objr_dbmd_atmos a;
    objr_dbmd_ddplus p;
    objr_dbmd_trim t20, t51;
    int has_atmos = objr_dbmd_get_atmos(d, &a) == OBJR_OK;
    int has_trims = objr_dbmd_get_trim(d, TRIM_20, &t20) == OBJR_OK &&
                    objr_dbmd_get_trim(d, TRIM_51, &t51) == OBJR_OK;
    int ltrt = has_atmos && (a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PL ||
                             a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PLII);
    if (has_atmos)
        objr__dbmd_note(notes, "dbmd: the file's 2.0 is %s: its fold-down here is '%s'%s",
                        objr_dbmd_downmix_2ch_name(a.downmix_2ch), ltrt ? "ltrt" : "loro",
                        a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PLII
                            ? " (Pro Logic II surround weighting not reproduced: A/52 Lt/Rt)"
                            : "");
    if (objr_dbmd_get_ddplus(d, &p) == OBJR_OK) {
        double c = ltrt ? p.ltrt_centre_db : p.loro_centre_db;
        double s = ltrt ? p.ltrt_surround_db : p.loro_surround_db;
        fold->centre_trim_db = level_db(c);
        fold->surround_trim_db = level_db(s);
        objr__dbmd_note(
            notes, "dbmd: 2.0 fold-downs use the DD+ %s levels: centre %.1f dB, surround %.1f dB",
            ltrt ? "Lt/Rt" : "Lo/Ro", fold->centre_trim_db, fold->surround_trim_db);
    }
    if (!has_trims)
        return;
    if (!t20.automatic && t20.valid) {
        fold->centre_trim_db = level_db(fold->centre_trim_db + t20.centre_trim_db);
        fold->surround_trim_db = level_db(fold->surround_trim_db + t20.surround_trim_db);
        objr__dbmd_note(
            notes,
            "dbmd: 2.0 manual trims applied: centre %+.1f dB, surround %+.1f dB (height "
            "%+.1f dB and balances not applied yet)",
            t20.centre_trim_db, t20.surround_trim_db, t20.height_trim_db);
    }
    if (!t51.automatic && t51.valid) {
        if (fold->height_trim_db > OBJR_FOLDDOWN_OFF_DB)
            fold->height_trim_db = level_db(fold->height_trim_db + t51.height_trim_db);
        objr__dbmd_note(
            notes,
            "dbmd: 5.1 manual height trim applied to the tops: %+.1f dB (centre %+.1f dB, "
            "surround %+.1f dB and balances not applied yet)",
            t51.height_trim_db, t51.centre_trim_db, t51.surround_trim_db);
    }
    if (t20.automatic || t51.automatic)
        objr__dbmd_note(
            notes,
            "dbmd: automatic trims (%s%s%s) not reproduced: Dolby does not publish their "
            "values; objcheck's coefficients are used",
            t20.automatic ? "2.0" : "", t20.automatic && t51.automatic ? ", " : "",
            t51.automatic ? "5.1" : "");
    if ((!t20.automatic && !t20.valid) || (!t51.automatic && !t51.valid))
        objr__dbmd_note(notes, "dbmd: manual trims with implausible values ignored");
}
