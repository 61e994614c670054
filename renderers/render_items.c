/* SPDX-License-Identifier: BSD-3-Clause */
/* Render item selection (ITU-R BS.2127-1 §6.1, after EAR select_items): programme ->
 * contents -> objects (nested objects as a DAG; gains and mute multiply down each path) ->
 * the track UIDs each object lists -> channel format + pack -> audio source. Files without
 * programmes use their contents, files without contents their top-level objects, and files
 * without objects the chna/track links of every track UID. Importance filtering by object and
 * pack importance (§6.2). */
#include "renderers/render_items.h"

#include <string.h>

/* Nesting deeper than this is refused rather than recursed into (the model rejects cycles;
 * this bounds the stack on pathological but acyclic files). */
#define MAX_NESTING 64

typedef struct sel {
    const objr__adm_model *m;
    /* objects left out by complementary-object selection (BS.2076-2 §5.3.5: by default the
     * root of each group plays and its complementary objects do not), n_objects flags */
    const char *skip;
    const objr__select_options *opt;
    size_t n_file_tracks;
    objr__render_items *out;
    size_t cap_items, cap_sources;
    objr_diag *diag;
} sel;

void objr__render_items_free(objr__render_items *r) {
    if (!r)
        return;
    objr__freep(&r->items);
    objr__freep(&r->sources);
    r->n_items = r->n_sources = 0;
}

static int is_silent_uid(const char *id) {
    return id && strcmp(id, "ATU_00000000") == 0;
}

static objr_status add_source(sel *s, const objr__item_source *src, size_t *idx) {
    objr__render_items *r = s->out;
    for (size_t i = 0; i < r->n_sources; i++) {
        const objr__item_source *o = &r->sources[i];
        if (src->stem_path ? (o->stem_path && strcmp(o->stem_path, src->stem_path) == 0 &&
                              o->stem_channel == src->stem_channel)
                           : (!o->stem_path && o->track_index == src->track_index)) {
            *idx = i;
            return OBJR_OK;
        }
    }
    if (r->n_sources == s->cap_sources) {
        size_t cap = s->cap_sources ? 2 * s->cap_sources : 16;
        objr__item_source *p = objr__realloc_array(r->sources, cap, sizeof *p);
        if (!p)
            return OBJR_ERR_NOMEM;
        r->sources = p;
        s->cap_sources = cap;
    }
    r->sources[r->n_sources] = *src;
    *idx = r->n_sources++;
    return OBJR_OK;
}

static int channel_is_lfe(const objr__adm_channel *ch) {
    /* BS.2127-1 §8: an LFE channel is one whose frequency element has a low-pass at or
     * below 200 Hz, or whose speaker label names an LFE. */
    if (ch->has_low_pass && ch->low_pass_hz <= 200.0 && !ch->has_high_pass)
        return 1;
    if (ch->type == OBJR__TYPE_DIRECT_SPEAKERS && ch->n_blocks > 0 && ch->direct_speakers) {
        const objr__adm_block_direct_speakers *b = &ch->direct_speakers[0];
        for (size_t i = 0; i < b->n_speaker_labels; i++) {
            char norm[64];
            objr__adm_label_normalise(b->speaker_labels[i], norm, sizeof norm);
            if (strncmp(norm, "LFE", 3) == 0)
                return 1;
        }
    }
    return 0;
}

/* The innermost pack under `pk` (itself included) that lists channel `ch` directly; BS.2127's
 * DirectSpeakers mapping rules are keyed by it. Depth-bounded. */
static int32_t innermost_pack(const objr__adm_model *m, int32_t pk, int32_t ch, int depth) {
    if (pk < 0 || depth > MAX_NESTING)
        return -1;
    const objr__adm_pack *p = &m->packs[pk];
    for (size_t i = 0; i < p->channels.n; i++)
        if (p->channels.items[i].idx == ch)
            return pk;
    for (size_t i = 0; i < p->packs.n; i++) {
        int32_t r = innermost_pack(m, p->packs.items[i].idx, ch, depth + 1);
        if (r >= 0)
            return r;
    }
    return -1;
}

/* Is channel `ch` among the flattened channels of pack `p`? */
static int pack_has_channel(const objr__adm_pack *p, int32_t ch) {
    for (size_t i = 0; i < p->n_flat_channels; i++)
        if (p->flat_channels[i] == ch)
            return 1;
    return 0;
}

