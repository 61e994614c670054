/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM reference resolution (ITU-R BS.2076-2 §5): every ID reference to the index of its
 * element, with the BS.2094 common definitions (formats/adm_commondefs.c) instantiated where
 * a document references but does not define them; pack flattening and object-nesting order
 * with cycle detection; and the chna merge (EBU Tech 3285 / BS.2088 §8), which fills and
 * checks the track UIDs' references before resolving. Uses the model (formats/adm_model.c)
 * and the common definitions; neither uses it. */
#include "formats/adm_resolve.h"

#include <stdlib.h>
#include <string.h>

#include "formats/adm_commondefs.h"

/** Bound on the total size of all flattened pack channel lists (memory bound). */
#define MAX_FLAT_ENTRIES (16u * 1024u * 1024u)

/* ---------------------------------------------------------------------------------------- */
/* Resolution                                                                                */

static const char *kind_ref_name(objr__adm_kind k) {
    static const char *const names[] = {"audioProgrammeIDRef",     "audioContentIDRef",
                                        "audioObjectIDRef",        "audioPackFormatIDRef",
                                        "audioChannelFormatIDRef", "audioStreamFormatIDRef",
                                        "audioTrackFormatIDRef",   "audioTrackUIDRef"};
    return names[k];
}

/* Visitor over every reference of every element: calls fn(ctx, target_kind, ref, owner). */
typedef objr_status (*ref_fn)(objr__adm_model *m, objr__adm_kind target, objr__adm_ref *ref,
                              objr__adm_kind owner_kind, int32_t owner, void *ctx);

static objr_status visit_list(objr__adm_model *m, objr__adm_kind target, objr__adm_refs *l,
                              objr__adm_kind ok, int32_t owner, ref_fn fn, void *ctx) {
    for (size_t i = 0; i < l->n; i++) {
        objr_status st = fn(m, target, &l->items[i], ok, owner, ctx);
        if (st != OBJR_OK)
            return st;
    }
    return OBJR_OK;
}

#define VISIT_LIST(t, l, ok)                                                                       \
    do {                                                                                           \
        objr_status st_ = visit_list(m, t, l, ok, (int32_t)i, fn, ctx);                            \
        if (st_ != OBJR_OK)                                                                        \
            return st_;                                                                            \
    } while (0)
#define VISIT_ONE(t, r, ok)                                                                        \
    do {                                                                                           \
        objr_status st_ = fn(m, t, r, ok, (int32_t)i, ctx);                                        \
        if (st_ != OBJR_OK)                                                                        \
            return st_;                                                                            \
    } while (0)

/* Element arrays may move while fn runs (common definitions get appended), so every access
 * below re-reads m->xxx[i] and fn receives pointers only for the duration of one call. The
 * refs arrays themselves live in the arena and never move. */
