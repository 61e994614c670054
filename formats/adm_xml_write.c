/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM XML writer: the scene model as ebuCoreMain/coreMetadata/format/audioFormatExtended
 * (ITU-R BS.2076-2 §5, EBU Tech 3293 ebuCore wrapper), every parameter the reader keeps,
 * times in their original form, the mix.xml stem attributes, and no common-definition
 * elements that the document only referenced. */
#include "formats/adm_model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wbuf {
    char *p;
    size_t n, cap;
    int failed;
} wbuf;

static void put(wbuf *b, const char *s, size_t l) {
    if (b->failed)
        return;
    if (b->n + l + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->n + l + 1)
            nc *= 2;
        char *np = objr__realloc_array(b->p, nc, 1);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, l);
    b->n += l;
    b->p[b->n] = '\0';
}

static void puts_(wbuf *b, const char *s) {
    put(b, s, strlen(s));
}

static void pf(wbuf *b, const char *fmt, ...) OBJR_PRINTF(2, 3);
static void pf(wbuf *b, const char *fmt, ...) {
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int l = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (l < 0) {
        b->failed = 1;
        return;
    }
    put(b, tmp, (size_t)l < sizeof tmp ? (size_t)l : sizeof tmp - 1);
}

static void esc(wbuf *b, const char *s) {
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&':
            puts_(b, "&amp;");
            break;
        case '<':
            puts_(b, "&lt;");
            break;
        case '>':
            puts_(b, "&gt;");
            break;
        case '"':
            puts_(b, "&quot;");
            break;
        case '\'':
            puts_(b, "&apos;");
            break;
        /* attribute-value and line-end normalisation would change these on reading */
        case '\n':
            puts_(b, "&#10;");
            break;
        case '\r':
            puts_(b, "&#13;");
            break;
        case '\t':
            puts_(b, "&#9;");
            break;
        default:
            put(b, s, 1);
            break;
        }
    }
}

/* Shortest text that reads back as the same double. */
static void num(wbuf *b, double v) {
    char t[40];
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
    puts_(b, t);
}

static void attr_s(wbuf *b, const char *name, const char *v) {
    if (!v)
        return;
    pf(b, " %s=\"", name);
    esc(b, v);
    puts_(b, "\"");
}

static void attr_d(wbuf *b, const char *name, double v) {
    pf(b, " %s=\"", name);
    num(b, v);
    puts_(b, "\"");
}

static void attr_t(wbuf *b, const char *name, objr__adm_time t) {
    char s[OBJR__ADM_TIME_TEXT_SIZE];
    objr__adm_time_format(t, s, sizeof s);
    pf(b, " %s=\"%s\"", name, s);
}

static void ind(wbuf *b, int depth) {
    static const char sp[] = "                                                ";
    put(b, sp, (size_t)(depth * 2) < sizeof sp - 1 ? (size_t)depth * 2 : sizeof sp - 1);
}

static void el_s(wbuf *b, int d, const char *name, const char *v) {
    ind(b, d);
    pf(b, "<%s>", name);
    esc(b, v);
    pf(b, "</%s>\n", name);
}

static void el_d(wbuf *b, int d, const char *name, double v) {
    ind(b, d);
    pf(b, "<%s>", name);
    num(b, v);
    pf(b, "</%s>\n", name);
}

static void el_i(wbuf *b, int d, const char *name, long v) {
    ind(b, d);
    pf(b, "<%s>%ld</%s>\n", name, v, name);
}

static void refs(wbuf *b, int d, const char *name, const objr__adm_refs *r) {
    for (size_t i = 0; i < r->n; i++)
        el_s(b, d, name, r->items[i].id);
}

static void ref1(wbuf *b, int d, const char *name, const objr__adm_ref *r) {
    if (r->id)
        el_s(b, d, name, r->id);
}

