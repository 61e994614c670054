/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML reader (ITU-R BS.2076-2 §5, S-ADM frames per BS.2125-1 §6) on libxml2: roots
 * ebuCoreMain / ituADM / audioFormatExtended / frame, every block-format parameter with the
 * BS.2076 defaults, and the objrender mix.xml stem attributes (urn:objrender:mix:1).
 * Hardened for untrusted input: XML_PARSE_NONET, no entity substitution, no DTD loading, any
 * DOCTYPE refused before parsing, size and element limits. */
#include "formats/adm_model.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "formats/adm_resolve.h"
#include "src/core/filemap.h"

/** Depth searched for audioFormatExtended below the root. */
#define MAX_WRAPPER_DEPTH 6

typedef struct transport_link {
    uint32_t track;
    long line;
    char *uid;
} transport_link;

typedef struct rd {
    objr__adm_model *m;
    int oom; /* an attribute copy failed: reported as OBJR_ERR_NOMEM at the end */
    struct transport_link *transport; /* S-ADM track links, applied after resolution */
    size_t n_transport, cap_transport;
    int xml_error; /* the first libxml2 error, from the reader's handler */
    int xml_error_code;
    int xml_error_col;
    long xml_error_line;
    char xml_error_msg[300];
    char xml_error_inside[64]; /* the element whose content was being read then */
    objr_diag *diag;
    long line_base; /* lines skipped before the XML declaration */
    const objr__adm_read_opts *o;
    const char *file;
    size_t blocks_cap;  /* capacity of the block array of the channel being read */
    int block_type;     /* its type: which children its audioBlockFormats keep */
    int reader_failed;  /* xmlTextReaderRead failed while building an element */
    size_t n_unknown;   /* unknown elements skipped (each one reported) */
    const char *inside; /* the element whose content is being read (for libxml2 limits) */
    const char *text;   /* the whole document, and where the XML starts in it */
    size_t text_start;
    size_t text_released; /* bytes of a mapped text given back */
} rd;

static int is_el(const xmlNode *n) {
    return n && n->type == XML_ELEMENT_NODE;
}

static int named(const xmlNode *n, const char *name) {
    return is_el(n) && strcmp((const char *)n->name, name) == 0;
}

static long lineof(const rd *r, const xmlNode *n) {
    /* nodes built while streaming keep their line in _private (see build_start) */
    long l = !n ? 0 : n->_private ? (long)(intptr_t)n->_private : xmlGetLineNo(n);
    return l > 0 ? l + r->line_base : 0;
}

static objr_status err(rd *r, objr_status st, const char *id, const xmlNode *n, const char *fmt,
                       ...) OBJR_PRINTF(5, 6);
static objr_status err(rd *r, objr_status st, const char *id, const xmlNode *n, const char *fmt,
                       ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = lineof(r, n);
    return objr__diag_set(r->diag, st, id, line, (size_t)-1, "%s:%ld: %s", r->file, line, msg);
}

/* One reader finding of @p kind (severity OBJR__SEV_FIXED or OBJR__SEV_NOTE). */
static void warn(rd *r, const char *kind, int sev, const char *id, const xmlNode *n,
                 const char *fmt, ...) OBJR_PRINTF(6, 7);
static void warn(rd *r, const char *kind, int sev, const char *id, const xmlNode *n,
                 const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    objr__adm_report(r->m, kind, sev, OBJR_OK, id, lineof(r, n), -1.0, "%s", msg);
}

/* Value of the attribute @p name without namespace, NULL when absent. Points into the
 * document when the value is one text node (the usual case: no allocation), else is a copy
 * in the model's arena. Valid while the document lives. */
static const char *prop(rd *r, const xmlNode *n, const char *name) {
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name) != 0)
            continue;
        const xmlNode *c = a->children;
        if (!c)
            return "";
        if (c->type == XML_TEXT_NODE && !c->next)
            return (const char *)c->content;
        xmlChar *v = xmlNodeListGetString(n->doc, c, 1);
        char *copy = v ? objr__adm_strdup(r->m, (const char *)v) : NULL;
        if (v)
            xmlFree(v);
        if (!copy)
            r->oom = 1;
        return copy;
    }
    return NULL;
}

/* Attribute without namespace, copied to the arena ("" stays ""). NULL when absent. On
 * allocation failure *st is set. */
static char *attr(rd *r, const xmlNode *n, const char *name, objr_status *st) {
    const char *v = prop(r, n, name);
    if (!v)
        return NULL;
    char *c = objr__adm_strdup(r->m, (const char *)v);
    if (!c)
        *st = OBJR_ERR_NOMEM;
    return c;
}

/* Element text, trimmed, in the arena. */
/* The text of @p n without surrounding white space: *len bytes at the result, inside the node
 * or inside *owned (to be given to xmlFree) when the text is split over several nodes. */
static const char *text_span(const xmlNode *n, size_t *len, xmlChar **owned) {
    const xmlNode *k = n->children;
    int direct = k && k->type == XML_TEXT_NODE && !k->next && k->content;
    *owned = direct ? NULL : xmlNodeGetContent(n);
    const char *s = direct ? (const char *)k->content : *owned ? (const char *)*owned : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\n' || s[l - 1] == '\r'))
        l--;
    *len = l;
    return s;
}

/* The text of @p n, trimmed, kept in the model. */
static char *text(rd *r, const xmlNode *n, objr_status *st) {
    size_t l;
    xmlChar *v;
    const char *s = text_span(n, &l, &v);
    char *c = objr__adm_strndup(r->m, s, l);
    if (v)
        xmlFree(v);
    if (!c)
        *st = OBJR_ERR_NOMEM;
    return c;
}

/* A text read and dropped (a number, a flag, a keyword): kept in @p buf when short, else in
 * heap memory that text_tmp_free() gives back, never in the model: a long session has millions
 * of such values. */
typedef struct tmp_text {
    char buf[96];
    char *heap;
} tmp_text;

static const char *text_tmp(const xmlNode *n, tmp_text *t, objr_status *st) {
    size_t l;
    xmlChar *v;
    const char *s = text_span(n, &l, &v);
    char *d = t->buf;
    t->heap = NULL;
    if (l >= sizeof t->buf && !(d = t->heap = objr__malloc(l + 1)))
        *st = OBJR_ERR_NOMEM;
    if (d) {
        memcpy(d, s, l);
        d[l] = '\0';
    }
    if (v)
        xmlFree(v);
    return d ? d : "";
}

static void text_tmp_free(tmp_text *t) {
    objr__freep(&t->heap);
}

static objr_status parse_double(rd *r, const char *s, const char *id, const xmlNode *n,
                                const char *what, double *out) {
    if (!s)
        return err(r, OBJR_ERR_ADM, id, n, "%s: %s is missing", id, what);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end == s || *end)
        return err(r, OBJR_ERR_ADM, id, n, "%s: %s \"%.40s\" is not a number", id, what, s);
    if (!isfinite(v))
        return err(r, OBJR_ERR_RANGE, id, n, "%s: %s \"%.40s\" is not a finite number", id, what,
                   s);
    *out = v;
    return OBJR_OK;
}

static objr_status parse_int(rd *r, const char *s, const char *id, const xmlNode *n,
                             const char *what, long lo, long hi, int *out) {
    if (!s)
        return err(r, OBJR_ERR_ADM, id, n, "%s: %s is missing", id, what);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end == s || *end || errno)
        return err(r, OBJR_ERR_ADM, id, n, "%s: %s \"%.40s\" is not an integer", id, what, s);
    if (v < lo || v > hi)
        return err(r, OBJR_ERR_RANGE, id, n, "%s: %s %ld is outside %ld..%ld", id, what, v, lo, hi);
    *out = (int)v;
    return OBJR_OK;
}

static objr_status parse_bool(rd *r, const char *s, const char *id, const xmlNode *n,
                              const char *what, int *out) {
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)) {
        *out = s[0] == 't';
        return OBJR_OK;
    }
    return parse_int(r, s, id, n, what, 0, 1, out);
}

static objr_status parse_time(rd *r, const char *s, const char *id, const xmlNode *n,
                              const char *what, objr__adm_time *out) {
    char e[128];
    objr_status st = objr__adm_time_parse(s, out, e, sizeof e);
    if (st != OBJR_OK)
        return err(r, st, id, n, "%s: %s: %s", id, what, e);
    return OBJR_OK;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        objr_status st_ = (x);                                                                     \
        if (st_ != OBJR_OK)                                                                        \
            return st_;                                                                            \
    } while (0)

/* Numeric attribute helpers: absent -> untouched (*has = 0). */
static objr_status attr_double(rd *r, const xmlNode *n, const char *name, const char *id,
                               double *out, int *has) {
    const char *v = prop(r, n, name);
    if (!v)
        return OBJR_OK;
    objr_status st = parse_double(r, (const char *)v, id, n, name, out);
    if (st == OBJR_OK && has)
        *has = 1;
    return st;
}

static objr_status attr_int(rd *r, const xmlNode *n, const char *name, const char *id, long lo,
                            long hi, int *out, int *has) {
    const char *v = prop(r, n, name);
    if (!v)
        return OBJR_OK;
    objr_status st = parse_int(r, (const char *)v, id, n, name, lo, hi, out);
    if (st == OBJR_OK && has)
        *has = 1;
    return st;
}

static objr_status attr_time(rd *r, const xmlNode *n, const char *name, const char *id,
                             objr__adm_time *out, int *has) {
    const char *v = prop(r, n, name);
    if (!v)
        return OBJR_OK;
    objr_status st = parse_time(r, (const char *)v, id, n, name, out);
    if (st == OBJR_OK)
        *has = 1;
    return st;
}

static objr_status text_double(rd *r, const xmlNode *n, const char *id, double *out) {
    objr_status st = OBJR_OK;
    tmp_text tt;
    const char *t = text_tmp(n, &tt, &st);
    if (st == OBJR_OK)
        st = parse_double(r, t, id, n, (const char *)n->name, out);
    text_tmp_free(&tt);
    return st;
}

static objr_status text_int(rd *r, const xmlNode *n, const char *id, long lo, long hi, int *out) {
    objr_status st = OBJR_OK;
    tmp_text tt;
    const char *t = text_tmp(n, &tt, &st);
    if (st == OBJR_OK)
        st = parse_int(r, t, id, n, (const char *)n->name, lo, hi, out);
    text_tmp_free(&tt);
    return st;
}

static objr_status text_bool(rd *r, const xmlNode *n, const char *id, int *out) {
    objr_status st = OBJR_OK;
    tmp_text tt;
    const char *t = text_tmp(n, &tt, &st);
    if (st == OBJR_OK)
        st = parse_bool(r, t, id, n, (const char *)n->name, out);
    text_tmp_free(&tt);
    return st;
}

static size_t count_children(const xmlNode *n, const char *name) {
    size_t c = 0;
    for (const xmlNode *k = n->children; k; k = k->next)
        if (named(k, name))
            c++;
    return c;
}

/* All <name> children of @p n as references (text = ID). */
static objr_status collect_refs(rd *r, const xmlNode *n, const char *name, const char *alt,
                                objr__adm_refs *out) {
    size_t c = count_children(n, name) + (alt ? count_children(n, alt) : 0);
    if (!c)
        return OBJR_OK;
    out->items = objr__adm_alloc(r->m, c, sizeof *out->items);
    if (!out->items)
        return OBJR_ERR_NOMEM;
    size_t i = 0;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, name) && !(alt && named(k, alt)))
            continue;
        objr_status st = OBJR_OK;
        out->items[i].id = text(r, k, &st);
        out->items[i].idx = -1;
        TRY(st);
        i++;
    }
    out->n = i;
    return OBJR_OK;
}

static objr_status one_ref(rd *r, const xmlNode *k, objr__adm_ref *out) {
    objr_status st = OBJR_OK;
    out->id = text(r, k, &st);
    out->idx = -1;
    return st;
}

static objr_status collect_labels(rd *r, const xmlNode *n, const char *name,
                                  objr__adm_labels *out) {
    size_t c = count_children(n, name);
    if (!c)
        return OBJR_OK;
    out->items = objr__adm_alloc(r->m, c, sizeof *out->items);
    if (!out->items)
        return OBJR_ERR_NOMEM;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, name))
            continue;
        objr_status st = OBJR_OK;
        objr__adm_label *l = &out->items[out->n++];
        l->text = text(r, k, &st);
        l->language = attr(r, k, "language", &st);
        TRY(st);
    }
    return OBJR_OK;
}

