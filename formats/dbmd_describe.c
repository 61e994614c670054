/* SPDX-License-Identifier: BSD-3-Clause */
/* Text and JSON descriptions of a parsed `dbmd` chunk (objr_dbmd.h), for admtool info and the
 * render summaries. */
#include "objrender/objr_dbmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "src/core/sbuf.h"

static void version_str(uint32_t v, char *out, size_t n) {
    snprintf(out, n, "%u.%u.%u.%u", (unsigned)(v >> 24), (unsigned)((v >> 16) & 0xFF),
             (unsigned)((v >> 8) & 0xFF), (unsigned)(v & 0xFF));
}

static void db_text(double db, char *out, size_t n) {
    if (isinf(db) && db < 0)
        snprintf(out, n, "off");
    else
        snprintf(out, n, "%+.1f dB", db);
}

static const char *phase_name(int p) {
    return p == 0   ? "no 90-degree shift"
           : p == 1 ? "90-degree surround shift"
                    : "phase not indicated";
}

/* Track ranges with the same binaural mode: "near: tracks 1-2, 5; far: track 3". */
static void modes_text(objr__sbuf *b, const objr_dbmd *d) {
    size_t n = objr_dbmd_track_count(d);
    int first_group = 1;
    for (int mode = 0; mode < 8; mode++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += objr_dbmd_track_binaural_mode(d, i) == mode;
        if (!count)
            continue;
        objr__sb_printf(b, "%s%s: ", first_group ? "" : "; ", objr_dbmd_binaural_mode_name(mode));
        first_group = 0;
        if (count == n) {
            objr__sb_printf(b, "all %zu tracks", n);
            continue;
        }
        objr__sb_printf(b, "track%s ", count > 1 ? "s" : "");
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            if (objr_dbmd_track_binaural_mode(d, i) != mode)
                continue;
            size_t j = i;
            while (j + 1 < n && objr_dbmd_track_binaural_mode(d, j + 1) == mode)
                j++;
            if (j > i)
                objr__sb_printf(b, "%s%zu-%zu", first ? "" : ", ", i + 1, j + 1);
            else
                objr__sb_printf(b, "%s%zu", first ? "" : ", ", i + 1);
            first = 0;
            i = j;
        }
    }
}