static void labels(wbuf *b, int d, const char *name, const objr__adm_labels *l) {
    for (size_t i = 0; i < l->n; i++) {
        ind(b, d);
        pf(b, "<%s", name);
        attr_s(b, "language", l->items[i].language);
        puts_(b, ">");
        esc(b, l->items[i].text);
        pf(b, "</%s>\n", name);
    }
}

static void loudness(wbuf *b, int d, const objr__adm_loudness_list *l) {
    for (size_t i = 0; i < l->n; i++) {
        const objr__adm_loudness *x = &l->items[i];
        ind(b, d);
        puts_(b, "<loudnessMetadata");
        attr_s(b, "loudnessMethod", x->method);
        attr_s(b, "loudnessRecType", x->rec_type);
        attr_s(b, "loudnessCorrectionType", x->correction_type);
        puts_(b, ">\n");
        if (x->present & OBJR__LOUD_INTEGRATED)
            el_d(b, d + 1, "integratedLoudness", x->integrated_lufs);
        if (x->present & OBJR__LOUD_RANGE)
            el_d(b, d + 1, "loudnessRange", x->range_lu);
        if (x->present & OBJR__LOUD_TRUE_PEAK)
            el_d(b, d + 1, "maxTruePeak", x->max_true_peak_dbtp);
        if (x->present & OBJR__LOUD_MOMENTARY)
            el_d(b, d + 1, "maxMomentary", x->max_momentary_lufs);
        if (x->present & OBJR__LOUD_SHORT_TERM)
            el_d(b, d + 1, "maxShortTerm", x->max_short_term_lufs);
        if (x->present & OBJR__LOUD_DIALOGUE)
            el_d(b, d + 1, "dialogueLoudness", x->dialogue_lufs);
        ind(b, d);
        puts_(b, "</loudnessMetadata>\n");
    }
}

static void gain_el(wbuf *b, int d, double lin, double db, int was_db) {
    ind(b, d);
    if (was_db) {
        puts_(b, "<gain gainUnit=\"dB\">");
        num(b, db);
    } else {
        puts_(b, "<gain>");
        num(b, lin);
    }
    puts_(b, "</gain>\n");
}

static const char *type_def(int t) {
    static const char *const defs[] = {"",    "DirectSpeakers", "Matrix", "Objects",
                                       "HOA", "Binaural"};
    return t >= 1 && t <= 5 ? defs[t] : "";
}

static void type_attrs(wbuf *b, int t, int has_label, int has_def) {
    if (has_label || !has_def)
        pf(b, " typeLabel=\"%04d\"", t);
    if (has_def || !has_label)
        pf(b, " typeDefinition=\"%s\"", type_def(t));
}

static const char *norm_name(int n) {
    return n == OBJR__HOA_N3D ? "N3D" : n == OBJR__HOA_FUMA ? "FuMa" : "SN3D";
}

static const char *edge(uint8_t e, int vertical) {
    return e == 1 ? (vertical ? "bottom" : "left") : e == 2 ? (vertical ? "top" : "right") : NULL;
}

static void block_open(wbuf *b, int d, const objr__adm_block_common *c) {
    ind(b, d);
    puts_(b, "<audioBlockFormat");
    if (c->id[0])
        attr_s(b, "audioBlockFormatID", c->id);
    if (c->has_rtime)
        attr_t(b, "rtime", c->rtime);
    if (c->has_duration)
        attr_t(b, "duration", c->duration);
    puts_(b, ">\n");
}

static void block_common(wbuf *b, int d, const objr__adm_block_common *c) {
    if (c->has_gain)
        gain_el(b, d, c->gain, c->gain_db, c->gain_was_db);
    if (c->has_importance)
        el_i(b, d, "importance", c->importance);
    if (c->has_head_locked)
        el_i(b, d, "headLocked", c->head_locked);
    if (c->headphone_virtualise.present) {
        ind(b, d);
        pf(b, "<headphoneVirtualise bypass=\"%d\"", c->headphone_virtualise.bypass);
        if (c->headphone_virtualise.has_drr)
            attr_d(b, "DRR", c->headphone_virtualise.drr_db);
        puts_(b, "/>\n");
    }
}

