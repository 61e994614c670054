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

void *objr__adm_grow(objr__adm_model *m, void *p, size_t n_old, size_t n_new, size_t size) {
    size_t old_bytes, new_bytes;
    if (!objr__mul_size(n_new, size, &new_bytes) || !objr__mul_size(n_old, size, &old_bytes) ||
        new_bytes > SIZE_MAX - 2 * ARENA_ALIGN - CHUNK_HEADER || n_new < n_old)
        return NULL;
    old_bytes = (old_bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    new_bytes = (new_bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    /* a chunk that holds @p p alone (a big one-off allocation) is resized in place: realloc
     * of a large block remaps its pages, so growing never holds two copies */
    struct objr__adm_arena_chunk **link = &m->arena;
    for (; p && *link; link = &(*link)->next) {
        struct objr__adm_arena_chunk *c = *link;
        if ((char *)c + CHUNK_HEADER != (char *)p)
            continue;
        if (c->used != old_bytes || c->size != old_bytes || new_bytes <= ARENA_CHUNK_BYTES)
            break;
        struct objr__adm_arena_chunk *nc = objr__realloc_array(c, CHUNK_HEADER + new_bytes, 1);
        if (!nc)
            return NULL;
        memset((char *)nc + CHUNK_HEADER + old_bytes, 0, new_bytes - old_bytes);
        nc->used = nc->size = new_bytes;
        *link = nc;
        return (char *)nc + CHUNK_HEADER;
    }
    void *q = objr__adm_alloc(m, n_new, size);
    if (q && p && n_old)
        memcpy(q, p, n_old * size);
    return q;
}

/* A channel's block array pointer and element size, by type. */
static void **block_array(objr__adm_channel *c, size_t *size) {
    switch (c->type) {
    case OBJR__TYPE_OBJECTS:
        *size = sizeof *c->objects;
        return (void **)&c->objects;
    case OBJR__TYPE_DIRECT_SPEAKERS:
        *size = sizeof *c->direct_speakers;
        return (void **)&c->direct_speakers;
    case OBJR__TYPE_HOA:
        *size = sizeof *c->hoa;
        return (void **)&c->hoa;
    case OBJR__TYPE_MATRIX:
        *size = sizeof *c->matrix;
        return (void **)&c->matrix;
    default:
        *size = sizeof *c->binaural;
        return (void **)&c->binaural;
    }
}

/* An arena chunk and its place in the list, sorted by address for objr__adm_trim_blocks. */
struct chunk_ref {
    struct objr__adm_arena_chunk *c;
    size_t pos;
};

static int chunk_ref_cmp(const void *a, const void *b) {
    const uintptr_t x = (uintptr_t)((const struct chunk_ref *)a)->c;
    const uintptr_t y = (uintptr_t)((const struct chunk_ref *)b)->c;
    return x < y ? -1 : x > y;
}

/* Shrink the chunk holding channel @p ch's blocks alone to their size; list[] gets the moved
 * chunk. */
static void trim_channel(objr__adm_channel *ch, const struct chunk_ref *refs, size_t n,
                         struct objr__adm_arena_chunk **list) {
    size_t size, bytes;
    void **arr = block_array(ch, &size);
    if (!*arr || !ch->n_blocks || !objr__mul_size(ch->n_blocks, size, &bytes))
        return;
    bytes = (bytes + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct chunk_ref key = {(struct objr__adm_arena_chunk *)(void *)((char *)*arr - CHUNK_HEADER),
                            0};
    const struct chunk_ref *hit = bsearch(&key, refs, n, sizeof *refs, chunk_ref_cmp);
    if (!hit)
        return; /* inside a shared chunk */
    struct objr__adm_arena_chunk *c = hit->c;
    /* only a chunk that holds this array alone (grown in place) and has room to give back */
    if (c->used != c->size || c->size <= bytes || c->size <= ARENA_CHUNK_BYTES)
        return;
    struct objr__adm_arena_chunk *nc = objr__realloc_array(c, CHUNK_HEADER + bytes, 1);
    if (!nc)
        return;
    nc->used = nc->size = bytes;
    list[hit->pos] = nc;
    *arr = (char *)nc + CHUNK_HEADER;
}

void objr__adm_trim_blocks(objr__adm_model *m) {
    size_t n = 0;
    for (struct objr__adm_arena_chunk *c = m->arena; c; c = c->next)
        n++;
    if (n == 0)
        return;
    struct objr__adm_arena_chunk **list = objr__calloc(n, sizeof *list);
    struct chunk_ref *refs = objr__calloc(n, sizeof *refs);
    if (list && refs) {
        size_t i = 0;
        for (struct objr__adm_arena_chunk *c = m->arena; c; c = c->next, i++) {
            list[i] = c;
            refs[i].c = c;
            refs[i].pos = i;
        }
        qsort(refs, n, sizeof *refs, chunk_ref_cmp);
        for (size_t ci = 0; ci < m->n_channels; ci++)
            trim_channel(&m->channels[ci], refs, n, list);
        /* relink: chunks that moved are in list[], in the old order */
        for (i = 0; i + 1 < n; i++)
            list[i]->next = list[i + 1];
        list[n - 1]->next = NULL;
        m->arena = list[0];
    }
    objr__freep(&list);
    objr__freep(&refs);
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
    objr__adm_spill_close(m);
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
    objr__one_line(p->message);
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
