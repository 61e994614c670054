/* SPDX-License-Identifier: BSD-3-Clause */
/* Layout registry: lookup of the built-in ITU-R BS.2051-3 layouts by name or alias, the
 * WAVE_FORMAT_EXTENSIBLE channel order, label helpers and the BS.2051 range check. */
#include "layouts/registry.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Case-insensitive match of @p name against one of the '|'-separated @p aliases. */
static int alias_match(const char *aliases, const char *name) {
    size_t n = strlen(name);
    const char *p = aliases;
    while (*p) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n) {
            size_t i = 0;
            while (i < n && tolower((unsigned char)p[i]) == tolower((unsigned char)name[i]))
                i++;
            if (i == n)
                return 1;
        }
        p += len;
        if (*p == '|')
            p++;
    }
    return 0;
}

/* Mask bits follow DESIGN.md: for 7.1.x the side pair M+-090 is SL/SR and the rear pair
 * M+-135 is BL/BR. The 5.1 surrounds M+-110 are SIDE (as Dolby and ffmpeg's "5.1(side)"
 * and Microsoft's KSAUDIO_SPEAKER_5POINT1_SURROUND do): they are nearer 90 than 135. Top
 * front pairs (U+-030, U+-045) are TFL/TFR, top rear pairs (U+-110, U+-135) TBL/TBR; the 7.1.2
 * top-middle pair U+-090 is written as TFL/TFR as ffmpeg's 7.1.2 does. A layout in which
 * two speakers would share a bit, or one has none, is not described by a mask. */