static objr_status add_item(sel *s, int32_t obj, int32_t uid, double gain, int importance,
                            double start_s, double duration_s, int has_duration) {
    const objr__adm_model *m = s->m;
    const objr__adm_uid *u = &m->uids[uid];
    const objr__adm_object *o = obj >= 0 ? &m->objects[obj] : NULL;
    int32_t ch = objr__adm_uid_channel(m, uid);
    if (ch < 0)
        return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, u->id, u->line, (size_t)-1,
                              "audioTrackUID %s%s%s leads to no audioChannelFormat", u->id,
                              o ? " of audioObject " : "", o ? o->id : "");
    int32_t pk = objr__adm_uid_pack(m, uid);
    if (o && o->packs.n > 0) {
        /* The pack is the object's pack that holds this channel (nested packs flattened). */
        int32_t found = -1;
        for (size_t i = 0; i < o->packs.n && found < 0; i++) {
            int32_t p = o->packs.items[i].idx;
            if (p >= 0 && pack_has_channel(&m->packs[p], ch))
                found = p;
        }
        if (found < 0)
            return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, u->id, u->line, (size_t)-1,
                                  "audioTrackUID %s carries audioChannelFormat %s, which is in "
                                  "none of the packs of audioObject %s",
                                  u->id, m->channels[ch].id, o->id);
        pk = found;
    }
    const objr__adm_channel *c = &m->channels[ch];
    const objr__adm_pack *p = pk >= 0 ? &m->packs[pk] : NULL;
    if (p && p->importance >= 0 && p->importance < importance)
        importance = p->importance;
    if (importance < s->opt->importance_threshold) {
        s->out->n_dropped_importance++;
        return OBJR_OK;
    }
    objr__item_source src = {0, NULL, 0};
    if (u->stem_path || u->stem_file) {
        src.stem_path = u->stem_path ? u->stem_path : u->stem_file;
        src.stem_channel = u->stem_channel ? u->stem_channel : 1;
    } else if (u->track_index > 0) {
        if (s->n_file_tracks && u->track_index > s->n_file_tracks)
            return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, u->id, u->line, (size_t)-1,
                                  "audioTrackUID %s points at track %u but the audio has %zu "
                                  "tracks",
                                  u->id, (unsigned)u->track_index, s->n_file_tracks);
        src.track_index = u->track_index;
    } else {
        return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, u->id, u->line, (size_t)-1,
                              "audioTrackUID %s has no audio: no chna track and no stem file",
                              u->id);
    }
    objr__render_items *r = s->out;
    if (r->n_items == s->cap_items) {
        size_t cap = s->cap_items ? 2 * s->cap_items : 16;
        objr__render_item *np = objr__realloc_array(r->items, cap, sizeof *np);
        if (!np)
            return OBJR_ERR_NOMEM;
        r->items = np;
        s->cap_items = cap;
    }
    objr__render_item *it = &r->items[r->n_items];
    memset(it, 0, sizeof *it);
    it->type = c->type;
    it->n_blocks = c->n_blocks;
    it->obj_blocks = c->objects;
    it->ds_blocks = c->direct_speakers;
    it->hoa_blocks = c->hoa;
    objr_status st = add_source(s, &src, &it->input);
    if (st != OBJR_OK)
        return st;
    it->source = src;
    it->gain = gain;
    it->importance = importance;
    it->start_s = start_s;
    it->duration_s = duration_s;
    it->has_duration = has_duration;
    it->is_lfe = channel_is_lfe(c);
    it->low_pass_hz = c->has_low_pass ? c->low_pass_hz : 0.0;
    it->high_pass_hz = c->has_high_pass ? c->high_pass_hz : 0.0;
    int32_t inner = innermost_pack(m, pk, ch, 0);
    it->inner_pack_id = inner >= 0 ? m->packs[inner].id : (p ? p->id : NULL);
    it->hoa_normalization = p && p->has_normalization ? p->normalization : OBJR__HOA_SN3D;
    it->object = o;
    it->object_id = o ? o->id : NULL;
    it->pack_id = p ? p->id : NULL;
    it->channel_id = c->id;
    it->uid_id = u->id;
    r->n_items++;
    return OBJR_OK;
}

/* One object reached along a path with accumulated gain and importance. */
static objr_status visit_object(sel *s, int32_t obj, double gain, int importance, int depth) {
    const objr__adm_model *m = s->m;
    const objr__adm_object *o = &m->objects[obj];
    if (s->skip && s->skip[obj])
        return OBJR_OK;
    if (depth > MAX_NESTING)
        return objr__diag_set(s->diag, OBJR_ERR_LIMIT, o->id, o->line, (size_t)-1,
                              "audioObject nesting deeper than %d levels", MAX_NESTING);
    gain *= o->gain; /* linear, 1 when absent (the model applies the default) */
    if (o->has_mute && o->mute)
        gain = 0.0;
    if (o->importance >= 0 && o->importance < importance)
        importance = o->importance;
    double start_s = o->has_start ? objr__adm_time_seconds(o->start) : 0.0;
    double dur_s = o->has_duration ? objr__adm_time_seconds(o->duration) : 0.0;
    for (size_t i = 0; i < o->track_uids.n; i++) {
        const objr__adm_ref *ref = &o->track_uids.items[i];
        if (is_silent_uid(ref->id))
            continue;
        if (ref->idx < 0)
            return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, o->id, o->line, (size_t)-1,
                                  "audioObject %s refers to unknown audioTrackUID %s", o->id,
                                  ref->id ? ref->id : "?");
        objr_status st =
            add_item(s, obj, ref->idx, gain, importance, start_s, dur_s, o->has_duration);
        if (st != OBJR_OK)
            return st;
    }
    for (size_t i = 0; i < o->objects.n; i++) {
        int32_t child = o->objects.items[i].idx;
        if (child < 0)
            return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, o->id, o->line, (size_t)-1,
                                  "audioObject %s refers to unknown audioObject %s", o->id,
                                  o->objects.items[i].id ? o->objects.items[i].id : "?");
        objr_status st = visit_object(s, child, gain, importance, depth + 1);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