static objr_status parse_loudness(rd *r, const xmlNode *n, const char *id,
                                  objr__adm_loudness_list *out) {
    size_t c = count_children(n, "loudnessMetadata");
    if (!c)
        return OBJR_OK;
    out->items = objr__adm_alloc(r->m, c, sizeof *out->items);
    if (!out->items)
        return OBJR_ERR_NOMEM;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, "loudnessMetadata"))
            continue;
        objr__adm_loudness *l = &out->items[out->n++];
        objr_status st = OBJR_OK;
        l->method = attr(r, k, "loudnessMethod", &st);
        l->rec_type = attr(r, k, "loudnessRecType", &st);
        l->correction_type = attr(r, k, "loudnessCorrectionType", &st);
        TRY(st);
        for (const xmlNode *e = k->children; e; e = e->next) {
            if (!is_el(e))
                continue;
            const char *nm = (const char *)e->name;
            double *dst = NULL;
            uint32_t bit = 0;
            if (!strcmp(nm, "integratedLoudness"))
                dst = &l->integrated_lufs, bit = OBJR__LOUD_INTEGRATED;
            else if (!strcmp(nm, "loudnessRange"))
                dst = &l->range_lu, bit = OBJR__LOUD_RANGE;
            else if (!strcmp(nm, "maxTruePeak"))
                dst = &l->max_true_peak_dbtp, bit = OBJR__LOUD_TRUE_PEAK;
            else if (!strcmp(nm, "maxMomentary"))
                dst = &l->max_momentary_lufs, bit = OBJR__LOUD_MOMENTARY;
            else if (!strcmp(nm, "maxShortTerm"))
                dst = &l->max_short_term_lufs, bit = OBJR__LOUD_SHORT_TERM;
            else if (!strcmp(nm, "dialogueLoudness") || !strcmp(nm, "dialogLoudness"))
                dst = &l->dialogue_lufs, bit = OBJR__LOUD_DIALOGUE;
            if (!dst) {
                warn(r, "unknown_element", OBJR__SEV_NOTE, id, e,
                     "%s: unknown loudnessMetadata element <%s> ignored", id, nm);
                continue;
            }
            TRY(text_double(r, e, id, dst));
            l->present |= bit;
        }
    }
    return OBJR_OK;
}

/* Element ID attribute (required). */
static objr_status need_id(rd *r, const xmlNode *n, const char *attr_name, char **out) {
    objr_status st = OBJR_OK;
    *out = attr(r, n, attr_name, &st);
    TRY(st);
    if (!*out || !**out)
        return err(r, OBJR_ERR_ADM, "", n, "<%s> without %s", (const char *)n->name, attr_name);
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* audioProgramme, audioContent, audioObject                                                 */

static objr_status read_programme(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_PROGRAMME, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_programme *p = &r->m->programmes[i];
    p->line = lineof(r, n);
    TRY(need_id(r, n, "audioProgrammeID", &p->id));
    st = OBJR_OK;
    p->name = attr(r, n, "audioProgrammeName", &st);
    p->language = attr(r, n, "audioProgrammeLanguage", &st);
    TRY(st);
    TRY(attr_time(r, n, "start", p->id, &p->start, &p->has_start));
    TRY(attr_time(r, n, "end", p->id, &p->end, &p->has_end));
    TRY(attr_double(r, n, "maxDuckingDepth", p->id, &p->max_ducking_depth_db,
                    &p->has_max_ducking_depth));
    TRY(collect_refs(r, n, "audioContentIDRef", NULL, &p->contents));
    TRY(parse_loudness(r, n, p->id, &p->loudness));
    TRY(collect_labels(r, n, "audioProgrammeLabel", &p->labels));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, "audioProgrammeReferenceScreen"))
            continue;
        objr__adm_screen *s = &p->screen;
        s->present = 1;
        s->aspect_ratio = 1.78;
        int dummy = 0;
        TRY(attr_double(r, k, "aspectRatio", p->id, &s->aspect_ratio, &dummy));
        for (const xmlNode *e = k->children; e; e = e->next) {
            if (named(e, "aspectRatio")) {
                TRY(text_double(r, e, p->id, &s->aspect_ratio));
            } else if (named(e, "screenCentrePosition")) {
                int hx = 0;
                TRY(attr_double(r, e, "X", p->id, &s->centre_x, &hx));
                TRY(attr_double(r, e, "Y", p->id, &s->centre_y, &hx));
                TRY(attr_double(r, e, "Z", p->id, &s->centre_z, &hx));
                s->cartesian = hx;
                TRY(attr_double(r, e, "azimuth", p->id, &s->centre_azimuth_deg, &dummy));
                TRY(attr_double(r, e, "elevation", p->id, &s->centre_elevation_deg, &dummy));
                TRY(attr_double(r, e, "distance", p->id, &s->centre_distance, &dummy));
            } else if (named(e, "screenWidth")) {
                TRY(attr_double(r, e, "X", p->id, &s->width, &dummy));
                TRY(attr_double(r, e, "azimuth", p->id, &s->width, &dummy));
            }
        }
        if (s->cartesian)
            s->centre_azimuth_deg = s->centre_elevation_deg = s->centre_distance = 0.0;
        else
            s->centre_x = s->centre_y = s->centre_z = 0.0;
    }
    return OBJR_OK;
}

static objr_status read_content(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_CONTENT, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_content *c = &r->m->contents[i];
    c->line = lineof(r, n);
    TRY(need_id(r, n, "audioContentID", &c->id));
    st = OBJR_OK;
    c->name = attr(r, n, "audioContentName", &st);
    c->language = attr(r, n, "audioContentLanguage", &st);
    TRY(st);
    TRY(collect_refs(r, n, "audioObjectIDRef", NULL, &c->objects));
    TRY(parse_loudness(r, n, c->id, &c->loudness));
    TRY(collect_labels(r, n, "audioContentLabel", &c->labels));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, "dialogue"))
            continue;
        TRY(text_int(r, k, c->id, 0, 2, &c->dialogue));
        static const char *const kinds[] = {"nonDialogueContentKind", "dialogueContentKind",
                                            "mixedContentKind"};
        int has = 0;
        TRY(attr_int(r, k, kinds[c->dialogue], c->id, 0, 255, &c->content_kind, &has));
        if (!has)
            c->content_kind = -1;
    }
    return OBJR_OK;
}

static objr_status read_gain(rd *r, const xmlNode *k, const char *id, double *lin, double *db,
                             int *was_db) {
    double v;
    TRY(text_double(r, k, id, &v));
    const char *unit = prop(r, k, "gainUnit");
    int is_db = unit && strcmp((const char *)unit, "dB") == 0;
    int bad = unit && !is_db && strcmp((const char *)unit, "linear") != 0;
    if (bad)
        return err(r, OBJR_ERR_ADM, id, k, "%s: gainUnit must be \"linear\" or \"dB\"", id);
    *was_db = is_db;
    if (is_db) {
        *db = v;
        *lin = pow(10.0, v / 20.0);
    } else {
        *lin = v;
        *db = 0.0; /* a repeated <gain> replaces an earlier dB one completely */
    }
    return OBJR_OK;
}

/* An audioObject's <audioObjectInteraction>: the interact flags, gain and position ranges. */
static objr_status read_interaction(rd *r, const xmlNode *k, objr__adm_object *o) {
    objr_status st;
    objr__adm_interaction *it = &o->interaction;
    it->present = 1;
    const char *a;
    if ((a = prop(r, k, "onOffInteract"))) {
        st = parse_bool(r, (const char *)a, o->id, k, "onOffInteract", &it->on_off_interact);
        TRY(st);
    }
    if ((a = prop(r, k, "gainInteract"))) {
        st = parse_bool(r, (const char *)a, o->id, k, "gainInteract", &it->gain_interact);
        TRY(st);
        it->has_gain_interact = 1;
    }
    if ((a = prop(r, k, "positionInteract"))) {
        st = parse_bool(r, (const char *)a, o->id, k, "positionInteract", &it->position_interact);
        TRY(st);
        it->has_position_interact = 1;
    }
    size_t npr = count_children(k, "positionInteractionRange");
    if (npr) {
        it->position_ranges = objr__adm_alloc(r->m, npr, sizeof *it->position_ranges);
        if (!it->position_ranges)
            return OBJR_ERR_NOMEM;
    }
    for (const xmlNode *e = k->children; e; e = e->next) {
        if (named(e, "gainInteractionRange")) {
            const char *b = prop(r, e, "bound");
            int is_max = b && strcmp((const char *)b, "max") == 0;
            TRY(text_double(r, e, o->id, is_max ? &it->gain_max : &it->gain_min));
            *(is_max ? &it->has_gain_max : &it->has_gain_min) = 1;
        } else if (named(e, "positionInteractionRange")) {
            objr__adm_position_range *pr = &it->position_ranges[it->n_position_ranges++];
            const char *b = prop(r, e, "bound");
            const char *c = prop(r, e, "coordinate");
            pr->is_max = b && strcmp((const char *)b, "max") == 0;
            snprintf(pr->coordinate, sizeof pr->coordinate, "%s", c ? (const char *)c : "");
            TRY(text_double(r, e, o->id, &pr->value));
        }
    }
    return OBJR_OK;
}

static objr_status read_object(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_OBJECT, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_object *o = &r->m->objects[i];
    o->line = lineof(r, n);
    TRY(need_id(r, n, "audioObjectID", &o->id));
    st = OBJR_OK;
    o->name = attr(r, n, "audioObjectName", &st);
    TRY(st);
    TRY(attr_time(r, n, "start", o->id, &o->start, &o->has_start));
    TRY(attr_time(r, n, "duration", o->id, &o->duration, &o->has_duration));
    TRY(attr_int(r, n, "dialogue", o->id, 0, 2, &o->dialogue, NULL));
    TRY(attr_int(r, n, "importance", o->id, 0, 10, &o->importance, NULL));
    const char *v;
    if ((v = prop(r, n, "interact"))) {
        st = parse_bool(r, (const char *)v, o->id, n, "interact", &o->interact);
        TRY(st);
        o->has_interact = 1;
    }
    if ((v = prop(r, n, "disableDucking"))) {
        st = parse_bool(r, (const char *)v, o->id, n, "disableDucking", &o->disable_ducking);
        TRY(st);
        o->has_disable_ducking = 1;
    }
    TRY(collect_refs(r, n, "audioPackFormatIDRef", NULL, &o->packs));
    TRY(collect_refs(r, n, "audioObjectIDRef", NULL, &o->objects));
    TRY(collect_refs(r, n, "audioTrackUIDRef", NULL, &o->track_uids));
    TRY(collect_refs(r, n, "audioComplementaryObjectIDRef", NULL, &o->complementary));
    TRY(collect_labels(r, n, "audioObjectLabel", &o->labels));
    TRY(collect_labels(r, n, "audioComplementaryObjectGroupLabel", &o->complementary_group_labels));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "gain")) {
            TRY(read_gain(r, k, o->id, &o->gain, &o->gain_db, &o->gain_was_db));
            o->has_gain = 1;
        } else if (named(k, "mute")) {
            TRY(text_bool(r, k, o->id, &o->mute));
            o->has_mute = 1;
        } else if (named(k, "headLocked")) {
            TRY(text_bool(r, k, o->id, &o->head_locked));
            o->has_head_locked = 1;
        } else if (named(k, "positionOffset")) {
            const char *c = prop(r, k, "coordinate");
            static const char *const coords[] = {"azimuth", "elevation", "distance", "X", "Y", "Z"};
            int ci = -1;
            for (int q = 0; c && q < 6; q++)
                if (strcmp((const char *)c, coords[q]) == 0)
                    ci = q;
            if (ci < 0)
                return err(r, OBJR_ERR_ADM, o->id, k, "%s: positionOffset needs a coordinate",
                           o->id);
            TRY(text_double(r, k, o->id, &o->offset[ci % 3]));
            o->offset_present[ci % 3] = 1;
            o->has_position_offset = 1;
            o->position_offset_cartesian = ci >= 3;
        } else if (named(k, "audioObjectInteraction")) {
            TRY(read_interaction(r, k, o));
        }
    }
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Types                                                                                     */

static int type_from_label(const char *s) {
    if (!s)
        return -1;
    char *end;
    long v = strtol(s, &end, 16);
    if (end == s || *end || v < 1 || v > 5)
        return 0;
    return (int)v;
}

static const char *const type_definitions[] = {"",    "DirectSpeakers", "Matrix", "Objects",
                                               "HOA", "Binaural"};

