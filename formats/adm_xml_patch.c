/* SPDX-License-Identifier: BSD-3-Clause */
/* The repaired document as the original text with only the fixed places changed: the rtime,
 * duration and interpolationLength attributes the fix pass changed (ITU-R BS.2076-2 §5.4.3
 * audioBlockFormat, read as BS.2127-1 §7.2 does), the block values it clamped to their §5.4.3
 * ranges or wrapped (azimuth), and typeDefinitions (near misses, missing ones:
 * §5.2/§5.3) spliced into the source bytes, and content after the root element removed. Every other
 * byte is kept. */
#include "formats/adm_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Fixed kinds whose repair this file writes back into the text. */
static const char *const patchable[] = {"block_overlap",
                                        "block_overlap_large",
                                        "block_gap_rounding",
                                        "block_gap",
                                        "block_no_duration",
                                        "block_no_rtime",
                                        "interpolation_too_long",
                                        "trailing_content",
                                        "type_definition_near_miss",
                                        "type_definition_missing",
                                        "type_from_id",
                                        "type_from_content",
                                        "azimuth_wrap"};

/** BS.2076-2 typeDefinition names by type code. */
static const char *const type_names[] = {"",    "DirectSpeakers", "Matrix", "Objects",
                                         "HOA", "Binaural"};

typedef struct edit {
    size_t start, end; /**< replaced span of the source */
    char text[OBJR__ADM_TIME_TEXT_SIZE + 32];
} edit;

typedef struct patcher {
    const char *src;
    size_t len;
    size_t *line_at; /**< offset of each line's first byte (line 1 at [0]) */
    size_t n_lines;
    size_t *skip; /**< [start, end) pairs of comments, CDATA sections and PIs, in order */
    size_t n_skip;
    edit *edits;
    size_t n_edits, cap;
} patcher;