static objr_status visit_refs(objr__adm_model *m, ref_fn fn, void *ctx) {
    for (size_t i = 0; i < m->n_programmes; i++)
        VISIT_LIST(OBJR__KIND_CONTENT, &m->programmes[i].contents, OBJR__KIND_PROGRAMME);
    for (size_t i = 0; i < m->n_contents; i++)
        VISIT_LIST(OBJR__KIND_OBJECT, &m->contents[i].objects, OBJR__KIND_CONTENT);
    for (size_t i = 0; i < m->n_objects; i++) {
        objr__adm_refs packs = m->objects[i].packs, objs = m->objects[i].objects,
                       uids = m->objects[i].track_uids, comp = m->objects[i].complementary;
        VISIT_LIST(OBJR__KIND_PACK, &packs, OBJR__KIND_OBJECT);
        VISIT_LIST(OBJR__KIND_OBJECT, &objs, OBJR__KIND_OBJECT);
        VISIT_LIST(OBJR__KIND_UID, &uids, OBJR__KIND_OBJECT);
        VISIT_LIST(OBJR__KIND_OBJECT, &comp, OBJR__KIND_OBJECT);
    }
    for (size_t i = 0; i < m->n_packs; i++) {
        objr__adm_refs ch = m->packs[i].channels, pk = m->packs[i].packs,
                       enc = m->packs[i].encode_packs, dec = m->packs[i].decode_packs;
        VISIT_LIST(OBJR__KIND_CHANNEL, &ch, OBJR__KIND_PACK);
        VISIT_LIST(OBJR__KIND_PACK, &pk, OBJR__KIND_PACK);
        VISIT_LIST(OBJR__KIND_PACK, &enc, OBJR__KIND_PACK);
        VISIT_LIST(OBJR__KIND_PACK, &dec, OBJR__KIND_PACK);
        objr__adm_ref in = m->packs[i].input_pack, outp = m->packs[i].output_pack;
        VISIT_ONE(OBJR__KIND_PACK, &in, OBJR__KIND_PACK);
        m->packs[i].input_pack.idx = in.idx;
        VISIT_ONE(OBJR__KIND_PACK, &outp, OBJR__KIND_PACK);
        m->packs[i].output_pack.idx = outp.idx;
    }
    for (size_t i = 0; i < m->n_channels; i++) {
        if (m->channels[i].type != OBJR__TYPE_MATRIX)
            continue;
        for (size_t b = 0; b < m->channels[i].n_blocks; b++) {
            objr__adm_block_matrix *mb = &m->channels[i].matrix[b];
            objr__adm_ref out = {mb->output_channel_id[0] ? mb->output_channel_id : NULL,
                                 mb->output_channel};
            VISIT_ONE(OBJR__KIND_CHANNEL, &out, OBJR__KIND_CHANNEL);
            mb = &m->channels[i].matrix[b];
            mb->output_channel = out.idx;
            for (size_t c = 0; c < mb->n_coefs; c++) {
                objr__adm_ref in = {mb->coefs[c].input_channel_id[0] ? mb->coefs[c].input_channel_id
                                                                     : NULL,
                                    mb->coefs[c].input_channel};
                VISIT_ONE(OBJR__KIND_CHANNEL, &in, OBJR__KIND_CHANNEL);
                mb = &m->channels[i].matrix[b];
                mb->coefs[c].input_channel = in.idx;
            }
        }
    }
    for (size_t i = 0; i < m->n_streams; i++) {
        objr__adm_ref ch = m->streams[i].channel, pk = m->streams[i].pack;
        objr__adm_refs tr = m->streams[i].tracks;
        VISIT_ONE(OBJR__KIND_CHANNEL, &ch, OBJR__KIND_STREAM);
        m->streams[i].channel.idx = ch.idx;
        VISIT_ONE(OBJR__KIND_PACK, &pk, OBJR__KIND_STREAM);
        m->streams[i].pack.idx = pk.idx;
        VISIT_LIST(OBJR__KIND_TRACK, &tr, OBJR__KIND_STREAM);
    }
    for (size_t i = 0; i < m->n_tracks; i++) {
        objr__adm_ref s = m->tracks[i].stream;
        VISIT_ONE(OBJR__KIND_STREAM, &s, OBJR__KIND_TRACK);
        m->tracks[i].stream.idx = s.idx;
    }
    for (size_t i = 0; i < m->n_uids; i++) {
        objr__adm_ref t = m->uids[i].track, c = m->uids[i].channel, p = m->uids[i].pack;
        VISIT_ONE(OBJR__KIND_TRACK, &t, OBJR__KIND_UID);
        m->uids[i].track.idx = t.idx;
        VISIT_ONE(OBJR__KIND_CHANNEL, &c, OBJR__KIND_UID);
        m->uids[i].channel.idx = c.idx;
        VISIT_ONE(OBJR__KIND_PACK, &p, OBJR__KIND_UID);
        m->uids[i].pack.idx = p.idx;
    }
    return OBJR_OK;
}

typedef struct resolve_ctx {
    objr_diag *diag;
} resolve_ctx;

static objr_status resolve_one(objr__adm_model *m, objr__adm_kind target, objr__adm_ref *ref,
                               objr__adm_kind ok, int32_t owner, void *vctx) {
    resolve_ctx *ctx = vctx;
    if (!ref->id) {
        ref->idx = -1;
        return OBJR_OK;
    }
    if (ref->idx >= 0 && (size_t)ref->idx < objr__adm_kind_count(m, target))
        return OBJR_OK;
    int32_t idx = objr__adm_find(m, target, ref->id);
    if (idx < 0 && objr__adm_commondefs_has(target, ref->id)) {
        objr_status st;
        idx = objr__adm_commondefs_instantiate(m, target, ref->id, &st);
        if (st != OBJR_OK)
            return objr__diag_set(ctx->diag, st, ref->id, 0, (size_t)-1,
                                  "cannot add common definition %s: %s", ref->id,
                                  objr_strerror(st));
    }
    if (idx < 0) {
        const char *oid = objr__adm_element_id(m, ok, owner);
        return objr__diag_set(ctx->diag, OBJR_ERR_REFERENCE, oid,
                              objr__adm_element_line(m, ok, owner), (size_t)-1,
                              "%s %s: %s \"%s\" is not defined in the document nor in the "
                              "common definitions",
                              objr__adm_kind_name(ok), oid, kind_ref_name(target), ref->id);
    }
    ref->idx = idx;
    return OBJR_OK;
}

