/* SPDX-License-Identifier: BSD-3-Clause */
/* Repairs of the deviations that real ADM exporters write (one severity model: each repair
 * is a "fixed" kind, aggregated per kind by the diagnostics collector): block timing as
 * ITU-R BS.2127-1 §7.2 reads it (blocks abut: a block ends where the next one starts),
 * interpolation lengths, values outside their ITU-R BS.2076-2 §5.4.3 ranges (clamped),
 * programme times, duplicate block IDs and upper-case hex in IDs. */
#include "formats/adm_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIX OBJR__SEV_FIXED

/* ---------------------------------------------------------------------------------------- */
/* Kind texts: one line per kind, whatever the count                                         */

typedef struct kind_text {
    const char *kind;
    const char *one;   /**< "%s" is the magnitude ("10 us") when the kind has one */
    const char *many;  /**< plural form, "at most %s" */
    const char *fixed; /**< what objrender did */
} kind_text;

static const kind_text kinds[] = {
    {"block_overlap", "block overlaps its successor by %s (exporter rounding)",
     "blocks overlap their successor by at most %s (exporter rounding)",
     "each block ends where the next starts"},
    {"block_overlap_large", "block overlaps its successor by %s",
     "blocks overlap their successor by up to %s", "each block ends where the next starts"},
    {"block_gap_rounding", "block ends %s before its successor (exporter rounding)",
     "blocks end up to %s before their successor (exporter rounding)",
     "each block lasts until the next starts"},
    {"block_gap", "block ends %s before its successor (a gap)",
     "blocks end up to %s before their successor (gaps)",
     "each block lasts until the next starts (BS.2127 7.2)"},
    {"block_no_duration", "time-varying block has no duration",
     "time-varying blocks have no duration",
     "each lasts until the next starts (the last one "
     "to the end)"},
    {"block_no_rtime", "time-varying block has no rtime", "time-varying blocks have no rtime",
     "each starts where the previous one ends (the first at 0)"},
    {"interpolation_too_long", "interpolationLength is longer than its block (by %s)",
     "interpolationLengths are longer than their block (by up to %s)",
     "clamped to the block's duration"},
    {"block_id_duplicate", "audioBlockFormat ID is used twice",
     "audioBlockFormat IDs are duplicates",
     "blocks keep their order in the channel; the IDs are not used"},
    {"programme_end_before_start", "audioProgramme ends before it starts",
     "audioProgrammes end before they start", "the end is ignored"},
    {"id_hex_case", "reference differs in hex case from the ID it names",
     "references differ in hex case from the IDs they name", "IDs are matched regardless of case"},
    {"trailing_content", "document has content after its root element (%s)",
     "documents have content after their root element", "ignored"},
    {"type_from_id", "pack/channel has neither typeLabel nor typeDefinition",
     "packs/channels have neither typeLabel nor typeDefinition", "the type comes from the ID"},
    {"type_definition_missing", "pack/channel has typeLabel but no typeDefinition",
     "packs/channels have typeLabel but no typeDefinition", "the type comes from typeLabel"},
    {"type_definition_near_miss",
     "typeDefinition differs from a BS.2076 type name only in case or a final \"s\"",
     "typeDefinitions differ from BS.2076 type names only in case or a final \"s\"",
     "read as that type"},
    {"type_from_content", "pack/channel has no typeLabel, typeDefinition or type code in its ID",
     "packs/channels have no typeLabel, typeDefinition or type code in their ID",
     "the type comes from the contents (a block's speakerLabel: DirectSpeakers; a position "
     "alone: Objects; a pack: its channels' type)"},
    {"id_type_mismatch", "ID's type code disagrees with its typeLabel/typeDefinition",
     "IDs' type codes disagree with their typeLabel/typeDefinition", "the element's type wins"},
    {"azimuth_wrap", "azimuth is outside [-180, 180]", "azimuths are outside [-180, 180]",
     "wrapped into it (an angle: 200 is -160)"},
    {"ds_no_azimuth", "DirectSpeakers position has no azimuth",
     "DirectSpeakers positions have no azimuth", "0 assumed"},
    {"hoa_normalization", "HOA normalization is unknown", "HOA normalizations are unknown",
     "SN3D assumed"},
};