static int can_patch(const objr__adm_model *m) {
    for (size_t i = 0; i < m->log.n; i++) {
        const objr__diaglog_entry *e = &m->log.entries[i];
        if (e->severity != OBJR__SEV_FIXED)
            continue;
        int ok = strncmp(e->kind, "range:", 6) == 0;
        for (size_t k = 0; k < sizeof patchable / sizeof patchable[0]; k++)
            ok |= strcmp(e->kind, patchable[k]) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

/* Whether the fix pass changed a value inside blocks (a range clamp, an azimuth wrap). */
static int has_value_fix(const objr__adm_model *m) {
    for (size_t i = 0; i < m->log.n; i++) {
        const objr__diaglog_entry *e = &m->log.entries[i];
        if (e->severity == OBJR__SEV_FIXED &&
            (!strncmp(e->kind, "range:", 6) || !strcmp(e->kind, "azimuth_wrap")))
            return 1;
    }
    return 0;
}

static objr_status add_edit(patcher *p, size_t start, size_t end, const char *text) {
    if (p->n_edits == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        edit *e = objr__realloc_array(p->edits, cap, sizeof *e);
        if (!e)
            return OBJR_ERR_NOMEM;
        p->edits = e;
        p->cap = cap;
    }
    edit *e = &p->edits[p->n_edits++];
    e->start = start;
    e->end = end;
    snprintf(e->text, sizeof e->text, "%s", text);
    return OBJR_OK;
}

/* Where each line starts, and the spans of comments, CDATA sections and processing
 * instructions: text in them is never an element to patch. */
static objr_status index_lines(patcher *p) {
    static const char *const open[] = {"<!--", "<![CDATA[", "<?"}, *const close[] = {"-->", "]]>",
                                                                                     "?>"};
    size_t n = 1, n_spans = 0;
    for (size_t i = 0; i < p->len; i++) {
        n += p->src[i] == '\n';
        n_spans +=
            p->src[i] == '<' && i + 1 < p->len && (p->src[i + 1] == '!' || p->src[i + 1] == '?');
    }
    if (!(p->line_at = objr__calloc(n, sizeof *p->line_at)) ||
        !(p->skip = objr__calloc(2 * n_spans + 2, sizeof *p->skip)))
        return OBJR_ERR_NOMEM;
    p->n_lines = 0;
    p->line_at[p->n_lines++] = 0;
    for (size_t i = 0; i < p->len; i++) {
        if (p->src[i] == '\n')
            p->line_at[p->n_lines++] = i + 1;
        for (int k = 0; k < 3 && p->src[i] == '<'; k++) {
            size_t no = strlen(open[k]), nc = strlen(close[k]);
            if (i + no > p->len || memcmp(p->src + i, open[k], no))
                continue;
            size_t e = i + no;
            while (e + nc <= p->len && memcmp(p->src + e, close[k], nc))
                e++;
            e = e + nc <= p->len ? e + nc : p->len;
            p->skip[2 * p->n_skip] = i;
            p->skip[2 * p->n_skip + 1] = e;
            p->n_skip++;
            for (; i + 1 < e; i++) /* lines inside the span still count */
                if (p->src[i + 1] == '\n')
                    p->line_at[p->n_lines++] = i + 2;
            break;
        }
    }
    return OBJR_OK;
}

/* Whether offset @p at lies in a comment, CDATA section or processing instruction. */
static int in_markup(const patcher *p, size_t at) {
    size_t lo = 0, hi = p->n_skip;
    while (lo < hi) { /* first span that ends after at */
        size_t mid = lo + (hi - lo) / 2;
        if (p->skip[2 * mid + 1] <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n_skip && p->skip[2 * lo] <= at;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The 1-based line of offset @p at. */
static long line_of(const patcher *p, size_t at) {
    size_t lo = 0, hi = p->n_lines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->line_at[mid] <= at)
            lo = mid;
        else
            hi = mid;
    }
    return (long)lo + 1;
}

/* The next start tag [*lt, *gt] whose name="value" (either quote) lies in [from, limit),
 * outside comments, CDATA and PIs; 0 when there is none. */
static int next_tag(const patcher *p, const char *name, const char *value, size_t from,
                    size_t limit, size_t *lt, size_t *gt) {
    size_t nv = strlen(value), nn = strlen(name);
    for (size_t i = from; i + nv + 1 < p->len && i < limit; i++) {
        if ((p->src[i] != '"' && p->src[i] != '\'') || memcmp(p->src + i + 1, value, nv) ||
            p->src[i + 1 + nv] != p->src[i] || in_markup(p, i))
            continue;
        size_t k = i; /* back over '=' and blanks to the attribute's name */
        while (k > 0 && is_space(p->src[k - 1]))
            k--;
        if (k == 0 || p->src[k - 1] != '=')
            continue;
        k--;
        while (k > 0 && is_space(p->src[k - 1]))
            k--;
        if (k <= nn || memcmp(p->src + k - nn, name, nn) || !is_space(p->src[k - nn - 1]))
            continue;
        size_t a = k - nn;
        while (a > 0 && p->src[a] != '<')
            a--;
        size_t b = i + nv + 2;
        char q = 0;
        for (; b < p->len && (q || p->src[b] != '>'); b++)
            if (q ? p->src[b] == q : (p->src[b] == '"' || p->src[b] == '\''))
                q = q ? 0 : p->src[b];
        if (p->src[a] != '<' || b >= p->len)
            return 0;
        *lt = a;
        *gt = b;
        return 1;
    }
    return 0;
}

/* The one start tag [*lt, *gt] (gt at its '>') that holds name="value" and spans line
 * @p line, where the reader saw the element; without a line, or when no tag spans it, the
 * one such tag in the whole text. Two candidates (an ID written twice) find nothing: the
 * text does not say which element was read. */
static int find_tag(const patcher *p, const char *name, const char *value, long line, size_t *lt,
                    size_t *gt) {
    size_t a, b, at;
    int n = 0;
    if (line > 0 && (size_t)line <= p->n_lines) { /* a window of lines around the element */
        at = p->line_at[line > 4 ? line - 5 : 0];
        size_t limit = (size_t)line + 4 < p->n_lines ? p->line_at[line + 4] : p->len;
        while (next_tag(p, name, value, at, limit, &a, &b) && line_of(p, a) <= line) {
            if (line_of(p, b) >= line && n++ == 0) {
                *lt = a;
                *gt = b;
            }
            at = b;
        }
        if (n)
            return n == 1;
    }
    for (at = 0; n < 2 && next_tag(p, name, value, at, p->len, &a, &b); at = b)
        if (n++ == 0) {
            *lt = a;
            *gt = b;
        }
    return n == 1;
}

/* The value span [*v0, *v1) of attribute @p name (unprefixed) in the tag [lt, gt]. */
static int find_attr(const patcher *p, size_t lt, size_t gt, const char *name, size_t *v0,
                     size_t *v1) {
    size_t nn = strlen(name), i = lt + 1;
    while (i < gt && !is_space(p->src[i])) /* the element's name */
        i++;
    while (i < gt) {
        while (i < gt && is_space(p->src[i]))
            i++;
        size_t a = i;
        while (i < gt && p->src[i] != '=' && !is_space(p->src[i]))
            i++;
        size_t a_end = i;
        while (i < gt && is_space(p->src[i]))
            i++;
        if (i >= gt || p->src[i] != '=')
            return 0;
        i++;
        while (i < gt && is_space(p->src[i]))
            i++;
        if (i >= gt || (p->src[i] != '"' && p->src[i] != '\''))
            return 0;
        char q = p->src[i++];
        size_t s = i;
        while (i < gt && p->src[i] != q)
            i++;
        if (i >= gt)
            return 0;
        if (a_end - a == nn && !memcmp(p->src + a, name, nn)) {
            *v0 = s;
            *v1 = i;
            return 1;
        }
        i++;
    }
    return 0;
}

/* Where a new attribute goes: before the tag's '>' or "/>". */
static size_t attr_insert_at(const patcher *p, size_t gt) {
    return gt > 0 && p->src[gt - 1] == '/' ? gt - 1 : gt;
}

/* rtime or duration: replaced where the fixed value differs from the written one, added
 * where the fix supplied it. */
static objr_status patch_time(patcher *p, size_t lt, size_t gt, const char *name,
                              objr__adm_time t) {
    char text[OBJR__ADM_TIME_TEXT_SIZE], err[128];
    size_t v0, v1;
    objr__adm_time_format(t, text, sizeof text);
    if (find_attr(p, lt, gt, name, &v0, &v1)) {
        char old[OBJR__ADM_TIME_TEXT_SIZE];
        objr__adm_time was;
        if (v1 - v0 < sizeof old) {
            memcpy(old, p->src + v0, v1 - v0);
            old[v1 - v0] = '\0';
            if (objr__adm_time_parse(old, &was, err, sizeof err) == OBJR_OK &&
                objr__adm_time_cmp(was, t) == 0)
                return OBJR_OK;
        }
        return add_edit(p, v0, v1, text);
    }
    char attr[OBJR__ADM_TIME_TEXT_SIZE + 16];
    snprintf(attr, sizeof attr, " %s=\"%s\"", name, text);
    size_t at = attr_insert_at(p, gt);
    return add_edit(p, at, at, attr);
}

/* Shortest decimal text that reads back as @p v. */
static void shortest(double v, char *buf, size_t size) {
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* The end tag of the element whose start tag is [lt, gt], or NULL. */
static const char *block_end(const patcher *p, size_t lt, size_t gt) {
    size_t ne = lt + 1;
    while (ne < gt && !is_space(p->src[ne]) && p->src[ne] != '/' && p->src[ne] != '>')
        ne++;
    size_t name_len = ne - (lt + 1);
    for (const char *s = p->src + gt; s && (size_t)(s - p->src) + 2 + name_len <= p->len;) {
        s = memchr(s, '<', p->len - (size_t)(s - p->src));
        if (!s)
            break;
        if (s[1] == '/' && !memcmp(s + 2, p->src + lt + 1, name_len) &&
            !in_markup(p, (size_t)(s - p->src)))
            return s;
        s++;
    }
    return NULL;
}

/* interpolationLength of the block's jumpPosition (inside [gt, the block's end tag)). */
static objr_status patch_interpolation(patcher *p, size_t lt, size_t gt,
                                       const objr__adm_block_objects *b) {
    const char *end = block_end(p, lt, gt);
    if (!end)
        return OBJR_ERR_UNSUPPORTED; /* the text does not show the block as read */
    static const char tag[] = "jumpPosition";
    for (size_t i = gt + 1; i + sizeof tag < (size_t)(end - p->src); i++) {
        if (memcmp(p->src + i, tag, sizeof tag - 1) ||
            (p->src[i - 1] != '<' && p->src[i - 1] != ':') || p->src[i - 2] == '/' ||
            in_markup(p, i))
            continue;
        size_t jl = i - 1, jg = i;
        while (p->src[jl] != '<')
            jl--;
        while (jg < (size_t)(end - p->src) && p->src[jg] != '>')
            jg++;
        size_t v0, v1;
        if (!find_attr(p, jl, jg, "interpolationLength", &v0, &v1))
            return OBJR_ERR_UNSUPPORTED;
        char old[64], text[40];
        if (v1 - v0 < sizeof old) { /* a longer text is rewritten whatever it says */
            memcpy(old, p->src + v0, v1 - v0);
            old[v1 - v0] = '\0';
            if (strtod(old, NULL) == b->interpolation_length_s)
                return OBJR_OK;
        }
        shortest(b->interpolation_length_s, text, sizeof text);
        return add_edit(p, v0, v1, text);
    }
    return OBJR_ERR_UNSUPPORTED;
}

/* A number written in [v0, v1) (blanks around it allowed) that is not @p v is replaced by
 * @p v; text that is not a plain number cannot be patched. */
static objr_status patch_number(patcher *p, size_t v0, size_t v1, double v) {
    while (v0 < v1 && is_space(p->src[v0]))
        v0++;
    while (v1 > v0 && is_space(p->src[v1 - 1]))
        v1--;
    char old[64], *end;
    if (v1 == v0 || v1 - v0 >= sizeof old)
        return OBJR_ERR_UNSUPPORTED;
    memcpy(old, p->src + v0, v1 - v0);
    old[v1 - v0] = '\0';
    double was = strtod(old, &end);
    if (*end)
        return OBJR_ERR_UNSUPPORTED;
    if (was == v)
        return OBJR_OK;
    char text[40];
    shortest(v, text, sizeof text);
    return add_edit(p, v0, v1, text);
}

/* The model's value for child element @p name (local name, its start tag [lt, gt]) of block
 * @p i of @p c, or NULL when the fix pass does not change it. *attr: the attribute holding
 * it, or NULL for the element's text. At most two values per element (text, one attribute). */
static const double *value_of(const patcher *p, size_t lt, size_t gt, const char *name,
                              const objr__adm_channel *c, size_t i, const double **attr_value,
                              const char **attr) {
    /* as the reader takes them: lower-case x, y, z too */
    static const char *const coords[] = {"azimuth", "elevation", "distance", "X", "Y",
                                         "Z",       "x",         "y",        "z"};
    size_t v0, v1;
    int k = -1;
    *attr_value = NULL;
    *attr = NULL;
    if (!strcmp(name, "position") && find_attr(p, lt, gt, "coordinate", &v0, &v1))
        for (int j = 0; j < 9; j++)
            if (strlen(coords[j]) == v1 - v0 && !memcmp(p->src + v0, coords[j], v1 - v0))
                k = j < 6 ? j : j - 3;
    if (c->type == OBJR__TYPE_DIRECT_SPEAKERS) {
        const objr__adm_block_direct_speakers *d = &c->direct_speakers[i];
        size_t b0, b1; /* the coordinate set in use only; bounds are never clamped */
        return k >= 0 && (k >= 3) == (d->cartesian != 0) && !find_attr(p, lt, gt, "bound", &b0, &b1)
                   ? &d->coord[k % 3].value
                   : NULL;
    }
    if (c->type != OBJR__TYPE_OBJECTS)
        return NULL;
    const objr__adm_block_objects *b = &c->objects[i];
    const double *pos[] = {&b->pos.azimuth_deg, &b->pos.elevation_deg,
                           &b->pos.distance,    &b->pos.x,
                           &b->pos.y,           &b->pos.z};
    if (k >= 0) /* the coordinate set in use only: the reader resets the other */
        return (k >= 3) == (b->pos.cartesian != 0) ? pos[k] : NULL;
    if (!strcmp(name, "objectDivergence")) {
        *attr = b->has_divergence_position_range ? "positionRange" : "azimuthRange";
        *attr_value = b->has_divergence_position_range ? &b->divergence_position_range
                                                       : &b->divergence_azimuth_range_deg;
        return &b->divergence;
    }
    if (!strcmp(name, "channelLock")) {
        *attr = "maxDistance";
        *attr_value = &b->channel_lock_max_distance;
        return NULL;
    }
    return !strcmp(name, "width")     ? &b->width
           : !strcmp(name, "height")  ? &b->height
           : !strcmp(name, "depth")   ? &b->depth
           : !strcmp(name, "diffuse") ? &b->diffuse
                                      : NULL;
}

/* Values the fix pass clamped or wrapped (positions, extents, diffuse, divergence, channel
 * lock distance) written back into the block's child elements [gt, end). */
static objr_status patch_values(patcher *p, size_t gt, const char *end, const objr__adm_channel *c,
                                size_t i) {
    objr_status st = OBJR_OK;
    const size_t stop = (size_t)(end - p->src);
    for (size_t at = gt + 1; st == OBJR_OK && at < stop; at++) {
        if (p->src[at] != '<' || p->src[at + 1] == '/' || p->src[at + 1] == '!' ||
            p->src[at + 1] == '?' || in_markup(p, at))
            continue;
        size_t n0 = at + 1, n1 = n0, cgt = n0;
        while (n1 < stop && !is_space(p->src[n1]) && p->src[n1] != '>' && p->src[n1] != '/')
            n1++;
        for (size_t q = n0; q < n1; q++) /* drop a namespace prefix */
            if (p->src[q] == ':')
                n0 = q + 1;
        while (cgt < stop && p->src[cgt] != '>')
            cgt++;
        char name[32];
        if (cgt >= stop || n1 - n0 >= sizeof name)
            continue;
        memcpy(name, p->src + n0, n1 - n0);
        name[n1 - n0] = '\0';
        const double *av, *tv;
        const char *attr;
        tv = value_of(p, at, cgt, name, c, i, &av, &attr);
        size_t v0, v1;
        if (av && find_attr(p, at, cgt, attr, &v0, &v1))
            st = patch_number(p, v0, v1, *av);
        if (st == OBJR_OK && tv && p->src[cgt - 1] != '/') {
            const char *t1 = memchr(p->src + cgt, '<', stop - cgt);
            st = t1 ? patch_number(p, cgt + 1, (size_t)(t1 - p->src), *tv) : OBJR_ERR_UNSUPPORTED;
        }
        at = cgt;
    }
    return st;
}

/* Every block of @p c: rtime and duration when @p timing (blocks in a sequence),
 * interpolationLength always, clamped and wrapped values when @p values. */
static objr_status patch_blocks(patcher *p, const objr__adm_channel *c, int timing, int values) {
    /* Blocks are looked for inside their channel's element, from where the previous one was
     * found: one pass over the channel's text when they are in document order (line numbers
     * cannot place them: past line 65535 the reader's are approximate). */
    size_t clt, cgt, c0 = 0, c1 = 0, cursor = 0;
    if (c->id[0] && find_tag(p, "audioChannelFormatID", c->id, c->line, &clt, &cgt) &&
        p->src[cgt - 1] != '/') {
        const char *cend = block_end(p, clt, cgt);
        c0 = cursor = cgt;
        c1 = cend ? (size_t)(cend - p->src) : 0;
    }
    if (c1 == 0)
        return OBJR_ERR_UNSUPPORTED; /* the text does not show the channel as read */
    for (size_t i = 0; i < c->n_blocks; i++) {
        const objr__adm_block_common *b = objr__adm_block_at(c, i);
        size_t lt, gt;
        if (!b->id[0] || (!next_tag(p, "audioBlockFormatID", b->id, cursor, c1, &lt, &gt) &&
                          !next_tag(p, "audioBlockFormatID", b->id, c0, cursor, &lt, &gt)))
            return OBJR_ERR_UNSUPPORTED; /* a block the text does not show as read */
        cursor = gt;
        objr_status st = OBJR_OK;
        if (timing && b->has_rtime)
            st = patch_time(p, lt, gt, "rtime", b->rtime);
        if (st == OBJR_OK && timing && b->has_duration)
            st = patch_time(p, lt, gt, "duration", b->duration);
        if (st == OBJR_OK && c->type == OBJR__TYPE_OBJECTS && /* a lone block's too */
            c->objects[i].has_interpolation_length)
            st = patch_interpolation(p, lt, gt, &c->objects[i]);
        const char *end = values && p->src[gt - 1] != '/' ? block_end(p, lt, gt) : NULL;
        if (st == OBJR_OK && end)
            st = patch_values(p, gt, end, c, i);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* typeDefinition as the BS.2076 name of the element's type: a near miss ("Object",
 * "objects") rewritten, a missing one added (with typeLabel when that is missing too). */
static objr_status patch_type(patcher *p, const char *id_attr, const char *id, long line,
                              int type) {
    size_t lt, gt, v0, v1;
    if (!id || type < 1 || type > 5)
        return OBJR_OK;
    if (!find_tag(p, id_attr, id, line, &lt, &gt))
        return OBJR_ERR_UNSUPPORTED; /* the text does not show the element as read */
    const char *name = type_names[type];
    if (find_attr(p, lt, gt, "typeDefinition", &v0, &v1))
        return v1 - v0 == strlen(name) && !memcmp(p->src + v0, name, v1 - v0)
                   ? OBJR_OK
                   : add_edit(p, v0, v1, name);
    char attr[80];
    if (find_attr(p, lt, gt, "typeLabel", &v0, &v1))
        snprintf(attr, sizeof attr, " typeDefinition=\"%s\"", name);
    else
        snprintf(attr, sizeof attr, " typeLabel=\"%04d\" typeDefinition=\"%s\"", type, name);
    size_t at = attr_insert_at(p, gt);
    return add_edit(p, at, at, attr);
}

/* Content after the root element (the reader's trailing_content finding counts its bytes):
 * removed, a final newline kept. */
static objr_status patch_trailing(patcher *p, const objr__diaglog_entry *e) {
    if (!e->has_value || e->max_value < 1.0 || e->max_value > (double)p->len)
        return OBJR_ERR_UNSUPPORTED;
    size_t cut = p->len - (size_t)e->max_value;
    return add_edit(p, cut, p->len, cut > 0 && p->src[cut - 1] == '\n' ? "" : "\n");
}

static int cmp_edit(const void *a, const void *b) {
    const edit *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static objr_status apply(patcher *p, char **out, size_t *out_len) {
    if (p->n_edits > 1)
        qsort(p->edits, p->n_edits, sizeof *p->edits, cmp_edit);
    size_t n = p->len;
    for (size_t i = 0; i < p->n_edits; i++) {
        if (i && p->edits[i].start < p->edits[i - 1].end)
            return OBJR_ERR_UNSUPPORTED; /* overlapping edits: the text is not as expected */
        n += strlen(p->edits[i].text) - (p->edits[i].end - p->edits[i].start);
    }
    char *o = objr__malloc(n + 1);
    if (!o)
        return OBJR_ERR_NOMEM;
    size_t at = 0, from = 0;
    for (size_t i = 0; i < p->n_edits; i++) {
        const edit *e = &p->edits[i];
        memcpy(o + at, p->src + from, e->start - from);
        at += e->start - from;
        size_t t = strlen(e->text);
        memcpy(o + at, e->text, t);
        at += t;
        from = e->end;
    }
    memcpy(o + at, p->src + from, p->len - from);
    at += p->len - from;
    o[at] = '\0';
    *out = o;
    if (out_len)
        *out_len = at;
    return OBJR_OK;
}

objr_status objr__adm_xml_patch(const objr__adm_model *m, const char *xml, size_t len, char **out,
                                size_t *out_len) {
    *out = NULL;
    if (!can_patch(m))
        return OBJR_ERR_UNSUPPORTED;
    patcher p = {xml, len, NULL, 0, NULL, 0, NULL, 0, 0};
    objr_status st = index_lines(&p);
    const int values = has_value_fix(m);
    for (size_t i = 0; st == OBJR_OK && i < m->n_channels; i++) {
        const objr__adm_channel *c = &m->channels[i];
        if (!c->is_common && c->n_blocks > 0)
            st = patch_blocks(&p, c, c->n_blocks > 1, values);
    }
    for (size_t i = 0; st == OBJR_OK && i < m->n_packs; i++)
        if (!m->packs[i].is_common)
            st = patch_type(&p, "audioPackFormatID", m->packs[i].id, m->packs[i].line,
                            m->packs[i].type);
    for (size_t i = 0; st == OBJR_OK && i < m->n_channels; i++)
        if (!m->channels[i].is_common)
            st = patch_type(&p, "audioChannelFormatID", m->channels[i].id, m->channels[i].line,
                            m->channels[i].type);
    const objr__diaglog_entry *trailing = objr__diaglog_find(&m->log, "trailing_content");
    if (st == OBJR_OK && trailing)
        st = patch_trailing(&p, trailing);
    if (st == OBJR_OK)
        st = apply(&p, out, out_len);
    objr__freep(&p.line_at);
    objr__freep(&p.skip);
    objr__freep(&p.edits);
    return st;
}