static int ascii_lower(int c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* @p s equals the first @p n characters of @p name (all of @p s) regardless of case. */
static int same_ci(const char *s, const char *name, size_t n) {
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (ascii_lower((unsigned char)s[i]) != ascii_lower((unsigned char)name[i]))
            return 0;
    return 1;
}

/* The type a typeDefinition names: 1..5, -1 when absent, 0 when none. A name that differs
 * from a BS.2076 type name only in case or a missing final "s" ("Object", "objects",
 * "directspeakers") has that one reading: its type, with *near set. */
static int type_from_definition(const char *s, int *near) {
    *near = 0;
    if (!s)
        return -1;
    for (int i = 1; i <= 5; i++)
        if (strcmp(s, type_definitions[i]) == 0)
            return i;
    for (int i = 1; i <= 5; i++) {
        size_t n = strlen(type_definitions[i]);
        if (same_ci(s, type_definitions[i], n) ||
            (type_definitions[i][n - 1] == 's' && same_ci(s, type_definitions[i], n - 1))) {
            *near = 1;
            return i;
        }
    }
    return 0;
}

/* The type code yyyy of an ID "AP_yyyyxxxx" / "AC_yyyyxxxx" (1..5), 0 when it is none. */
static int type_from_id(const char *id) {
    const char *u = id ? strchr(id, '_') : NULL;
    if (!u || strlen(u + 1) < 8)
        return 0;
    int v = 0;
    for (int i = 1; i <= 4; i++) {
        char ch = u[i];
        if (ch < '0' || ch > '9')
            return 0;
        v = v * 10 + (ch - '0');
    }
    return v >= 1 && v <= 5 ? v : 0;
}

/* typeLabel / typeDefinition of a pack or channel. Either alone gives the type; with neither
 * the ID's type code does (a fixed deviation); an ID whose type code disagrees with the
 * element's stated type is a fixed deviation too: the element's type wins. */
static objr_status read_type(rd *r, const xmlNode *n, const char *id, int *type, int *has_label,
                             int *has_def) {
    objr_status st = OBJR_OK;
    char *label = attr(r, n, "typeLabel", &st);
    char *def = attr(r, n, "typeDefinition", &st);
    TRY(st);
    int near = 0;
    int tl = type_from_label(label), td = type_from_definition(def, &near), ti = type_from_id(id);
    *has_label = label != NULL;
    *has_def = def != NULL;
    if (tl == 0)
        return err(r, OBJR_ERR_ADM, id, n, "%s: unknown typeLabel \"%s\"", id, label);
    if (td == 0)
        return err(r, OBJR_ERR_ADM, id, n,
                   "%s: unknown typeDefinition \"%s\" (expected DirectSpeakers, Matrix, "
                   "Objects, HOA or Binaural)",
                   id, def);
    if (tl > 0 && td > 0 && tl != td)
        return err(r, OBJR_ERR_ADM, id, n, "%s: typeLabel %s contradicts typeDefinition %s", id,
                   label, def);
    if (near)
        warn(r, "type_definition_near_miss", OBJR__SEV_FIXED, id, n,
             "%s: typeDefinition \"%.32s\" read as %s", id, def, type_definitions[td]);
    if (tl < 0 && td < 0) {
        if (!ti) {
            /* pre-standard files (type code 0000): the contents may still say (blocks with
             * speakerLabel or position, a pack's channels), see infer_types() */
            *type = OBJR__TYPE_UNKNOWN;
            *has_label = *has_def = 1;
            return OBJR_OK;
        }
        warn(r, "type_from_id", OBJR__SEV_FIXED, id, n,
             "%s: neither typeLabel nor typeDefinition: type %04d taken from the ID", id, ti);
        *type = ti;
        /* the repaired element carries its type: written back with both attributes, so that
         * what the writer emits reads back as this model */
        *has_label = *has_def = 1;
        return OBJR_OK;
    }
    *type = tl > 0 ? tl : td;
    if (td < 0)
        warn(r, "type_definition_missing", OBJR__SEV_FIXED, id, n,
             "%s: no typeDefinition: taken from typeLabel %s", id, label);
    if (ti && ti != *type)
        warn(r, "id_type_mismatch", OBJR__SEV_FIXED, id, n,
             "%s: the ID's type code %04d disagrees with its type %04d (the element's type wins)",
             id, ti, *type);
    return OBJR_OK;
}

static objr_status read_norm(rd *r, const xmlNode *k, const char *id, int *norm, int *has) {
    objr_status st = OBJR_OK;
    char *t = text(r, k, &st);
    TRY(st);
    if (!strcmp(t, "SN3D"))
        *norm = OBJR__HOA_SN3D;
    else if (!strcmp(t, "N3D"))
        *norm = OBJR__HOA_N3D;
    else if (!strcmp(t, "FuMa"))
        *norm = OBJR__HOA_FUMA;
    else {
        warn(r, "hoa_normalization", OBJR__SEV_FIXED, id, k,
             "%s: unknown HOA normalization \"%.32s\" ignored (SN3D assumed)", id, t);
        return OBJR_OK;
    }
    *has = 1;
    return OBJR_OK;
}

static objr_status read_pack(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_PACK, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_pack *p = &r->m->packs[i];
    p->line = lineof(r, n);
    TRY(need_id(r, n, "audioPackFormatID", &p->id));
    st = OBJR_OK;
    p->name = attr(r, n, "audioPackFormatName", &st);
    TRY(st);
    TRY(read_type(r, n, p->id, &p->type, &p->has_type_label, &p->has_type_definition));
    TRY(attr_int(r, n, "importance", p->id, 0, 10, &p->importance, NULL));
    TRY(collect_refs(r, n, "audioChannelFormatIDRef", NULL, &p->channels));
    TRY(collect_refs(r, n, "audioPackFormatIDRef", NULL, &p->packs));
    TRY(collect_refs(r, n, "encodePackFormatIDRef", NULL, &p->encode_packs));
    TRY(collect_refs(r, n, "decodePackFormatIDRef", NULL, &p->decode_packs));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "absoluteDistance")) {
            TRY(text_double(r, k, p->id, &p->absolute_distance_m));
            p->has_absolute_distance = 1;
        } else if (named(k, "inputPackFormatIDRef")) {
            TRY(one_ref(r, k, &p->input_pack));
        } else if (named(k, "outputPackFormatIDRef")) {
            TRY(one_ref(r, k, &p->output_pack));
        } else if (named(k, "normalization")) {
            TRY(read_norm(r, k, p->id, &p->normalization, &p->has_normalization));
        } else if (named(k, "nfcRefDist")) {
            TRY(text_double(r, k, p->id, &p->nfc_ref_dist_m));
            p->has_nfc_ref_dist = 1;
        } else if (named(k, "screenRef")) {
            TRY(text_bool(r, k, p->id, &p->screen_ref));
            p->has_screen_ref = 1;
        }
    }
    /* absoluteDistance is also an attribute in BS.2076-1 files (kitchen sink) */
    TRY(attr_double(r, n, "absoluteDistance", p->id, &p->absolute_distance_m,
                    &p->has_absolute_distance));
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Block formats                                                                             */

static uint8_t edge_lock(const char *s) {
    if (!s)
        return 0;
    if (!strcmp(s, "left") || !strcmp(s, "bottom"))
        return 1;
    if (!strcmp(s, "right") || !strcmp(s, "top"))
        return 2;
    return 0;
}

static objr_status read_block_common(rd *r, const xmlNode *n, objr__adm_block_common *c,
                                     const char *chid) {
    c->gain = 1.0;
    c->importance = 10;
    c->line = lineof(r, n);
    const char *id = prop(r, n, "audioBlockFormatID");
    if (id) {
        if (strlen((const char *)id) >= sizeof c->id) {
            return err(r, OBJR_ERR_ADM, chid, n, "%s: audioBlockFormatID too long", chid);
        }
        snprintf(c->id, sizeof c->id, "%s", (const char *)id);
    }
    const char *bid = c->id[0] ? c->id : chid;
    TRY(attr_time(r, n, "rtime", bid, &c->rtime, &c->has_rtime));
    TRY(attr_time(r, n, "duration", bid, &c->duration, &c->has_duration));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "gain")) {
            TRY(read_gain(r, k, bid, &c->gain, &c->gain_db, &c->gain_was_db));
            c->has_gain = 1;
        } else if (named(k, "importance")) {
            TRY(text_int(r, k, bid, 0, 10, &c->importance));
            c->has_importance = 1;
        } else if (named(k, "headLocked")) {
            TRY(text_bool(r, k, bid, &c->head_locked));
            c->has_head_locked = 1;
        } else if (named(k, "headphoneVirtualise")) {
            objr__adm_headphone_virtualise *h = &c->headphone_virtualise;
            h->present = 1;
            const char *b = prop(r, k, "bypass");
            if (b) {
                objr_status st = parse_bool(r, (const char *)b, bid, k, "bypass", &h->bypass);
                TRY(st);
            }
            TRY(attr_double(r, k, "DRR", bid, &h->drr_db, &h->has_drr));
        }
    }
    return OBJR_OK;
}

static int coord_index(const char *c) {
    static const char *const names[] = {"azimuth", "elevation", "distance", "X", "Y",
                                        "Z",       "x",         "y",        "z"};
    for (int i = 0; i < 9; i++)
        if (c && strcmp(c, names[i]) == 0)
            return i < 6 ? i : i - 3;
    return -1;
}

/* One <position coordinate=...> of an objects block; notes which coordinate sets it used. */
static objr_status read_position(rd *r, const xmlNode *k, const char *id,
                                 objr__adm_block_objects *b, int *has_az, int *has_xyz) {
    const char *c = prop(r, k, "coordinate");
    int ci = coord_index((const char *)c);
    if (ci < 0)
        return err(r, OBJR_ERR_ADM, id, k, "%s: position without a valid coordinate", id);
    double v;
    TRY(text_double(r, k, id, &v));
    const char *l = prop(r, k, "screenEdgeLock");
    uint8_t el = edge_lock((const char *)l);
    switch (ci) {
    case 0:
        b->pos.azimuth_deg = v;
        *has_az = 1;
        b->pos.screen_edge_lock_azimuth = el;
        break;
    case 1:
        b->pos.elevation_deg = v;
        b->present |= OBJR__OBJ_HAS_ELEVATION;
        b->pos.screen_edge_lock_elevation = el;
        break;
    case 2:
        b->pos.distance = v;
        b->present |= OBJR__OBJ_HAS_DISTANCE;
        break;
    case 3:
        b->pos.x = v;
        *has_xyz = 1;
        b->pos.screen_edge_lock_x = el;
        break;
    case 4:
        b->pos.y = v;
        *has_xyz = 1;
        break;
    default:
        b->pos.z = v;
        *has_xyz = 1;
        b->present |= OBJR__OBJ_HAS_Z;
        b->pos.screen_edge_lock_z = el;
        break;
    }
    return OBJR_OK;
}

/* Keep only the coordinate set in use, so that the model says exactly what a renderer uses and
 * what the writer writes back. */
static void keep_used_coordinates(objr__adm_block_objects *b) {
    if (b->pos.cartesian) {
        b->pos.azimuth_deg = b->pos.elevation_deg = 0.0;
        b->pos.distance = 1.0;
        b->pos.screen_edge_lock_azimuth = b->pos.screen_edge_lock_elevation = 0;
        b->present &= ~(uint32_t)(OBJR__OBJ_HAS_ELEVATION | OBJR__OBJ_HAS_DISTANCE);
    } else {
        b->pos.x = b->pos.y = b->pos.z = 0.0;
        b->pos.screen_edge_lock_x = b->pos.screen_edge_lock_z = 0;
        b->present &= ~(uint32_t)OBJR__OBJ_HAS_Z;
    }
}

/* The @p nz <zone> elements of the block's <zoneExclusion> elements (cartesian when only the
 * cartesian bounds are given). */
