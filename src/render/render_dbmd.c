/* SPDX-License-Identifier: BSD-3-Clause */
/* The Dolby `dbmd` chunk in file renders: per-track binaural render modes (Dolby's off /
 * near / mid / far, applied over ADM headphoneVirtualise), and a note for every setting that
 * the render does not apply (the 2.0 / 5.1 downmix and trims: objrender renders those
 * layouts directly, as BS.2127 does; objcheck's fold-downs apply them). */
#include "src/render/render_dbmd.h"

#include <stdio.h>
#include <string.h>

#include "formats/dbmd_read.h"
#include "layouts/registry.h"
#include "objrender/objr_binaural.h"
#include "objrender/objr_dbmd.h"

_Static_assert(OBJR_RENDER_DBMD_NOTE_SIZE == OBJR__DBMD_NOTE_SIZE, "one note width");

/* Which of the layouts are binaural, 2.0 or 5.1 (as named or spelled). */
static void layout_kinds(const char *const *layouts, size_t n, int *bin, int *stereo_51) {
    *bin = *stereo_51 = 0;
    for (size_t l = 0; l < n; l++) {
        char canon[OBJR__LAYOUT_NAME_MAX];
        objr__layout lay;
        if (!objr__layout_resolve_name(layouts[l], canon, sizeof canon))
            continue;
        if (strcmp(canon, OBJR__LAYOUT_BINAURAL) == 0)
            *bin = 1;
        else if (objr__layout_lookup(canon, &lay) == OBJR_OK &&
                 (strcmp(lay.name, "0+2+0") == 0 || strcmp(lay.name, "0+5+0") == 0))
            *stereo_51 = 1;
    }
}

/* "near: tracks 1-2, 5; far: 3" of the modes applied, into @p out. */
static void modes_list(const int *modes, size_t n, char *out, size_t cap) {
    static const int order[] = {OBJR_BINAURAL_MODE_OFF, OBJR_BINAURAL_MODE_NEAR,
                                OBJR_BINAURAL_MODE_MID, OBJR_BINAURAL_MODE_FAR};
    static const char *const names[] = {"", "off", "near", "mid", "far"};
    size_t used = 0;
    out[0] = 0;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            if (modes[i] != order[k])
                continue;
            size_t j = i;
            while (j + 1 < n && modes[j + 1] == order[k])
                j++;
            int w = first ? snprintf(out + used, cap - used, "%s%s: track%s %zu", used ? "; " : "",
                                     names[order[k]], j > i ? "s" : "", i + 1)
                          : snprintf(out + used, cap - used, ", %zu", i + 1);
            if (w > 0 && (size_t)w < cap - used)
                used += (size_t)w;
            if (j > i) {
                w = snprintf(out + used, cap - used, "-%zu", j + 1);
                if (w > 0 && (size_t)w < cap - used)
                    used += (size_t)w;
            }
            first = 0;
            i = j;
        }
    }
}

objr_status objr__render_dbmd_prepare(const objr_bwf *bwf, const char *const *layouts,
                                      size_t n_layouts, objr__render_dbmd *out) {
    memset(out, 0, sizeof *out);
    objr_dbmd *d = NULL;
    objr__dbmd_notes notes = {out->notes, OBJR_RENDER_MAX_DBMD_NOTES, &out->n_notes};
    objr_status st = objr__dbmd_read_noted(bwf, &notes, &d);
    if (st != OBJR_OK || !d)
        return st;
    int bin, s51;
    layout_kinds(layouts, n_layouts, &bin, &s51);
    size_t n = 0, n_given = 0;
    if (bin) {
        if (objr__dbmd_binaural_modes(d, &out->modes, &n, &n_given) != OBJR_OK) {
            objr_dbmd_destroy(d);
            return OBJR_ERR_NOMEM;
        }
        out->n_modes = n;
    }
    if (bin && n) {
        if (n_given) {
            char list[OBJR_RENDER_DBMD_NOTE_SIZE];
            modes_list(out->modes, n, list, sizeof list);
            objr__dbmd_note(
                &notes, "dbmd: binaural render modes applied over headphoneVirtualise (%s)", list);
        } else {
            objr__dbmd_note(&notes,
                            "dbmd: binaural render modes not indicated for the %zu tracks: "
                            "headphoneVirtualise or --binaural-mode apply",
                            n);
        }
    }
    objr_dbmd_atmos a;
    objr_dbmd_trim t;
    if (s51 && (objr_dbmd_get_atmos(d, &a) == OBJR_OK || objr_dbmd_get_trim(d, 0, &t) == OBJR_OK))
        objr__dbmd_note(&notes,
                        "dbmd: 2.0/5.1 downmix and trim settings not applied: 2.0 and 5.1 are "
                        "rendered directly (BS.2127); objcheck's fold-downs apply them");
    objr_dbmd_destroy(d);
    return OBJR_OK;
}

void objr__render_dbmd_free(objr__render_dbmd *d) {
    objr__freep(&d->modes);
}
