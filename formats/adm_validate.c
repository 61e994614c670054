/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM validation (ITU-R BS.2076-2 §5 value ranges, §5.4.3 block timing): every problem is
 * listed with severity, element ID and message; nothing stops at the first one. */
#include "formats/adm_model.h"

#include <math.h>

#define ERR 2
#define WARN 1

static void check_range(objr__adm_model *m, const char *id, long line, const char *what, double v,
                        double lo, double hi) {
    if (!(v >= lo && v <= hi))
        objr__adm_problem_add(m, ERR, OBJR_ERR_RANGE, id, line, "%s: %s %g is outside [%g, %g]", id,
                              what, v, lo, hi);
}

static void check_block_times(objr__adm_model *m, const objr__adm_channel *c, size_t i,
                              const objr__adm_block_common *b, const objr__adm_block_common *prev) {
    const char *id = b->id[0] ? b->id : c->id;
    if (c->n_blocks > 1 && (!b->has_rtime || !b->has_duration))
        objr__adm_problem_add(m, WARN, OBJR_ERR_ADM, id, b->line,
                              "%s: block %zu of %s (time-varying) lacks rtime or duration", id,
                              i + 1, c->id);
    if (!prev || !prev->has_rtime || !b->has_rtime)
        return;
    if (objr__adm_time_cmp(b->rtime, prev->rtime) < 0) {
        objr__adm_problem_add(m, ERR, OBJR_ERR_ADM, id, b->line,
                              "%s: rtime %.6f s is before the previous block's %.6f s", id,
                              objr__adm_time_seconds(b->rtime),
                              objr__adm_time_seconds(prev->rtime));
        return;
    }
    if (prev->has_duration) {
        objr__adm_time end;
        if (objr__adm_time_add(prev->rtime, prev->duration, &end) &&
            objr__adm_time_cmp(end, b->rtime) > 0)
            objr__adm_problem_add(m, ERR, OBJR_ERR_ADM, id, b->line,
                                  "%s: block starts at %.6f s but %s lasts until %.6f s "
                                  "(overlapping blocks)",
                                  id, objr__adm_time_seconds(b->rtime), prev->id,
                                  objr__adm_time_seconds(end));
    }
}

static void check_objects_block(objr__adm_model *m, const objr__adm_block_objects *b,
                                const char *id) {
    long l = b->c.line;
    if (b->pos.cartesian) {
        check_range(m, id, l, "X", b->pos.x, -1.0, 1.0);
        check_range(m, id, l, "Y", b->pos.y, -1.0, 1.0);
        check_range(m, id, l, "Z", b->pos.z, -1.0, 1.0);
        check_range(m, id, l, "width", b->width, 0.0, 1.0);
        check_range(m, id, l, "height", b->height, 0.0, 1.0);
        check_range(m, id, l, "depth", b->depth, 0.0, 1.0);
    } else {
        check_range(m, id, l, "azimuth", b->pos.azimuth_deg, -180.0, 180.0);
        check_range(m, id, l, "elevation", b->pos.elevation_deg, -90.0, 90.0);
        check_range(m, id, l, "distance", b->pos.distance, 0.0, 1e6);
        check_range(m, id, l, "width", b->width, 0.0, 360.0);
        check_range(m, id, l, "height", b->height, 0.0, 360.0);
        check_range(m, id, l, "depth", b->depth, 0.0, 1.0);
    }
    check_range(m, id, l, "diffuse", b->diffuse, 0.0, 1.0);
    check_range(m, id, l, "objectDivergence", b->divergence, 0.0, 1.0);
    check_range(m, id, l, "divergence azimuthRange", b->divergence_azimuth_range_deg, 0.0, 180.0);
    check_range(m, id, l, "gain", b->c.gain, 0.0, 1e6);
    if (b->has_channel_lock_max_distance)
        check_range(m, id, l, "channelLock maxDistance", b->channel_lock_max_distance, 0.0, 2.0);
    if (b->has_interpolation_length)
        check_range(m, id, l, "interpolationLength", b->interpolation_length_s, 0.0, 1e9);
}