static void pos_el(wbuf *b, int d, const char *coord, double v, const char *bound,
                   const char *lock) {
    ind(b, d);
    pf(b, "<position coordinate=\"%s\"", coord);
    if (bound)
        pf(b, " bound=\"%s\"", bound);
    if (lock)
        pf(b, " screenEdgeLock=\"%s\"", lock);
    puts_(b, ">");
    num(b, v);
    puts_(b, "</position>\n");
}

static void write_block_objects(wbuf *b, int d, const objr__adm_block_objects *x) {
    block_open(b, d, &x->c);
    const objr__adm_position *p = &x->pos;
    if (x->present & OBJR__OBJ_HAS_CARTESIAN)
        el_i(b, d + 1, "cartesian", p->cartesian);
    if (p->cartesian) {
        pos_el(b, d + 1, "X", p->x, NULL, edge(p->screen_edge_lock_x, 0));
        pos_el(b, d + 1, "Y", p->y, NULL, NULL);
        if (x->present & OBJR__OBJ_HAS_Z)
            pos_el(b, d + 1, "Z", p->z, NULL, edge(p->screen_edge_lock_z, 1));
    } else {
        pos_el(b, d + 1, "azimuth", p->azimuth_deg, NULL, edge(p->screen_edge_lock_azimuth, 0));
        if (x->present & OBJR__OBJ_HAS_ELEVATION)
            pos_el(b, d + 1, "elevation", p->elevation_deg, NULL,
                   edge(p->screen_edge_lock_elevation, 1));
        if (x->present & OBJR__OBJ_HAS_DISTANCE)
            pos_el(b, d + 1, "distance", p->distance, NULL, NULL);
    }
    block_common(b, d + 1, &x->c);
    if (x->present & OBJR__OBJ_HAS_WIDTH)
        el_d(b, d + 1, "width", x->width);
    if (x->present & OBJR__OBJ_HAS_HEIGHT)
        el_d(b, d + 1, "height", x->height);
    if (x->present & OBJR__OBJ_HAS_DEPTH)
        el_d(b, d + 1, "depth", x->depth);
    if (x->present & OBJR__OBJ_HAS_DIFFUSE)
        el_d(b, d + 1, "diffuse", x->diffuse);
    if (x->present & OBJR__OBJ_HAS_CHANNEL_LOCK) {
        ind(b, d + 1);
        puts_(b, "<channelLock");
        if (x->has_channel_lock_max_distance)
            attr_d(b, "maxDistance", x->channel_lock_max_distance);
        pf(b, ">%d</channelLock>\n", x->channel_lock);
    }
    if (x->has_divergence) {
        ind(b, d + 1);
        puts_(b, "<objectDivergence");
        if (x->has_divergence_azimuth_range)
            attr_d(b, "azimuthRange", x->divergence_azimuth_range_deg);
        if (x->has_divergence_position_range)
            attr_d(b, "positionRange", x->divergence_position_range);
        puts_(b, ">");
        num(b, x->divergence);
        puts_(b, "</objectDivergence>\n");
    }
    if (x->present & OBJR__OBJ_HAS_JUMP_POSITION) {
        ind(b, d + 1);
        puts_(b, "<jumpPosition");
        if (x->has_interpolation_length)
            attr_d(b, "interpolationLength", x->interpolation_length_s);
        pf(b, ">%d</jumpPosition>\n", x->jump_position);
    }
    if (x->present & OBJR__OBJ_HAS_SCREEN_REF)
        el_i(b, d + 1, "screenRef", x->screen_ref);
    if (x->present & OBJR__OBJ_HAS_ZONE_EXCLUSION) {
        ind(b, d + 1);
        puts_(b, "<zoneExclusion>\n");
        for (size_t i = 0; i < x->n_zones; i++) {
            const objr__adm_zone *z = &x->zones[i];
            ind(b, d + 2);
            puts_(b, "<zone");
            if (z->cartesian) {
                attr_d(b, "minX", z->min_x);
                attr_d(b, "maxX", z->max_x);
                attr_d(b, "minY", z->min_y);
                attr_d(b, "maxY", z->max_y);
                attr_d(b, "minZ", z->min_z);
                attr_d(b, "maxZ", z->max_z);
            } else {
                attr_d(b, "minElevation", z->min_elevation_deg);
                attr_d(b, "maxElevation", z->max_elevation_deg);
                attr_d(b, "minAzimuth", z->min_azimuth_deg);
                attr_d(b, "maxAzimuth", z->max_azimuth_deg);
            }
            puts_(b, ">");
            esc(b, z->label);
            puts_(b, "</zone>\n");
        }
        ind(b, d + 1);
        puts_(b, "</zoneExclusion>\n");
    }
    ind(b, d);
    puts_(b, "</audioBlockFormat>\n");
}

