/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM validation (ITU-R BS.2076-2 §5 value ranges, §5.4.3 block timing) in the one severity
 * model: the fix pass (formats/adm_fix.c) repairs what has one sensible reading; what is left
 * here is an error (the renderer refuses it) or a note (harmless). The renderer runs this
 * same function before it builds anything, so a document that validates with no error
 * renders, and one the renderer refuses has errors here. Nothing stops at the first one. */
#include "formats/adm_model.h"

#include <math.h>
#include <string.h>

#define ERR OBJR__SEV_ERROR
#define NOTE OBJR__SEV_NOTE
/** Tag of the validation pass's entries in the log (dropped when validation re-runs). */
#define VALIDATION_TAG 1
/** Deepest object nesting followed (render_items.c refuses deeper). */
#define MAX_NESTING 32

static void check_range(objr__adm_model *m, const char *id, long line, const char *what, double v,
                        double lo, double hi) {
    if (!(v >= lo && v <= hi))
        objr__adm_report(m, "value_out_of_range", ERR, OBJR_ERR_RANGE, id, line, -1.0,
                         "%s: %s %g is outside [%g, %g]", id, what, v, lo, hi);
}

/* What the fix pass could not repair: blocks out of order, or that cannot be placed. */
static void check_block_times(objr__adm_model *m, const objr__adm_channel *c, size_t i,
                              const objr__adm_block_common *b, const objr__adm_block_common *prev) {
    const char *id = b->id[0] ? b->id : c->id;
    if (c->n_blocks > 1 && !b->has_rtime)
        objr__adm_report(m, "block_unplaced", ERR, OBJR_ERR_ADM, id, b->line, -1.0,
                         "%s: block %zu of %s (time-varying) has no rtime and no timed block "
                         "before it to follow",
                         id, i + 1, c->id);
    if (!prev || !prev->has_rtime || !b->has_rtime)
        return;
    if (objr__adm_time_cmp(b->rtime, prev->rtime) < 0)
        objr__adm_report(m, "block_unordered", ERR, OBJR_ERR_ADM, id, b->line, -1.0,
                         "%s: rtime %.6f s is before the previous block's %.6f s", id,
                         objr__adm_time_seconds(b->rtime), objr__adm_time_seconds(prev->rtime));
}

static void check_channel(objr__adm_model *m, const objr__adm_channel *c) {
    const objr__adm_block_common *prev = NULL;
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        const objr__adm_block_common *b = objr__adm_block_at(c, i);
        const char *id = b->id[0] ? b->id : c->id;
        check_block_times(m, c, i, b, prev);
        prev = b;
        if (c->type == OBJR__TYPE_OBJECTS) {
            const objr__adm_block_objects *o = &c->objects[i];
            check_range(m, id, b->line, "gain", b->gain, 0.0, 1e6);
            if (o->has_interpolation_length)
                check_range(m, id, b->line, "interpolationLength", o->interpolation_length_s, 0.0,
                            1e9);
        } else if (c->type == OBJR__TYPE_HOA) {
            const objr__adm_block_hoa *h = &c->hoa[i];
            if (h->has_nfc_ref_dist)
                check_range(m, id, b->line, "nfcRefDist", h->nfc_ref_dist_m, 0.0, 1e6);
        }
    }
    if (c->has_low_pass)
        check_range(m, c->id, c->line, "frequency lowPass", c->low_pass_hz, 0.0, 1e6);
    if (c->has_high_pass)
        check_range(m, c->id, c->line, "frequency highPass", c->high_pass_hz, 0.0, 1e6);
}