static objr_status read_zones(rd *r, const xmlNode *n, const char *id, objr__adm_block_objects *b,
                              size_t nz) {
    b->zones = objr__adm_alloc(r->m, nz, sizeof *b->zones);
    if (!b->zones)
        return OBJR_ERR_NOMEM;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, "zoneExclusion"))
            continue;
        for (const xmlNode *z = k->children; z; z = z->next) {
            if (!named(z, "zone"))
                continue;
            objr__adm_zone *zo = &b->zones[b->n_zones++];
            int hc = 0, hp = 0;
            TRY(attr_double(r, z, "minX", id, &zo->min_x, &hc));
            TRY(attr_double(r, z, "maxX", id, &zo->max_x, &hc));
            TRY(attr_double(r, z, "minY", id, &zo->min_y, &hc));
            TRY(attr_double(r, z, "maxY", id, &zo->max_y, &hc));
            TRY(attr_double(r, z, "minZ", id, &zo->min_z, &hc));
            TRY(attr_double(r, z, "maxZ", id, &zo->max_z, &hc));
            TRY(attr_double(r, z, "minElevation", id, &zo->min_elevation_deg, &hp));
            TRY(attr_double(r, z, "maxElevation", id, &zo->max_elevation_deg, &hp));
            TRY(attr_double(r, z, "minAzimuth", id, &zo->min_azimuth_deg, &hp));
            TRY(attr_double(r, z, "maxAzimuth", id, &zo->max_azimuth_deg, &hp));
            zo->cartesian = hc && !hp;
            if (zo->cartesian)
                zo->min_elevation_deg = zo->max_elevation_deg = zo->min_azimuth_deg =
                    zo->max_azimuth_deg = 0.0;
            else
                zo->min_x = zo->max_x = zo->min_y = zo->max_y = zo->min_z = zo->max_z = 0.0;
            objr_status st = OBJR_OK;
            zo->label = text(r, z, &st);
            TRY(st);
        }
    }
    return OBJR_OK;
}

static objr_status read_block_objects(rd *r, const xmlNode *n, objr__adm_block_objects *b,
                                      const char *chid) {
    TRY(read_block_common(r, n, &b->c, chid));
    const char *id = b->c.id[0] ? b->c.id : chid;
    b->pos.distance = 1.0;
    b->divergence_azimuth_range_deg = 45.0;
    int has_az = 0, has_xyz = 0, has_cart = 0;
    size_t nz = 0;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "position")) {
            TRY(read_position(r, k, id, b, &has_az, &has_xyz));
        } else if (named(k, "cartesian")) {
            TRY(text_bool(r, k, id, &b->pos.cartesian));
            has_cart = 1;
            b->present |= OBJR__OBJ_HAS_CARTESIAN;
        } else if (named(k, "width")) {
            TRY(text_double(r, k, id, &b->width));
            b->present |= OBJR__OBJ_HAS_WIDTH;
        } else if (named(k, "height")) {
            TRY(text_double(r, k, id, &b->height));
            b->present |= OBJR__OBJ_HAS_HEIGHT;
        } else if (named(k, "depth")) {
            TRY(text_double(r, k, id, &b->depth));
            b->present |= OBJR__OBJ_HAS_DEPTH;
        } else if (named(k, "diffuse")) {
            TRY(text_double(r, k, id, &b->diffuse));
            b->present |= OBJR__OBJ_HAS_DIFFUSE;
        } else if (named(k, "channelLock")) {
            TRY(text_bool(r, k, id, &b->channel_lock));
            TRY(attr_double(r, k, "maxDistance", id, &b->channel_lock_max_distance,
                            &b->has_channel_lock_max_distance));
            b->present |= OBJR__OBJ_HAS_CHANNEL_LOCK;
        } else if (named(k, "objectDivergence")) {
            TRY(text_double(r, k, id, &b->divergence));
            b->has_divergence = 1;
            TRY(attr_double(r, k, "azimuthRange", id, &b->divergence_azimuth_range_deg,
                            &b->has_divergence_azimuth_range));
            TRY(attr_double(r, k, "positionRange", id, &b->divergence_position_range,
                            &b->has_divergence_position_range));
        } else if (named(k, "jumpPosition")) {
            TRY(text_bool(r, k, id, &b->jump_position));
            TRY(attr_double(r, k, "interpolationLength", id, &b->interpolation_length_s,
                            &b->has_interpolation_length));
            b->present |= OBJR__OBJ_HAS_JUMP_POSITION;
        } else if (named(k, "screenRef")) {
            TRY(text_bool(r, k, id, &b->screen_ref));
            b->present |= OBJR__OBJ_HAS_SCREEN_REF;
        } else if (named(k, "zoneExclusion")) {
            b->present |= OBJR__OBJ_HAS_ZONE_EXCLUSION;
            nz += count_children(k, "zone");
        }
    }
    if (!has_cart)
        b->pos.cartesian = has_xyz && !has_az;
    keep_used_coordinates(b);
    if (nz)
        TRY(read_zones(r, n, id, b, nz));
    return OBJR_OK;
}

static objr_status read_block_ds(rd *r, const xmlNode *n, objr__adm_block_direct_speakers *b,
                                 const char *chid) {
    TRY(read_block_common(r, n, &b->c, chid));
    const char *id = b->c.id[0] ? b->c.id : chid;
    b->coord[2].value = 1.0;
    int has_polar = 0, has_xyz = 0, has_cart = 0;
    int polar_seen[3] = {0, 0, 0}, cart_seen[3] = {0, 0, 0};
    objr__adm_bounded pc[3], cc[3];
    memset(pc, 0, sizeof pc);
    memset(cc, 0, sizeof cc);
    pc[2].value = 1.0;
    size_t nl = count_children(n, "speakerLabel");
    if (nl) {
        b->speaker_labels = objr__adm_alloc(r->m, nl, sizeof(char *));
        if (!b->speaker_labels)
            return OBJR_ERR_NOMEM;
    }
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "speakerLabel")) {
            objr_status st = OBJR_OK;
            b->speaker_labels[b->n_speaker_labels++] = text(r, k, &st);
            TRY(st);
        } else if (named(k, "cartesian")) {
            TRY(text_bool(r, k, id, &b->cartesian));
            has_cart = 1;
        } else if (named(k, "position")) {
            const char *c = prop(r, k, "coordinate");
            int ci = coord_index((const char *)c);
            if (ci < 0)
                return err(r, OBJR_ERR_ADM, id, k, "%s: position without a valid coordinate", id);
            double v;
            TRY(text_double(r, k, id, &v));
            const char *bound = prop(r, k, "bound");
            const char *l = prop(r, k, "screenEdgeLock");
            objr__adm_bounded *dst = ci < 3 ? &pc[ci] : &cc[ci - 3];
            if (ci < 3) {
                has_polar = 1;
                polar_seen[ci] = 1;
            } else {
                has_xyz = 1;
                cart_seen[ci - 3] = 1;
            }
            if (bound && strcmp((const char *)bound, "min") == 0) {
                dst->min = v;
                dst->has_min = 1;
            } else if (bound && strcmp((const char *)bound, "max") == 0) {
                dst->max = v;
                dst->has_max = 1;
            } else {
                dst->value = v;
            }
            if (l)
                dst->screen_edge_lock = edge_lock((const char *)l);
        }
    }
    b->has_cartesian_flag = has_cart;
    if (!has_cart)
        b->cartesian = has_xyz && !has_polar;
    if (b->cartesian) {
        memcpy(b->coord, cc, sizeof cc);
    } else {
        memcpy(b->coord, pc, sizeof pc);
        b->has_distance = polar_seen[2];
        if (!polar_seen[0] && has_polar)
            warn(r, "ds_no_azimuth", OBJR__SEV_FIXED, id, n,
                 "%s: DirectSpeakers position without azimuth (0 assumed)", id);
    }
    (void)cart_seen;
    return OBJR_OK;
}

static objr_status read_block_hoa(rd *r, const xmlNode *n, objr__adm_block_hoa *b,
                                  const char *chid) {
    TRY(read_block_common(r, n, &b->c, chid));
    const char *id = b->c.id[0] ? b->c.id : chid;
    int has_o = 0, has_d = 0;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "order")) {
            TRY(text_int(r, k, id, 0, 64, &b->order));
            has_o = 1;
        } else if (named(k, "degree")) {
            TRY(text_int(r, k, id, -64, 64, &b->degree));
            has_d = 1;
        } else if (named(k, "normalization")) {
            TRY(read_norm(r, k, id, &b->normalization, &b->has_normalization));
        } else if (named(k, "nfcRefDist")) {
            TRY(text_double(r, k, id, &b->nfc_ref_dist_m));
            b->has_nfc_ref_dist = 1;
        } else if (named(k, "screenRef")) {
            TRY(text_bool(r, k, id, &b->screen_ref));
            b->has_screen_ref = 1;
        } else if (named(k, "equation")) {
            objr_status st = OBJR_OK;
            b->equation = text(r, k, &st);
            TRY(st);
        }
    }
    b->has_order_degree = has_o && has_d;
    if (has_o != has_d)
        return err(r, OBJR_ERR_ADM, id, n, "%s: HOA block needs both order and degree", id);
    if (b->has_order_degree && (b->degree > b->order || b->degree < -b->order))
        return err(r, OBJR_ERR_RANGE, id, n, "%s: HOA degree %d outside -order..order (%d)", id,
                   b->degree, b->order);
    return OBJR_OK;
}

static objr_status copy_id32(rd *r, const xmlNode *k, const char *id, char *dst) {
    objr_status st = OBJR_OK;
    char *t = text(r, k, &st);
    TRY(st);
    if (strlen(t) >= 32)
        return err(r, OBJR_ERR_ADM, id, k, "%s: reference \"%.40s\" too long", id, t);
    memcpy(dst, t, strlen(t) + 1);
    return OBJR_OK;
}

static objr_status read_block_matrix(rd *r, const xmlNode *n, objr__adm_block_matrix *b,
                                     const char *chid) {
    TRY(read_block_common(r, n, &b->c, chid));
    const char *id = b->c.id[0] ? b->c.id : chid;
    b->output_channel = -1;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "outputChannelFormatIDRef") || named(k, "outputChannelIDRef")) {
            TRY(copy_id32(r, k, id, b->output_channel_id));
        } else if (named(k, "matrix")) {
            size_t nc = count_children(k, "coefficient");
            if (!nc)
                continue;
            objr__adm_matrix_coef *cs = objr__adm_alloc(r->m, b->n_coefs + nc, sizeof *cs);
            if (!cs)
                return OBJR_ERR_NOMEM;
            if (b->n_coefs)
                memcpy(cs, b->coefs, b->n_coefs * sizeof *cs);
            b->coefs = cs;
            for (const xmlNode *e = k->children; e; e = e->next) {
                if (!named(e, "coefficient"))
                    continue;
                objr__adm_matrix_coef *c = &b->coefs[b->n_coefs++];
                c->gain = 1.0;
                c->input_channel = -1;
                TRY(copy_id32(r, e, id, c->input_channel_id));
                TRY(attr_double(r, e, "gain", id, &c->gain, NULL));
                TRY(attr_double(r, e, "phase", id, &c->phase_deg, NULL));
                TRY(attr_double(r, e, "delay", id, &c->delay_ms, NULL));
                objr_status st = OBJR_OK;
                c->gain_var = attr(r, e, "gainVar", &st);
                c->phase_var = attr(r, e, "phaseVar", &st);
                c->delay_var = attr(r, e, "delayVar", &st);
                TRY(st);
            }
        }
    }
    return OBJR_OK;
}

/* An audioChannelFormat is read in three steps while it streams: its attributes, each
 * audioBlockFormat as soon as it is complete (its DOM is freed before the next one is built,
 * and the block array grows in place), and its other children at its end. */
static objr_status read_channel_head(rd *r, const xmlNode *n, int32_t *out) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_CHANNEL, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_channel *c = &r->m->channels[i];
    c->line = lineof(r, n);
    TRY(need_id(r, n, "audioChannelFormatID", &c->id));
    st = OBJR_OK;
    c->name = attr(r, n, "audioChannelFormatName", &st);
    TRY(st);
    TRY(read_type(r, n, c->id, &c->type, &c->has_type_label, &c->has_type_definition));
    *out = i;
    return OBJR_OK;
}

static size_t block_size(int type) {
    return type == OBJR__TYPE_OBJECTS           ? sizeof(objr__adm_block_objects)
           : type == OBJR__TYPE_DIRECT_SPEAKERS ? sizeof(objr__adm_block_direct_speakers)
           : type == OBJR__TYPE_HOA             ? sizeof(objr__adm_block_hoa)
           : type == OBJR__TYPE_MATRIX          ? sizeof(objr__adm_block_matrix)
                                                : sizeof(objr__adm_block_binaural);
}

static int has_child(const xmlNode *n, const char *name) {
    for (const xmlNode *k = n->children; k; k = k->next)
        if (named(k, name))
            return 1;
    return 0;
}

