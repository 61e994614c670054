/* SPDX-License-Identifier: BSD-3-Clause */
/* The ADM scene model (ITU-R BS.2076-2 §5): arena ownership, the ID index, problems, queries
 * on resolved references, layout recognition and the deep compare. Reference resolution (with
 * the BS.2094 common definitions) and the chna merge are in formats/adm_resolve.c, above
 * this file and formats/adm_commondefs.c. */
#include "formats/adm_model.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Arena                                                                                     */

#define ARENA_CHUNK_BYTES 65536u
#define ARENA_ALIGN 16u
#define MAX_PROBLEMS 10000u

struct objr__adm_arena_chunk {
    struct objr__adm_arena_chunk *next;
    size_t used, size;
    /* data follows, aligned */
};

#define CHUNK_HEADER                                                                               \
    ((sizeof(struct objr__adm_arena_chunk) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

struct objr__adm_index_slot {
    const char *id; /* NULL = empty */
    uint64_t hash;
    int32_t idx;
    uint8_t kind;
};

void *objr__adm_alloc(objr__adm_model *m, size_t n, size_t size) {
    size_t bytes;
    if (!objr__mul_size(n, size, &bytes) || bytes > SIZE_MAX - 2 * ARENA_ALIGN - CHUNK_HEADER)
        return NULL;
    bytes = (bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (bytes == 0)
        bytes = ARENA_ALIGN;
    struct objr__adm_arena_chunk *c = m->arena;
    if (!c || c->size - c->used < bytes) {
        size_t sz = bytes > ARENA_CHUNK_BYTES / 4 ? bytes : ARENA_CHUNK_BYTES;
        struct objr__adm_arena_chunk *nc = objr__malloc(CHUNK_HEADER + sz);
        if (!nc)
            return NULL;
        nc->used = 0;
        nc->size = sz;
        if (c && sz != ARENA_CHUNK_BYTES) {
            /* a big one-off allocation: keep the current chunk as the bump target */
            nc->next = c->next;
            c->next = nc;
            nc->used = sz;
            void *p = (char *)nc + CHUNK_HEADER;
            memset(p, 0, bytes);
            return p;
        }
        nc->next = c;
        m->arena = c = nc;
    }
    void *p = (char *)c + CHUNK_HEADER + c->used;
    c->used += bytes;
    memset(p, 0, bytes);
    return p;
}

char *objr__adm_strndup(objr__adm_model *m, const char *s, size_t n) {
    if (!s)
        return NULL;
    char *d = objr__adm_alloc(m, n + 1, 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *objr__adm_strdup(objr__adm_model *m, const char *s) {
    return s ? objr__adm_strndup(m, s, strlen(s)) : NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Create / destroy / add                                                                    */

objr_status objr__adm_model_create(size_t max_elements, size_t max_blocks, objr__adm_model **out) {
    *out = NULL;
    objr__adm_model *m = objr__calloc(1, sizeof *m);
    if (!m)
        return OBJR_ERR_NOMEM;
    m->limit_elements = max_elements;
    m->limit_blocks = max_blocks;
    *out = m;
    return OBJR_OK;
}

void objr__adm_model_destroy(objr__adm_model *m) {
    if (!m)
        return;
    for (size_t k = 0; k < OBJR__KIND_COUNT; k++) {
        void **arr = k == OBJR__KIND_PROGRAMME ? (void **)&m->programmes
                     : k == OBJR__KIND_CONTENT ? (void **)&m->contents
                     : k == OBJR__KIND_OBJECT  ? (void **)&m->objects
                     : k == OBJR__KIND_PACK    ? (void **)&m->packs
                     : k == OBJR__KIND_CHANNEL ? (void **)&m->channels
                     : k == OBJR__KIND_STREAM  ? (void **)&m->streams
                     : k == OBJR__KIND_TRACK   ? (void **)&m->tracks
                                               : (void **)&m->uids;
        objr__freep(arr);
    }
    objr__freep(&m->problems);
    objr__diaglog_free(&m->log);
    objr__freep(&m->index);
    struct objr__adm_arena_chunk *c = m->arena;
    while (c) {
        struct objr__adm_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    free(m);
}

static size_t elem_size(objr__adm_kind k) {
    switch (k) {
    case OBJR__KIND_PROGRAMME:
        return sizeof(objr__adm_programme);
    case OBJR__KIND_CONTENT:
        return sizeof(objr__adm_content);
    case OBJR__KIND_OBJECT:
        return sizeof(objr__adm_object);
    case OBJR__KIND_PACK:
        return sizeof(objr__adm_pack);
    case OBJR__KIND_CHANNEL:
        return sizeof(objr__adm_channel);
    case OBJR__KIND_STREAM:
        return sizeof(objr__adm_stream);
    case OBJR__KIND_TRACK:
        return sizeof(objr__adm_track);
    default:
        return sizeof(objr__adm_uid);
    }
}

static void **kind_array(objr__adm_model *m, objr__adm_kind k, size_t **count) {
    switch (k) {
    case OBJR__KIND_PROGRAMME:
        *count = &m->n_programmes;
        return (void **)&m->programmes;
    case OBJR__KIND_CONTENT:
        *count = &m->n_contents;
        return (void **)&m->contents;
    case OBJR__KIND_OBJECT:
        *count = &m->n_objects;
        return (void **)&m->objects;
    case OBJR__KIND_PACK:
        *count = &m->n_packs;
        return (void **)&m->packs;
    case OBJR__KIND_CHANNEL:
        *count = &m->n_channels;
        return (void **)&m->channels;
    case OBJR__KIND_STREAM:
        *count = &m->n_streams;
        return (void **)&m->streams;
    case OBJR__KIND_TRACK:
        *count = &m->n_tracks;
        return (void **)&m->tracks;
    default:
        *count = &m->n_uids;
        return (void **)&m->uids;
    }
}

static size_t total_elements(const objr__adm_model *m) {
    return m->n_programmes + m->n_contents + m->n_objects + m->n_packs + m->n_channels +
           m->n_streams + m->n_tracks + m->n_uids;
}

int32_t objr__adm_add(objr__adm_model *m, objr__adm_kind kind, objr_status *st) {
    size_t *count;
    void **arr = kind_array(m, kind, &count);
    if ((m->limit_elements && total_elements(m) >= m->limit_elements) || *count >= INT32_MAX) {
        *st = OBJR_ERR_LIMIT;
        return -1;
    }
    size_t es = elem_size(kind);
    if (*count == m->cap[kind]) {
        size_t nc = m->cap[kind] ? m->cap[kind] * 2 : 8;
        void *na = objr__realloc_array(*arr, nc, es);
        if (!na) {
            *st = OBJR_ERR_NOMEM;
            return -1;
        }
        *arr = na;
        m->cap[kind] = nc;
    }
    int32_t idx = (int32_t)*count;
    void *e = (char *)*arr + (size_t)idx * es;
    memset(e, 0, es);
    switch (kind) {
    case OBJR__KIND_CONTENT: {
        objr__adm_content *c = e;
        c->dialogue = OBJR__DIALOGUE_NONE;
        c->content_kind = -1;
        break;
    }
    case OBJR__KIND_OBJECT: {
        objr__adm_object *o = e;
        o->dialogue = -1;
        o->importance = -1;
        o->gain = 1.0;
        break;
    }
    case OBJR__KIND_PACK: {
        objr__adm_pack *p = e;
        p->importance = -1;
        p->input_pack.idx = p->output_pack.idx = -1;
        break;
    }
    case OBJR__KIND_STREAM: {
        objr__adm_stream *s = e;
        s->channel.idx = s->pack.idx = -1;
        break;
    }
    case OBJR__KIND_TRACK:
        ((objr__adm_track *)e)->stream.idx = -1;
        break;
    case OBJR__KIND_UID: {
        objr__adm_uid *u = e;
        u->track.idx = u->channel.idx = u->pack.idx = -1;
        u->resolved_channel = -1;
        break;
    }
    default:
        break;
    }
    (*count)++;
    *st = OBJR_OK;
    return idx;
}

objr_status objr__adm_count_blocks(objr__adm_model *m, size_t n) {
    if (m->limit_blocks && (n > m->limit_blocks || m->n_blocks > m->limit_blocks - n))
        return OBJR_ERR_LIMIT;
    m->n_blocks += n;
    return OBJR_OK;
}

static const void *element_ptr(const objr__adm_model *m, objr__adm_kind kind, int32_t idx) {
    switch (kind) {
    case OBJR__KIND_PROGRAMME:
        return &m->programmes[idx];
    case OBJR__KIND_CONTENT:
        return &m->contents[idx];
    case OBJR__KIND_OBJECT:
        return &m->objects[idx];
    case OBJR__KIND_PACK:
        return &m->packs[idx];
    case OBJR__KIND_CHANNEL:
        return &m->channels[idx];
    case OBJR__KIND_STREAM:
        return &m->streams[idx];
    case OBJR__KIND_TRACK:
        return &m->tracks[idx];
    default:
        return &m->uids[idx];
    }
}

const char *objr__adm_element_id(const objr__adm_model *m, objr__adm_kind kind, int32_t idx) {
    /* every element struct starts with `char *id` */
    return *(char *const *)element_ptr(m, kind, idx);
}

long objr__adm_element_line(const objr__adm_model *m, objr__adm_kind kind, int32_t idx) {
    switch (kind) {
    case OBJR__KIND_PROGRAMME:
        return m->programmes[idx].line;
    case OBJR__KIND_CONTENT:
        return m->contents[idx].line;
    case OBJR__KIND_OBJECT:
        return m->objects[idx].line;
    case OBJR__KIND_PACK:
        return m->packs[idx].line;
    case OBJR__KIND_CHANNEL:
        return m->channels[idx].line;
    case OBJR__KIND_STREAM:
        return m->streams[idx].line;
    case OBJR__KIND_TRACK:
        return m->tracks[idx].line;
    default:
        return m->uids[idx].line;
    }
}

size_t objr__adm_kind_count(const objr__adm_model *m, objr__adm_kind k) {
    size_t *c;
    kind_array((objr__adm_model *)m, k, &c);
    return *c;
}

/* ---------------------------------------------------------------------------------------- */
/* ID index: open addressing keyed by (kind, id)                                             */

int objr__adm_same_id(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static uint64_t hash_id(objr__adm_kind kind, const char *id) {
    uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;
    /* Case-insensitive: IDs are hexadecimal and real files write both cases (the fix pass
     * reports upper-case hex as a fixed deviation). */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= (unsigned char)tolower(*p);
        h *= 1099511628211ull;
    }
    h ^= h >> 29;
    return h;
}

static objr_status index_grow(objr__adm_model *m) {
    size_t nc = m->index_cap ? m->index_cap * 2 : 64;
    struct objr__adm_index_slot *ns = objr__calloc(nc, sizeof *ns);
    if (!ns)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < m->index_cap; i++) {
        struct objr__adm_index_slot *s = &m->index[i];
        if (!s->id)
            continue;
        size_t j = (size_t)s->hash & (nc - 1);
        while (ns[j].id)
            j = (j + 1) & (nc - 1);
        ns[j] = *s;
    }
    objr__freep(&m->index);
    m->index = ns;
    m->index_cap = nc;
    return OBJR_OK;
}

int32_t objr__adm_find(const objr__adm_model *m, objr__adm_kind kind, const char *id) {
    if (!id || !m->index_cap)
        return -1;
    uint64_t h = hash_id(kind, id);
    size_t j = (size_t)h & (m->index_cap - 1);
    while (m->index[j].id) {
        const struct objr__adm_index_slot *s = &m->index[j];
        if (s->hash == h && s->kind == kind && objr__adm_same_id(s->id, id))
            return s->idx;
        j = (j + 1) & (m->index_cap - 1);
    }
    return -1;
}

objr_status objr__adm_index_add(objr__adm_model *m, objr__adm_kind kind, int32_t idx) {
    const char *id = objr__adm_element_id(m, kind, idx);
    if (!id)
        return OBJR_ERR_ADM;
    if (objr__adm_find(m, kind, id) >= 0)
        return OBJR_ERR_DUPLICATE;
    if ((m->index_n + 1) * 2 > m->index_cap) {
        objr_status st = index_grow(m);
        if (st != OBJR_OK)
            return st;
    }
    uint64_t h = hash_id(kind, id);
    size_t j = (size_t)h & (m->index_cap - 1);
    while (m->index[j].id)
        j = (j + 1) & (m->index_cap - 1);
    m->index[j].id = id;
    m->index[j].hash = h;
    m->index[j].idx = idx;
    m->index[j].kind = (uint8_t)kind;
    m->index_n++;
    return OBJR_OK;
}

objr_status objr__adm_index_build(objr__adm_model *m, objr_diag *diag) {
    objr__freep(&m->index);
    m->index_cap = m->index_n = 0;
    size_t total = total_elements(m);
    size_t cap = 64;
    while (cap < total * 2 + 2)
        cap *= 2;
    m->index = objr__calloc(cap, sizeof *m->index);
    if (!m->index)
        return OBJR_ERR_NOMEM;
    m->index_cap = cap;
    for (int k = 0; k < OBJR__KIND_COUNT; k++) {
        size_t n = objr__adm_kind_count(m, (objr__adm_kind)k);
        for (size_t i = 0; i < n; i++) {
            objr_status st = objr__adm_index_add(m, (objr__adm_kind)k, (int32_t)i);
            if (st == OBJR_ERR_DUPLICATE) {
                const char *id = objr__adm_element_id(m, (objr__adm_kind)k, (int32_t)i);
                int32_t first = objr__adm_find(m, (objr__adm_kind)k, id);
                return objr__diag_set(
                    diag, st, id, objr__adm_element_line(m, (objr__adm_kind)k, (int32_t)i),
                    (size_t)-1, "%s ID \"%s\" is defined twice (first at line %ld)",
                    objr__adm_kind_name((objr__adm_kind)k), id,
                    objr__adm_element_line(m, (objr__adm_kind)k, first));
            }
            if (st != OBJR_OK)
                return objr__diag_set(diag, st, "", 0, (size_t)-1, "%s without an ID",
                                      objr__adm_kind_name((objr__adm_kind)k));
        }
    }
    return OBJR_OK;
}

const char *objr__adm_kind_name(objr__adm_kind k) {
    static const char *const names[] = {
        "audioProgramme",     "audioContent",      "audioObject",      "audioPackFormat",
        "audioChannelFormat", "audioStreamFormat", "audioTrackFormat", "audioTrackUID"};
    return names[k];
}

/* ---------------------------------------------------------------------------------------- */
/* Problems                                                                                  */

static void report_v(objr__adm_model *m, const char *kind, int severity, objr_status code,
                     const char *element_id, long line, double value, const char *fmt, va_list ap) {
    va_list aq;
    va_copy(aq, ap);
    objr__diaglog_vadd(&m->log, kind, severity, code, element_id, line, value, fmt, aq);
    va_end(aq);
    if (m->n_problems >= MAX_PROBLEMS) {
        m->n_problems_dropped++;
        return;
    }
    if (m->n_problems == m->cap_problems) {
        size_t nc = m->cap_problems ? m->cap_problems * 2 : 16;
        objr__adm_problem *np = objr__realloc_array(m->problems, nc, sizeof *np);
        if (!np) {
            m->n_problems_dropped++;
            return;
        }
        m->problems = np;
        m->cap_problems = nc;
    }
    objr__adm_problem *p = &m->problems[m->n_problems++];
    p->severity = severity;
    p->kind = kind;
    p->from_validation = m->in_validation;
    p->code = code;
    p->line = line;
    snprintf(p->element_id, sizeof p->element_id, "%s", element_id ? element_id : "");
    vsnprintf(p->message, sizeof p->message, fmt, ap);
}

void objr__adm_report(objr__adm_model *m, const char *kind, int severity, objr_status code,
                      const char *element_id, long line, double value, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    report_v(m, kind, severity, code, element_id, line, value, fmt, ap);
    va_end(ap);
}

void objr__adm_problem_add(objr__adm_model *m, int severity, objr_status code,
                           const char *element_id, long line, const char *fmt, ...) {
    /* Generic kinds: errors keep their own text, so each distinct error is its own kind
     * only through its message; callers that want aggregation use objr__adm_report(). */
    const char *kind = severity == OBJR__SEV_ERROR  ? "error"
                       : severity == OBJR__SEV_NOTE ? "note"
                                                    : "fixed";
    va_list ap;
    va_start(ap, fmt);
    report_v(m, kind, severity, code, element_id, line, -1.0, fmt, ap);
    va_end(ap);
}

int32_t objr__adm_uid_channel(const objr__adm_model *m, int32_t uid) {
    return uid >= 0 && (size_t)uid < m->n_uids ? m->uids[uid].resolved_channel : -1;
}

int32_t objr__adm_uid_pack(const objr__adm_model *m, int32_t uid) {
    if (uid < 0 || (size_t)uid >= m->n_uids)
        return -1;
    const objr__adm_uid *u = &m->uids[uid];
    if (u->pack.idx >= 0)
        return u->pack.idx;
    if (u->track.idx >= 0) {
        int32_t s = m->tracks[u->track.idx].stream.idx;
        if (s >= 0)
            return m->streams[s].pack.idx;
    }
    return -1;
}

int objr__adm_object_type(const objr__adm_model *m, int32_t obj) {
    const objr__adm_object *o = &m->objects[obj];
    for (size_t i = 0; i < o->packs.n; i++)
        if (o->packs.items[i].idx >= 0)
            return m->packs[o->packs.items[i].idx].type;
    return OBJR__TYPE_UNKNOWN;
}

/* ---------------------------------------------------------------------------------------- */
/* Layout recognition from speaker labels                                                    */

void objr__adm_label_normalise(const char *label, char *out, size_t size) {
    static const char *const urn = "urn:itu:bs:2051:";
    static const struct {
        const char *from, *to;
    } alias[] = {
        {"LFE", "LFE1"},     {"LFEL", "LFE1"},    {"LFE2", "LFE2"},    {"LFER", "LFE2"},
        {"LFE+045", "LFE1"}, {"LFE-045", "LFE2"}, {"RC_L", "M+030"},   {"RC_R", "M-030"},
        {"RC_C", "M+000"},   {"RC_LFE", "LFE1"},  {"RC_Ls", "M+110"},  {"RC_Rs", "M-110"},
        {"RC_Lss", "M+090"}, {"RC_Rss", "M-090"}, {"RC_Lrs", "M+135"}, {"RC_Rrs", "M-135"},
        {"RC_Lts", "U+090"}, {"RC_Rts", "U-090"}, {"RC_Ltf", "U+045"}, {"RC_Rtf", "U-045"},
        {"RC_Ltr", "U+135"}, {"RC_Rtr", "U-135"}, {"RC_Ltm", "U+090"}, {"RC_Rtm", "U-090"},
        {"RC_Lw", "M+060"},  {"RC_Rw", "M-060"},
    };
    if (size == 0)
        return;
    out[0] = '\0';
    if (!label)
        return;
    if (strncmp(label, urn, strlen(urn)) == 0) {
        const char *p = strstr(label + strlen(urn), ":speaker:");
        if (p)
            label = p + strlen(":speaker:");
    }
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(label, alias[i].from) == 0) {
            snprintf(out, size, "%s", alias[i].to);
            return;
        }
    /* short forms "M+30" -> "M+030" */
    size_t pl = 0;
    while (label[pl] == 'M' || label[pl] == 'U' || label[pl] == 'T' || label[pl] == 'B' ||
           label[pl] == 'H')
        pl++;
    if (pl >= 1 && pl <= 2 && (label[pl] == '+' || label[pl] == '-')) {
        const char *d = label + pl + 1;
        size_t nd = 0;
        while (d[nd] >= '0' && d[nd] <= '9')
            nd++;
        if (nd >= 1 && nd < 3 && (d[nd] == '\0' || d[nd] == '_')) {
            snprintf(out, size, "%.*s%c%0*d%s", (int)pl, label, label[pl], 3, atoi(d), d + nd);
            return;
        }
    }
    snprintf(out, size, "%s", label);
}

/* BS.2127 treats a DirectSpeakers channel as LFE by label or by a low-pass cut-off at or
 * below this frequency. */
#define LFE_MAX_LOW_PASS_HZ 200.0

int objr__adm_channel_is_lfe(const objr__adm_model *m, int32_t ch) {
    if (ch < 0 || (size_t)ch >= m->n_channels)
        return 0;
    const objr__adm_channel *c = &m->channels[ch];
    if (c->type != OBJR__TYPE_DIRECT_SPEAKERS)
        return 0;
    if (c->has_low_pass && c->low_pass_hz <= LFE_MAX_LOW_PASS_HZ)
        return 1;
    for (size_t b = 0; b < c->n_blocks; b++)
        for (size_t i = 0; i < c->direct_speakers[b].n_speaker_labels; i++) {
            char l[32];
            objr__adm_label_normalise(c->direct_speakers[b].speaker_labels[i], l, sizeof l);
            if (strcmp(l, "LFE1") == 0 || strcmp(l, "LFE2") == 0)
                return 1;
        }
    return 0;
}

int objr__adm_hoa_normalization(const objr__adm_model *m, int32_t pack, int32_t ch, size_t blk) {
    if (ch >= 0 && (size_t)ch < m->n_channels && m->channels[ch].type == OBJR__TYPE_HOA &&
        blk < m->channels[ch].n_blocks && m->channels[ch].hoa[blk].has_normalization)
        return m->channels[ch].hoa[blk].normalization;
    if (pack >= 0 && (size_t)pack < m->n_packs && m->packs[pack].has_normalization)
        return m->packs[pack].normalization;
    return OBJR__HOA_SN3D;
}

typedef struct layout_def {
    const char *name;
    const char *labels; /* space separated, normalised */
} layout_def;

static const layout_def layout_defs[] = {
    {"mono", "M+000"},
    {"0+2+0", "M+030 M-030"},
    {"3.0", "M+030 M-030 M+000"},
    {"4.0", "M+030 M-030 M+000 M+180"},
    {"5.0", "M+030 M-030 M+000 M+110 M-110"},
    {"0+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110"},
    {"6.1", "M+030 M-030 M+000 LFE1 M+110 M-110 M+180"},
    {"7.1front", "M+030 M-030 M+000 LFE1 M+110 M-110 M+045 M-045"},
    {"7.0", "M+030 M-030 M+000 M+090 M-090 M+135 M-135"},
    {"0+7+0", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135"},
    {"2+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030"},
    {"5.1+SC", "M+030 M-030 M+000 LFE1 M+110 M-110 M+SC M-SC"},
    {"5.1.2", "M+030 M-030 M+000 LFE1 M+110 M-110 U+090 U-090"},
    {"5.1.2+SC", "M+030 M-030 M+000 LFE1 M+110 M-110 U+090 U-090 M+SC M-SC"},
    {"7.0.2", "M+030 M-030 M+000 M+090 M-090 M+135 M-135 U+090 U-090"},
    {"7.1.2", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+090 U-090"},
    {"5.0.4", "M+030 M-030 M+000 M+110 M-110 U+030 U-030 U+110 U-110"},
    {"4+5+0", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110"},
    {"4+5+1", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110 B+000"},
    {"3+7+0", "M+000 M+030 M-030 U+045 U-045 M+090 M-090 M+135 M-135 UH+180 LFE1 LFE2"},
    {"5.1.4+SC", "M+030 M-030 M+000 LFE1 M+110 M-110 U+030 U-030 U+110 U-110 M+SC M-SC"},
    {"7.0.4", "M+030 M-030 M+000 M+090 M-090 M+135 M-135 U+045 U-045 U+135 U-135"},
    {"4+7+0", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+045 U-045 U+135 U-135"},
    {"4+9+0", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 U+045 U-045 U+135 U-135 M+SC M-SC"},
    {"9.1.4", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 M+060 M-060 U+045 U-045 U+135 U-135"},
    {"9.1.6", "M+030 M-030 M+000 LFE1 M+090 M-090 M+135 M-135 M+060 M-060 U+045 U-045 U+090 "
              "U-090 U+135 U-135"},
    {"9+10+3", "M+060 M-060 M+000 LFE1 M+135 M-135 M+030 M-030 M+180 LFE2 M+090 M-090 U+045 "
               "U-045 U+000 T+000 U+135 U-135 U+090 U-090 U+180 B+000 B+045 B-045"},
    {"Auro-3D 9+9+0", "M+030 M-030 M+000 LFE1 M+110 M-110 M+090 M-090 M+135_Diff M-135_Diff "
                      "U+030 U-030 U+000 U+110 U-110 U+090 U-090 U+135 U-135"},
};

#define MAX_LAYOUT_CH 32
#define LABEL_LEN 24

static int cmp_label(const void *a, const void *b) {
    return strcmp((const char *)a, (const char *)b);
}

static size_t label_set(const char *text, char (*out)[LABEL_LEN]) {
    size_t n = 0;
    const char *p = text;
    while (*p && n < MAX_LAYOUT_CH) {
        size_t l = strcspn(p, " ");
        snprintf(out[n++], LABEL_LEN, "%.*s", (int)l, p);
        p += l;
        while (*p == ' ')
            p++;
    }
    qsort(out, n, LABEL_LEN, cmp_label);
    return n;
}

const char *objr__adm_pack_layout_name(const objr__adm_model *m, int32_t pack) {
    if (pack < 0 || (size_t)pack >= m->n_packs)
        return NULL;
    const objr__adm_pack *p = &m->packs[pack];
    if (p->type != OBJR__TYPE_DIRECT_SPEAKERS || p->n_flat_channels == 0 ||
        p->n_flat_channels > MAX_LAYOUT_CH)
        return NULL;
    char have[MAX_LAYOUT_CH][LABEL_LEN];
    size_t n = 0;
    for (size_t i = 0; i < p->n_flat_channels; i++) {
        const objr__adm_channel *c = &m->channels[p->flat_channels[i]];
        if (c->type != OBJR__TYPE_DIRECT_SPEAKERS || c->n_blocks == 0 ||
            c->direct_speakers[0].n_speaker_labels == 0)
            return NULL;
        objr__adm_label_normalise(c->direct_speakers[0].speaker_labels[0], have[n], LABEL_LEN);
        n++;
    }
    qsort(have, n, LABEL_LEN, cmp_label);
    for (size_t i = 0; i < sizeof layout_defs / sizeof layout_defs[0]; i++) {
        char want[MAX_LAYOUT_CH][LABEL_LEN];
        size_t nw = label_set(layout_defs[i].labels, want);
        if (nw != n)
            continue;
        size_t j = 0;
        while (j < n && strcmp(want[j], have[j]) == 0)
            j++;
        if (j == n)
            return layout_defs[i].name;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Deep comparison (round-trip tests)                                                        */

typedef struct cmp_ctx {
    char *why;
    size_t n;
    int ok;
} cmp_ctx;

static int differ(cmp_ctx *c, const char *what, const char *id) {
    if (c->ok && c->why && c->n)
        snprintf(c->why, c->n, "%s differs (element %s)", what, id ? id : "?");
    c->ok = 0;
    return 0;
}

static int str_eq(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

#define CMP(cond, what)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            return differ(c, what, id);                                                            \
    } while (0)
#define CMP_F(f) CMP(x->f == y->f, #f)
#define CMP_S(f) CMP(str_eq(x->f, y->f), #f)
#define CMP_T(f)                                                                                   \
    CMP(x->f.num == y->f.num && x->f.den == y->f.den && x->f.form == y->f.form &&                  \
            x->f.n_digits == y->f.n_digits,                                                        \
        #f)

static int refs_eq(const objr__adm_refs *a, const objr__adm_refs *b) {
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!str_eq(a->items[i].id, b->items[i].id) || a->items[i].idx != b->items[i].idx)
            return 0;
    return 1;
}

static int ref_eq(const objr__adm_ref *a, const objr__adm_ref *b) {
    return str_eq(a->id, b->id) && a->idx == b->idx;
}

static int labels_eq(const objr__adm_labels *a, const objr__adm_labels *b) {
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (!str_eq(a->items[i].text, b->items[i].text) ||
            !str_eq(a->items[i].language, b->items[i].language))
            return 0;
    return 1;
}

static int loud_eq(const objr__adm_loudness_list *a, const objr__adm_loudness_list *b) {
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const objr__adm_loudness *x = &a->items[i], *y = &b->items[i];
        if (!str_eq(x->method, y->method) || !str_eq(x->rec_type, y->rec_type) ||
            !str_eq(x->correction_type, y->correction_type) || x->present != y->present ||
            x->integrated_lufs != y->integrated_lufs || x->range_lu != y->range_lu ||
            x->max_true_peak_dbtp != y->max_true_peak_dbtp ||
            x->max_momentary_lufs != y->max_momentary_lufs ||
            x->max_short_term_lufs != y->max_short_term_lufs ||
            x->dialogue_lufs != y->dialogue_lufs)
            return 0;
    }
    return 1;
}

static int common_eq(cmp_ctx *c, const objr__adm_block_common *x, const objr__adm_block_common *y) {
    const char *id = x->id;
    CMP(strcmp(x->id, y->id) == 0, "audioBlockFormatID");
    CMP_F(has_rtime);
    CMP_F(has_duration);
    if (x->has_rtime)
        CMP_T(rtime);
    if (x->has_duration)
        CMP_T(duration);
    CMP_F(gain);
    CMP_F(gain_was_db);
    CMP_F(gain_db);
    CMP_F(has_gain);
    CMP_F(importance);
    CMP_F(has_importance);
    CMP_F(head_locked);
    CMP_F(has_head_locked);
    CMP(memcmp(&x->headphone_virtualise, &y->headphone_virtualise,
               sizeof x->headphone_virtualise) == 0,
        "headphoneVirtualise");
    return 1;
}

static int block_eq(cmp_ctx *c, int type, const objr__adm_channel *a, const objr__adm_channel *b,
                    size_t i) {
    switch (type) {
    case OBJR__TYPE_OBJECTS: {
        const objr__adm_block_objects *x = &a->objects[i], *y = &b->objects[i];
        const char *id = x->c.id;
        if (!common_eq(c, &x->c, &y->c))
            return 0;
        CMP(memcmp(&x->pos, &y->pos, sizeof x->pos) == 0, "position");
        CMP_F(width);
        CMP_F(height);
        CMP_F(depth);
        CMP_F(diffuse);
        CMP_F(channel_lock);
        CMP_F(channel_lock_max_distance);
        CMP_F(has_channel_lock_max_distance);
        CMP_F(has_divergence);
        CMP_F(divergence);
        CMP_F(divergence_azimuth_range_deg);
        CMP_F(divergence_position_range);
        CMP_F(has_divergence_azimuth_range);
        CMP_F(has_divergence_position_range);
        CMP_F(present);
        CMP_F(jump_position);
        CMP_F(interpolation_length_s);
        CMP_F(has_interpolation_length);
        CMP_F(screen_ref);
        CMP_F(n_zones);
        for (size_t z = 0; z < x->n_zones; z++) {
            const objr__adm_zone *p = &x->zones[z], *q = &y->zones[z];
            CMP(p->cartesian == q->cartesian && p->min_x == q->min_x && p->max_x == q->max_x &&
                    p->min_y == q->min_y && p->max_y == q->max_y && p->min_z == q->min_z &&
                    p->max_z == q->max_z && p->min_elevation_deg == q->min_elevation_deg &&
                    p->max_elevation_deg == q->max_elevation_deg &&
                    p->min_azimuth_deg == q->min_azimuth_deg &&
                    p->max_azimuth_deg == q->max_azimuth_deg && str_eq(p->label, q->label),
                "zone");
        }
        return 1;
    }
    case OBJR__TYPE_DIRECT_SPEAKERS: {
        const objr__adm_block_direct_speakers *x = &a->direct_speakers[i],
                                              *y = &b->direct_speakers[i];
        const char *id = x->c.id;
        if (!common_eq(c, &x->c, &y->c))
            return 0;
        CMP_F(cartesian);
        CMP_F(has_distance);
        CMP_F(has_cartesian_flag);
        CMP(memcmp(x->coord, y->coord, sizeof x->coord) == 0, "position");
        CMP_F(n_speaker_labels);
        for (size_t k = 0; k < x->n_speaker_labels; k++)
            CMP(str_eq(x->speaker_labels[k], y->speaker_labels[k]), "speakerLabel");
        return 1;
    }
    case OBJR__TYPE_HOA: {
        const objr__adm_block_hoa *x = &a->hoa[i], *y = &b->hoa[i];
        const char *id = x->c.id;
        if (!common_eq(c, &x->c, &y->c))
            return 0;
        CMP_F(order);
        CMP_F(degree);
        CMP_F(has_order_degree);
        CMP_F(normalization);
        CMP_F(has_normalization);
        CMP_F(nfc_ref_dist_m);
        CMP_F(has_nfc_ref_dist);
        CMP_F(screen_ref);
        CMP_F(has_screen_ref);
        CMP_S(equation);
        return 1;
    }
    case OBJR__TYPE_MATRIX: {
        const objr__adm_block_matrix *x = &a->matrix[i], *y = &b->matrix[i];
        const char *id = x->c.id;
        if (!common_eq(c, &x->c, &y->c))
            return 0;
        CMP(strcmp(x->output_channel_id, y->output_channel_id) == 0, "outputChannel");
        CMP_F(output_channel);
        CMP_F(n_coefs);
        for (size_t k = 0; k < x->n_coefs; k++) {
            const objr__adm_matrix_coef *p = &x->coefs[k], *q = &y->coefs[k];
            CMP(strcmp(p->input_channel_id, q->input_channel_id) == 0 &&
                    p->input_channel == q->input_channel && p->gain == q->gain &&
                    p->phase_deg == q->phase_deg && p->delay_ms == q->delay_ms &&
                    str_eq(p->gain_var, q->gain_var) && str_eq(p->phase_var, q->phase_var) &&
                    str_eq(p->delay_var, q->delay_var),
                "coefficient");
        }
        return 1;
    }
    default:
        return common_eq(c, &a->binaural[i].c, &b->binaural[i].c);
    }
}

static int model_eq(cmp_ctx *c, const objr__adm_model *a, const objr__adm_model *b) {
    const char *id = "model";
    CMP(a->n_programmes == b->n_programmes && a->n_contents == b->n_contents &&
            a->n_objects == b->n_objects && a->n_packs == b->n_packs &&
            a->n_channels == b->n_channels && a->n_streams == b->n_streams &&
            a->n_tracks == b->n_tracks && a->n_uids == b->n_uids,
        "element counts");
    CMP(str_eq(a->version, b->version), "version");
    for (size_t i = 0; i < a->n_programmes; i++) {
        const objr__adm_programme *x = &a->programmes[i], *y = &b->programmes[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_S(language);
        CMP_F(has_start);
        CMP_F(has_end);
        if (x->has_start)
            CMP_T(start);
        if (x->has_end)
            CMP_T(end);
        CMP_F(max_ducking_depth_db);
        CMP_F(has_max_ducking_depth);
        CMP(refs_eq(&x->contents, &y->contents), "audioContentIDRef");
        CMP(loud_eq(&x->loudness, &y->loudness), "loudnessMetadata");
        CMP(memcmp(&x->screen, &y->screen, sizeof x->screen) == 0, "referenceScreen");
        CMP(labels_eq(&x->labels, &y->labels), "labels");
    }
    for (size_t i = 0; i < a->n_contents; i++) {
        const objr__adm_content *x = &a->contents[i], *y = &b->contents[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_S(language);
        CMP(refs_eq(&x->objects, &y->objects), "audioObjectIDRef");
        CMP_F(dialogue);
        CMP_F(content_kind);
        CMP(loud_eq(&x->loudness, &y->loudness), "loudnessMetadata");
        CMP(labels_eq(&x->labels, &y->labels), "labels");
    }
    for (size_t i = 0; i < a->n_objects; i++) {
        const objr__adm_object *x = &a->objects[i], *y = &b->objects[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_F(has_start);
        CMP_F(has_duration);
        if (x->has_start)
            CMP_T(start);
        if (x->has_duration)
            CMP_T(duration);
        CMP_F(dialogue);
        CMP_F(importance);
        CMP_F(interact);
        CMP_F(has_interact);
        CMP_F(disable_ducking);
        CMP_F(has_disable_ducking);
        CMP_F(gain);
        CMP_F(has_gain);
        CMP_F(gain_was_db);
        CMP_F(gain_db);
        CMP_F(mute);
        CMP_F(has_mute);
        CMP_F(head_locked);
        CMP_F(has_head_locked);
        CMP_F(has_position_offset);
        CMP_F(position_offset_cartesian);
        CMP(memcmp(x->offset, y->offset, sizeof x->offset) == 0 &&
                memcmp(x->offset_present, y->offset_present, sizeof x->offset_present) == 0,
            "positionOffset");
        CMP(refs_eq(&x->packs, &y->packs), "audioPackFormatIDRef");
        CMP(refs_eq(&x->objects, &y->objects), "audioObjectIDRef");
        CMP(refs_eq(&x->track_uids, &y->track_uids), "audioTrackUIDRef");
        CMP(refs_eq(&x->complementary, &y->complementary), "audioComplementaryObjectIDRef");
        CMP(labels_eq(&x->labels, &y->labels), "labels");
        CMP(labels_eq(&x->complementary_group_labels, &y->complementary_group_labels),
            "complementary group labels");
        const objr__adm_interaction *p = &x->interaction, *q = &y->interaction;
        CMP(p->present == q->present && p->on_off_interact == q->on_off_interact &&
                p->gain_interact == q->gain_interact &&
                p->position_interact == q->position_interact &&
                p->has_gain_interact == q->has_gain_interact &&
                p->has_position_interact == q->has_position_interact &&
                p->gain_min == q->gain_min && p->gain_max == q->gain_max &&
                p->has_gain_min == q->has_gain_min && p->has_gain_max == q->has_gain_max &&
                p->n_position_ranges == q->n_position_ranges,
            "audioObjectInteraction");
        for (size_t k = 0; k < p->n_position_ranges; k++)
            CMP(memcmp(&p->position_ranges[k], &q->position_ranges[k],
                       sizeof p->position_ranges[k]) == 0,
                "positionInteractionRange");
    }
    for (size_t i = 0; i < a->n_packs; i++) {
        const objr__adm_pack *x = &a->packs[i], *y = &b->packs[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_F(type);
        CMP_F(has_type_label);
        CMP_F(has_type_definition);
        CMP(refs_eq(&x->channels, &y->channels), "audioChannelFormatIDRef");
        CMP(refs_eq(&x->packs, &y->packs), "audioPackFormatIDRef");
        CMP_F(importance);
        CMP_F(absolute_distance_m);
        CMP_F(has_absolute_distance);
        CMP_F(normalization);
        CMP_F(has_normalization);
        CMP_F(nfc_ref_dist_m);
        CMP_F(has_nfc_ref_dist);
        CMP_F(screen_ref);
        CMP_F(has_screen_ref);
        CMP(refs_eq(&x->encode_packs, &y->encode_packs), "encodePackFormatIDRef");
        CMP(refs_eq(&x->decode_packs, &y->decode_packs), "decodePackFormatIDRef");
        CMP(ref_eq(&x->input_pack, &y->input_pack), "inputPackFormatIDRef");
        CMP(ref_eq(&x->output_pack, &y->output_pack), "outputPackFormatIDRef");
        CMP_F(is_common);
        CMP_F(n_flat_channels);
        CMP(x->n_flat_channels == 0 || memcmp(x->flat_channels, y->flat_channels,
                                              x->n_flat_channels * sizeof *x->flat_channels) == 0,
            "flattened channels");
    }
    for (size_t i = 0; i < a->n_channels; i++) {
        const objr__adm_channel *x = &a->channels[i], *y = &b->channels[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_F(type);
        CMP_F(has_type_label);
        CMP_F(has_type_definition);
        CMP_F(low_pass_hz);
        CMP_F(high_pass_hz);
        CMP_F(has_low_pass);
        CMP_F(has_high_pass);
        CMP_F(n_blocks);
        CMP_F(is_common);
        for (size_t k = 0; k < x->n_blocks; k++)
            if (!block_eq(c, x->type, x, y, k))
                return 0;
    }
    for (size_t i = 0; i < a->n_streams; i++) {
        const objr__adm_stream *x = &a->streams[i], *y = &b->streams[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_S(format_label);
        CMP_S(format_definition);
        CMP(ref_eq(&x->channel, &y->channel), "audioChannelFormatIDRef");
        CMP(ref_eq(&x->pack, &y->pack), "audioPackFormatIDRef");
        CMP(refs_eq(&x->tracks, &y->tracks), "audioTrackFormatIDRef");
        CMP_F(is_common);
    }
    for (size_t i = 0; i < a->n_tracks; i++) {
        const objr__adm_track *x = &a->tracks[i], *y = &b->tracks[i];
        id = x->id;
        CMP_S(id);
        CMP_S(name);
        CMP_S(format_label);
        CMP_S(format_definition);
        CMP(ref_eq(&x->stream, &y->stream), "audioStreamFormatIDRef");
        CMP_F(is_common);
    }
    for (size_t i = 0; i < a->n_uids; i++) {
        const objr__adm_uid *x = &a->uids[i], *y = &b->uids[i];
        id = x->id;
        CMP_S(id);
        CMP_F(sample_rate_hz);
        CMP_F(bit_depth);
        CMP(ref_eq(&x->track, &y->track), "audioTrackFormatIDRef");
        CMP(ref_eq(&x->channel, &y->channel), "audioChannelFormatIDRef");
        CMP(ref_eq(&x->pack, &y->pack), "audioPackFormatIDRef");
        CMP_S(stem_file);
        CMP_F(stem_channel);
        CMP_F(resolved_channel);
    }
    return 1;
}

int objr__adm_model_equal(const objr__adm_model *a, const objr__adm_model *b, char *why,
                          size_t why_size) {
    cmp_ctx c = {why, why_size, 1};
    if (why && why_size)
        why[0] = '\0';
    return model_eq(&c, a, b) && c.ok;
}