static const kind_text *find_kind(const char *kind) {
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return &kinds[i];
    return NULL;
}

/* Magnitude text: times in us/ms/s, byte counts plain. */
static void magnitude(const char *kind, double v, char *buf, size_t size) {
    if (strcmp(kind, "trailing_content") == 0)
        snprintf(buf, size, "%.0f bytes", v);
    else if (v < 1e-3)
        snprintf(buf, size, "%.0f us", v * 1e6);
    else if (v < 1.0)
        snprintf(buf, size, "%.3g ms", v * 1e3);
    else
        snprintf(buf, size, "%.3g s", v);
}

void objr__adm_finding_text(const objr__diaglog_entry *e, char *buf, size_t size) {
    char where[128] = "";
    if (e->first_id[0] && e->first_line > 0)
        snprintf(where, sizeof where, " (first: %s, line %ld)", e->first_id, e->first_line);
    else if (e->first_id[0])
        snprintf(where, sizeof where, " (first: %s)", e->first_id);
    else if (e->first_line > 0)
        snprintf(where, sizeof where, " (first at line %ld)", e->first_line);
    const kind_text *k = find_kind(e->kind);
    if (k) {
        char mag[48] = "?", what[256];
        if (e->has_value)
            magnitude(e->kind, e->max_value, mag, sizeof mag);
        if (e->count == 1)
            snprintf(what, sizeof what, k->one, mag);
        else
            snprintf(what, sizeof what, k->many, mag);
        const char *strict = e->severity == OBJR__SEV_ERROR ? " (refused: --strict)" : "";
        if (e->count == 1)
            snprintf(buf, size, "1 %s; %s%s%s", what, k->fixed, strict, where);
        else
            snprintf(buf, size, "%zu %s; %s%s%s", e->count, what, k->fixed, strict, where);
        return;
    }
    if (strncmp(e->kind, "range:", 6) == 0) {
        /* first_message: "<parameter> outside the BS.2076 range [lo, hi] (first value v)" */
        snprintf(buf, size, "%zu value%s of %s; clamped to the range%s%s", e->count,
                 e->count == 1 ? "" : "s", e->first_message,
                 e->severity == OBJR__SEV_ERROR ? " (refused: --strict)" : "", where);
        return;
    }
    if (e->count > 1)
        snprintf(buf, size, "%s (and %zu more like it)", e->first_message, e->count - 1);
    else
        snprintf(buf, size, "%s", e->first_message);
}

/* ---------------------------------------------------------------------------------------- */
/* Block timing                                                                              */

/* b - a exactly, in a form objr__adm_time_format() writes back faithfully. */
static int time_sub(objr__adm_time b, objr__adm_time a, objr__adm_time *out) {
    objr__adm_time neg = a;
    neg.num = -a.num;
    if (!objr__adm_time_add(b, neg, out))
        return 0;
    if (out->form == OBJR__TIME_TIMECODE) {
        int64_t p = 1;
        uint8_t d = 0;
        while (p < out->den && d < 18) {
            p *= 10;
            d++;
        }
        if (p == out->den)
            out->n_digits = d;
        else {
            out->form = OBJR__TIME_FRACTIONAL;
            out->n_digits = 0;
        }
    }
    if (out->form == OBJR__TIME_FRACTIONAL) {
        /* fractional form writes the sample count below the second */
        int64_t frac = out->num % out->den, w = 1;
        uint8_t d = 1;
        while (frac >= w * 10 && d < 18) {
            w *= 10;
            d++;
        }
        out->n_digits = d;
    }
    return 1;
}

static const char *bid(const objr__adm_channel *c, const objr__adm_block_common *b) {
    return b->id[0] ? b->id : c->id;
}

/* Channel blocks: overlaps, gaps and missing durations resolved so that each block ends
 * where the next starts. */