/* A channel that states no type anywhere (no typeLabel, typeDefinition or type code): its
 * first block decides, when it has one reading: a speakerLabel makes DirectSpeakers, a
 * position without one Objects (BS.2076-2 §5.4.3.1, §5.4.3.3). */
static objr_status infer_channel_type(rd *r, objr__adm_channel *c, const xmlNode *k) {
    if (has_child(k, "speakerLabel"))
        c->type = OBJR__TYPE_DIRECT_SPEAKERS;
    else if (has_child(k, "position"))
        c->type = OBJR__TYPE_OBJECTS;
    else
        return err(r, OBJR_ERR_ADM, c->id, k,
                   "%s: neither typeLabel nor typeDefinition given, the ID has no type code "
                   "(0001..0005) and its blocks do not show the type",
                   c->id);
    r->block_type = c->type;
    warn(r, "type_from_content", OBJR__SEV_FIXED, c->id, k,
         "%s: no typeLabel, typeDefinition or type code: %s from its blocks", c->id,
         c->type == OBJR__TYPE_OBJECTS ? "Objects (position)" : "DirectSpeakers (speakerLabel)");
    return OBJR_OK;
}

/* With a spill (formats/adm_spill.c), the pages of the blocks read are given back after every
 * channel and every this many blocks of one channel. */
#define RELEASE_EVERY_BLOCKS 16384u
/* A mapped text's pages the parser has passed are given back in steps of this size, keeping
 * this much behind the parser's position. */
#define TEXT_RELEASE_STEP ((size_t)8 << 20)
#define TEXT_RELEASE_KEEP ((size_t)1 << 20)

static objr_status read_channel_block(rd *r, int32_t ci, const xmlNode *k) {
    objr__adm_channel *c = &r->m->channels[ci];
    if (c->type == OBJR__TYPE_UNKNOWN && c->n_blocks == 0)
        TRY(infer_channel_type(r, c, k));
    objr_status st = objr__adm_count_blocks(r->m, 1);
    if (st != OBJR_OK)
        return err(r, st, c->id, k, "%s: more audioBlockFormats than the limit (%zu)", c->id,
                   r->m->limit_blocks);
    size_t b = c->n_blocks;
    if (b == r->blocks_cap) {
        size_t nc = b ? b + b / 2 : 4;
        void **arr = c->type == OBJR__TYPE_OBJECTS           ? (void **)&c->objects
                     : c->type == OBJR__TYPE_DIRECT_SPEAKERS ? (void **)&c->direct_speakers
                     : c->type == OBJR__TYPE_HOA             ? (void **)&c->hoa
                     : c->type == OBJR__TYPE_MATRIX          ? (void **)&c->matrix
                                                             : (void **)&c->binaural;
        void *grown = objr__adm_grow_blocks(r->m, *arr, b, nc, block_size(c->type));
        if (!grown)
            return OBJR_ERR_NOMEM;
        *arr = grown;
        r->blocks_cap = nc;
    }
    switch (c->type) {
    case OBJR__TYPE_OBJECTS:
        TRY(read_block_objects(r, k, &c->objects[b], c->id));
        break;
    case OBJR__TYPE_DIRECT_SPEAKERS:
        TRY(read_block_ds(r, k, &c->direct_speakers[b], c->id));
        break;
    case OBJR__TYPE_HOA:
        TRY(read_block_hoa(r, k, &c->hoa[b], c->id));
        break;
    case OBJR__TYPE_MATRIX:
        TRY(read_block_matrix(r, k, &c->matrix[b], c->id));
        break;
    default:
        TRY(read_block_common(r, k, &c->binaural[b].c, c->id));
        break;
    }
    c->n_blocks++;
    if (r->m->spill && c->n_blocks % RELEASE_EVERY_BLOCKS == 0)
        objr__adm_release_blocks(); /* a channel with very many blocks */
    return OBJR_OK;
}

static objr_status read_channel_tail(rd *r, int32_t ci, const xmlNode *n) {
    objr__adm_channel *c = &r->m->channels[ci];
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (!named(k, "frequency"))
            continue;
        const char *t = prop(r, k, "typeDefinition");
        int lp = t && strcmp((const char *)t, "lowPass") == 0;
        int hp = t && strcmp((const char *)t, "highPass") == 0;
        if (!lp && !hp)
            return err(r, OBJR_ERR_ADM, c->id, k,
                       "%s: frequency typeDefinition must be lowPass or highPass", c->id);
        TRY(text_double(r, k, c->id, lp ? &c->low_pass_hz : &c->high_pass_hz));
        *(lp ? &c->has_low_pass : &c->has_high_pass) = 1;
    }
    return OBJR_OK;
}

static objr_status read_stream(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_STREAM, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_stream *s = &r->m->streams[i];
    s->line = lineof(r, n);
    TRY(need_id(r, n, "audioStreamFormatID", &s->id));
    st = OBJR_OK;
    s->name = attr(r, n, "audioStreamFormatName", &st);
    s->format_label = attr(r, n, "formatLabel", &st);
    s->format_definition = attr(r, n, "formatDefinition", &st);
    TRY(st);
    TRY(collect_refs(r, n, "audioTrackFormatIDRef", NULL, &s->tracks));
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "audioChannelFormatIDRef"))
            TRY(one_ref(r, k, &s->channel));
        else if (named(k, "audioPackFormatIDRef"))
            TRY(one_ref(r, k, &s->pack));
    }
    return OBJR_OK;
}

static objr_status read_track(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_TRACK, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_track *t = &r->m->tracks[i];
    t->line = lineof(r, n);
    TRY(need_id(r, n, "audioTrackFormatID", &t->id));
    st = OBJR_OK;
    t->name = attr(r, n, "audioTrackFormatName", &st);
    t->format_label = attr(r, n, "formatLabel", &st);
    t->format_definition = attr(r, n, "formatDefinition", &st);
    TRY(st);
    for (const xmlNode *k = n->children; k; k = k->next)
        if (named(k, "audioStreamFormatIDRef"))
            TRY(one_ref(r, k, &t->stream));
    return OBJR_OK;
}

static int is_abs_path(const char *p) {
    return p[0] == '/' || (p[0] && p[1] == ':' && (p[2] == '\\' || p[2] == '/'));
}

static objr_status read_uid(rd *r, const xmlNode *n) {
    objr_status st;
    int32_t i = objr__adm_add(r->m, OBJR__KIND_UID, &st);
    if (i < 0)
        return err(r, st, "", n, "too many elements (%s)", objr_strerror(st));
    objr__adm_uid *u = &r->m->uids[i];
    u->line = lineof(r, n);
    TRY(need_id(r, n, "UID", &u->id));
    int v = 0, has = 0;
    TRY(attr_int(r, n, "sampleRate", u->id, 1, 1536000, &v, &has));
    if (has)
        u->sample_rate_hz = (uint32_t)v;
    has = 0;
    TRY(attr_int(r, n, "bitDepth", u->id, 1, 64, &v, &has));
    if (has)
        u->bit_depth = (uint32_t)v;
    for (const xmlNode *k = n->children; k; k = k->next) {
        if (named(k, "audioTrackFormatIDRef"))
            TRY(one_ref(r, k, &u->track));
        else if (named(k, "audioChannelFormatIDRef"))
            TRY(one_ref(r, k, &u->channel));
        else if (named(k, "audioPackFormatIDRef"))
            TRY(one_ref(r, k, &u->pack));
    }
    /* mix.xml stems: objr:file / objr:channel in the urn:objrender:mix:1 namespace */
    xmlChar *file = xmlGetNsProp(n, (const xmlChar *)"file", (const xmlChar *)OBJR_MIX_XML_NS);
    xmlChar *chan = xmlGetNsProp(n, (const xmlChar *)"channel", (const xmlChar *)OBJR_MIX_XML_NS);
    if (file || chan) {
        st = OBJR_OK;
        if (!file || !*file)
            st = err(r, OBJR_ERR_ADM, u->id, n, "%s: objr:channel without objr:file", u->id);
        else if (!(u->stem_file = objr__adm_strdup(r->m, (const char *)file)))
            st = OBJR_ERR_NOMEM;
        u->stem_channel = 1;
        if (st == OBJR_OK && chan) {
            int ch = 0;
            st = parse_int(r, (const char *)chan, u->id, n, "objr:channel", 1, 65535, &ch);
            u->stem_channel = (uint32_t)ch;
        }
        if (st == OBJR_OK) {
            const char *base = r->o->base_dir;
            if (base && *base && !is_abs_path(u->stem_file)) {
                size_t lb = strlen(base), lf = strlen(u->stem_file);
                u->stem_path = objr__adm_alloc(r->m, lb + lf + 2, 1);
                if (!u->stem_path)
                    st = OBJR_ERR_NOMEM;
                else
                    snprintf(u->stem_path, lb + lf + 2, "%s%s%s", base,
                             base[lb - 1] == '/' ? "" : "/", u->stem_file);
            } else {
                u->stem_path = u->stem_file;
            }
        }
        if (file)
            xmlFree(file);
        if (chan)
            xmlFree(chan);
        TRY(st);
    }
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Document                                                                                  */

/* Streaming: each child of audioFormatExtended (and an S-ADM frameHeader) is built as a
 * small DOM of its own from the reader, holding only what the read_* functions interpret:
 * the elements known in their parent's context (KIDS), their attributes, and the text of
 * leaf elements. Every other element is skipped unread (skip_subtree) and reported, text
 * in container elements is dropped, and each DOM is freed before the next one is built; an
 * audioChannelFormat hands each audioBlockFormat over as soon as it is complete. So memory
 * follows the metadata objrender keeps, never the padding around it. */

typedef struct kids {
    const char *parent;
    const char *const *names;
} kids;

#define BLOCK_COMMON "gain", "importance", "headLocked", "headphoneVirtualise"
static const char *const k_programme[] = {"audioContentIDRef", "loudnessMetadata",
                                          "audioProgrammeLabel", "audioProgrammeReferenceScreen",
                                          NULL};
static const char *const k_loudness[] = {
    "integratedLoudness", "loudnessRange",    "maxTruePeak",    "maxMomentary",
    "maxShortTerm",       "dialogueLoudness", "dialogLoudness", NULL};
static const char *const k_screen[] = {"aspectRatio", "screenCentrePosition", "screenWidth", NULL};
static const char *const k_content[] = {"audioObjectIDRef", "loudnessMetadata", "audioContentLabel",
                                        "dialogue", NULL};
static const char *const k_object[] = {"audioPackFormatIDRef",
                                       "audioObjectIDRef",
                                       "audioTrackUIDRef",
                                       "audioComplementaryObjectIDRef",
                                       "audioObjectLabel",
                                       "audioComplementaryObjectGroupLabel",
                                       "gain",
                                       "mute",
                                       "headLocked",
                                       "positionOffset",
                                       "audioObjectInteraction",
                                       NULL};
static const char *const k_interaction[] = {"gainInteractionRange", "positionInteractionRange",
                                            NULL};
static const char *const k_pack[] = {"audioChannelFormatIDRef",
                                     "audioPackFormatIDRef",
                                     "encodePackFormatIDRef",
                                     "decodePackFormatIDRef",
                                     "absoluteDistance",
                                     "inputPackFormatIDRef",
                                     "outputPackFormatIDRef",
                                     "normalization",
                                     "nfcRefDist",
                                     "screenRef",
                                     NULL};
static const char *const k_channel[] = {"frequency", "audioBlockFormat", NULL};
static const char *const k_stream[] = {"audioChannelFormatIDRef", "audioPackFormatIDRef",
                                       "audioTrackFormatIDRef", NULL};
static const char *const k_track[] = {"audioStreamFormatIDRef", NULL};
static const char *const k_uid[] = {"audioTrackFormatIDRef", "audioChannelFormatIDRef",
                                    "audioPackFormatIDRef", NULL};
static const char *const k_zones[] = {"zone", NULL};
static const char *const k_matrix[] = {"coefficient", NULL};
static const char *const k_frame_header[] = {"transportTrackFormat", NULL};
static const char *const k_transport[] = {"audioTrack", NULL};
static const char *const k_audio_track[] = {"audioTrackUIDRef", NULL};
static const char *const k_block_objects[] = {
    BLOCK_COMMON, "position",    "cartesian",        "width",        "height",    "depth",
    "diffuse",    "channelLock", "objectDivergence", "jumpPosition", "screenRef", "zoneExclusion",
    NULL};
static const char *const k_block_ds[] = {BLOCK_COMMON, "speakerLabel", "cartesian", "position",
                                         NULL};
static const char *const k_block_hoa[] = {BLOCK_COMMON, "order",     "degree",   "normalization",
                                          "nfcRefDist", "screenRef", "equation", NULL};
static const char *const k_block_matrix[] = {BLOCK_COMMON, "outputChannelFormatIDRef",
                                             "outputChannelIDRef", "matrix", NULL};
static const char *const k_block_binaural[] = {BLOCK_COMMON, NULL};
/* a channel that states no type: what its first block needs to show one (infer_types) */
static const char *const k_block_untyped[] = {
    BLOCK_COMMON,   "position",    "cartesian",        "width",        "height",    "depth",
    "diffuse",      "channelLock", "objectDivergence", "jumpPosition", "screenRef", "zoneExclusion",
    "speakerLabel", NULL};

static const kids containers[] = {
    {"audioProgramme", k_programme},
    {"loudnessMetadata", k_loudness},
    {"audioProgrammeReferenceScreen", k_screen},
    {"audioContent", k_content},
    {"audioObject", k_object},
    {"audioObjectInteraction", k_interaction},
    {"audioPackFormat", k_pack},
    {"audioChannelFormat", k_channel},
    {"audioStreamFormat", k_stream},
    {"audioTrackFormat", k_track},
    {"audioTrackUID", k_uid},
    {"zoneExclusion", k_zones},
    {"matrix", k_matrix},
    {"frameHeader", k_frame_header},
    {"transportTrackFormat", k_transport},
    {"audioTrack", k_audio_track},
};

/** Longest text a leaf element may hold: IDs, numbers and labels are far shorter. */
#define MAX_TEXT_BYTES ((size_t)1 << 20)
/** Most child elements one element keeps (audioBlockFormats stream and do not count). */
#define MAX_CHILDREN ((size_t)1 << 16)

static int in_list(const char *name, const char *const *names) {
    for (; *names; names++)
        if (strcmp(name, *names) == 0)
            return 1;
    return 0;
}

static int ignorable_name(const char *name) {
    static const char *const names[] = {"alternativeValueSet",
                                        "authoringInformation",
                                        "audioMXFLookUp",
                                        "profileList",
                                        "tagList",
                                        "audioFormatCustom",
                                        "frameHeader",
                                        NULL};
    return in_list(name, names);
}

/* The children an element of this name keeps; NULL for a leaf (which keeps its text). */
static const char *const *kids_of(const rd *r, const char *name) {
    if (strcmp(name, "audioBlockFormat") == 0)
        switch (r->block_type) {
        case OBJR__TYPE_OBJECTS:
            return k_block_objects;
        case OBJR__TYPE_DIRECT_SPEAKERS:
            return k_block_ds;
        case OBJR__TYPE_HOA:
            return k_block_hoa;
        case OBJR__TYPE_MATRIX:
            return k_block_matrix;
        case OBJR__TYPE_UNKNOWN:
            return k_block_untyped;
        default:
            return k_block_binaural;
        }
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcmp(name, containers[i].parent) == 0)
            return containers[i].names;
    return NULL;
}

