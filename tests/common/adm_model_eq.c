/* SPDX-License-Identifier: BSD-3-Clause */
/* Deep comparison of two ADM models (tests/common/adm_model_eq.h): moved out of the library,
 * which never compares models itself. */
#include "common/adm_model_eq.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

int test_adm_model_equal(const objr__adm_model *a, const objr__adm_model *b, char *why,
                         size_t why_size) {
    cmp_ctx c = {why, why_size, 1};
    if (why && why_size)
        why[0] = '\0';
    return model_eq(&c, a, b) && c.ok;
}