static void bounded(wbuf *b, int d, const char *coord, const objr__adm_bounded *c, int vertical,
                    int write_value) {
    const char *lock = edge(c->screen_edge_lock, vertical);
    if (write_value)
        pos_el(b, d, coord, c->value, NULL, lock);
    if (c->has_min)
        pos_el(b, d, coord, c->min, "min", write_value ? NULL : lock);
    if (c->has_max)
        pos_el(b, d, coord, c->max, "max", NULL);
}

static void write_block_ds(wbuf *b, int d, const objr__adm_block_direct_speakers *x) {
    block_open(b, d, &x->c);
    for (size_t i = 0; i < x->n_speaker_labels; i++)
        el_s(b, d + 1, "speakerLabel", x->speaker_labels[i]);
    if (x->has_cartesian_flag)
        el_i(b, d + 1, "cartesian", x->cartesian);
    if (x->cartesian) {
        bounded(b, d + 1, "X", &x->coord[0], 0, 1);
        bounded(b, d + 1, "Y", &x->coord[1], 0, 1);
        bounded(b, d + 1, "Z", &x->coord[2], 1, 1);
    } else {
        bounded(b, d + 1, "azimuth", &x->coord[0], 0, 1);
        bounded(b, d + 1, "elevation", &x->coord[1], 1, 1);
        if (x->has_distance)
            bounded(b, d + 1, "distance", &x->coord[2], 0, 1);
    }
    block_common(b, d + 1, &x->c);
    ind(b, d);
    puts_(b, "</audioBlockFormat>\n");
}

static void write_block_hoa(wbuf *b, int d, const objr__adm_block_hoa *x) {
    block_open(b, d, &x->c);
    if (x->has_order_degree) {
        el_i(b, d + 1, "order", x->order);
        el_i(b, d + 1, "degree", x->degree);
    }
    if (x->has_normalization)
        el_s(b, d + 1, "normalization", norm_name(x->normalization));
    if (x->has_nfc_ref_dist)
        el_d(b, d + 1, "nfcRefDist", x->nfc_ref_dist_m);
    if (x->has_screen_ref)
        el_i(b, d + 1, "screenRef", x->screen_ref);
    if (x->equation)
        el_s(b, d + 1, "equation", x->equation);
    block_common(b, d + 1, &x->c);
    ind(b, d);
    puts_(b, "</audioBlockFormat>\n");
}