/* The line of the reader's current node. Past line 65535 libxml2 keeps lines only on text
 * nodes (XML_PARSE_BIG_LINES), which xmlGetLineNo consults; where the element has none yet,
 * the parser's line is used (it may run a line or so ahead). */
static long reader_line(xmlTextReaderPtr rdr) {
    xmlNodePtr cur = xmlTextReaderCurrentNode(rdr);
    long l = cur ? xmlGetLineNo(cur) : -1;
    if (l <= 0 || l == 65535) /* 65535: libxml2 could not tell (see xmlGetLineNo) */
        l = xmlTextReaderGetParserLineNumber(rdr);
    return l > 0 ? l : 0;
}

/* The element under the reader as a new node (below @p parent, or alone) with its
 * attributes; its line is kept in _private (see lineof). */
static objr_status build_start(xmlTextReaderPtr rdr, xmlDocPtr doc, xmlNodePtr parent,
                               xmlNodePtr *out) {
    const xmlChar *name = xmlTextReaderConstLocalName(rdr);
    xmlNodePtr n = xmlNewDocNode(doc, NULL, name ? name : (const xmlChar *)"", NULL);
    if (!n)
        return OBJR_ERR_NOMEM;
    long line = reader_line(rdr);
    n->_private = (void *)(intptr_t)(line > 0 ? line : -1);
    if (parent && !xmlAddChild(parent, n)) {
        xmlFreeNode(n);
        return OBJR_ERR_NOMEM;
    }
    *out = n;
    for (int more = xmlTextReaderMoveToFirstAttribute(rdr); more == 1;
         more = xmlTextReaderMoveToNextAttribute(rdr)) {
        if (xmlTextReaderIsNamespaceDecl(rdr) == 1)
            continue;
        const xmlChar *an = xmlTextReaderConstLocalName(rdr);
        const xmlChar *av = xmlTextReaderConstValue(rdr);
        const xmlChar *uri = xmlTextReaderConstNamespaceUri(rdr);
        if (!an || !av)
            return OBJR_ERR_NOMEM;
        xmlNsPtr ns = NULL;
        if (uri && !(ns = xmlSearchNsByHref(doc, n, uri)) &&
            !(ns = xmlNewNs(n, uri, xmlTextReaderConstPrefix(rdr))))
            return OBJR_ERR_NOMEM;
        if (!(ns ? xmlNewNsProp(n, ns, an, av) : xmlNewProp(n, an, av)))
            return OBJR_ERR_NOMEM;
    }
    xmlTextReaderMoveToElement(rdr);
    if (!xmlTextReaderConstLocalName(rdr))
        return OBJR_ERR_NOMEM;
    return OBJR_OK;
}

static void report_unknown(rd *r, const char *parent, const char *id, const char *name, long line) {
    r->n_unknown++;
    if (parent && strcmp(parent, "loudnessMetadata") == 0)
        objr__adm_report(r->m, "unknown_element", OBJR__SEV_NOTE, OBJR_OK, id,
                         line > 0 ? line + r->line_base : 0, -1.0,
                         "%s: unknown loudnessMetadata element <%s> ignored", id, name);
    else if (parent)
        objr__adm_report(r->m, "unknown_element", OBJR__SEV_NOTE, OBJR_OK, id,
                         line > 0 ? line + r->line_base : 0, -1.0,
                         "%s: unknown element <%s> ignored", id, name);
    else
        objr__adm_report(r->m, "unknown_element", OBJR__SEV_NOTE, OBJR_OK, "",
                         line > 0 ? line + r->line_base : 0, -1.0,
                         "unknown element <%s> in audioFormatExtended ignored", name);
}

/* ID attribute of an element (the first attribute whose name ends in "ID"), "" when none. */
static const char *id_of(const xmlNode *n) {
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        size_t l = strlen((const char *)a->name);
        if (!a->ns && l >= 2 && strcmp((const char *)a->name + l - 2, "ID") == 0 && a->children &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    }
    return "";
}

static objr_status read_block_node(rd *r, xmlTextReaderPtr rdr, xmlDocPtr doc, int32_t ci);
static void give_back_text(rd *r, xmlTextReaderPtr rdr);

/* xmlTextReaderNext() that gives back a mapped text's pages as it goes: the element under the
 * reader skipped with its subtree, however large, the reader left on what follows it. */
static int skip_subtree(rd *r, xmlTextReaderPtr rdr) {
    if (xmlTextReaderIsEmptyElement(rdr) == 1) {
        int ret = xmlTextReaderRead(rdr);
        give_back_text(r, rdr);
        return ret;
    }
    const int depth = xmlTextReaderDepth(rdr);
    int ret;
    for (unsigned long n = 1; (ret = xmlTextReaderRead(rdr)) == 1; n++) {
        if (xmlTextReaderNodeType(rdr) == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(rdr) == depth)
            break;
        if (n % 4096 == 0)
            give_back_text(r, rdr);
    }
    if (ret == 1)
        ret = xmlTextReaderRead(rdr);
    give_back_text(r, rdr);
    return ret;
}
static objr_status read_transport(rd *r, const xmlNode *hdr);
static objr_status read_afe_child(rd *r, const xmlNode *k);

/* Reads the children of @p n (built by build_start, the reader on its start tag) up to its end
 * tag: kept elements recursively, leaf text (at most MAX_TEXT_BYTES), audioBlockFormats of
 * the channel @p ci (>= 0) one at a time. @p id names the enclosing element in reports
 * (NULL: unknown elements are skipped silently). */
static objr_status build_children(rd *r, xmlTextReaderPtr rdr, xmlNodePtr n, const char *id,
                                  int32_t ci) {
    if (xmlTextReaderIsEmptyElement(rdr) == 1)
        return OBJR_OK;
    const char *nm = (const char *)n->name;
    const char *const *keep = kids_of(r, nm);
    int depth = xmlTextReaderDepth(rdr);
    size_t n_kept = 0, n_text = 0;
    const char *outer = r->inside;
    r->inside = nm;
    int ret = xmlTextReaderRead(rdr);
    while (ret == 1) {
        int type = xmlTextReaderNodeType(rdr);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(rdr) <= depth) {
            r->inside = outer;
            return OBJR_OK;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *name = (const char *)xmlTextReaderConstLocalName(rdr);
            if (!name)
                return OBJR_ERR_NOMEM;
            if (!keep || !in_list(name, keep)) {
                if (id && !ignorable_name(name))
                    report_unknown(r, nm, id, name, reader_line(rdr));
                ret = skip_subtree(r, rdr);
                continue;
            }
            if (ci >= 0 && strcmp(name, "audioBlockFormat") == 0) {
                TRY(read_block_node(r, rdr, n->doc, ci));
            } else {
                if (++n_kept > MAX_CHILDREN)
                    return err(r, OBJR_ERR_LIMIT, id ? id : "", n,
                               "%s: <%s> has more than %zu child elements", id ? id : "", nm,
                               MAX_CHILDREN);
                xmlNodePtr k = NULL;
                TRY(build_start(rdr, n->doc, n, &k));
                TRY(build_children(r, rdr, k, id, -1));
            }
        } else if (!keep && (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                             type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                             type == XML_READER_TYPE_WHITESPACE)) {
            const xmlChar *v = xmlTextReaderConstValue(rdr);
            if (!v)
                return OBJR_ERR_NOMEM;
            size_t l = strlen((const char *)v);
            if (l > MAX_TEXT_BYTES - n_text)
                return err(r, OBJR_ERR_LIMIT, id ? id : "", n,
                           "%s: the text of <%s> is longer than %zu bytes", id ? id : "", nm,
                           MAX_TEXT_BYTES);
            n_text += l;
            xmlNodePtr t = xmlNewDocTextLen(n->doc, v, (int)l);
            if (!t || !xmlAddChild(n, t)) {
                xmlFreeNode(t);
                return OBJR_ERR_NOMEM;
            }
        }
        ret = xmlTextReaderRead(rdr);
    }
    r->reader_failed = 1;
    return OBJR_ERR_XML;
}

/* One audioBlockFormat of channel @p ci: built alone, read into the channel, freed. */
static objr_status read_block_node(rd *r, xmlTextReaderPtr rdr, xmlDocPtr doc, int32_t ci) {
    xmlNodePtr b = NULL;
    objr_status st = build_start(rdr, doc, NULL, &b);
    if (st == OBJR_OK) {
        const char *bid = id_of(b);
        st = build_children(r, rdr, b, *bid ? bid : r->m->channels[ci].id, -1);
    }
    if (st == OBJR_OK)
        st = read_channel_block(r, ci, b);
    xmlFreeNode(b);
    give_back_text(r, rdr); /* a channel of very many blocks */
    return st;
}

/* The AFE child (or frameHeader) under the reader, built, read into the model and freed. The
 * reader ends on its end tag. */