/* Pack flattening with cycle detection (iterative DFS: nesting depth is attacker-chosen). */
static objr_status flatten_packs(objr__adm_model *m, objr_diag *diag) {
    size_t np = m->n_packs, nc = m->n_channels;
    objr_status st = OBJR_OK;
    uint8_t *state = objr__calloc(np ? np : 1, 1);
    int32_t *stack = objr__calloc(np ? np : 1, sizeof *stack);
    size_t *pos = objr__calloc(np ? np : 1, sizeof *pos);
    int32_t *stamp = objr__calloc(nc ? nc : 1, sizeof *stamp);
    int32_t *buf = objr__calloc(nc ? nc : 1, sizeof *buf);
    size_t total_flat = 0;
    if (!state || !stack || !pos || !stamp || !buf) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < nc; i++)
        stamp[i] = -1;
    for (size_t root = 0; root < np; root++) {
        if (state[root] == 2)
            continue;
        size_t sp = 0;
        stack[sp++] = (int32_t)root;
        state[root] = 1;
        pos[root] = 0;
        while (sp) {
            int32_t p = stack[sp - 1];
            objr__adm_pack *pk = &m->packs[p];
            if (pos[p] < pk->packs.n) {
                int32_t c = pk->packs.items[pos[p]++].idx;
                if (c < 0 || state[c] == 2)
                    continue;
                if (state[c] == 1) {
                    st = objr__diag_set(diag, OBJR_ERR_REFERENCE, pk->id, pk->line, (size_t)-1,
                                        "audioPackFormat %s: nesting cycle through %s", pk->id,
                                        m->packs[c].id);
                    goto done;
                }
                state[c] = 1;
                pos[c] = 0;
                stack[sp++] = c;
                continue;
            }
            /* all children done: nested packs' channels first, then own */
            size_t n = 0;
            for (size_t j = 0; j < pk->packs.n; j++) {
                int32_t c = pk->packs.items[j].idx;
                if (c < 0)
                    continue;
                for (size_t q = 0; q < m->packs[c].n_flat_channels; q++) {
                    int32_t ch = m->packs[c].flat_channels[q];
                    if (stamp[ch] != p) {
                        stamp[ch] = p;
                        buf[n++] = ch;
                    }
                }
            }
            for (size_t j = 0; j < pk->channels.n; j++) {
                int32_t ch = pk->channels.items[j].idx;
                if (ch >= 0 && stamp[ch] != p) {
                    stamp[ch] = p;
                    buf[n++] = ch;
                }
            }
            total_flat += n;
            if (total_flat > MAX_FLAT_ENTRIES) {
                st = objr__diag_set(diag, OBJR_ERR_LIMIT, pk->id, pk->line, (size_t)-1,
                                    "pack nesting expands to too many channels");
                goto done;
            }
            pk->flat_channels = objr__adm_alloc(m, n, sizeof(int32_t));
            if (!pk->flat_channels && n) {
                st = OBJR_ERR_NOMEM;
                goto done;
            }
            if (n)
                memcpy(pk->flat_channels, buf, n * sizeof(int32_t));
            pk->n_flat_channels = n;
            /* reset stamps of this pack so a later pack with the same index value... (stamps
             * are keyed by pack index, unique per pack: nothing to reset) */
            state[p] = 2;
            sp--;
        }
    }
done:
    free(state);
    free(stack);
    free(pos);
    free(stamp);
    free(buf);
    return st;
}

/* Object nesting: cycle check and a parents-before-children order (Kahn's algorithm). */
static objr_status order_objects(objr__adm_model *m, objr_diag *diag) {
    size_t n = m->n_objects;
    objr_status st = OBJR_OK;
    uint32_t *indeg = objr__calloc(n ? n : 1, sizeof *indeg);
    int32_t *order = objr__adm_alloc(m, n ? n : 1, sizeof *order);
    if (!indeg || !order) {
        st = OBJR_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m->objects[i].objects.n; j++)
            if (m->objects[i].objects.items[j].idx >= 0)
                indeg[m->objects[i].objects.items[j].idx]++;
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < n; i++)
        if (indeg[i] == 0)
            order[tail++] = (int32_t)i;
    while (head < tail) {
        const objr__adm_object *o = &m->objects[order[head++]];
        for (size_t j = 0; j < o->objects.n; j++) {
            int32_t c = o->objects.items[j].idx;
            if (c >= 0 && --indeg[c] == 0)
                order[tail++] = c;
        }
    }
    if (tail != n) {
        for (size_t i = 0; i < n; i++)
            if (indeg[i]) {
                st = objr__diag_set(
                    diag, OBJR_ERR_REFERENCE, m->objects[i].id, m->objects[i].line, (size_t)-1,
                    "audioObject %s: audioObjectIDRef nesting forms a cycle", m->objects[i].id);
                break;
            }
        goto done;
    }
    m->object_order = order;