static void write_block_matrix(wbuf *b, int d, const objr__adm_block_matrix *x) {
    block_open(b, d, &x->c);
    if (x->n_coefs) {
        ind(b, d + 1);
        puts_(b, "<matrix>\n");
        for (size_t i = 0; i < x->n_coefs; i++) {
            const objr__adm_matrix_coef *c = &x->coefs[i];
            ind(b, d + 2);
            puts_(b, "<coefficient");
            if (c->gain != 1.0)
                attr_d(b, "gain", c->gain);
            if (c->phase_deg != 0.0)
                attr_d(b, "phase", c->phase_deg);
            if (c->delay_ms != 0.0)
                attr_d(b, "delay", c->delay_ms);
            attr_s(b, "gainVar", c->gain_var);
            attr_s(b, "phaseVar", c->phase_var);
            attr_s(b, "delayVar", c->delay_var);
            puts_(b, ">");
            esc(b, c->input_channel_id);
            puts_(b, "</coefficient>\n");
        }
        ind(b, d + 1);
        puts_(b, "</matrix>\n");
    }
    if (x->output_channel_id[0])
        el_s(b, d + 1, "outputChannelFormatIDRef", x->output_channel_id);
    block_common(b, d + 1, &x->c);
    ind(b, d);
    puts_(b, "</audioBlockFormat>\n");
}

static void write_channel(wbuf *b, int d, const objr__adm_channel *c) {
    ind(b, d);
    puts_(b, "<audioChannelFormat");
    attr_s(b, "audioChannelFormatID", c->id);
    attr_s(b, "audioChannelFormatName", c->name);
    type_attrs(b, c->type, c->has_type_label, c->has_type_definition);
    puts_(b, ">\n");
    if (c->has_low_pass) {
        ind(b, d + 1);
        puts_(b, "<frequency typeDefinition=\"lowPass\">");
        num(b, c->low_pass_hz);
        puts_(b, "</frequency>\n");
    }
    if (c->has_high_pass) {
        ind(b, d + 1);
        puts_(b, "<frequency typeDefinition=\"highPass\">");
        num(b, c->high_pass_hz);
        puts_(b, "</frequency>\n");
    }
    for (size_t i = 0; i < c->n_blocks; i++) {
        switch (c->type) {
        case OBJR__TYPE_OBJECTS:
            write_block_objects(b, d + 1, &c->objects[i]);
            break;
        case OBJR__TYPE_DIRECT_SPEAKERS:
            write_block_ds(b, d + 1, &c->direct_speakers[i]);
            break;
        case OBJR__TYPE_HOA:
            write_block_hoa(b, d + 1, &c->hoa[i]);
            break;
        case OBJR__TYPE_MATRIX:
            write_block_matrix(b, d + 1, &c->matrix[i]);
            break;
        default:
            block_open(b, d + 1, &c->binaural[i].c);
            block_common(b, d + 2, &c->binaural[i].c);
            ind(b, d + 1);
            puts_(b, "</audioBlockFormat>\n");
            break;
        }
    }
    ind(b, d);
    puts_(b, "</audioChannelFormat>\n");
}

