/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer harness for the dbmd chunk parser (formats/bwf_dbmd.c): any bytes give OBJR_OK
 * or an error with a message and no handle, never a crash; an accepted chunk's segments lie
 * inside the input, every accessor answers within its documented range, and the text and
 * JSON views are produced (JSON without raw control characters). */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    objr_dbmd *d = NULL;
    objr_diag dg;
    objr_diag_clear(&dg);
    objr_status st = objr_dbmd_parse(data, size, &dg, &d);
    if (st != OBJR_OK) {
        if (d != NULL || dg.message[0] == '\0')
            __builtin_trap();
        return 0;
    }
    size_t n = objr_dbmd_segment_count(d);
    for (size_t i = 0; i < n; i++) {
        objr_dbmd_segment s;
        if (objr_dbmd_get_segment(d, i, &s) != OBJR_OK || !s.name || s.offset + 3 > size ||
            s.size > size - s.offset - 3)
            __builtin_trap();
    }
    objr_dbmd_atmos a;
    if (objr_dbmd_get_atmos(d, &a) == OBJR_OK &&
        (strlen(a.creation_tool) > 64 || !objr_dbmd_warp_mode_name(a.warp_mode) ||
         !objr_dbmd_downmix_2ch_name(a.downmix_2ch)))
        __builtin_trap();
    for (size_t c = 0; c < OBJR_DBMD_N_TRIM_CONFIGS; c++) {
        objr_dbmd_trim t;
        if (objr_dbmd_get_trim(d, c, &t) == OBJR_OK && !t.automatic && t.valid &&
            !(isfinite(t.centre_trim_db) && isfinite(t.surround_trim_db) &&
              isfinite(t.height_trim_db)))
            __builtin_trap();
    }
    size_t nt = objr_dbmd_track_count(d);
    if (nt > size)
        __builtin_trap();
    for (size_t i = 0; i < nt; i++) {
        int m = objr_dbmd_track_binaural_mode(d, i);
        if (m < 0 || m > 7 || objr_dbmd_track_trim_bypass(d, i) < 0 ||
            !objr_dbmd_binaural_mode_name(m))
            __builtin_trap();
    }
    if (objr_dbmd_track_binaural_mode(d, nt) != -1)
        __builtin_trap();
    objr_dbmd_ddplus p;
    if (objr_dbmd_get_ddplus(d, &p) == OBJR_OK && (p.dialnorm_db < 1 || p.dialnorm_db > 31))
        __builtin_trap();
    /* the text and JSON views (admtool info) of anything accepted */
    char *txt = objr_dbmd_describe(d), *js = objr_dbmd_to_json(d);
    if (!txt || !js || js[0] != '{')
        __builtin_trap();
    for (const char *c = js; *c; c++)
        if ((unsigned char)*c < 0x20)
            __builtin_trap(); /* control characters must be escaped */
    free(txt);
    free(js);
    objr_dbmd_destroy(d);
    return 0;
}