uint32_t objr__layout_label_wav_bit(const char *label) {
    static const struct {
        const char *label;
        uint32_t bit;
    } map[] = {
        {"M+030", OBJR__WAV_FL},  {"M-030", OBJR__WAV_FR},  {"M+000", OBJR__WAV_FC},
        {"LFE1", OBJR__WAV_LFE},  {"M+135", OBJR__WAV_BL},  {"M-135", OBJR__WAV_BR},
        {"M+SC", OBJR__WAV_FLC},  {"M-SC", OBJR__WAV_FRC},  {"M+180", OBJR__WAV_BC},
        {"M+090", OBJR__WAV_SL},  {"M-090", OBJR__WAV_SR},  {"M+110", OBJR__WAV_SL},
        {"M-110", OBJR__WAV_SR},  {"T+000", OBJR__WAV_TC},  {"U+030", OBJR__WAV_TFL},
        {"U-030", OBJR__WAV_TFR}, {"U+045", OBJR__WAV_TFL}, {"U-045", OBJR__WAV_TFR},
        {"U+090", OBJR__WAV_TFL}, {"U-090", OBJR__WAV_TFR}, {"U+000", OBJR__WAV_TFC},
        {"U+110", OBJR__WAV_TBL}, {"U-110", OBJR__WAV_TBR}, {"U+135", OBJR__WAV_TBL},
        {"U-135", OBJR__WAV_TBR}, {"U+180", OBJR__WAV_TBC}, {"UH+180", OBJR__WAV_TBC},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (ieq(map[i].label, label))
            return map[i].bit;
    return 0;
}

/* file_order: the mask order when every speaker has a distinct bit, else speakers[] order. */
static void assign_file_order(objr__layout *l, int allow_mask) {
    uint32_t mask = 0;
    int ok = allow_mask && l->n_speakers > 0;
    for (size_t i = 0; i < l->n_speakers; i++) {
        uint32_t b = objr__layout_label_wav_bit(l->speakers[i].label);
        l->speakers[i].wav_mask_bit = b;
        if (b == 0 || (mask & b))
            ok = 0;
        mask |= b;
    }
    for (size_t i = 0; i < l->n_speakers; i++)
        l->file_order[i] = (int)i;
    if (!ok) {
        l->channel_mask = 0;
        return;
    }
    l->channel_mask = mask;
    /* insertion sort by bit value: at most 64 entries */
    for (size_t i = 1; i < l->n_speakers; i++) {
        int v = l->file_order[i];
        size_t j = i;
        while (j > 0 &&
               l->speakers[l->file_order[j - 1]].wav_mask_bit > l->speakers[v].wav_mask_bit) {
            l->file_order[j] = l->file_order[j - 1];
            j--;
        }
        l->file_order[j] = v;
    }
}

void objr__layout_assign_order(objr__layout *l, int allow_mask) {
    assign_file_order(l, allow_mask);
}

void objr__layout_from_def(const objr__layout_def *def, objr__layout *out) {
    memset(out, 0, sizeof(*out));
    snprintf(out->name, sizeof(out->name), "%s", def->name);
    snprintf(out->common_name, sizeof(out->common_name), "%s", def->common_name);
    out->n_speakers = def->n_speakers;
    for (size_t i = 0; i < def->n_speakers; i++) {
        const objr__layout_spk_def *s = &def->speakers[i];
        objr__speaker *d = &out->speakers[i];
        snprintf(d->label, sizeof(d->label), "%s", s->label);
        d->azimuth_deg = d->nominal_azimuth_deg = s->az_deg;
        d->elevation_deg = d->nominal_elevation_deg = s->el_deg;
        d->distance_m = 1.0;
        d->azimuth_min_deg = s->az_min_deg;
        d->azimuth_max_deg = s->az_max_deg;
        d->elevation_min_deg = s->el_min_deg;
        d->elevation_max_deg = s->el_max_deg;
        d->is_lfe = s->is_lfe;
    }
    assign_file_order(out, 1);
}

size_t objr__layout_builtin_count(void) {
    size_t n;
    objr__layout_defs(&n);
    return n;
}

const objr__layout_def *objr__layout_builtin_def(size_t i) {
    size_t n;
    const objr__layout_def *d = objr__layout_defs(&n);
    return i < n ? &d[i] : NULL;
}

objr_status objr__layout_lookup(const char *name, objr__layout *out) {
    if (!name || !out)
        return OBJR_ERR_INVALID_ARG;
    size_t n;
    const objr__layout_def *d = objr__layout_defs(&n);
    for (size_t i = 0; i < n; i++) {
        if (ieq(d[i].name, name) || alias_match(d[i].aliases, name)) {
            objr__layout_from_def(&d[i], out);
            return OBJR_OK;
        }
    }
    return OBJR_ERR_LAYOUT;
}

int objr__layout_find_label(const objr__layout *l, const char *label) {
    for (size_t i = 0; i < l->n_speakers; i++)
        if (ieq(l->speakers[i].label, label))
            return (int)i;
    return -1;
}

int objr__layout_label_direction(const char *label, double *az_deg, double *el_deg) {
    double el;
    const char *p = label;
    if (p[0] == 'U' && p[1] == 'H') {
        el = 45.0;
        p += 2;
    } else if (p[0] == 'M') {
        el = 0.0;
        p++;
    } else if (p[0] == 'U') {
        el = 30.0;
        p++;
    } else if (p[0] == 'T') {
        el = 90.0;
        p++;
    } else if (p[0] == 'B') {
        el = -30.0;
        p++;
    } else {
        return 0;
    }
    if (*p != '+' && *p != '-')
        return 0;
    double sign = *p == '-' ? -1.0 : 1.0;
    p++;
    if (el == 0.0 && strcmp(p, "SC") == 0) {
        *az_deg = 15.0 * sign;
        *el_deg = 0.0;
        return 1;
    }
    if (!(isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
          isdigit((unsigned char)p[2]) && p[3] == '\0'))
        return 0;
    double a = (double)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
    if (a > 180.0)
        return 0;
    *az_deg = sign * a;
    *el_deg = el;
    return 1;
}

int objr__angle_in_range(double x, double start, double end, double tol) {
    /* EAR/BS.2127 semantics: end is anticlockwise from start; end == start + 360 keeps the
     * full circle, end == start is a single angle. */
    const double lim = 1e6;
    if (!(fabs(x) < lim && fabs(start) < lim && fabs(end) < lim && tol >= 0.0 && tol < 360.0))
        return 0;
    while (end - 360.0 > start)
        end -= 360.0;
    while (end < start)
        end += 360.0;
    double s = start - tol;
    while (x - 360.0 >= s)
        x -= 360.0;
    while (x < s)
        x += 360.0;
    return x <= end + tol;
}

size_t objr__layout_check_ranges(const objr__layout *l, char *msg, size_t msg_size) {
    size_t n_bad = 0;
    const double tol = 1e-6;
    for (size_t i = 0; i < l->n_speakers; i++) {
        const objr__speaker *s = &l->speakers[i];
        if (s->is_lfe)
            continue;
        int az_full = s->azimuth_max_deg - s->azimuth_min_deg >= 360.0;
        int az_ok = az_full || objr__angle_in_range(s->azimuth_deg, s->azimuth_min_deg,
                                                    s->azimuth_max_deg, tol);
        int el_ok = s->elevation_deg >= s->elevation_min_deg - tol &&
                    s->elevation_deg <= s->elevation_max_deg + tol;
        if (az_ok && el_ok)
            continue;
        if (n_bad == 0 && msg && msg_size) {
            if (!az_ok)
                snprintf(msg, msg_size, "%s: azimuth %g is outside the BS.2051 range [%g, %g]",
                         s->label, s->azimuth_deg, s->azimuth_min_deg, s->azimuth_max_deg);
            else
                snprintf(msg, msg_size, "%s: elevation %g is outside the BS.2051 range [%g, %g]",
                         s->label, s->elevation_deg, s->elevation_min_deg, s->elevation_max_deg);
        }
        n_bad++;
    }
    return n_bad;
}