static objr_status visit_content(sel *s, int32_t ci) {
    const objr__adm_content *c = &s->m->contents[ci];
    for (size_t i = 0; i < c->objects.n; i++) {
        int32_t o = c->objects.items[i].idx;
        if (o < 0)
            return objr__diag_set(s->diag, OBJR_ERR_REFERENCE, c->id, c->line, (size_t)-1,
                                  "audioContent %s refers to unknown audioObject %s", c->id,
                                  c->objects.items[i].id ? c->objects.items[i].id : "?");
        objr_status st = visit_object(s, o, 1.0, 10, 0);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

/* Is object `oi` a sub-object of any object? */
static int is_sub_object(const objr__adm_model *m, size_t oi) {
    for (size_t pj = 0; pj < m->n_objects; pj++)
        for (size_t k = 0; k < m->objects[pj].objects.n; k++)
            if (m->objects[pj].objects.items[k].idx == (int32_t)oi)
                return 1;
    return 0;
}

objr_status objr__render_items_select(const objr__adm_model *m, const objr__select_options *opt,
                                      size_t n_file_tracks, objr__render_items *out,
                                      objr_diag *diag) {
    if (!m || !out)
        return OBJR_ERR_INVALID_ARG;
    memset(out, 0, sizeof *out);
    objr__select_options defaults = {NULL, 0};
    char *skip = NULL;
    if (m->n_objects) {
        skip = objr__calloc(m->n_objects, 1);
        if (!skip)
            return OBJR_ERR_NOMEM;
        for (size_t oi = 0; oi < m->n_objects; oi++)
            for (size_t k = 0; k < m->objects[oi].complementary.n; k++) {
                int32_t c = m->objects[oi].complementary.items[k].idx;
                if (c >= 0 && (size_t)c != oi)
                    skip[c] = 1;
            }
    }
    sel s = {m, skip, opt ? opt : &defaults, n_file_tracks, out, 0, 0, diag};
    objr_status st = OBJR_OK;
    if (s.opt->programme_id && m->n_programmes == 0) {
        st = objr__diag_set(diag, OBJR_ERR_REFERENCE, s.opt->programme_id, 0, (size_t)-1,
                            "audioProgramme %s not found: the file has no programmes",
                            s.opt->programme_id);
    } else if (m->n_programmes > 0) {
        /* The requested programme, else (as EAR does) the one with the lowest ID. */
        size_t pi = 0;
        if (s.opt->programme_id) {
            for (pi = 0; pi < m->n_programmes; pi++)
                if (m->programmes[pi].id && strcmp(m->programmes[pi].id, s.opt->programme_id) == 0)
                    break;
            if (pi == m->n_programmes)
                st = objr__diag_set(diag, OBJR_ERR_REFERENCE, s.opt->programme_id, 0, (size_t)-1,
                                    "audioProgramme %s not found", s.opt->programme_id);
        } else {
            for (size_t k = 1; k < m->n_programmes; k++)
                if (m->programmes[k].id && m->programmes[pi].id &&
                    strcmp(m->programmes[k].id, m->programmes[pi].id) < 0)
                    pi = k;
        }
        if (st == OBJR_OK) {
            const objr__adm_programme *p = &m->programmes[pi];
            for (size_t i = 0; i < p->contents.n && st == OBJR_OK; i++) {
                int32_t ci = p->contents.items[i].idx;
                if (ci < 0)
                    st =
                        objr__diag_set(diag, OBJR_ERR_REFERENCE, p->id, p->line, (size_t)-1,
                                       "audioProgramme %s refers to unknown audioContent %s", p->id,
                                       p->contents.items[i].id ? p->contents.items[i].id : "?");
                else
                    st = visit_content(&s, ci);
            }
        }
    } else if (m->n_objects > 0) {
        /* No programme: every root object (one no other object refers to), as BS.2127 /
         * EAR do; contents are not consulted without a programme. */
        for (size_t oi = 0; oi < m->n_objects && st == OBJR_OK; oi++)
            if (!is_sub_object(m, oi))
                st = visit_object(&s, (int32_t)oi, 1.0, 10, 0);
    } else {
        /* No objects: every track UID that leads to a channel format (chna-only files). */
        for (size_t ui = 0; ui < m->n_uids && st == OBJR_OK; ui++) {
            if (is_silent_uid(m->uids[ui].id))
                continue;
            st = add_item(&s, -1, (int32_t)ui, 1.0, 10, 0.0, 0.0, 0);
        }
    }
    objr__freep(&skip);
    if (st != OBJR_OK)
        objr__render_items_free(out);
    return st;
}