static void check_channel(objr__adm_model *m, const objr__adm_channel *c) {
    const objr__adm_block_common *prev = NULL;
    for (size_t i = 0; i < c->n_blocks; i++) {
        const objr__adm_block_common *b = NULL;
        switch (c->type) {
        case OBJR__TYPE_OBJECTS:
            b = &c->objects[i].c;
            break;
        case OBJR__TYPE_DIRECT_SPEAKERS:
            b = &c->direct_speakers[i].c;
            break;
        case OBJR__TYPE_HOA:
            b = &c->hoa[i].c;
            break;
        case OBJR__TYPE_MATRIX:
            b = &c->matrix[i].c;
            break;
        default:
            b = &c->binaural[i].c;
            break;
        }
        const char *id = b->id[0] ? b->id : c->id;
        check_block_times(m, c, i, b, prev);
        prev = b;
        if (c->type == OBJR__TYPE_OBJECTS) {
            check_objects_block(m, &c->objects[i], id);
        } else if (c->type == OBJR__TYPE_DIRECT_SPEAKERS) {
            const objr__adm_block_direct_speakers *d = &c->direct_speakers[i];
            if (d->cartesian) {
                for (int k = 0; k < 3; k++)
                    check_range(m, id, b->line,
                                k == 0   ? "X"
                                : k == 1 ? "Y"
                                         : "Z",
                                d->coord[k].value, -1.0, 1.0);
            } else {
                check_range(m, id, b->line, "azimuth", d->coord[0].value, -180.0, 180.0);
                check_range(m, id, b->line, "elevation", d->coord[1].value, -90.0, 90.0);
            }
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

void objr__adm_validate(objr__adm_model *m, size_t n_file_channels) {
    /* drop the results of a previous run; keep reader and chna problems */
    size_t w = 0;
    for (size_t i = 0; i < m->n_problems; i++)
        if (!m->problems[i].from_validation)
            m->problems[w++] = m->problems[i];
    m->n_problems = w;
    m->in_validation = 1;
    for (size_t i = 0; i < m->n_channels; i++)
        check_channel(m, &m->channels[i]);
    for (size_t i = 0; i < m->n_packs; i++) {
        const objr__adm_pack *p = &m->packs[i];
        for (size_t k = 0; k < p->n_flat_channels; k++) {
            const objr__adm_channel *c = &m->channels[p->flat_channels[k]];
            if (c->type != p->type)
                objr__adm_problem_add(m, ERR, OBJR_ERR_REFERENCE, p->id, p->line,
                                      "%s: pack of type %d refers to channel %s of type %d", p->id,
                                      p->type, c->id, c->type);
        }
        for (size_t k = 0; k < p->packs.n; k++) {
            int32_t q = p->packs.items[k].idx;
            if (q >= 0 && m->packs[q].type != p->type)
                objr__adm_problem_add(m, ERR, OBJR_ERR_REFERENCE, p->id, p->line,
                                      "%s: nests pack %s of a different type", p->id,
                                      m->packs[q].id);
        }
    }
    for (size_t i = 0; i < m->n_objects; i++) {
        const objr__adm_object *o = &m->objects[i];
        if (o->packs.n == 0 && o->objects.n == 0)
            objr__adm_problem_add(m, WARN, OBJR_ERR_ADM, o->id, o->line,
                                  "%s: refers to neither a pack nor objects", o->id);
        size_t nch = 0;
        for (size_t k = 0; k < o->packs.n; k++)
            if (o->packs.items[k].idx >= 0)
                nch += m->packs[o->packs.items[k].idx].n_flat_channels;
        if (o->track_uids.n && nch && o->track_uids.n != nch)
            objr__adm_problem_add(m, WARN, OBJR_ERR_ADM, o->id, o->line,
                                  "%s: %zu audioTrackUIDs for %zu pack channels", o->id,
                                  o->track_uids.n, nch);
        if (o->has_gain)
            check_range(m, o->id, o->line, "gain", o->gain, 0.0, 1e6);
    }
    for (size_t i = 0; i < m->n_uids; i++) {
        const objr__adm_uid *u = &m->uids[i];
        if (u->resolved_channel < 0 && !u->stem_file && !u->pack.id && !u->track.id)
            objr__adm_problem_add(m, WARN, OBJR_ERR_REFERENCE, u->id, u->line,
                                  "%s: no track or channel format: it cannot be rendered", u->id);
        if (n_file_channels && u->track_index > n_file_channels)
            objr__adm_problem_add(m, ERR, OBJR_ERR_RANGE, u->id, u->line,
                                  "%s: track %u is beyond the file's %zu channels", u->id,
                                  (unsigned)u->track_index, n_file_channels);
        if (n_file_channels && u->track_index == 0 && !u->stem_file)
            objr__adm_problem_add(m, WARN, OBJR_ERR_REFERENCE, u->id, u->line,
                                  "%s: not mapped to any track of the file", u->id);
        if (u->track.idx >= 0 && u->channel.idx >= 0 && u->resolved_channel != u->channel.idx)
            objr__adm_problem_add(m, ERR, OBJR_ERR_CONFLICT, u->id, u->line,
                                  "%s: its track format leads to a different channel than its "
                                  "audioChannelFormatIDRef %s",
                                  u->id, u->channel.id);
        int32_t p = u->pack.idx, c = u->resolved_channel;
        if (p >= 0 && c >= 0) {
            int found = 0;
            for (size_t k = 0; k < m->packs[p].n_flat_channels && !found; k++)
                found = m->packs[p].flat_channels[k] == c;
            if (!found)
                objr__adm_problem_add(m, WARN, OBJR_ERR_CONFLICT, u->id, u->line,
                                      "%s: channel %s is not in its pack %s", u->id,
                                      m->channels[c].id, m->packs[p].id);
        }
    }
    if (m->n_problems_dropped)
        objr__adm_problem_add(m, WARN, OBJR_OK, "", 0, "%zu further problems not listed",
                              m->n_problems_dropped);
    m->in_validation = 0;
}