static void fix_channel_timing(objr__adm_model *m, objr__adm_channel *c) {
    if (c->n_blocks < 2)
        return;
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        objr__adm_block_common *b = objr__adm_block_at(c, i);
        objr__adm_block_common *prev = i ? objr__adm_block_at(c, i - 1) : NULL;
        if (!b->has_rtime && !prev && b->has_duration) {
            b->rtime = (objr__adm_time){0, b->duration.den, b->duration.form, b->duration.n_digits};
            b->has_rtime = 1;
            objr__adm_report(m, "block_no_rtime", FIX, OBJR_OK, bid(c, b), b->line, -1.0,
                             "%s: first time-varying block without rtime: starts at 0", bid(c, b));
        }
        if (!b->has_rtime && prev && prev->has_rtime && prev->has_duration &&
            objr__adm_time_add(prev->rtime, prev->duration, &b->rtime)) {
            b->has_rtime = 1;
            objr__adm_report(m, "block_no_rtime", FIX, OBJR_OK, bid(c, b), b->line, -1.0,
                             "%s: time-varying block without rtime: starts where %s ends",
                             bid(c, b), bid(c, prev));
        }
        if (i + 1 == c->n_blocks) {
            if (!b->has_duration)
                objr__adm_report(m, "block_no_duration", FIX, OBJR_OK, bid(c, b), b->line, -1.0,
                                 "%s: last block without duration: lasts to the end", bid(c, b));
            break;
        }
        objr__adm_block_common *next = objr__adm_block_at(c, i + 1);
        if (!b->has_rtime || !next->has_rtime)
            continue; /* validation reports blocks it cannot place */
        if (objr__adm_time_cmp(next->rtime, b->rtime) < 0)
            continue; /* unordered: an error in validation */
        objr__adm_time want;
        if (!time_sub(next->rtime, b->rtime, &want))
            continue;
        if (!b->has_duration) {
            b->duration = want;
            b->has_duration = 1;
            objr__adm_report(m, "block_no_duration", FIX, OBJR_OK, bid(c, b), b->line, -1.0,
                             "%s: time-varying block without duration: lasts until %s starts",
                             bid(c, b), bid(c, next));
            continue;
        }
        int cmp = objr__adm_time_cmp(b->duration, want);
        if (cmp == 0)
            continue;
        double diff = fabs(objr__adm_time_seconds(b->duration) - objr__adm_time_seconds(want));
        int small = diff <= OBJR__ADM_ROUNDING_S * (1.0 + 1e-9);
        const char *kind = cmp > 0 ? (small ? "block_overlap" : "block_overlap_large")
                                   : (small ? "block_gap_rounding" : "block_gap");
        objr__adm_report(m, kind, FIX, OBJR_OK, bid(c, b), b->line, diff,
                         "%s: block %s its successor %s by %.6f s", bid(c, b),
                         cmp > 0 ? "overlaps" : "ends before", bid(c, next), diff);
        b->duration = want;
    }
}

/* interpolationLength is part of the block (BS.2076-2 §5.4.3.3.8): no longer than it. */
static void fix_interpolation(objr__adm_model *m, objr__adm_channel *c) {
    if (c->type != OBJR__TYPE_OBJECTS)
        return;
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        objr__adm_block_objects *b = &c->objects[i];
        if (!b->has_interpolation_length || !b->c.has_duration)
            continue;
        double d = objr__adm_time_seconds(b->c.duration);
        if (b->interpolation_length_s > d) {
            objr__adm_report(m, "interpolation_too_long", FIX, OBJR_OK, bid(c, &b->c), b->c.line,
                             b->interpolation_length_s - d,
                             "%s: interpolationLength %.6f s is longer than the block (%.6f s)",
                             bid(c, &b->c), b->interpolation_length_s, d);
            b->interpolation_length_s = d;
        }
    }
}

static int cmp_str_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 when the channel's block IDs (those written) increase in document order, as exporters
 * write them: none can then repeat, and no sort (which would read every block again, in no
 * order) is needed. */
static int ids_increase(const objr__adm_channel *c) {
    const char *prev = NULL;
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        const char *id = objr__adm_block_at(c, i)->id;
        if (!id[0])
            continue;
        if (prev && strcmp(prev, id) >= 0)
            return 0;
        prev = id;
    }
    return 1;
}

