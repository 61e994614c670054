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

/* The built-in layout called exactly @p name (a name or an alias, case-insensitive). */
static const objr__layout_def *find_exact(const char *name) {
    size_t n;
    const objr__layout_def *d = objr__layout_defs(&n);
    for (size_t i = 0; i < n; i++)
        if (ieq(d[i].name, name) || alias_match(d[i].aliases, name))
            return &d[i];
    return NULL;
}

static int is_headphones(const char *name) {
    return alias_match(OBJR__LAYOUT_BINAURAL "|headphones|headphone", name);
}

/* Spellings engineers type for a built-in layout: "714" (digits), "7.1.4.0" / "5.1.0" (a
 * trailing zero count of bottom or height speakers). Returns the def or NULL. */
static const objr__layout_def *find_spelled(const char *name) {
    const objr__layout_def *d = find_exact(name);
    if (d)
        return d;
    size_t n = strlen(name), k = 0;
    char buf[OBJR__LAYOUT_NAME_MAX];
    if (n >= sizeof buf / 2)
        return NULL;
    while (k < n && isdigit((unsigned char)name[k]))
        k++;
    if (k == n && (n == 2 || n == 3)) { /* "714" -> "7.1.4", "51" -> "5.1" */
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            if (i)
                buf[o++] = '.';
            buf[o++] = name[i];
        }
        buf[o] = 0;
        return find_exact(buf);
    }
    /* "x.y.z.0" / "x.y.0": drop the zero part, as long as two parts are left */
    int dots = 0;
    for (size_t i = 0; i < n; i++)
        dots += name[i] == '.';
    if (dots >= 2 && n > 2 && name[n - 1] == '0' && name[n - 2] == '.') {
        memcpy(buf, name, n - 2);
        buf[n - 2] = 0;
        return find_spelled(buf);
    }
    return NULL;
}

/* Copy @p name without leading/trailing white space into @p out (truncating). */
static void trim_copy(const char *name, char *out, size_t n) {
    while (*name == ' ' || *name == '\t')
        name++;
    size_t len = strlen(name);
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(out, name, len);
    out[len] = 0;
}

int objr__layout_resolve_name(const char *name, char *out, size_t out_size) {
    char t[OBJR__LAYOUT_NAME_MAX];
    trim_copy(name, t, sizeof t);
    const char *canon = NULL;
    const objr__layout_def *d;
    if (is_headphones(t))
        canon = OBJR__LAYOUT_BINAURAL;
    else if ((d = find_exact(t)) != NULL)
        canon = t; /* keep the spelling given: it names the output */
    else if ((d = find_spelled(t)) != NULL)
        canon = d->common_name[0] ? d->common_name : d->name;
    if (!canon)
        return 0;
    if (out && out_size)
        snprintf(out, out_size, "%s", canon);
    return 1;
}

int objr__layout_name_is_path(const char *name) {
    size_t n = strlen(name);
    static const char *const ext[] = {OBJR__LAYOUT_FILE_EXTENSIONS};
    if (strchr(name, '/'))
        return 1;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && ieq(name + n - e, ext[i]))
            return 1;
    }
    return 0;
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions),
 * case-insensitive; names are short (< OBJR__LAYOUT_NAME_MAX). */
static size_t edit_distance(const char *a, const char *b) {
    size_t na = strlen(a), nb = strlen(b);
    if (na >= OBJR__LAYOUT_NAME_MAX || nb >= OBJR__LAYOUT_NAME_MAX)
        return (size_t)-1;
    size_t d[OBJR__LAYOUT_NAME_MAX][OBJR__LAYOUT_NAME_MAX];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t v = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

/* Candidates of the suggestion: every name and alias, grouped by layout (its display name:
 * common name, else primary name) and "binaural"; each layout is suggested once, by its
 * spelling closest to what was typed. */
enum { MAX_DISPLAYS = 64 };
typedef struct suggest_set {
    const char *display[MAX_DISPLAYS];
    char spelling[MAX_DISPLAYS][OBJR__LAYOUT_NAME_MAX]; /* the closest name of each */
    size_t dist[MAX_DISPLAYS];
    size_t n;
} suggest_set;

static void consider(suggest_set *s, const char *cand, const char *display, const char *typed) {
    size_t dist = edit_distance(typed, cand);
    for (size_t k = 0; k < s->n; k++)
        if (strcmp(s->display[k], display) == 0) {
            if (dist < s->dist[k]) {
                s->dist[k] = dist;
                snprintf(s->spelling[k], sizeof s->spelling[k], "%s", cand);
            }
            return;
        }
    if (s->n < MAX_DISPLAYS) {
        s->display[s->n] = display;
        snprintf(s->spelling[s->n], sizeof s->spelling[s->n], "%s", cand);
        s->dist[s->n++] = dist;
    }
}

size_t objr__layout_suggest(const char *name, char *out, size_t out_size) {
    enum { N_SUGGEST = 3 };
    char t[OBJR__LAYOUT_NAME_MAX];
    trim_copy(name, t, sizeof t);
    suggest_set set;
    set.n = 0;
    size_t n;
    const objr__layout_def *d = objr__layout_defs(&n);
    for (size_t i = 0; i < n; i++) {
        const char *display = d[i].common_name[0] ? d[i].common_name : d[i].name;
        consider(&set, d[i].name, display, t);
        const char *p = d[i].aliases;
        while (*p) {
            char a[OBJR__LAYOUT_NAME_MAX];
            size_t len = strcspn(p, "|");
            if (len < sizeof a && len > 1) { /* system letters are not suggested */
                memcpy(a, p, len);
                a[len] = 0;
                consider(&set, a, display, t);
            }
            p += len + (p[len] == '|');
        }
    }
    consider(&set, OBJR__LAYOUT_BINAURAL, OBJR__LAYOUT_BINAURAL, t);
    consider(&set, "headphones", OBJR__LAYOUT_BINAURAL, t);
    /* close enough: at most a third of the typed characters differ (and 1 always) */
    size_t limit = strlen(t) / 3 > 1 ? strlen(t) / 3 : 1, shown = 0;
    if (out && out_size)
        out[0] = 0;
    for (size_t dist = 0; dist <= limit && shown < N_SUGGEST; dist++) /* nearest first */
        for (size_t k = 0; k < set.n && shown < N_SUGGEST; k++) {
            if (set.dist[k] != dist)
                continue;
            if (out && out_size) {
                size_t used = strlen(out);
                snprintf(out + used, out_size - used, "%s%s", shown ? ", " : "", set.spelling[k]);
            }
            shown++;
        }
    return shown;
}

objr_status objr__layout_lookup(const char *name, objr__layout *out) {
    if (!name || !out)
        return OBJR_ERR_INVALID_ARG;
    char t[OBJR__LAYOUT_NAME_MAX];
    trim_copy(name, t, sizeof t);
    const objr__layout_def *d = find_spelled(t);
    if (!d)
        return OBJR_ERR_LAYOUT;
    objr__layout_from_def(d, out);
    return OBJR_OK;
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
