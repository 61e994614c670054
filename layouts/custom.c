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

/* What the lines so far have set: the layout being built and where each speaker was given. */
typedef struct parse_state {
    parse_ctx c;
    objr__layout *l;
    int have_base, have_name, have_speaker;
    long spk_line[OBJR__MAX_SPEAKERS];
    int given[OBJR__MAX_SPEAKERS];
    char name[sizeof(((objr__layout *)0)->name)];
} parse_state;

static char *trim(char *s) {
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* "name = ..." or "base = ..." (the text before '=' is @p key). */
static objr_status parse_setting(parse_state *p, char *key, char *val) {
    key = trim(key);
    val = trim(val);
    if (ieq(key, "name")) {
        if (p->have_name)
            return PERR(&p->c, OBJR_ERR_DUPLICATE, "'name' given twice");
        if (*val == '\0' || strlen(val) >= sizeof(p->name))
            return PERR(&p->c, OBJR_ERR_FORMAT, "name must be 1 to %zu characters",
                        sizeof(p->name) - 1);
        snprintf(p->name, sizeof(p->name), "%s", val);
        p->have_name = 1;
        return OBJR_OK;
    }
    if (ieq(key, "base")) {
        if (p->have_base || p->have_speaker)
            return PERR(&p->c, OBJR_ERR_FORMAT, "'base' must come once, before the speaker lines");
        if (objr__layout_lookup(val, p->l) != OBJR_OK)
            return PERR(&p->c, OBJR_ERR_LAYOUT, "unknown base layout '%s'", val);
        p->have_base = 1;
        return OBJR_OK;
    }
    return PERR(&p->c, OBJR_ERR_FORMAT, "unknown key '%s' (expected name or base)", key);
}

/* Splits @p buf at separators into at most MAX_TOKENS fields. */
static objr_status tokenize(parse_state *p, char *buf, char **tok, int *nt) {
    *nt = 0;
    for (char *t = buf;;) {
        while (*t && is_sep(*t))
            t++;
        if (!*t)
            return OBJR_OK;
        if (*nt == MAX_TOKENS)
            return PERR(&p->c, OBJR_ERR_FORMAT, "too many fields");
        tok[(*nt)++] = t;
        while (*t && !is_sep(*t))
            t++;
        if (*t)
            *t++ = '\0';
    }
}

/* LABEL AZIMUTH ELEVATION [DISTANCE]: the numbers, checked against their ranges. */
static objr_status parse_position(parse_state *p, char **tok, int nt, double pos[3]) {
    static const char *what[3] = {"azimuth", "elevation", "distance"};
    pos[2] = 1.0;
    for (int k = 0; k < nt - 1; k++) {
        if (!parse_number(tok[k + 1], &pos[k]))
            return PERR(&p->c, OBJR_ERR_FORMAT, "%s: %s '%.40s' is not a number", tok[0], what[k],
                        tok[k + 1]);
        if (!isfinite(pos[k]))
            return PERR(&p->c, OBJR_ERR_RANGE, "%s: %s is not finite", tok[0], what[k]);
    }
    if (pos[0] < -180.0 || pos[0] > 180.0)
        return PERR(&p->c, OBJR_ERR_RANGE, "%s: azimuth %g outside [-180, 180]", tok[0], pos[0]);
    if (pos[1] < -90.0 || pos[1] > 90.0)
        return PERR(&p->c, OBJR_ERR_RANGE, "%s: elevation %g outside [-90, 90]", tok[0], pos[1]);
    if (!(pos[2] > 0.0) || pos[2] > 1000.0)
        return PERR(&p->c, OBJR_ERR_RANGE, "%s: distance %g outside (0, 1000] m", tok[0], pos[2]);
    return OBJR_OK;
}

/* The speaker a line names: one of the base layout's, or a new one. */
static objr_status speaker_slot(parse_state *p, const char *label, int is_lfe, int *slot) {
    objr__layout *l = p->l;
    int idx = objr__layout_find_label(l, label);
    if (p->have_base) {
        if (idx < 0)
            return PERR(&p->c, OBJR_ERR_LAYOUT, "'%s' is not a speaker of %s", label, l->name);
        if (p->given[idx])
            return PERR(&p->c, OBJR_ERR_DUPLICATE, "speaker '%s' given twice (first on line %ld)",
                        label, p->spk_line[idx]);
        if (is_lfe != l->speakers[idx].is_lfe && is_lfe)
            return PERR(&p->c, OBJR_ERR_LAYOUT, "'%s' is not an LFE speaker of %s", label, l->name);
        *slot = idx;
        return OBJR_OK;
    }
    if (idx >= 0)
        return PERR(&p->c, OBJR_ERR_DUPLICATE, "speaker '%s' given twice (first on line %ld)",
                    label, p->spk_line[idx]);
    if (l->n_speakers == OBJR__MAX_SPEAKERS)
        return PERR(&p->c, OBJR_ERR_LIMIT, "more than %d speakers", OBJR__MAX_SPEAKERS);
    idx = (int)l->n_speakers++;
    objr__speaker *s = &l->speakers[idx];
    snprintf(s->label, sizeof(s->label), "%s", label);
    s->is_lfe = is_lfe || (toupper((unsigned char)label[0]) == 'L' &&
                           toupper((unsigned char)label[1]) == 'F' &&
                           toupper((unsigned char)label[2]) == 'E');
    s->azimuth_min_deg = -180.0;
    s->azimuth_max_deg = 180.0;
    s->elevation_min_deg = -90.0;
    s->elevation_max_deg = 90.0;
    *slot = idx;
    return OBJR_OK;
}

/* LABEL AZIMUTH ELEVATION [DISTANCE] [lfe] */
static objr_status parse_speaker(parse_state *p, char *buf) {
    char *tok[MAX_TOKENS];
    int nt = 0, is_lfe = 0, idx = -1;
    double pos[3];
    objr_status st = tokenize(p, buf, tok, &nt);
    if (st != OBJR_OK || nt == 0)
        return st;
    if (nt >= 4 && ieq(tok[nt - 1], "lfe")) {
        is_lfe = 1;
        nt--;
    }
    if (nt < 3 || nt > 4)
        return PERR(&p->c, OBJR_ERR_FORMAT,
                    "expected 'LABEL AZIMUTH ELEVATION [DISTANCE] [lfe]', got %d fields", nt);
    if (!valid_label(tok[0]))
        return PERR(&p->c, OBJR_ERR_FORMAT,
                    "bad speaker label '%.40s' (1-15 characters of A-Z a-z 0-9 + - _ .)", tok[0]);
    if ((st = parse_position(p, tok, nt, pos)) != OBJR_OK)
        return st;
    p->have_speaker = 1;
    const size_t n_before = p->l->n_speakers;
    if ((st = speaker_slot(p, tok[0], is_lfe, &idx)) != OBJR_OK)
        return st;
    objr__speaker *s = &p->l->speakers[idx];
    /* a new speaker with a BS.2051 label carries its nominal direction (used for the
     * triangulation); other new ones are nominally where they are */
    if (p->l->n_speakers > n_before &&
        !objr__layout_label_direction(s->label, &s->nominal_azimuth_deg,
                                      &s->nominal_elevation_deg)) {
        s->nominal_azimuth_deg = pos[0];
        s->nominal_elevation_deg = pos[1];
    }
    p->given[idx] = 1;
    p->spk_line[idx] = p->c.line;
    s->azimuth_deg = pos[0];
    s->elevation_deg = pos[1];
    s->distance_m = pos[2];
    return OBJR_OK;
}

/* The next line of @p text from *pos (comment removed) into @p buf. */
static objr_status next_line(parse_state *p, const char *text, size_t n_bytes, size_t *pos,
                             char *buf) {
    size_t len = 0;
    p->c.line++;
    while (*pos < n_bytes && text[*pos] != '\n') {
        if (text[*pos] == '\0')
            return PERR(&p->c, OBJR_ERR_FORMAT, "NUL byte in a text file");
        if (len == LINE_MAX_CHARS)
            return PERR(&p->c, OBJR_ERR_LIMIT, "line longer than %d characters", LINE_MAX_CHARS);
        buf[len++] = text[(*pos)++];
    }
    (*pos)++; /* the newline */
    buf[len] = '\0';
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    return OBJR_OK;
}

/* The whole layout: some speakers besides LFE, no two in one place. */
static objr_status check_layout(parse_state *p) {
    const objr__layout *l = p->l;
    p->c.line = 0;
    if (!p->have_base && !p->have_speaker)
        return PERR(&p->c, OBJR_ERR_LAYOUT, "no speakers (and no 'base' layout)");
    size_t n_main = 0;
    for (size_t i = 0; i < l->n_speakers; i++)
        n_main += !l->speakers[i].is_lfe;
    if (n_main == 0)
        return PERR(&p->c, OBJR_ERR_LAYOUT, "no speakers other than LFE");
    for (size_t i = 0; i < l->n_speakers; i++) {
        const objr__speaker *a = &l->speakers[i];
        for (size_t j = i + 1; j < l->n_speakers && !a->is_lfe; j++) {
            const objr__speaker *b = &l->speakers[j];
            if (b->is_lfe)
                continue;
            double ang = angle_between_deg(a->azimuth_deg, a->elevation_deg, b->azimuth_deg,
                                           b->elevation_deg);
            if (ang < OBJR__LAYOUT_MIN_SEPARATION_DEG) {
                p->c.line = p->spk_line[j] ? p->spk_line[j] : p->spk_line[i];
                return PERR(&p->c, OBJR_ERR_LAYOUT,
                            "speakers '%s' and '%s' are %.2f degrees apart (minimum %.1f): two "
                            "speakers in one place",
                            a->label, b->label, ang, OBJR__LAYOUT_MIN_SEPARATION_DEG);
            }
        }
    }
    return OBJR_OK;
}

/* Name, channel order and the range warning of a checked layout. */
static void finish_layout(parse_state *p) {
    objr__layout *l = p->l;
    if (p->have_name)
        snprintf(l->name, sizeof(l->name), "%s", p->name);
    else if (!p->have_base)
        snprintf(l->name, sizeof(l->name), "custom");
    if (!p->have_base)
        objr__layout_assign_order(l, 0);
    /* BS.2127 renders with real positions; one outside its BS.2051 range is reported (EAR
     * warns and renders) rather than refused */
    l->warning[0] = '\0';
    if (p->have_base) {
        char msg[sizeof(l->warning)];
        if (objr__layout_check_ranges(l, msg, sizeof(msg)))
            snprintf(l->warning, sizeof(l->warning), "%s", msg);
    }
    /* whether BS.2127 can pan between the speakers is the renderer's question:
     * objr__layout_check_pannable (renderers/loudspeaker/psp.h) asks it */
}

objr_status objr__layout_parse(const char *text, size_t n_bytes, const char *filename,
                               objr__layout *out, objr_diag *diag) {
    if (!text || !out)
        return OBJR_ERR_INVALID_ARG;
    parse_state *p = objr__calloc(1, sizeof *p);
    if (!p)
        return OBJR_ERR_NOMEM;
    p->c = (parse_ctx){filename ? filename : "<layout>", diag, 0};
    snprintf(p->name, sizeof p->name, "custom");
    objr_status st = OBJR_OK;
    if (n_bytes > OBJR__LAYOUT_FILE_MAX_BYTES)
        st = PERR(&p->c, OBJR_ERR_LIMIT, "file is larger than %u bytes",
                  (unsigned)OBJR__LAYOUT_FILE_MAX_BYTES);
    else if (!(p->l = objr__calloc(1, sizeof *p->l)))
        st = OBJR_ERR_NOMEM;
    size_t pos = 0;
    if (n_bytes >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        pos = 3; /* UTF-8 byte-order mark */
    while (st == OBJR_OK && pos < n_bytes) {
        char buf[LINE_MAX_CHARS + 1];
        if ((st = next_line(p, text, n_bytes, &pos, buf)) != OBJR_OK)
            break;
        char *eq = strchr(buf, '=');
        if (eq) { /* key = value */
            *eq = '\0';
            st = parse_setting(p, buf, eq + 1);
        } else {
            st = parse_speaker(p, buf);
        }
    }
    if (st == OBJR_OK && (st = check_layout(p)) == OBJR_OK) {
        finish_layout(p);
        *out = *p->l;
    }
    objr__freep(&p->l);
    objr__freep(&p);
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