static void fix_duplicate_block_ids(objr__adm_model *m, objr__adm_channel *c) {
    if (c->n_blocks < 2 || ids_increase(c))
        return;
    const char **ids = objr__calloc(c->n_blocks, sizeof *ids);
    if (!ids)
        return;
    size_t n = 0;
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        if (objr__adm_block_at(c, i)->id[0])
            ids[n++] = objr__adm_block_at(c, i)->id;
    }
    qsort(ids, n, sizeof *ids, cmp_str_ptr);
    for (size_t i = 1; i < n; i++)
        if (strcmp(ids[i], ids[i - 1]) == 0) {
            long line = 0;
            for (size_t k = c->n_blocks; k-- > 0;)
                if (strcmp(objr__adm_block_at(c, k)->id, ids[i]) == 0) {
                    line = objr__adm_block_at(c, k)->line;
                    break;
                }
            objr__adm_report(m, "block_id_duplicate", FIX, OBJR_OK, ids[i], line, -1.0,
                             "%s: audioBlockFormat ID used twice in %s", ids[i], c->id);
        }
    objr__freep(&ids);
}

/* ---------------------------------------------------------------------------------------- */
/* Ranges (BS.2076-2 §5.4.3.3 Objects, §5.4.3.1 DirectSpeakers)                             */

static void clamp(objr__adm_model *m, const char *kind, const char *what, const char *id, long line,
                  double *v, double lo, double hi) {
    if (*v >= lo && *v <= hi)
        return;
    double c = *v < lo ? lo : hi;
    objr__adm_report(m, kind, FIX, OBJR_OK, id, line, fabs(*v - c),
                     "%s outside the BS.2076 range [%g, %g] (first value %g)", what, lo, hi, *v);
    *v = c;
}

/* An azimuth outside [-180, 180] is still an angle with one reading (200 is -160, as the
 * renderers' trigonometry takes it): wrapped, not clamped. */
static void wrap_azimuth(objr__adm_model *m, const char *id, long line, double *v) {
    if (*v >= -180.0 && *v <= 180.0)
        return;
    if (!isfinite(*v)) {
        clamp(m, "range:azimuth", "azimuth", id, line, v, -180.0, 180.0);
        return;
    }
    double w = fmod(*v + 180.0, 360.0);
    if (w < 0.0)
        w += 360.0;
    objr__adm_report(m, "azimuth_wrap", FIX, OBJR_OK, id, line, -1.0,
                     "%s: azimuth %g outside [-180, 180]: wrapped to %g", id, *v, w - 180.0);
    *v = w - 180.0;
}

static void fix_objects_ranges(objr__adm_model *m, objr__adm_channel *c) {
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        objr__adm_block_objects *b = &c->objects[i];
        const char *id = bid(c, &b->c);
        long l = b->c.line;
        if (b->pos.cartesian) {
            clamp(m, "range:X", "cartesian X", id, l, &b->pos.x, -1.0, 1.0);
            clamp(m, "range:Y", "cartesian Y", id, l, &b->pos.y, -1.0, 1.0);
            clamp(m, "range:Z", "cartesian Z", id, l, &b->pos.z, -1.0, 1.0);
            clamp(m, "range:cwidth", "cartesian width", id, l, &b->width, 0.0, 1.0);
            clamp(m, "range:cheight", "cartesian height", id, l, &b->height, 0.0, 1.0);
            clamp(m, "range:cdepth", "cartesian depth", id, l, &b->depth, 0.0, 1.0);
        } else {
            wrap_azimuth(m, id, l, &b->pos.azimuth_deg);
            clamp(m, "range:elevation", "elevation", id, l, &b->pos.elevation_deg, -90.0, 90.0);
            clamp(m, "range:distance", "distance", id, l, &b->pos.distance, 0.0, 1e6);
            clamp(m, "range:width", "polar width", id, l, &b->width, 0.0, 360.0);
            clamp(m, "range:height", "polar height", id, l, &b->height, 0.0, 360.0);
            clamp(m, "range:depth", "polar depth", id, l, &b->depth, 0.0, 1.0);
        }
        clamp(m, "range:diffuse", "diffuse", id, l, &b->diffuse, 0.0, 1.0);
        clamp(m, "range:divergence", "objectDivergence", id, l, &b->divergence, 0.0, 1.0);
        clamp(m, "range:azimuthRange", "objectDivergence azimuthRange", id, l,
              &b->divergence_azimuth_range_deg, 0.0, 180.0);
        if (b->has_channel_lock_max_distance)
            clamp(m, "range:maxDistance", "channelLock maxDistance", id, l,
                  &b->channel_lock_max_distance, 0.0, 2.0);
    }
}

