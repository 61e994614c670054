/* SPDX-License-Identifier: BSD-3-Clause */
/* Custom loudspeaker layout files (objrender's text format, documented in layouts/README.md):
 * parsing with file:line errors and validation (ITU-R BS.2051 labels and ranges, BS.2127
 * real positions). */
#include "layouts/registry.h"
#include "src/core/geom.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "objrender/objr_outfile.h"

#define LINE_MAX_CHARS 1024
#define MAX_TOKENS 8

typedef struct parse_ctx {
    const char *file;
    objr_diag *diag;
    long line;
} parse_ctx;

#define PERR(ctx, st, ...) perr(ctx, st, __VA_ARGS__)

static objr_status perr(parse_ctx *c, objr_status st, const char *fmt, ...) OBJR_PRINTF(3, 4);
static objr_status perr(parse_ctx *c, objr_status st, const char *fmt, ...) {
    char msg[OBJR_DIAG_MESSAGE_SIZE - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->line > 0)
        return objr__diag_set(c->diag, st, NULL, c->line, (size_t)-1, "%s:%ld: %s", c->file,
                              c->line, msg);
    return objr__diag_set(c->diag, st, NULL, 0, (size_t)-1, "%s: %s", c->file, msg);
}

/* field separators: white space and commas */
static int is_sep(char ch) {
    return ch == ',' || isspace((unsigned char)ch);
}

static int parse_number(const char *tok, double *out) {
    char *end;
    errno = 0;
    double v = strtod(tok, &end);
    if (end == tok || *end != '\0' || errno == ERANGE)
        return 0;
    *out = v;
    return 1;
}

static int valid_label(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n >= OBJR__SPEAKER_LABEL_SIZE)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!(isalnum(ch) || ch == '+' || ch == '-' || ch == '_' || ch == '.'))
            return 0;
    }
    return 1;
}