static void write_object(wbuf *b, int d, const objr__adm_object *o) {
    ind(b, d);
    puts_(b, "<audioObject");
    attr_s(b, "audioObjectID", o->id);
    attr_s(b, "audioObjectName", o->name);
    if (o->has_start)
        attr_t(b, "start", o->start);
    if (o->has_duration)
        attr_t(b, "duration", o->duration);
    if (o->dialogue >= 0)
        pf(b, " dialogue=\"%d\"", o->dialogue);
    if (o->importance >= 0)
        pf(b, " importance=\"%d\"", o->importance);
    if (o->has_interact)
        pf(b, " interact=\"%d\"", o->interact);
    if (o->has_disable_ducking)
        pf(b, " disableDucking=\"%d\"", o->disable_ducking);
    puts_(b, ">\n");
    refs(b, d + 1, "audioPackFormatIDRef", &o->packs);
    refs(b, d + 1, "audioObjectIDRef", &o->objects);
    refs(b, d + 1, "audioComplementaryObjectIDRef", &o->complementary);
    refs(b, d + 1, "audioTrackUIDRef", &o->track_uids);
    labels(b, d + 1, "audioObjectLabel", &o->labels);
    labels(b, d + 1, "audioComplementaryObjectGroupLabel", &o->complementary_group_labels);
    if (o->has_gain)
        gain_el(b, d + 1, o->gain, o->gain_db, o->gain_was_db);
    if (o->has_mute)
        el_i(b, d + 1, "mute", o->mute);
    if (o->has_head_locked)
        el_i(b, d + 1, "headLocked", o->head_locked);
    if (o->has_position_offset) {
        static const char *const pc[] = {"azimuth", "elevation", "distance"};
        static const char *const cc[] = {"X", "Y", "Z"};
        for (int i = 0; i < 3; i++) {
            if (!o->offset_present[i])
                continue;
            ind(b, d + 1);
            pf(b, "<positionOffset coordinate=\"%s\">",
               o->position_offset_cartesian ? cc[i] : pc[i]);
            num(b, o->offset[i]);
            puts_(b, "</positionOffset>\n");
        }
    }
    const objr__adm_interaction *it = &o->interaction;
    if (it->present) {
        ind(b, d + 1);
        pf(b, "<audioObjectInteraction onOffInteract=\"%d\"", it->on_off_interact);
        if (it->has_gain_interact)
            pf(b, " gainInteract=\"%d\"", it->gain_interact);
        if (it->has_position_interact)
            pf(b, " positionInteract=\"%d\"", it->position_interact);
        puts_(b, ">\n");
        if (it->has_gain_min) {
            ind(b, d + 2);
            puts_(b, "<gainInteractionRange bound=\"min\">");
            num(b, it->gain_min);
            puts_(b, "</gainInteractionRange>\n");
        }
        if (it->has_gain_max) {
            ind(b, d + 2);
            puts_(b, "<gainInteractionRange bound=\"max\">");
            num(b, it->gain_max);
            puts_(b, "</gainInteractionRange>\n");
        }
        for (size_t i = 0; i < it->n_position_ranges; i++) {
            ind(b, d + 2);
            puts_(b, "<positionInteractionRange");
            attr_s(b, "coordinate", it->position_ranges[i].coordinate);
            pf(b, " bound=\"%s\">", it->position_ranges[i].is_max ? "max" : "min");
            num(b, it->position_ranges[i].value);
            puts_(b, "</positionInteractionRange>\n");
        }
        ind(b, d + 1);
        puts_(b, "</audioObjectInteraction>\n");
    }
    ind(b, d);
    puts_(b, "</audioObject>\n");
}

static void write_pack(wbuf *b, int d, const objr__adm_pack *p) {
    ind(b, d);
    puts_(b, "<audioPackFormat");
    attr_s(b, "audioPackFormatID", p->id);
    attr_s(b, "audioPackFormatName", p->name);
    type_attrs(b, p->type, p->has_type_label, p->has_type_definition);
    if (p->importance >= 0)
        pf(b, " importance=\"%d\"", p->importance);
    puts_(b, ">\n");
    refs(b, d + 1, "audioChannelFormatIDRef", &p->channels);
    refs(b, d + 1, "audioPackFormatIDRef", &p->packs);
    refs(b, d + 1, "encodePackFormatIDRef", &p->encode_packs);
    refs(b, d + 1, "decodePackFormatIDRef", &p->decode_packs);
    ref1(b, d + 1, "inputPackFormatIDRef", &p->input_pack);
    ref1(b, d + 1, "outputPackFormatIDRef", &p->output_pack);
    if (p->has_absolute_distance)
        el_d(b, d + 1, "absoluteDistance", p->absolute_distance_m);
    if (p->has_normalization)
        el_s(b, d + 1, "normalization", norm_name(p->normalization));
    if (p->has_nfc_ref_dist)
        el_d(b, d + 1, "nfcRefDist", p->nfc_ref_dist_m);
    if (p->has_screen_ref)
        el_i(b, d + 1, "screenRef", p->screen_ref);
    ind(b, d);
    puts_(b, "</audioPackFormat>\n");
}