static void fix_ds_ranges(objr__adm_model *m, objr__adm_channel *c) {
    for (size_t i = 0; i < c->n_blocks; i++) {
        objr__adm_release_blocks_at(i);
        objr__adm_block_direct_speakers *d = &c->direct_speakers[i];
        const char *id = bid(c, &d->c);
        if (d->cartesian) {
            clamp(m, "range:X", "cartesian X", id, d->c.line, &d->coord[0].value, -1.0, 1.0);
            clamp(m, "range:Y", "cartesian Y", id, d->c.line, &d->coord[1].value, -1.0, 1.0);
            clamp(m, "range:Z", "cartesian Z", id, d->c.line, &d->coord[2].value, -1.0, 1.0);
        } else {
            wrap_azimuth(m, id, d->c.line, &d->coord[0].value);
            clamp(m, "range:elevation", "elevation", id, d->c.line, &d->coord[1].value, -90.0,
                  90.0);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* IDs and programmes                                                                        */

/* A reference written in another case than the ID it names (AC_0001000A -> AC_0001000a):
 * case-sensitive readers lose the link; this one matches regardless of case. */
static void ref_case(objr__adm_model *m, objr__adm_kind kind, const objr__adm_ref *r,
                     const char *from, long line) {
    if (!r->id || r->idx < 0)
        return;
    const char *target = objr__adm_element_id(m, kind, r->idx);
    if (target && strcmp(target, r->id) != 0)
        objr__adm_report(m, "id_hex_case", FIX, OBJR_OK, from, line, -1.0,
                         "%s: refers to %s, written %s", from, target, r->id);
}

static void refs_case(objr__adm_model *m, objr__adm_kind kind, const objr__adm_refs *l,
                      const char *from, long line) {
    for (size_t i = 0; i < l->n; i++)
        ref_case(m, kind, &l->items[i], from, line);
}

static void fix_ids(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_programmes; i++)
        refs_case(m, OBJR__KIND_CONTENT, &m->programmes[i].contents, m->programmes[i].id,
                  m->programmes[i].line);
    for (size_t i = 0; i < m->n_contents; i++)
        refs_case(m, OBJR__KIND_OBJECT, &m->contents[i].objects, m->contents[i].id,
                  m->contents[i].line);
    for (size_t i = 0; i < m->n_objects; i++) {
        const objr__adm_object *o = &m->objects[i];
        refs_case(m, OBJR__KIND_PACK, &o->packs, o->id, o->line);
        refs_case(m, OBJR__KIND_OBJECT, &o->objects, o->id, o->line);
        refs_case(m, OBJR__KIND_UID, &o->track_uids, o->id, o->line);
    }
    for (size_t i = 0; i < m->n_packs; i++) {
        refs_case(m, OBJR__KIND_CHANNEL, &m->packs[i].channels, m->packs[i].id, m->packs[i].line);
        refs_case(m, OBJR__KIND_PACK, &m->packs[i].packs, m->packs[i].id, m->packs[i].line);
    }
    for (size_t i = 0; i < m->n_streams; i++) {
        const objr__adm_stream *x = &m->streams[i];
        ref_case(m, OBJR__KIND_CHANNEL, &x->channel, x->id, x->line);
        ref_case(m, OBJR__KIND_PACK, &x->pack, x->id, x->line);
        refs_case(m, OBJR__KIND_TRACK, &x->tracks, x->id, x->line);
    }
    for (size_t i = 0; i < m->n_tracks; i++)
        ref_case(m, OBJR__KIND_STREAM, &m->tracks[i].stream, m->tracks[i].id, m->tracks[i].line);
    for (size_t i = 0; i < m->n_uids; i++) {
        const objr__adm_uid *u = &m->uids[i];
        ref_case(m, OBJR__KIND_TRACK, &u->track, u->id, u->line);
        ref_case(m, OBJR__KIND_CHANNEL, &u->channel, u->id, u->line);
        ref_case(m, OBJR__KIND_PACK, &u->pack, u->id, u->line);
    }
}

static void fix_programmes(objr__adm_model *m) {
    for (size_t i = 0; i < m->n_programmes; i++) {
        objr__adm_programme *p = &m->programmes[i];
        if (p->has_start && p->has_end && objr__adm_time_cmp(p->end, p->start) < 0) {
            objr__adm_report(m, "programme_end_before_start", FIX, OBJR_OK, p->id, p->line, -1.0,
                             "%s: end %.6f s is before start %.6f s (end ignored)", p->id,
                             objr__adm_time_seconds(p->end), objr__adm_time_seconds(p->start));
            p->has_end = 0;
        }
    }
}

void objr__adm_fix(objr__adm_model *m) {
    if (!m || m->fixes_done)
        return;
    m->fixes_done = 1;
    fix_ids(m);
    fix_programmes(m);
    for (size_t i = 0; i < m->n_channels; i++) {
        objr__adm_channel *c = &m->channels[i];
        if (c->is_common || c->n_blocks == 0)
            continue;
        fix_duplicate_block_ids(m, c);
        fix_channel_timing(m, c);
        fix_interpolation(m, c);
        if (c->type == OBJR__TYPE_OBJECTS)
            fix_objects_ranges(m, c);
        else if (c->type == OBJR__TYPE_DIRECT_SPEAKERS)
            fix_ds_ranges(m, c);
        if (m->spill)
            objr__adm_release_blocks();
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Sample snapping of rounded times                                                          */

/* Most decimals a time may be written with and still be snapped (10 us). */
#define SNAP_MAX_DIGITS 5

static int snap(objr__adm_time *t, uint32_t rate_hz) {
    if (t->form != OBJR__TIME_TIMECODE || t->n_digits > SNAP_MAX_DIGITS || t->num < 0)
        return 0;
    double res = 1.0;
    for (int i = 0; i < t->n_digits; i++)
        res /= 10.0;
    double s = objr__adm_time_seconds(*t) * rate_hz;
    double k = floor(s + 0.5);
    if (fabs(s - k) / rate_hz > 0.5 * res * (1.0 + 1e-9) || k > 9.0e15)
        return 0;
    t->num = (int64_t)k;
    t->den = rate_hz;
    t->form = OBJR__TIME_FRACTIONAL;
    t->n_digits = 0;
    return 1;
}

void objr__adm_snap_to_rate(objr__adm_model *m, uint32_t rate_hz) {
    if (!m || rate_hz == 0)
        return;
    for (size_t i = 0; i < m->n_objects; i++) {
        objr__adm_object *o = &m->objects[i];
        if (!o->has_start)
            continue;
        objr__adm_time start = o->start, end, d;
        int has_end = o->has_duration && objr__adm_time_add(o->start, o->duration, &end);
        if (!snap(&start, rate_hz))
            continue;
        if (has_end && (!snap(&end, rate_hz) || !time_sub(end, start, &d)))
            continue;
        o->start = start;
        if (has_end)
            o->duration = d;
    }
    for (size_t i = 0; i < m->n_channels; i++) {
        objr__adm_channel *c = &m->channels[i];
        for (size_t k = 0; k < c->n_blocks; k++) {
            objr__adm_release_blocks_at(k);
            objr__adm_block_common *b = objr__adm_block_at(c, k);
            if (!b->has_rtime)
                continue;
            objr__adm_time end;
            int has_end = b->has_duration && objr__adm_time_add(b->rtime, b->duration, &end);
            /* an end that is the next block's start snaps with it (exact abutment kept) */
            if (has_end && k + 1 < c->n_blocks && objr__adm_block_at(c, k + 1)->has_rtime &&
                objr__adm_time_cmp(end, objr__adm_block_at(c, k + 1)->rtime) == 0)
                end = objr__adm_block_at(c, k + 1)->rtime;
            objr__adm_time start = b->rtime;
            if (!snap(&start, rate_hz))
                continue;
            if (has_end) {
                if (end.form == OBJR__TIME_TIMECODE && end.n_digits == 0)
                    end.n_digits = b->rtime.n_digits; /* sums keep the written precision */
                objr__adm_time on_grid = end;
                if (snap(&on_grid, rate_hz))
                    end = on_grid; /* else the end stays as written: the start still snaps,
                                    * so that blocks keep their order */
                objr__adm_time d;
                if (!time_sub(end, start, &d))
                    continue;
                b->duration = d;
            }
            b->rtime = start;
        }
        if (m->spill)
            objr__adm_release_blocks();
    }
}