char *objr_dbmd_describe(const objr_dbmd *d) {
    objr__sbuf b = {NULL, 0, 0, 0};
    char v[32], x1[24], x2[24], x3[24], x4[24];
    version_str(objr_dbmd_version(d), v, sizeof v);
    size_t ns = objr_dbmd_segment_count(d);
    objr__sb_printf(&b, "Dolby metadata (dbmd %s): %zu segment%s", v, ns, ns == 1 ? "" : "s");
    for (size_t i = 0; i < ns; i++) {
        objr_dbmd_segment s;
        (void)objr_dbmd_get_segment(d, i, &s);
        objr__sb_printf(&b, "%s%s (%u)%s", i ? ", " : ": ", s.name, s.id,
                        !s.checksum_ok ? " BAD CHECKSUM, ignored"
                        : (!s.decoded && (s.id == OBJR_DBMD_SEG_ATMOS ||
                                          s.id == OBJR_DBMD_SEG_ATMOS_SUPPLEMENTAL ||
                                          s.id == OBJR_DBMD_SEG_DOLBY_DIGITAL_PLUS))
                            ? " not read"
                            : "");
    }
    objr__sb_printf(&b, "\n");
    objr_dbmd_atmos a;
    if (objr_dbmd_get_atmos(d, &a) == OBJR_OK) {
        objr__sb_printf(&b, "  created by: %s %u.%u.%u\n", a.creation_tool, a.tool_version[0],
                        a.tool_version[1], a.tool_version[2]);
        objr__sb_printf(&b, "  5.1 render (warp mode): %s\n",
                        objr_dbmd_warp_mode_name(a.warp_mode));
        objr__sb_printf(&b, "  2.0 downmix: %s, %s\n", objr_dbmd_downmix_2ch_name(a.downmix_2ch),
                        phase_name(a.phase90_2ch));
    }
    objr_dbmd_ddplus p;
    if (objr_dbmd_get_ddplus(d, &p) == OBJR_OK) {
        db_text(p.loro_centre_db, x1, sizeof x1);
        db_text(p.loro_surround_db, x2, sizeof x2);
        db_text(p.ltrt_centre_db, x3, sizeof x3);
        db_text(p.ltrt_surround_db, x4, sizeof x4);
        objr__sb_printf(&b,
                        "  DD+ downmix levels: Lo/Ro centre %s, surround %s; Lt/Rt centre %s, "
                        "surround %s; dialnorm -%d dB\n",
                        x1, x2, x3, x4, p.dialnorm_db);
    }
    objr_dbmd_trim t;
    if (objr_dbmd_get_trim(d, 0, &t) == OBJR_OK) {
        size_t n_auto = 0;
        for (size_t c = 0; c < OBJR_DBMD_N_TRIM_CONFIGS; c++)
            n_auto += objr_dbmd_get_trim(d, c, &t) == OBJR_OK && t.automatic;
        objr__sb_printf(&b, "  trims:%s",
                        n_auto == OBJR_DBMD_N_TRIM_CONFIGS ? " automatic for all 9 configurations"
                                                           : "");
        for (size_t c = 0; n_auto < OBJR_DBMD_N_TRIM_CONFIGS && c < OBJR_DBMD_N_TRIM_CONFIGS; c++) {
            (void)objr_dbmd_get_trim(d, c, &t);
            const char *name = objr_dbmd_trim_config_name(c);
            if (t.automatic)
                objr__sb_printf(&b, "%s %s automatic", c ? ";" : "", name);
            else if (!t.valid)
                objr__sb_printf(&b, "%s %s manual, implausible values (ignored)", c ? ";" : "",
                                name);
            else
                objr__sb_printf(&b,
                                "%s %s centre %+.1f dB, surround %+.1f dB, height %+.1f dB, "
                                "balance %+.2f/%+.2f",
                                c ? ";" : "", name, t.centre_trim_db, t.surround_trim_db,
                                t.height_trim_db, t.balance_overhead_floor, t.balance_listener);
        }
        objr__sb_printf(&b, "\n  binaural render modes: ");
        if (objr_dbmd_track_count(d) == 0)
            objr__sb_printf(&b, "none");
        modes_text(&b, d);
        objr__sb_printf(&b, "\n");
    }
    return objr__sb_finish(&b);
}

static void json_db(objr__sbuf *b, const char *key, double db) {
    if (isfinite(db))
        objr__sb_printf(b, "\"%s\":%.4g", key, db);
    else
        objr__sb_printf(b, "\"%s\":null", key);
}