static objr_status read_element(rd *r, xmlTextReaderPtr rdr, const char *name) {
    xmlDocPtr doc = xmlNewDoc(NULL);
    if (!doc)
        return OBJR_ERR_NOMEM;
    xmlNodePtr n = NULL;
    objr_status st = build_start(rdr, doc, NULL, &n);
    if (st == OBJR_OK)
        xmlDocSetRootElement(doc, n);
    int header = strcmp(name, "frameHeader") == 0;
    const char *id = st == OBJR_OK && !header ? id_of(n) : NULL;
    if (st == OBJR_OK && strcmp(name, "audioChannelFormat") == 0) {
        int32_t ci = -1;
        st = read_channel_head(r, n, &ci);
        if (st == OBJR_OK) {
            r->block_type = r->m->channels[ci].type;
            r->blocks_cap = 0;
            st = build_children(r, rdr, n, id, ci);
        }
        if (st == OBJR_OK)
            st = read_channel_tail(r, ci, n);
        if (r->m->spill)
            objr__adm_release_blocks();
    } else if (st == OBJR_OK) {
        st = build_children(r, rdr, n, id, -1);
        if (st == OBJR_OK)
            st = header ? read_transport(r, n) : read_afe_child(r, n);
    }
    xmlFreeDoc(doc);
    r->inside = NULL; /* named a node of the freed document */
    return st;
}

/* One child of audioFormatExtended (built by read_element). */
static objr_status read_afe_child(rd *r, const xmlNode *k) {
    if (named(k, "audioProgramme"))
        return read_programme(r, k);
    if (named(k, "audioContent"))
        return read_content(r, k);
    if (named(k, "audioObject"))
        return read_object(r, k);
    if (named(k, "audioPackFormat"))
        return read_pack(r, k);
    if (named(k, "audioStreamFormat"))
        return read_stream(r, k);
    if (named(k, "audioTrackFormat"))
        return read_track(r, k);
    if (named(k, "audioTrackUID"))
        return read_uid(r, k);
    return OBJR_OK;
}

/* Children of audioFormatExtended that are read. */
static int afe_child(const char *name) {
    static const char *const names[] = {
        "audioProgramme",   "audioContent",       "audioObject",
        "audioPackFormat",  "audioChannelFormat", "audioStreamFormat",
        "audioTrackFormat", "audioTrackUID",      NULL};
    return in_list(name, names);
}

/* S-ADM (BS.2125) frameHeader/transportTrackFormat: audioTrack trackID -> audioTrackUIDRef.
 * Stored now, applied once the UIDs are indexed. */
static objr_status read_transport(rd *r, const xmlNode *hdr) {
    for (const xmlNode *t = hdr->children; t; t = t->next) {
        if (!named(t, "transportTrackFormat"))
            continue;
        for (const xmlNode *a = t->children; a; a = a->next) {
            if (!named(a, "audioTrack"))
                continue;
            int track = 0, has = 0;
            TRY(attr_int(r, a, "trackID", "audioTrack", 1, 65535, &track, &has));
            if (!has)
                continue;
            for (const xmlNode *u = a->children; u; u = u->next) {
                if (!named(u, "audioTrackUIDRef"))
                    continue;
                if (r->n_transport == r->cap_transport) {
                    size_t nc = r->cap_transport ? r->cap_transport * 2 : 16;
                    transport_link *nl = objr__adm_alloc(r->m, nc, sizeof *nl);
                    if (!nl)
                        return OBJR_ERR_NOMEM;
                    if (r->n_transport)
                        memcpy(nl, r->transport, r->n_transport * sizeof *nl);
                    r->transport = nl;
                    r->cap_transport = nc;
                }
                objr_status st = OBJR_OK;
                transport_link *l = &r->transport[r->n_transport++];
                l->track = (uint32_t)track;
                l->line = lineof(r, u);
                l->uid = text(r, u, &st);
                TRY(st);
            }
        }
    }
    return OBJR_OK;
}

static void apply_transport(rd *r) {
    for (size_t i = 0; i < r->n_transport; i++) {
        const transport_link *l = &r->transport[i];
        int32_t ui = objr__adm_find(r->m, OBJR__KIND_UID, l->uid);
        if (ui >= 0)
            r->m->uids[ui].track_index = l->track;
        else
            objr__adm_report(r->m, "transport_unknown_uid", OBJR__SEV_NOTE, OBJR_OK, l->uid,
                             l->line, -1.0,
                             "transportTrackFormat references undefined audioTrackUID %s", l->uid);
    }
}

/* Where the XML really starts: skip a BOM, whitespace and comments that precede an XML
 * declaration (Dolby pmd_tool writes a licence comment first). Refuses DOCTYPE. */
static objr_status prolog(rd *r, const char *xml, size_t len, size_t *start) {
    size_t p = 0, decl_from = 0;
    long lines = 0, lines_at_from = 0;
    if (len >= 3 && (unsigned char)xml[0] == 0xEF && (unsigned char)xml[1] == 0xBB &&
        (unsigned char)xml[2] == 0xBF)
        p = 3;
    for (;;) {
        while (p < len && (xml[p] == ' ' || xml[p] == '\t' || xml[p] == '\r' || xml[p] == '\n')) {
            if (xml[p] == '\n')
                lines++;
            p++;
        }
        if (p + 4 <= len && memcmp(xml + p, "<!--", 4) == 0) {
            size_t q = p + 4;
            while (q + 3 <= len && memcmp(xml + q, "-->", 3) != 0) {
                if (xml[q] == '\n')
                    lines++;
                q++;
            }
            if (q + 3 > len)
                return err(r, OBJR_ERR_XML, "", NULL, "unterminated comment at the start");
            p = q + 3;
            continue;
        }
        if (p + 5 <= len && memcmp(xml + p, "<?xml", 5) == 0 && p != 0 && decl_from == 0) {
            decl_from = p;
            lines_at_from = lines;
        }
        if (p + 2 <= len && memcmp(xml + p, "<?", 2) == 0) {
            size_t q = p + 2;
            while (q + 2 <= len && memcmp(xml + q, "?>", 2) != 0) {
                if (xml[q] == '\n')
                    lines++;
                q++;
            }
            if (q + 2 > len)
                return err(r, OBJR_ERR_XML, "", NULL, "unterminated processing instruction");
            p = q + 2;
            continue;
        }
        break;
    }
    if (p + 9 <= len && memcmp(xml + p, "<!DOCTYPE", 9) == 0) {
        r->line_base = 0;
        return objr__diag_set(r->diag, OBJR_ERR_XML, "", lines + 1, p,
                              "%s:%ld: DOCTYPE declarations are refused in ADM XML (no DTD, "
                              "entity or external entity is ever loaded)",
                              r->file, lines + 1);
    }
    if (decl_from) {
        *start = decl_from;
        r->line_base = lines_at_from;
    } else {
        *start = 0;
        r->line_base = 0;
    }
    return OBJR_OK;
}

/** Most attributes one start tag may carry. BS.2076 elements have at most about ten, and
 *  libxml2 (2.9) checks a tag's attributes for duplicates pairwise, so a tag with a million
 *  of them would take hours: such tags are refused before libxml2 sees them. */
#define MAX_TAG_ATTRS 64

/* A mapped text (opts->text_map) given back in steps up to a little behind byte @p at. */
static void give_back_upto(rd *r, size_t at) {
    const objr__filemap *tm = r->o->text_map;
    if (!tm || tm->data != r->text || at < r->text_released + TEXT_RELEASE_STEP + TEXT_RELEASE_KEEP)
        return;
    r->text_released = at - TEXT_RELEASE_KEEP;
    objr__filemap_release(tm, r->text_released);
}

/* One linear pass over the document counting the attributes of each start tag (the '='
 * outside quoted values; comments, CDATA sections, processing instructions and declarations
 * skipped). Malformed input is left to libxml2. */
static objr_status scan_tags(rd *r, const char *xml, size_t len) {
    long line = 1;
    size_t p = 0;
    while (p < len) {
        const char *lt = memchr(xml + p, '<', len - p);
        if (!lt)
            return OBJR_OK;
        for (const char *q = xml + p; (q = memchr(q, '\n', (size_t)(lt - q))); q++)
            line++;
        p = (size_t)(lt - xml) + 1;
        give_back_upto(r, r->text_start + p);
        const char *close = NULL; /* the end of a markup section that is not a start tag */
        if (p < len && (xml[p] == '?' || xml[p] == '!')) {
            close = len - p >= 3 && memcmp(xml + p, "!--", 3) == 0        ? "-->"
                    : len - p >= 8 && memcmp(xml + p, "![CDATA[", 8) == 0 ? "]]>"
                    : xml[p] == '?'                                       ? "?>"
                                                                          : ">";
        }
        if (close) {
            size_t cl = strlen(close);
            size_t q = p;
            while (q + cl <= len && memcmp(xml + q, close, cl) != 0)
                line += xml[q++] == '\n';
            p = q + cl;
            continue;
        }
        size_t n_attrs = 0;
        char quote = 0;
        long tag_line = line;
        for (; p < len && (quote || xml[p] != '>'); p++) {
            char ch = xml[p];
            line += ch == '\n';
            if (quote)
                quote = ch == quote ? 0 : quote;
            else if (ch == '"' || ch == '\'')
                quote = ch;
            else if (ch == '=' && ++n_attrs > MAX_TAG_ATTRS) {
                size_t nl = 0;
                while (lt + 1 + nl < xml + p && !strchr(" \t\r\n/>=", lt[1 + nl]))
                    nl++;
                return objr__diag_set(
                    r->diag, OBJR_ERR_LIMIT, "", tag_line + r->line_base, (size_t)(lt - xml),
                    "%s:%ld: <%.*s> has more than %d attributes", r->file, tag_line + r->line_base,
                    (int)(nl < 64 ? nl : 64), lt + 1, MAX_TAG_ATTRS);
            }
        }
    }
    return OBJR_OK;
}

/* Packs and channels that state no type anywhere: a channel without blocks is refused; a
 * pack takes the type its channels share (refused when they differ or it has none). */
static objr_status infer_types(rd *r) {
    objr__adm_model *m = r->m;
    for (size_t i = 0; i < m->n_channels; i++)
        if (m->channels[i].type == OBJR__TYPE_UNKNOWN && !m->channels[i].is_common)
            return objr__diag_set(r->diag, OBJR_ERR_ADM, m->channels[i].id, m->channels[i].line,
                                  (size_t)-1,
                                  "%s:%ld: %s: neither typeLabel nor typeDefinition given, the "
                                  "ID has no type code (0001..0005) and it has no block to show "
                                  "the type",
                                  r->file, m->channels[i].line, m->channels[i].id);
    for (size_t i = 0; i < m->n_packs; i++) {
        objr__adm_pack *p = &m->packs[i];
        if (p->type != OBJR__TYPE_UNKNOWN || p->is_common)
            continue;
        int type = OBJR__TYPE_UNKNOWN, mixed = 0;
        for (size_t k = 0; k < p->channels.n; k++) {
            const char *cid = p->channels.items[k].id;
            int t = -1;
            for (size_t c = 0; cid && c < m->n_channels && t < 0; c++)
                if (m->channels[c].id && strcmp(m->channels[c].id, cid) == 0)
                    t = m->channels[c].type;
            if (t <= 0 || (type && t != type))
                mixed = 1;
            type = t > 0 ? t : type;
        }
        if (mixed || type == OBJR__TYPE_UNKNOWN)
            return objr__diag_set(r->diag, OBJR_ERR_ADM, p->id, p->line, (size_t)-1,
                                  "%s:%ld: %s: neither typeLabel nor typeDefinition given, the "
                                  "ID has no type code (0001..0005) and its channels do not "
                                  "share one type",
                                  r->file, p->line, p->id);
        p->type = type;
        objr__adm_report(m, "type_from_content", OBJR__SEV_FIXED, OBJR_OK, p->id, p->line, -1.0,
                         "%s: no typeLabel, typeDefinition or type code: type %04d from its "
                         "channels",
                         p->id, type);
    }
    return OBJR_OK;
}

/* libxml2 reports encoding and I/O problems through its (thread-local) generic error
 * handler, which prints to stderr by default: the library never prints, so parsing runs
 * with silent handlers that are restored afterwards. */
static void silent_generic(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e) {
    (void)ctx;
    (void)e;
}

static objr_status read_impl(const char *xml, size_t len, const objr__adm_read_opts *opts,
                             objr__adm_model **out, objr_diag *diag, size_t *trailing_at);