static void write_programme(wbuf *b, int d, const objr__adm_programme *p) {
    ind(b, d);
    puts_(b, "<audioProgramme");
    attr_s(b, "audioProgrammeID", p->id);
    attr_s(b, "audioProgrammeName", p->name);
    attr_s(b, "audioProgrammeLanguage", p->language);
    if (p->has_start)
        attr_t(b, "start", p->start);
    if (p->has_end)
        attr_t(b, "end", p->end);
    if (p->has_max_ducking_depth)
        attr_d(b, "maxDuckingDepth", p->max_ducking_depth_db);
    puts_(b, ">\n");
    refs(b, d + 1, "audioContentIDRef", &p->contents);
    loudness(b, d + 1, &p->loudness);
    if (p->screen.present) {
        const objr__adm_screen *s = &p->screen;
        ind(b, d + 1);
        puts_(b, "<audioProgrammeReferenceScreen");
        attr_d(b, "aspectRatio", s->aspect_ratio);
        puts_(b, ">\n");
        ind(b, d + 2);
        puts_(b, "<screenCentrePosition");
        if (s->cartesian) {
            attr_d(b, "X", s->centre_x);
            attr_d(b, "Y", s->centre_y);
            attr_d(b, "Z", s->centre_z);
        } else {
            attr_d(b, "azimuth", s->centre_azimuth_deg);
            attr_d(b, "elevation", s->centre_elevation_deg);
            attr_d(b, "distance", s->centre_distance);
        }
        puts_(b, "/>\n");
        ind(b, d + 2);
        puts_(b, "<screenWidth");
        attr_d(b, s->cartesian ? "X" : "azimuth", s->width);
        puts_(b, "/>\n");
        ind(b, d + 1);
        puts_(b, "</audioProgrammeReferenceScreen>\n");
    }
    labels(b, d + 1, "audioProgrammeLabel", &p->labels);
    ind(b, d);
    puts_(b, "</audioProgramme>\n");
}

static void write_content(wbuf *b, int d, const objr__adm_content *c) {
    static const char *const kinds[] = {"nonDialogueContentKind", "dialogueContentKind",
                                        "mixedContentKind"};
    ind(b, d);
    puts_(b, "<audioContent");
    attr_s(b, "audioContentID", c->id);
    attr_s(b, "audioContentName", c->name);
    attr_s(b, "audioContentLanguage", c->language);
    puts_(b, ">\n");
    refs(b, d + 1, "audioObjectIDRef", &c->objects);
    loudness(b, d + 1, &c->loudness);
    if (c->dialogue >= 0 && c->dialogue <= 2) {
        ind(b, d + 1);
        puts_(b, "<dialogue");
        if (c->content_kind >= 0)
            pf(b, " %s=\"%d\"", kinds[c->dialogue], c->content_kind);
        pf(b, ">%d</dialogue>\n", c->dialogue);
    }
    labels(b, d + 1, "audioContentLabel", &c->labels);
    ind(b, d);
    puts_(b, "</audioContent>\n");
}

