/* SPDX-License-Identifier: BSD-3-Clause */
/* The Dolby `dbmd` chunk in the translation check: the 2.0 fold-down coefficients from the
 * Dolby Digital Plus downmix levels (EBU Tech 3285 s6 §4.3.7-4.3.8) and the Atmos segments'
 * manual trims, the binaural render modes per track, and a line for what is not applied. */
#include "src/check/check_dbmd.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "objrender/objr_binaural.h"
#include "objrender/objr_dbmd.h"
#include "src/render/render_dbmd.h"

enum { TRIM_20 = 0, TRIM_51 = 1 }; /* objr_dbmd_get_trim configurations */

static void OBJR_PRINTF(2, 3) note(objr__check_dbmd *d, const char *fmt, ...) {
    if (d->n_notes >= OBJR__CHECK_DBMD_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->notes[d->n_notes++], OBJR__CHECK_DBMD_NOTE_SIZE, fmt, ap);
    va_end(ap);
}

/* The fold-down's accepted range: OFF (-inf levels) up to +24 dB. */
#define FOLD_MAX_DB 24.0

static double level_db(double db) {
    return isfinite(db) ? fmin(db, FOLD_MAX_DB) : OBJR_FOLDDOWN_OFF_DB;
}

static void apply_fold(objr__check_dbmd *out, const objr_dbmd *d) {
    objr_dbmd_atmos a;
    objr_dbmd_ddplus p;
    objr_dbmd_trim t20, t51;
    int has_atmos = objr_dbmd_get_atmos(d, &a) == OBJR_OK;
    int has_trims = objr_dbmd_get_trim(d, TRIM_20, &t20) == OBJR_OK &&
                    objr_dbmd_get_trim(d, TRIM_51, &t51) == OBJR_OK;
    int ltrt = has_atmos && (a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PL ||
                             a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PLII);
    if (has_atmos)
        note(out, "dbmd: the file's 2.0 is %s: its fold-down here is '%s'%s",
             objr_dbmd_downmix_2ch_name(a.downmix_2ch), ltrt ? "ltrt" : "loro",
             a.downmix_2ch == OBJR_DBMD_DOWNMIX_LTRT_PLII
                 ? " (Pro Logic II surround weighting not reproduced: A/52 Lt/Rt)"
                 : "");
    if (objr_dbmd_get_ddplus(d, &p) == OBJR_OK) {
        double c = ltrt ? p.ltrt_centre_db : p.loro_centre_db;
        double s = ltrt ? p.ltrt_surround_db : p.loro_surround_db;
        out->fold.centre_trim_db = level_db(c);
        out->fold.surround_trim_db = level_db(s);
        note(out, "dbmd: 2.0 fold-downs use the DD+ %s levels: centre %.1f dB, surround %.1f dB",
             ltrt ? "Lt/Rt" : "Lo/Ro", out->fold.centre_trim_db, out->fold.surround_trim_db);
    }
    if (!has_trims)
        return;
    if (!t20.automatic && t20.valid) {
        out->fold.centre_trim_db = level_db(out->fold.centre_trim_db + t20.centre_trim_db);
        out->fold.surround_trim_db = level_db(out->fold.surround_trim_db + t20.surround_trim_db);
        note(out,
             "dbmd: 2.0 manual trims applied: centre %+.1f dB, surround %+.1f dB (height "
             "%+.1f dB and balances not applied yet)",
             t20.centre_trim_db, t20.surround_trim_db, t20.height_trim_db);
    }
    if (!t51.automatic && t51.valid) {
        if (out->fold.height_trim_db > OBJR_FOLDDOWN_OFF_DB)
            out->fold.height_trim_db = level_db(out->fold.height_trim_db + t51.height_trim_db);
        note(out,
             "dbmd: 5.1 manual height trim applied to the tops: %+.1f dB (centre %+.1f dB, "
             "surround %+.1f dB and balances not applied yet)",
             t51.height_trim_db, t51.centre_trim_db, t51.surround_trim_db);
    }
    if (t20.automatic || t51.automatic)
        note(out,
             "dbmd: automatic trims (%s%s%s) not reproduced: Dolby does not publish their "
             "values; objcheck's coefficients are used",
             t20.automatic ? "2.0" : "", t20.automatic && t51.automatic ? ", " : "",
             t51.automatic ? "5.1" : "");
    if ((!t20.automatic && !t20.valid) || (!t51.automatic && !t51.valid))
        note(out, "dbmd: manual trims with implausible values ignored");
}

objr_status objr__check_dbmd_read(const objr_bwf *bwf, const objr_folddown_config *base, int apply,
                                  int with_binaural, objr__check_dbmd *out) {
    memset(out, 0, sizeof *out);
    out->fold = *base;
    if (!bwf)
        return OBJR_OK;
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_status st = objr_dbmd_from_bwf(bwf, &dg, &d);
    if (st == OBJR_ERR_NOMEM)
        return st;
    if (st != OBJR_OK) {
        note(out, "dbmd: unreadable, ignored (%s)", dg.message);
        return OBJR_OK;
    }
    if (!d)
        return OBJR_OK;
    if (apply)
        apply_fold(out, d);
    else
        note(out, "dbmd: the file's downmix and trim settings are replaced by the fold-down "
                  "options given");
    size_t n = 0, given = 0;
    if (with_binaural && objr__dbmd_binaural_modes(d, &out->modes, &n, &given) != OBJR_OK) {
        objr_dbmd_destroy(d);
        return OBJR_ERR_NOMEM;
    }
    out->n_modes = n;
    if (with_binaural && n) {
        if (given)
            note(out,
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