/* Keeps the first error the reader reports (with its line) for the diagnostic. */
static void reader_error(void *arg, xmlErrorPtr e) {
    rd *r = arg;
    if (r->xml_error || !e || e->level < XML_ERR_ERROR)
        return;
    r->xml_error = 1;
    r->xml_error_code = e->code;
    r->xml_error_col = e->int2;
    r->xml_error_line = e->line;
    snprintf(r->xml_error_inside, sizeof r->xml_error_inside, "%s", r->inside ? r->inside : "");
    snprintf(r->xml_error_msg, sizeof r->xml_error_msg, "%s", e->message ? e->message : "error");
    /* libxml2 messages end in a newline and some span two lines: one line, single-spaced */
    size_t w = 0;
    for (size_t i = 0; r->xml_error_msg[i]; i++) {
        char ch =
            r->xml_error_msg[i] == '\n' || r->xml_error_msg[i] == '\r' ? ' ' : r->xml_error_msg[i];
        if (ch == ' ' && (w == 0 || r->xml_error_msg[w - 1] == ' '))
            continue;
        r->xml_error_msg[w++] = ch;
    }
    while (w && r->xml_error_msg[w - 1] == ' ')
        w--;
    r->xml_error_msg[w] = '\0';
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init_once(void) {
    xmlInitParser();
}

void objr__xml_init(void) {
    (void)pthread_once(&xml_once, xml_init_once);
}

objr_status objr__adm_xml_read(const char *xml, size_t len, const objr__adm_read_opts *opts,
                               objr__adm_model **out, objr_diag *diag) {
    objr__xml_init();
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    size_t cut = 0;
    objr_status st = read_impl(xml, len, opts, out, diag, &cut);
    if (st == OBJR_ERR_XML && cut > 0 && cut < len) {
        /* Text after the root element (tools append "Title:" / "Creator:" lines): the
         * document is what precedes it; the rest is ignored (a fixed deviation). */
        objr_diag first = diag ? *diag : (objr_diag){{0}, {0}, 0, 0};
        size_t again = 0;
        st = read_impl(xml, cut, opts, out, diag, &again);
        if (st == OBJR_OK && diag)
            objr_diag_clear(diag);
        if (st == OBJR_OK)
            objr__adm_report(*out, "trailing_content", OBJR__SEV_FIXED, OBJR_OK, "", first.line,
                             (double)(len - cut), "%zu bytes after the root element ignored",
                             len - cut);
        else if (st == OBJR_ERR_XML && diag)
            *diag = first; /* the cut did not help: report the original error */
    }
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    return st;
}

/* Byte offset just after the last '>' before line @p line, column @p col (1-based, relative
 * to @p xml): where the root element ended when libxml2 reports content after it. */
static size_t root_end_before(const char *xml, size_t len, long line, int col) {
    size_t p = 0;
    for (long l = 1; l < line && p < len; p++)
        if (xml[p] == '\n')
            l++;
    p += col > 0 ? (size_t)col : 0;
    if (p > len)
        p = len;
    while (p > 0 && xml[p - 1] != '>')
        p--;
    return p;
}

/* Where the streaming walk stands: the reader's last return, and what it saw. */
typedef struct walk {
    int ret;            /* xmlTextReaderRead's last return: 1 more, 0 end, -1 error */
    int seen_afe;       /* an audioFormatExtended was found */
    char root_name[64]; /* for the diagnostic when none was */
} walk;

/* A mapped text (opts->text_map) given back up to a little behind the parser's position. */
static void give_back_text(rd *r, xmlTextReaderPtr rdr) {
    long consumed = xmlTextReaderByteConsumed(rdr);
    if (consumed > 0)
        give_back_upto(r, r->text_start + (size_t)consumed);
}

/* Walk the document: find audioFormatExtended (below at most MAX_WRAPPER_DEPTH wrappers) and
 * read each of its children into the model, one subtree at a time; an S-ADM frame's
 * frameHeader too. */
static objr_status walk_document(rd *r, xmlTextReaderPtr rdr, walk *w) {
    objr_status st = OBJR_OK;
    int afe_depth = -1, is_frame = 0;
    w->ret = xmlTextReaderRead(rdr);
    while (w->ret == 1 && st == OBJR_OK) {
        int type = xmlTextReaderNodeType(rdr);
        int depth = xmlTextReaderDepth(rdr);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return objr__diag_set(r->diag, OBJR_ERR_XML, "", 0, (size_t)-1,
                                  "%s: DOCTYPE declarations are refused in ADM XML", r->file);
        if (type == XML_READER_TYPE_END_ELEMENT && depth == afe_depth)
            afe_depth = -1;
        if (type != XML_READER_TYPE_ELEMENT) {
            w->ret = xmlTextReaderRead(rdr);
            continue;
        }
        const char *name = (const char *)xmlTextReaderConstLocalName(rdr);
        if (!name)
            name = "";
        if (depth == 0) {
            snprintf(w->root_name, sizeof w->root_name, "%s", name);
            is_frame = strcmp(name, "frame") == 0;
        }
        if (afe_depth >= 0 && depth == afe_depth + 1) {
            if (!afe_child(name)) {
                if (!ignorable_name(name))
                    report_unknown(r, NULL, "", name, reader_line(rdr));
                w->ret = skip_subtree(r, rdr); /* skipped unread */
                continue;
            }
            st = read_element(r, rdr, name);
            if (r->reader_failed)
                break;
            give_back_text(r, rdr);
            w->ret = xmlTextReaderRead(rdr);
            continue;
        }
        if (afe_depth < 0 && !w->seen_afe && depth <= MAX_WRAPPER_DEPTH &&
            strcmp(name, "audioFormatExtended") == 0) {
            w->seen_afe = 1;
            xmlChar *v = xmlTextReaderGetAttribute(rdr, (const xmlChar *)"version");
            if (v) {
                r->m->version = objr__adm_strdup(r->m, (const char *)v);
                xmlFree(v);
                if (!r->m->version)
                    st = OBJR_ERR_NOMEM;
            }
            if (!xmlTextReaderIsEmptyElement(rdr))
                afe_depth = depth;
        } else if (is_frame && depth == 1 && strcmp(name, "frameHeader") == 0) {
            st = read_element(r, rdr, name);
            if (r->reader_failed)
                break;
            w->ret = xmlTextReaderRead(rdr);
            continue;
        }
        give_back_text(r, rdr); /* anything before audioFormatExtended, however long */
        w->ret = xmlTextReaderRead(rdr);
    }
    return st;
}

/* The walk's outcome as one status and diagnostic: libxml2's own errors (its limits, out of
 * memory, malformed XML), a document without audioFormatExtended, the reader's out of memory. */
static objr_status walk_outcome(rd *r, objr_status st, const walk *w) {
    if (st == OBJR_OK && r->xml_error && strstr(r->xml_error_msg, "huge text node")) {
        /* libxml2's own bound (10 MB for one text node without XML_PARSE_HUGE, which stays
         * off) reported as a memory error: a limit of the input, not out of memory */
        long line = r->xml_error_line + r->line_base;
        st = objr__diag_set(r->diag, OBJR_ERR_LIMIT, "", line, (size_t)-1,
                            "%s:%ld: text in <%s> longer than %d bytes (libxml2's limit for one "
                            "text node)",
                            r->file, line,
                            r->xml_error_inside[0] ? r->xml_error_inside : "audioFormatExtended",
                            XML_MAX_TEXT_LENGTH);
    }
    if (st == OBJR_OK && r->xml_error && strstr(r->xml_error_msg, "Huge input lookup")) {
        long line = r->xml_error_line + r->line_base;
        st = objr__diag_set(r->diag, OBJR_ERR_LIMIT, "", line, (size_t)-1,
                            "%s:%ld: a tag in <%s> longer than %d bytes (libxml2's limit)", r->file,
                            line,
                            r->xml_error_inside[0] ? r->xml_error_inside : "audioFormatExtended",
                            XML_MAX_LOOKUP_LIMIT);
    }
    if (st == OBJR_OK && r->xml_error && r->xml_error_code == XML_ERR_NO_MEMORY)
        st = OBJR_ERR_NOMEM; /* reported as out of memory below, never as malformed XML */
    if (st == OBJR_OK && (w->ret < 0 || r->xml_error)) {
        long line = r->xml_error ? r->xml_error_line + r->line_base : 0;
        st =
            objr__diag_set(r->diag, OBJR_ERR_XML, "", line, (size_t)-1, "%s:%ld: malformed XML: %s",
                           r->file, line, r->xml_error ? r->xml_error_msg : "not well-formed");
    }
    if (st == OBJR_OK && !w->seen_afe)
        st = objr__diag_set(r->diag, OBJR_ERR_ADM, "", 1, (size_t)-1,
                            "%s: no audioFormatExtended element below the root <%s>", r->file,
                            w->root_name);
    if (st == OBJR_OK && r->oom)
        st = OBJR_ERR_NOMEM;
    char why[400];
    if (st == OBJR_ERR_NOMEM && objr__adm_spill_failure(r->m, why, sizeof why))
        st = objr__diag_set(r->diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: %s", r->file, why);
    else if (st == OBJR_ERR_NOMEM)
        objr__diag_set(r->diag, st, "", 0, (size_t)-1, "%s: out of memory", r->file);
    return st;
}

/* Stream the document (after its prolog, at @p start) into the model r->m. */
static objr_status stream_document(rd *r, const char *xml, size_t len, size_t start,
                                   size_t *trailing_at) {
    /* NONET: never fetch; no NOENT / DTDLOAD / HUGE; BIG_LINES for line numbers > 65535.
     * The reader streams: each child of audioFormatExtended is expanded, read into the
     * model and freed before the next one, so the DOM never holds the whole document. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                  XML_PARSE_NOBLANKS | XML_PARSE_COMPACT;
    xmlTextReaderPtr rdr = xmlReaderForMemory(xml + start, (int)(len - start), NULL, NULL, options);
    if (!rdr)
        return objr__diag_set(r->diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
    xmlTextReaderSetStructuredErrorHandler(rdr, reader_error, r);
    walk w = {0};
    objr_status st = walk_document(r, rdr, &w);
    if (r->reader_failed && st == OBJR_ERR_XML) {
        st = OBJR_OK; /* the reader's own error (malformed, or out of memory) is reported */
        w.ret = -1;
    }
    if (st == OBJR_OK && r->xml_error && r->xml_error_code == XML_ERR_DOCUMENT_END)
        *trailing_at =
            start + root_end_before(xml + start, len - start, r->xml_error_line, r->xml_error_col);
    st = walk_outcome(r, st, &w);
    xmlFreeTextReader(rdr);
    return st;
}

static objr_status read_impl(const char *xml, size_t len, const objr__adm_read_opts *opts,
                             objr__adm_model **out, objr_diag *diag, size_t *trailing_at) {
    *out = NULL;
    *trailing_at = 0;
    rd r = {0};
    r.diag = diag;
    r.o = opts;
    r.file = opts->file_name ? opts->file_name : "<memory>";
    if (!xml)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1, "no XML given");
    if (opts->max_xml_bytes && len > opts->max_xml_bytes)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1,
                              "%s: XML of %zu bytes exceeds the limit of %zu bytes", r.file, len,
                              opts->max_xml_bytes);
    if (len > INT32_MAX)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1, "%s: XML too large", r.file);
    objr__adm_model *m = NULL;
    objr_status st = objr__adm_model_create(opts->max_elements, opts->max_blocks, &m);
    if (st != OBJR_OK)
        return objr__diag_set(diag, st, "", 0, (size_t)-1, "out of memory");
    r.m = m;
    if (opts->base_dir && !(m->base_dir = objr__adm_strdup(m, opts->base_dir))) {
        objr__adm_model_destroy(m);
        return OBJR_ERR_NOMEM;
    }
    if (len >= objr__adm_spill_threshold())
        (void)objr__adm_spill_open(m, len); /* without a temporary file: blocks in memory */
    size_t start = 0;
    st = prolog(&r, xml, len, &start);
    r.text = xml;
    r.text_start = start;
    if (st == OBJR_OK)
        st = scan_tags(&r, xml + start, len - start);
    if (opts->text_map && opts->text_map->data == xml)
        objr__filemap_release(opts->text_map, len); /* scanned: read again as parsed */
    r.text_released = 0;
    if (st == OBJR_OK)
        st = stream_document(&r, xml, len, start, trailing_at);
    if (st == OBJR_OK)
        st = infer_types(&r);
    if (st == OBJR_OK) {
        objr_diag local;
        objr_diag_clear(&local);
        st = objr__adm_model_resolve(m, &local);
        if (st != OBJR_OK)
            objr__diag_set(diag, st, local.element_id, local.line, (size_t)-1, "%s:%ld: %s", r.file,
                           local.line, local.message[0] ? local.message : objr_strerror(st));
        else
            apply_transport(&r);
    }
    if (m->spill)
        objr__adm_release_blocks();
    if (st != OBJR_OK) {
        objr__adm_model_destroy(m);
        return st;
    }
    *out = m;
    return OBJR_OK;
}