static void check_packs(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_packs; i++) {
        const objr__adm_pack *p = &m->packs[i];
        for (size_t k = 0; k < p->n_flat_channels; k++) {
            const objr__adm_channel *c = &m->channels[p->flat_channels[k]];
            if (c->type != p->type)
                objr__adm_report(m, "pack_channel_type", ERR, OBJR_ERR_REFERENCE, p->id, p->line,
                                 -1.0, "%s: pack of type %d refers to channel %s of type %d", p->id,
                                 p->type, c->id, c->type);
        }
        for (size_t k = 0; k < p->packs.n; k++) {
            int32_t q = p->packs.items[k].idx;
            if (q >= 0 && m->packs[q].type != p->type)
                objr__adm_report(m, "pack_nesting_type", ERR, OBJR_ERR_REFERENCE, p->id, p->line,
                                 -1.0, "%s: nests pack %s of a different type", p->id,
                                 m->packs[q].id);
        }
    }
}

static void check_objects(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_objects; i++) {
        const objr__adm_object *o = &m->objects[i];
        if (o->packs.n == 0 && o->objects.n == 0)
            objr__adm_report(m, "object_empty", NOTE, OBJR_OK, o->id, o->line, -1.0,
                             "%s: refers to neither a pack nor objects", o->id);
        size_t nch = 0;
        for (size_t k = 0; k < o->packs.n; k++)
            if (o->packs.items[k].idx >= 0)
                nch += m->packs[o->packs.items[k].idx].n_flat_channels;
        if (o->track_uids.n && nch && o->track_uids.n != nch)
            objr__adm_report(m, "object_uid_count", NOTE, OBJR_OK, o->id, o->line, -1.0,
                             "%s: %zu audioTrackUIDs for %zu pack channels", o->id, o->track_uids.n,
                             nch);
        if (o->has_gain)
            check_range(m, o->id, o->line, "gain", o->gain, 0.0, 1e6);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Renderability: the scene the renderer plays (the programme with the lowest ID, else every
 * root object, else every track UID: renderers/render_items.c), walked with the renderer's
 * own refusals, so that validation and rendering agree.                                     */

typedef struct walk {
    objr__adm_model *m;
    size_t n_file_channels;
    int has_audio_links; /* any UID has a track index or a stem: audio is expected */
    char *skip;          /* complementary objects that do not play by default */
    char *seen_uid;      /* UIDs already checked */
} walk;

static int is_silent_uid(const char *id) {
    return id && strcmp(id, "ATU_00000000") == 0;
}

static int pack_has_channel(const objr__adm_pack *p, int32_t ch) {
    for (size_t i = 0; i < p->n_flat_channels; i++)
        if (p->flat_channels[i] == ch)
            return 1;
    return 0;
}

static const char *type_name(int t) {
    return t == OBJR__TYPE_MATRIX ? "Matrix" : t == OBJR__TYPE_BINAURAL ? "Binaural" : "unknown";
}

static void check_played_uid(walk *w, const objr__adm_object *o, int32_t ui) {
    objr__adm_model *m = w->m;
    const objr__adm_uid *u = &m->uids[ui];
    int32_t ch = objr__adm_uid_channel(m, ui);
    if (ch < 0 && !w->n_file_channels && !w->has_audio_links)
        return; /* metadata only: a chna chunk may give the links (see check_renderable) */
    if (ch < 0) {
        objr__adm_report(m, "uid_no_channel", ERR, OBJR_ERR_REFERENCE, u->id, u->line, -1.0,
                         "audioTrackUID %s%s%s leads to no audioChannelFormat", u->id,
                         o ? " of audioObject " : "", o ? o->id : "");
        return;
    }
    if (o && o->packs.n > 0) {
        int found = 0;
        for (size_t i = 0; i < o->packs.n && !found; i++) {
            int32_t p = o->packs.items[i].idx;
            found = p >= 0 && pack_has_channel(&m->packs[p], ch);
        }
        if (!found)
            objr__adm_report(m, "uid_channel_not_in_pack", ERR, OBJR_ERR_REFERENCE, u->id, u->line,
                             -1.0,
                             "audioTrackUID %s carries audioChannelFormat %s, which is in none "
                             "of the packs of audioObject %s",
                             u->id, m->channels[ch].id, o->id);
    }
    const objr__adm_channel *c = &m->channels[ch];
    if (c->type != OBJR__TYPE_OBJECTS && c->type != OBJR__TYPE_DIRECT_SPEAKERS &&
        c->type != OBJR__TYPE_HOA)
        objr__adm_report(m, "unsupported_type", ERR, OBJR_ERR_UNSUPPORTED, c->id, c->line, -1.0,
                         "%s content (audioChannelFormat %s%s%s) cannot be rendered to "
                         "loudspeakers by this version",
                         type_name(c->type), c->id, o ? ", audioObject " : "", o ? o->id : "");
    if (c->type == OBJR__TYPE_HOA && (c->n_blocks == 0 || !c->hoa[0].has_order_degree))
        objr__adm_report(m, "hoa_no_order", ERR, OBJR_ERR_ADM, c->id, c->line, -1.0,
                         "HOA channel %s has no order and degree", c->id);
    if (u->stem_path || u->stem_file)
        return;
    if (u->track_index == 0 && (w->n_file_channels || w->has_audio_links))
        objr__adm_report(m, "uid_no_audio", ERR, OBJR_ERR_REFERENCE, u->id, u->line, -1.0,
                         "audioTrackUID %s has no audio: no chna track (or track 0) and no "
                         "stem file",
                         u->id);
    else if (w->n_file_channels && u->track_index > w->n_file_channels)
        objr__adm_report(m, "track_beyond_data", ERR, OBJR_ERR_RANGE, u->id, u->line, -1.0,
                         "%s: track %u is beyond the file's %zu channels", u->id,
                         (unsigned)u->track_index, w->n_file_channels);
}

static void walk_object(walk *w, int32_t oi, int depth) {
    const objr__adm_object *o = &w->m->objects[oi];
    if ((w->skip && w->skip[oi]) || depth > MAX_NESTING)
        return;
    for (size_t i = 0; i < o->track_uids.n; i++) {
        int32_t ui = o->track_uids.items[i].idx;
        if (ui < 0 || is_silent_uid(o->track_uids.items[i].id) || w->seen_uid[ui])
            continue;
        w->seen_uid[ui] = 1;
        check_played_uid(w, o, ui);
    }
    for (size_t i = 0; i < o->objects.n; i++)
        if (o->objects.items[i].idx >= 0)
            walk_object(w, o->objects.items[i].idx, depth + 1);
}

static int is_sub_object(const objr__adm_model *m, size_t oi) {
    for (size_t pj = 0; pj < m->n_objects; pj++)
        for (size_t k = 0; k < m->objects[pj].objects.n; k++)
            if (m->objects[pj].objects.items[k].idx == (int32_t)oi)
                return 1;
    return 0;
}

static void check_renderable(objr__adm_model *m, size_t n_file_channels) {
    walk w = {m, n_file_channels, 0, NULL, NULL};
    for (size_t i = 0; i < m->n_uids && !w.has_audio_links; i++)
        w.has_audio_links = m->uids[i].track_index > 0 || m->uids[i].stem_file != NULL;
    if (!n_file_channels && !w.has_audio_links && m->n_uids)
        objr__adm_report(m, "metadata_only", NOTE, OBJR_OK, "", 0, -1.0,
                         "the document links no audio (no chna track, transport track or "
                         "stem): metadata only, not renderable on its own");
    w.seen_uid = objr__calloc(m->n_uids ? m->n_uids : 1, 1);
    w.skip = objr__calloc(m->n_objects ? m->n_objects : 1, 1);
    if (!w.seen_uid || !w.skip) {
        objr__adm_report(m, "out_of_memory", ERR, OBJR_ERR_NOMEM, "", 0, -1.0, "out of memory");
        goto out;
    }
    for (size_t oi = 0; oi < m->n_objects; oi++)
        for (size_t k = 0; k < m->objects[oi].complementary.n; k++) {
            int32_t c = m->objects[oi].complementary.items[k].idx;
            if (c >= 0 && (size_t)c != oi)
                w.skip[c] = 1;
        }
    if (m->n_programmes > 0) {
        size_t pi = 0;
        for (size_t k = 1; k < m->n_programmes; k++)
            if (m->programmes[k].id && m->programmes[pi].id &&
                strcmp(m->programmes[k].id, m->programmes[pi].id) < 0)
                pi = k;
        const objr__adm_programme *p = &m->programmes[pi];
        for (size_t i = 0; i < p->contents.n; i++) {
            int32_t ci = p->contents.items[i].idx;
            if (ci < 0)
                continue;
            const objr__adm_content *c = &m->contents[ci];
            for (size_t k = 0; k < c->objects.n; k++)
                if (c->objects.items[k].idx >= 0)
                    walk_object(&w, c->objects.items[k].idx, 0);
        }
    } else if (m->n_objects > 0) {
        for (size_t oi = 0; oi < m->n_objects; oi++)
            if (!is_sub_object(m, oi))
                walk_object(&w, (int32_t)oi, 0);
    } else {
        for (size_t ui = 0; ui < m->n_uids; ui++)
            if (!is_silent_uid(m->uids[ui].id))
                check_played_uid(&w, NULL, (int32_t)ui);
    }
out:
    objr__freep(&w.seen_uid);
    objr__freep(&w.skip);
}

/* UIDs whose links disagree, whatever plays. */
static void check_uids(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_uids; i++) {
        const objr__adm_uid *u = &m->uids[i];
        if (u->track.idx >= 0 && u->channel.idx >= 0 && u->resolved_channel != u->channel.idx)
            objr__adm_report(m, "uid_channel_conflict", ERR, OBJR_ERR_CONFLICT, u->id, u->line,
                             -1.0,
                             "%s: its track format leads to a different channel than its "
                             "audioChannelFormatIDRef %s",
                             u->id, u->channel.id);
        int32_t p = u->pack.idx, c = u->resolved_channel;
        if (p >= 0 && c >= 0 && !pack_has_channel(&m->packs[p], c))
            objr__adm_report(m, "uid_channel_not_in_pack", ERR, OBJR_ERR_CONFLICT, u->id, u->line,
                             -1.0, "%s: channel %s is not in its pack %s", u->id, m->channels[c].id,
                             m->packs[p].id);
    }
}