objr_status objr__adm_xml_write(const objr__adm_model *m, char **out, size_t *len) {
    wbuf b = {0};
    *out = NULL;
    if (len)
        *len = 0;
    int uses_mix = 0;
    for (size_t i = 0; i < m->n_uids; i++)
        uses_mix |= m->uids[i].stem_file != NULL;
    puts_(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    puts_(&b, "<ebuCoreMain xmlns=\"urn:ebu:metadata-schema:ebuCore_2016\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"");
    if (uses_mix)
        puts_(&b, " xmlns:" OBJR_MIX_XML_PREFIX "=\"" OBJR_MIX_XML_NS "\"");
    puts_(&b, " schema=\"EBU_CORE_20161222.xsd\" version=\"1.7\">\n");
    puts_(&b, "  <coreMetadata>\n    <format>\n      <audioFormatExtended");
    attr_s(&b, "version", m->version);
    puts_(&b, ">\n");
    const int d = 4;
    for (size_t i = 0; i < m->n_programmes; i++)
        write_programme(&b, d, &m->programmes[i]);
    for (size_t i = 0; i < m->n_contents; i++)
        write_content(&b, d, &m->contents[i]);
    for (size_t i = 0; i < m->n_objects; i++)
        write_object(&b, d, &m->objects[i]);
    for (size_t i = 0; i < m->n_packs; i++)
        if (!m->packs[i].is_common)
            write_pack(&b, d, &m->packs[i]);
    for (size_t i = 0; i < m->n_channels; i++)
        if (!m->channels[i].is_common)
            write_channel(&b, d, &m->channels[i]);
    for (size_t i = 0; i < m->n_streams; i++) {
        const objr__adm_stream *s = &m->streams[i];
        if (s->is_common)
            continue;
        ind(&b, d);
        puts_(&b, "<audioStreamFormat");
        attr_s(&b, "audioStreamFormatID", s->id);
        attr_s(&b, "audioStreamFormatName", s->name);
        attr_s(&b, "formatLabel", s->format_label);
        attr_s(&b, "formatDefinition", s->format_definition);
        puts_(&b, ">\n");
        ref1(&b, d + 1, "audioChannelFormatIDRef", &s->channel);
        ref1(&b, d + 1, "audioPackFormatIDRef", &s->pack);
        refs(&b, d + 1, "audioTrackFormatIDRef", &s->tracks);
        ind(&b, d);
        puts_(&b, "</audioStreamFormat>\n");
    }
    for (size_t i = 0; i < m->n_tracks; i++) {
        const objr__adm_track *t = &m->tracks[i];
        if (t->is_common)
            continue;
        ind(&b, d);
        puts_(&b, "<audioTrackFormat");
        attr_s(&b, "audioTrackFormatID", t->id);
        attr_s(&b, "audioTrackFormatName", t->name);
        attr_s(&b, "formatLabel", t->format_label);
        attr_s(&b, "formatDefinition", t->format_definition);
        puts_(&b, ">\n");
        ref1(&b, d + 1, "audioStreamFormatIDRef", &t->stream);
        ind(&b, d);
        puts_(&b, "</audioTrackFormat>\n");
    }
    for (size_t i = 0; i < m->n_uids; i++) {
        const objr__adm_uid *u = &m->uids[i];
        ind(&b, d);
        puts_(&b, "<audioTrackUID");
        attr_s(&b, "UID", u->id);
        if (u->sample_rate_hz)
            pf(&b, " sampleRate=\"%u\"", (unsigned)u->sample_rate_hz);
        if (u->bit_depth)
            pf(&b, " bitDepth=\"%u\"", (unsigned)u->bit_depth);
        if (u->stem_file) {
            attr_s(&b, "objr:file", u->stem_file);
            pf(&b, " objr:channel=\"%u\"", (unsigned)u->stem_channel);
        }
        puts_(&b, ">\n");
        ref1(&b, d + 1, "audioTrackFormatIDRef", &u->track);
        ref1(&b, d + 1, "audioChannelFormatIDRef", &u->channel);
        ref1(&b, d + 1, "audioPackFormatIDRef", &u->pack);
        ind(&b, d);
        puts_(&b, "</audioTrackUID>\n");
    }
    puts_(&b, "      </audioFormatExtended>\n    </format>\n  </coreMetadata>\n</ebuCoreMain>\n");
    if (b.failed) {
        free(b.p);
        return OBJR_ERR_NOMEM;
    }
    *out = b.p;
    if (len)
        *len = b.n;
    return OBJR_OK;
}