static int ieq(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static double angle_between_deg(double az1, double el1, double az2, double el2) {
    double a[3], b[3];
    objr__geom_cart(az1, el1, 1.0, a);
    objr__geom_cart(az2, el2, 1.0, b);
    double d = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    d = d > 1.0 ? 1.0 : (d < -1.0 ? -1.0 : d);
    return acos(d) * 180.0 / OBJR_PI;
}

objr_status objr__layout_parse(const char *text, size_t n_bytes, const char *filename,
                               objr__layout *out, objr_diag *diag) {
    parse_ctx c = {filename ? filename : "<layout>", diag, 0};
    if (!text || !out)
        return OBJR_ERR_INVALID_ARG;
    if (n_bytes > OBJR__LAYOUT_FILE_MAX_BYTES)
        return PERR(&c, OBJR_ERR_LIMIT, "file is larger than %u bytes",
                    (unsigned)OBJR__LAYOUT_FILE_MAX_BYTES);
    objr__layout *l = objr__calloc(1, sizeof(*l));
    if (!l)
        return OBJR_ERR_NOMEM;
    objr_status st = OBJR_OK;
    int have_base = 0, have_name = 0, have_speaker = 0;
    long spk_line[OBJR__MAX_SPEAKERS] = {0};
    int given[OBJR__MAX_SPEAKERS] = {0};
    char name[sizeof(l->name)] = "custom";
    size_t pos = 0;
    if (n_bytes >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        pos = 3; /* UTF-8 byte-order mark */
    while (pos < n_bytes) {
        char buf[LINE_MAX_CHARS + 1];
        size_t len = 0;
        c.line++;
        while (pos < n_bytes && text[pos] != '\n') {
            if (text[pos] == '\0') {
                st = PERR(&c, OBJR_ERR_FORMAT, "NUL byte in a text file");
                goto fail;
            }
            if (len == LINE_MAX_CHARS) {
                st = PERR(&c, OBJR_ERR_LIMIT, "line longer than %d characters", LINE_MAX_CHARS);
                goto fail;
            }
            buf[len++] = text[pos++];
        }
        pos++; /* the newline */
        buf[len] = '\0';
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        /* key = value lines */
        char *eq = strchr(buf, '=');
        if (eq) {
            *eq = '\0';
            char *key = buf, *val = eq + 1;
            while (isspace((unsigned char)*key))
                key++;
            char *e = key + strlen(key);
            while (e > key && isspace((unsigned char)e[-1]))
                *--e = '\0';
            while (isspace((unsigned char)*val))
                val++;
            e = val + strlen(val);
            while (e > val && isspace((unsigned char)e[-1]))
                *--e = '\0';
            if (ieq(key, "name")) {
                if (have_name) {
                    st = PERR(&c, OBJR_ERR_DUPLICATE, "'name' given twice");
                    goto fail;
                }
                if (*val == '\0' || strlen(val) >= sizeof(name)) {
                    st = PERR(&c, OBJR_ERR_FORMAT, "name must be 1 to %zu characters",
                              sizeof(name) - 1);
                    goto fail;
                }
                snprintf(name, sizeof(name), "%s", val);
                have_name = 1;
            } else if (ieq(key, "base")) {
                if (have_base || have_speaker) {
                    st = PERR(&c, OBJR_ERR_FORMAT,
                              "'base' must come once, before the speaker lines");
                    goto fail;
                }
                if (objr__layout_lookup(val, l) != OBJR_OK) {
                    st = PERR(&c, OBJR_ERR_LAYOUT, "unknown base layout '%s'", val);
                    goto fail;
                }
                have_base = 1;
            } else {
                st = PERR(&c, OBJR_ERR_FORMAT, "unknown key '%s' (expected name or base)", key);
                goto fail;
            }
            continue;
        }
        char *tok[MAX_TOKENS];
        int nt = 0;
        for (char *t = buf;;) {
            while (*t && is_sep(*t))
                t++;
            if (!*t)
                break;
            if (nt == MAX_TOKENS) {
                st = PERR(&c, OBJR_ERR_FORMAT, "too many fields");
                goto fail;
            }
            tok[nt++] = t;
            while (*t && !is_sep(*t))
                t++;
            if (*t)
                *t++ = '\0';
        }
        if (nt == 0)
            continue;
        int is_lfe = 0;
        if (nt >= 4 && ieq(tok[nt - 1], "lfe")) {
            is_lfe = 1;
            nt--;
        }
        if (nt < 3 || nt > 4) {
            st = PERR(&c, OBJR_ERR_FORMAT,
                      "expected 'LABEL AZIMUTH ELEVATION [DISTANCE] [lfe]', got %d fields", nt);
            goto fail;
        }
        if (!valid_label(tok[0])) {
            st = PERR(&c, OBJR_ERR_FORMAT,
                      "bad speaker label '%.40s' (1-15 characters of A-Z a-z 0-9 + - _ .)", tok[0]);
            goto fail;
        }
        double az, el, dist = 1.0;
        static const char *what[3] = {"azimuth", "elevation", "distance"};
        double *dst[3] = {&az, &el, &dist};
        for (int k = 0; k < nt - 1; k++) {
            if (!parse_number(tok[k + 1], dst[k])) {
                st = PERR(&c, OBJR_ERR_FORMAT, "%s: %s '%.40s' is not a number", tok[0], what[k],
                          tok[k + 1]);
                goto fail;
            }
            if (!isfinite(*dst[k])) {
                st = PERR(&c, OBJR_ERR_RANGE, "%s: %s is not finite", tok[0], what[k]);
                goto fail;
            }
        }
        if (az < -180.0 || az > 180.0) {
            st = PERR(&c, OBJR_ERR_RANGE, "%s: azimuth %g outside [-180, 180]", tok[0], az);
            goto fail;
        }
        if (el < -90.0 || el > 90.0) {
            st = PERR(&c, OBJR_ERR_RANGE, "%s: elevation %g outside [-90, 90]", tok[0], el);
            goto fail;
        }
        if (!(dist > 0.0) || dist > 1000.0) {
            st = PERR(&c, OBJR_ERR_RANGE, "%s: distance %g outside (0, 1000] m", tok[0], dist);
            goto fail;
        }
        have_speaker = 1;
        int idx = objr__layout_find_label(l, tok[0]);
        if (have_base) {
            if (idx < 0) {
                st = PERR(&c, OBJR_ERR_LAYOUT, "'%s' is not a speaker of %s", tok[0], l->name);
                goto fail;
            }
            if (given[idx]) {
                st = PERR(&c, OBJR_ERR_DUPLICATE, "speaker '%s' given twice (first on line %ld)",
                          tok[0], spk_line[idx]);
                goto fail;
            }
            if (is_lfe != l->speakers[idx].is_lfe && is_lfe) {
                st = PERR(&c, OBJR_ERR_LAYOUT, "'%s' is not an LFE speaker of %s", tok[0], l->name);
                goto fail;
            }
        } else {
            if (idx >= 0) {
                st = PERR(&c, OBJR_ERR_DUPLICATE, "speaker '%s' given twice (first on line %ld)",
                          tok[0], spk_line[idx]);
                goto fail;
            }
            if (l->n_speakers == OBJR__MAX_SPEAKERS) {
                st = PERR(&c, OBJR_ERR_LIMIT, "more than %d speakers", OBJR__MAX_SPEAKERS);
                goto fail;
            }
            idx = (int)l->n_speakers++;
            objr__speaker *s = &l->speakers[idx];
            snprintf(s->label, sizeof(s->label), "%s", tok[0]);
            s->is_lfe = is_lfe || (toupper((unsigned char)tok[0][0]) == 'L' &&
                                   toupper((unsigned char)tok[0][1]) == 'F' &&
                                   toupper((unsigned char)tok[0][2]) == 'E');
            /* a BS.2051 label carries its nominal direction (used for the triangulation) */
            if (!objr__layout_label_direction(s->label, &s->nominal_azimuth_deg,
                                              &s->nominal_elevation_deg)) {
                s->nominal_azimuth_deg = az;
                s->nominal_elevation_deg = el;
            }
            s->azimuth_min_deg = -180.0;
            s->azimuth_max_deg = 180.0;
            s->elevation_min_deg = -90.0;
            s->elevation_max_deg = 90.0;
        }
        objr__speaker *s = &l->speakers[idx];
        given[idx] = 1;
        spk_line[idx] = c.line;
        s->azimuth_deg = az;
        s->elevation_deg = el;
        s->distance_m = dist;
    }
    c.line = 0;
    if (!have_base && !have_speaker) {
        st = PERR(&c, OBJR_ERR_LAYOUT, "no speakers (and no 'base' layout)");
        goto fail;
    }
    size_t n_main = 0;
    for (size_t i = 0; i < l->n_speakers; i++)
        n_main += !l->speakers[i].is_lfe;
    if (n_main == 0) {
        st = PERR(&c, OBJR_ERR_LAYOUT, "no speakers other than LFE");
        goto fail;
    }
    /* two speakers in one place */
    for (size_t i = 0; i < l->n_speakers; i++) {
        const objr__speaker *a = &l->speakers[i];
        if (a->is_lfe)
            continue;
        for (size_t j = i + 1; j < l->n_speakers; j++) {
            const objr__speaker *b = &l->speakers[j];
            if (b->is_lfe)
                continue;
            double ang = angle_between_deg(a->azimuth_deg, a->elevation_deg, b->azimuth_deg,
                                           b->elevation_deg);
            if (ang < OBJR__LAYOUT_MIN_SEPARATION_DEG) {
                c.line = spk_line[j] ? spk_line[j] : spk_line[i];
                st = PERR(&c, OBJR_ERR_LAYOUT,
                          "speakers '%s' and '%s' are %.2f degrees apart (minimum %.1f): two "
                          "speakers in one place",
                          a->label, b->label, ang, OBJR__LAYOUT_MIN_SEPARATION_DEG);
                goto fail;
            }
        }
    }
    if (have_name)
        snprintf(l->name, sizeof(l->name), "%s", name);
    else if (!have_base)
        snprintf(l->name, sizeof(l->name), "custom");
    if (!have_base)
        objr__layout_assign_order(l, 0);
    /* BS.2127 renders with real positions; one outside its BS.2051 range is reported (EAR
     * warns and renders) rather than refused */
    l->warning[0] = '\0';
    if (have_base) {
        char msg[sizeof(l->warning)];
        if (objr__layout_check_ranges(l, msg, sizeof(msg)))
            snprintf(l->warning, sizeof(l->warning), "%s", msg);
    }
    /* whether BS.2127 can pan between the speakers is the renderer's question:
     * objr__layout_check_pannable (renderers/loudspeaker/psp.h) asks it */
    *out = *l;
    objr__freep(&l);
    return OBJR_OK;
fail:
    objr__freep(&l);
    return st;
}

objr_status objr__layout_load_file(const char *path, objr__layout *out, objr_diag *diag) {
    if (!path || !out)
        return OBJR_ERR_INVALID_ARG;
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    FILE *f = fopen(path, "rb");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    char *buf = objr__malloc(OBJR__LAYOUT_FILE_MAX_BYTES + 1);
    if (!buf) {
        fclose(f);
        return OBJR_ERR_NOMEM;
    }
    size_t n = fread(buf, 1, OBJR__LAYOUT_FILE_MAX_BYTES + 1, f);
    int err = ferror(f);
    fclose(f);
    objr_status st;
    if (err)
        st = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: read error", path);
    else
        st = objr__layout_parse(buf, n, path, out, diag);
    objr__freep(&buf);
    return st;
}