void objr__adm_validate(objr__adm_model *m, size_t n_file_channels) {
    objr__adm_fix(m);
    /* drop the results of a previous run; keep reader, fix and chna problems */
    size_t w = 0;
    for (size_t i = 0; i < m->n_problems; i++)
        if (!m->problems[i].from_validation)
            m->problems[w++] = m->problems[i];
    m->n_problems = w;
    objr__diaglog_drop_tag(&m->log, VALIDATION_TAG);
    m->in_validation = 1;
    m->log.tag = VALIDATION_TAG;
    for (size_t i = 0; i < m->n_channels; i++) {
        check_channel(m, &m->channels[i]);
        if (m->spill)
            objr__adm_release_blocks();
    }
    check_packs(m);
    check_objects(m);
    check_uids(m);
    check_renderable(m, n_file_channels);
    if (m->n_problems_dropped)
        objr__adm_report(m, "problems_not_listed", NOTE, OBJR_OK, "", 0, -1.0,
                         "%zu further problems not listed one by one", m->n_problems_dropped);
    m->log.tag = 0;
    m->in_validation = 0;
    if (m->strict) {
        objr__diaglog_make_strict(&m->log);
        for (size_t i = 0; i < m->n_problems; i++)
            if (m->problems[i].severity == OBJR__SEV_FIXED) {
                m->problems[i].severity = OBJR__SEV_ERROR;
                if (m->problems[i].code == OBJR_OK)
                    m->problems[i].code = OBJR_ERR_ADM;
            }
    }
}