done:
    free(indeg);
    return st;
}

static void resolve_uid_channels(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_uids; i++) {
        objr__adm_uid *u = &m->uids[i];
        u->resolved_channel = -1;
        if (u->channel.idx >= 0) {
            u->resolved_channel = u->channel.idx;
        } else if (u->track.idx >= 0) {
            int32_t s = m->tracks[u->track.idx].stream.idx;
            if (s >= 0)
                u->resolved_channel = m->streams[s].channel.idx;
        }
    }
}

objr_status objr__adm_model_resolve(objr__adm_model *m, objr_diag *diag) {
    objr_status st = objr__adm_index_build(m, diag);
    if (st != OBJR_OK)
        return st;
    resolve_ctx ctx = {diag};
    st = visit_refs(m, resolve_one, &ctx);
    if (st != OBJR_OK)
        return st;
    st = flatten_packs(m, diag);
    if (st != OBJR_OK)
        return st;
    st = order_objects(m, diag);
    if (st != OBJR_OK)
        return st;
    resolve_uid_channels(m);
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* chna merge                                                                                */

static objr_status merge_ref(objr__adm_model *m, objr__adm_ref *ref, const char *value,
                             const char *uid, const char *what) {
    if (!value[0])
        return OBJR_OK;
    if (!ref->id) {
        ref->id = objr__adm_strdup(m, value);
        ref->idx = -1;
        return ref->id ? OBJR_OK : OBJR_ERR_NOMEM;
    }
    if (!objr__adm_same_id(ref->id, value))
        objr__adm_report(m, "chna_conflict", OBJR__SEV_ERROR, OBJR_ERR_CONFLICT, uid, 0, -1.0,
                         "chna says audioTrackUID %s has %s %s, the XML says %s", uid, what, value,
                         ref->id);
    return OBJR_OK;
}

objr_status objr__adm_merge_chna(objr__adm_model *m, const objr__chna *chna, objr_diag *diag) {
    for (size_t i = 0; i < chna->n_entries; i++) {
        const objr__chna_entry *e = &chna->entries[i];
        if (!e->uid[0])
            continue;
        int32_t u = objr__adm_find(m, OBJR__KIND_UID, e->uid);
        if (u < 0) {
            objr_status st;
            u = objr__adm_add(m, OBJR__KIND_UID, &st);
            if (u < 0)
                return objr__diag_set(diag, st, e->uid, 0, (size_t)-1,
                                      "cannot add audioTrackUID %s from chna", e->uid);
            m->uids[u].id = objr__adm_strdup(m, e->uid);
            if (!m->uids[u].id)
                return OBJR_ERR_NOMEM;
            st = objr__adm_index_add(m, OBJR__KIND_UID, u);
            if (st != OBJR_OK)
                return st;
        }
        objr__adm_uid *uid = &m->uids[u];
        if (uid->track_index && uid->track_index != e->track_index)
            objr__adm_report(m, "chna_conflict", OBJR__SEV_ERROR, OBJR_ERR_CONFLICT, e->uid,
                             uid->line, -1.0,
                             "audioTrackUID %s is on track %u and on track %u in chna", e->uid,
                             (unsigned)uid->track_index, (unsigned)e->track_index);
        else
            uid->track_index = e->track_index;
        objr_status st = OBJR_OK;
        if (strncmp(e->track_ref, "AC_", 3) == 0) {
            /* A BS.2076-2 direct channel reference fills chna's 14-character trackRef field
             * as "AC_yyyyxxxx_00" (EAR, libbw64): the channel format ID is its first 11. */
            char ac[sizeof e->track_ref];
            memcpy(ac, e->track_ref, sizeof ac);
            if (strlen(ac) == 14 && ac[11] == '_' && ac[12] == '0' && ac[13] == '0')
                ac[11] = 0;
            st = merge_ref(m, &uid->channel, ac, e->uid, "channel format");
        } else
            st = merge_ref(m, &uid->track, e->track_ref, e->uid, "track format");
        if (st == OBJR_OK)
            st = merge_ref(m, &uid->pack, e->pack_ref, e->uid, "pack format");
        if (st != OBJR_OK)
            return objr__diag_set(diag, st, e->uid, 0, (size_t)-1, "chna merge: %s",
                                  objr_strerror(st));
    }
    return objr__adm_model_resolve(m, diag);
}