char *objr_dbmd_to_json(const objr_dbmd *d) {
    objr__sbuf b = {NULL, 0, 0, 0};
    char v[32];
    version_str(objr_dbmd_version(d), v, sizeof v);
    objr__sb_printf(&b, "{\"version\":\"%s\",\"segments\":[", v);
    for (size_t i = 0; i < objr_dbmd_segment_count(d); i++) {
        objr_dbmd_segment s;
        (void)objr_dbmd_get_segment(d, i, &s);
        objr__sb_printf(&b, "%s{\"id\":%u,\"name\":", i ? "," : "", s.id);
        objr__sb_json_str(&b, s.name);
        objr__sb_printf(&b, ",\"offset\":%zu,\"size\":%zu,\"checksum_ok\":%s,\"decoded\":%s}",
                        s.offset, s.size, s.checksum_ok ? "true" : "false",
                        s.decoded ? "true" : "false");
    }
    objr__sb_printf(&b, "],\"atmos\":");
    objr_dbmd_atmos a;
    if (objr_dbmd_get_atmos(d, &a) == OBJR_OK) {
        objr__sb_printf(&b, "{\"creation_tool\":");
        objr__sb_json_str(&b, a.creation_tool);
        objr__sb_printf(&b, ",\"tool_version\":\"%u.%u.%u\",\"warp_mode\":%d,\"warp_mode_name\":",
                        a.tool_version[0], a.tool_version[1], a.tool_version[2], a.warp_mode);
        objr__sb_json_str(&b, objr_dbmd_warp_mode_name(a.warp_mode));
        objr__sb_printf(&b, ",\"downmix_2ch\":%d,\"downmix_2ch_name\":", a.downmix_2ch);
        objr__sb_json_str(&b, objr_dbmd_downmix_2ch_name(a.downmix_2ch));
        objr__sb_printf(&b, ",\"phase90_2ch\":%d,\"bed_distribution\":%d}", a.phase90_2ch,
                        a.bed_distribution);
    } else {
        objr__sb_printf(&b, "null");
    }
    objr__sb_printf(&b, ",\"ddplus\":");
    objr_dbmd_ddplus p;
    if (objr_dbmd_get_ddplus(d, &p) == OBJR_OK) {
        objr__sb_printf(&b,
                        "{\"acmod\":%d,\"lfe_on\":%s,\"dialnorm_db\":%d,\"preferred_downmix\":%d,",
                        p.acmod, p.lfe_on ? "true" : "false", p.dialnorm_db, p.preferred_downmix);
        json_db(&b, "loro_centre_db", p.loro_centre_db);
        objr__sb_printf(&b, ",");
        json_db(&b, "loro_surround_db", p.loro_surround_db);
        objr__sb_printf(&b, ",");
        json_db(&b, "ltrt_centre_db", p.ltrt_centre_db);
        objr__sb_printf(&b, ",");
        json_db(&b, "ltrt_surround_db", p.ltrt_surround_db);
        objr__sb_printf(&b, "}");
    } else {
        objr__sb_printf(&b, "null");
    }
    objr__sb_printf(&b, ",\"trims\":");
    objr_dbmd_trim t;
    if (objr_dbmd_get_trim(d, 0, &t) == OBJR_OK) {
        objr__sb_printf(&b, "[");
        for (size_t c = 0; c < OBJR_DBMD_N_TRIM_CONFIGS; c++) {
            (void)objr_dbmd_get_trim(d, c, &t);
            objr__sb_printf(&b, "%s{\"config\":\"%s\",\"automatic\":%s,\"valid\":%s", c ? "," : "",
                            objr_dbmd_trim_config_name(c), t.automatic ? "true" : "false",
                            t.valid ? "true" : "false");
            if (!t.automatic) {
                objr__sb_printf(&b, ",");
                json_db(&b, "centre_trim_db", t.centre_trim_db);
                objr__sb_printf(&b, ",");
                json_db(&b, "surround_trim_db", t.surround_trim_db);
                objr__sb_printf(&b, ",");
                json_db(&b, "height_trim_db", t.height_trim_db);
                objr__sb_printf(&b, ",\"balance_overhead_floor\":%.4g,\"balance_listener\":%.4g",
                                t.balance_overhead_floor, t.balance_listener);
            }
            objr__sb_printf(&b, "}");
        }
        objr__sb_printf(&b, "]");
    } else {
        objr__sb_printf(&b, "null");
    }
    objr__sb_printf(&b, ",\"tracks\":[");
    for (size_t i = 0; i < objr_dbmd_track_count(d); i++) {
        int m = objr_dbmd_track_binaural_mode(d, i);
        objr__sb_printf(&b, "%s{\"track\":%zu,\"binaural_render_mode\":", i ? "," : "", i + 1);
        objr__sb_json_str(&b, objr_dbmd_binaural_mode_name(m));
        objr__sb_printf(&b, ",\"trim_bypass\":%s}",
                        objr_dbmd_track_trim_bypass(d, i) == 1 ? "true" : "false");
    }
    objr__sb_printf(&b, "]}");
    return objr__sb_finish(&b);
}
