/* SPDX-License-Identifier: BSD-3-Clause */
/* Every XML file of ../shared/adm-corpus: element counts, types, block counts, positions,
 * track links and common-definition resolution checked against what each file says (see its
 * MANIFEST.md), round trips XML -> model -> XML -> model, and the deliberately malformed
 * Dolby fixture read through its fixed deviations (refused under strict). Skips cleanly
 * without the corpus. */
#include "common/test_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/adm_model_eq.h"
#include "formats/adm_model.h"
#include "objrender/objr.h"

typedef struct expect {
    const char *file;
    size_t prog, cont, obj, pack, ch, blocks, stream, track, uid; /* defined in the file */
} expect;

static const expect corpus[] = {
    {"dolby-dolbye2sadm__5.1+2-1.sadm.xml", 2, 2, 2, 0, 0, 0, 0, 0, 8},
    {"dolby-dolbye2sadm__4x2-1.sadm.xml", 4, 4, 4, 0, 0, 0, 0, 0, 8},
    {"ebu-ear__matrix.xml", 1, 1, 1, 2, 4, 4, 2, 2, 2},
    {"itu-example__example5_22.2_two_languages.xml", 2, 2, 2, 1, 24, 24, 24, 24, 25},
    {"itu-example__example1_bs2094.xml", 1, 2, 2, 0, 0, 0, 0, 0, 4},
    {"itu-example__example1_custom_stereo.xml", 1, 2, 2, 1, 2, 2, 2, 2, 4},
    {"ebu-ear__defaults_v2.xml", 1, 1, 1, 1, 1, 1, 0, 0, 1},
    {"bbc-eps__panned_noise_adm.xml", 1, 1, 1, 1, 1, 24, 1, 1, 1},
    {"ebu-eps__jp_3_jump_position_interpolate.xml", 1, 1, 1, 1, 1, 3, 1, 1, 1},
    {"ebu-eps__jp_4_zero_length.xml", 1, 1, 1, 1, 1, 6, 1, 1, 1},
    {"ebu-eps__nesting1b-same_for_directspeakers.xml", 1, 1, 1, 2, 2, 2, 2, 2, 2},
    {"ebu-eps__nesting3-1ao_reffing_2ao.xml", 1, 1, 3, 2, 2, 2, 2, 2, 2},
    {"ebu-eps__nesting6b-shared_child_ao.xml", 1, 1, 4, 2, 2, 2, 2, 2, 2},
    {"bbc-libadm__kitchen_sink.xml", 2, 8, 9, 7, 16, 19, 15, 16, 19},
    {"libadm-gen__mixed_objects_and_structures.xml", 0, 0, 5, 4, 4, 0, 2, 2, 10},
    {"libadm-gen__loudness_metadata.xml", 1, 1, 0, 0, 0, 0, 0, 0, 0},
    {"libadm-gen__optional_defaults.xml", 1, 1, 1, 1, 1, 4, 1, 1, 1},
    {"libadm-gen__headphone_virtualise.xml", 0, 0, 0, 0, 3, 3, 0, 0, 0},
    {"libadm-test__block_format_objects_all_params.xml", 0, 0, 0, 0, 1, 3, 0, 0, 0},
    {"libadm-test__direct_speakers_cartesian_bounds.xml", 0, 0, 0, 0, 1, 1, 0, 0, 0},
    {"libadm-test__block_format_hoa.xml", 0, 0, 0, 0, 1, 2, 0, 0, 0},
    {"libadm-test__time_format_fractional.xml", 1, 0, 0, 0, 2, 2, 0, 0, 0},
    {"libadm-test__labels.xml", 1, 1, 1, 0, 0, 0, 0, 0, 0},
    {"libadm-test__object_interaction.xml", 0, 0, 2, 0, 0, 0, 0, 0, 0},
    {"libadm-test__complementary_objects.xml", 0, 0, 2, 0, 0, 0, 0, 0, 0},
};

#define N_CORPUS (sizeof corpus / sizeof corpus[0])

static objr_adm *load(const char *name) {
    const char *path = objr_test_corpus_path(name);
    if (!path)
        return NULL;
    objr_adm *a = NULL;
    objr_diag d;
    objr_status st = objr_adm_load_file(path, NULL, &a, &d);
    ck_assert_msg(st == OBJR_OK, "%s: %s", name, d.message);
    return a;
}

static size_t own(const objr__adm_model *m, objr__adm_kind k, size_t *blocks) {
    size_t n = 0;
    switch (k) {
    case OBJR__KIND_PACK:
        for (size_t i = 0; i < m->n_packs; i++)
            n += !m->packs[i].is_common;
        return n;
    case OBJR__KIND_CHANNEL:
        for (size_t i = 0; i < m->n_channels; i++)
            if (!m->channels[i].is_common) {
                n++;
                *blocks += m->channels[i].n_blocks;
            }
        return n;
    case OBJR__KIND_STREAM:
        for (size_t i = 0; i < m->n_streams; i++)
            n += !m->streams[i].is_common;
        return n;
    default:
        for (size_t i = 0; i < m->n_tracks; i++)
            n += !m->tracks[i].is_common;
        return n;
    }
}

START_TEST(counts_and_round_trip) {
    const expect *e = &corpus[_i];
    objr_adm *a = load(e->file);
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    size_t blocks = 0;
    ck_assert_uint_eq(m->n_programmes, e->prog);
    ck_assert_uint_eq(m->n_contents, e->cont);
    ck_assert_uint_eq(m->n_objects, e->obj);
    ck_assert_uint_eq(own(m, OBJR__KIND_PACK, NULL), e->pack);
    ck_assert_uint_eq(own(m, OBJR__KIND_CHANNEL, &blocks), e->ch);
    ck_assert_uint_eq(blocks, e->blocks);
    ck_assert_uint_eq(own(m, OBJR__KIND_STREAM, NULL), e->stream);
    ck_assert_uint_eq(own(m, OBJR__KIND_TRACK, NULL), e->track);
    ck_assert_uint_eq(m->n_uids, e->uid);
    /* every object's pack reference resolved (to the file or the common definitions) */
    for (size_t i = 0; i < m->n_objects; i++)
        for (size_t k = 0; k < m->objects[i].packs.n; k++)
            ck_assert_int_ge(m->objects[i].packs.items[k].idx, 0);
    /* XML -> model -> XML -> model: identical models and identical text */
    char *x1 = NULL, *x2 = NULL;
    size_t l1, l2;
    ck_assert_int_eq(objr_adm_write_mem(a, &x1, &l1), OBJR_OK);
    objr_adm *b = NULL;
    objr_diag d;
    ck_assert_msg(objr_adm_parse_mem(x1, l1, NULL, &b, &d) == OBJR_OK, "%s: %s", e->file,
                  d.message);
    char why[256];
    ck_assert_msg(test_adm_model_equal(m, objr__adm_get_model(b), why, sizeof why), "%s: %s",
                  e->file, why);
    ck_assert_int_eq(objr_adm_write_mem(b, &x2, &l2), OBJR_OK);
    ck_assert_str_eq(x1, x2);
    free(x1);
    free(x2);
    objr_adm_destroy(b);
    objr_adm_destroy(a);
}
END_TEST

static int32_t find(const objr__adm_model *m, objr__adm_kind k, const char *id) {
    int32_t i = objr__adm_find(m, k, id);
    ck_assert_msg(i >= 0, "%s not found", id);
    return i;
}

START_TEST(sadm_dolby_51) {
    objr_adm *a = load("dolby-dolbye2sadm__5.1+2-1.sadm.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    objr_adm_object_info o;
    ck_assert_int_eq(objr_adm_get_object(a, 0, &o), OBJR_OK);
    ck_assert_str_eq(o.id, "AO_1001");
    ck_assert_int_eq(o.type, OBJR_ADM_TYPE_DIRECT_SPEAKERS);
    ck_assert_uint_eq(o.n_track_uids, 6);
    int32_t p = find(m, OBJR__KIND_PACK, "AP_00010003");
    ck_assert_str_eq(objr__adm_pack_layout_name(m, p), "0+5+0");
    /* ATU_00000001..6 -> tracks 1..6 (transportTrackFormat), channels AC_00010001..6 */
    static const char *const labels[] = {"M+030", "M-030", "M+000", "LFE1", "M+110", "M-110"};
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "ATU_%08d", i + 1);
        int32_t u = find(m, OBJR__KIND_UID, id);
        ck_assert_uint_eq(m->uids[u].track_index, (unsigned)i + 1);
        int32_t c = objr__adm_uid_channel(m, u);
        ck_assert_int_ge(c, 0);
        char lab[32];
        objr__adm_label_normalise(m->channels[c].direct_speakers[0].speaker_labels[0], lab,
                                  sizeof lab);
        ck_assert_str_eq(lab, labels[i]);
        /* the channel is part of the referenced pack, in pack order */
        ck_assert_int_eq(m->packs[p].flat_channels[i], c);
    }
    ck_assert_double_eq(m->programmes[0].loudness.items[0].dialogue_lufs, -20.0);
    ck_assert_int_eq(m->contents[0].dialogue, 2);
    ck_assert_int_eq(m->contents[0].content_kind, 1);
    ck_assert_int_eq(m->programmes[0].start.form, OBJR__TIME_TIMECODE);
    objr_adm_destroy(a);
}
END_TEST

/* The pmd_tool fixture writes typeDefinition="Object" and leaves ten channels untyped: both
 * have one reading (fixed kinds, counted once each); --strict refuses it, naming the file,
 * the type and the element. */
START_TEST(malformed_dolby_tolerated) {
    const char *path = objr_test_corpus_path("dolby-pmdtool__sadm_malformed.xml");
    if (!path)
        return;
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_load_file(path, NULL, &a, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    size_t near = 0, from_id = 0;
    for (size_t i = 0; i < objr_adm_finding_count(a); i++) {
        objr_adm_finding f;
        ck_assert_int_eq(objr_adm_get_finding(a, i, &f), OBJR_OK);
        if (!strcmp(f.kind, "type_definition_near_miss"))
            near = f.count;
        if (!strcmp(f.kind, "type_from_id"))
            from_id = f.count;
    }
    ck_assert_uint_eq(near, 4);     /* four packs say "Object" */
    ck_assert_uint_eq(from_id, 10); /* ten channels carry no type attribute */
    objr_adm_destroy(a);

    objr_adm_config cfg = objr_adm_config_default();
    cfg.strict = 1; /* the fixes become errors when validating */
    ck_assert_int_eq(objr_adm_load_file(path, &cfg, &a, &d), OBJR_OK);
    ck_assert_int_ne(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    int named = 0;
    for (size_t i = 0; i < n; i++)
        named |= p[i].severity == OBJR_ADM_ERROR && p[i].element_id[0] &&
                 strstr(p[i].message, "\"Object\"") != NULL;
    ck_assert_msg(named, "no error names the element and the type \"Object\"");
    objr_adm_destroy(a);
}
END_TEST

START_TEST(panned_noise_positions) {
    objr_adm *a = load("bbc-eps__panned_noise_adm.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    const objr__adm_channel *c = &m->channels[find(m, OBJR__KIND_CHANNEL, "AC_00031001")];
    ck_assert_uint_eq(c->n_blocks, 24);
    for (size_t i = 1; i < 3; i++) {
        ck_assert_double_eq(c->objects[i].pos.azimuth_deg, 15.0 * (double)i);
        ck_assert_double_eq(objr__adm_time_seconds(c->objects[i].c.rtime), 0.5 * (double)i);
        ck_assert_double_eq(objr__adm_time_seconds(c->objects[i].c.duration), 0.5);
    }
    /* full chain ATU -> AT -> AS -> AC is not given in this file: ATU has no refs */
    ck_assert_int_eq(objr__adm_uid_channel(m, 0), -1);
    ck_assert_int_eq(m->objects[0].track_uids.items[0].idx, 0);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(jump_position_and_zero_length) {
    objr_adm *a = load("ebu-eps__jp_3_jump_position_interpolate.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    const objr__adm_block_objects *b = m->channels[0].objects;
    ck_assert_int_eq(b[0].jump_position, 1);
    ck_assert_double_eq(b[0].interpolation_length_s, 0.3);
    ck_assert_int_eq(b[0].c.rtime.den, 1000000000); /* ns timecodes */
    objr_adm_destroy(a);
    a = load("ebu-eps__jp_4_zero_length.xml");
    m = objr__adm_get_model(a);
    b = m->channels[0].objects;
    ck_assert_int_eq(b[0].c.duration.num, 0);
    ck_assert_double_eq(b[0].pos.distance, 60.0);
    ck_assert_double_eq(b[1].pos.distance, 20.0);
    const objr_adm_problem *p;
    size_t n;
    /* zero-length first block followed by one at the same rtime: not an overlap */
    ck_assert_int_eq(objr_adm_validate(a, 0, &p, &n), OBJR_OK);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(nesting) {
    objr_adm *a = load("ebu-eps__nesting1b-same_for_directspeakers.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    int32_t parent = find(m, OBJR__KIND_PACK, "AP_00011001");
    ck_assert_uint_eq(m->packs[parent].n_flat_channels, 2);
    objr_adm_destroy(a);
    a = load("ebu-eps__nesting6b-shared_child_ao.xml");
    m = objr__adm_get_model(a);
    int32_t shared = find(m, OBJR__KIND_OBJECT, "AO_1003");
    int32_t p1 = find(m, OBJR__KIND_OBJECT, "AO_1001"), p2 = find(m, OBJR__KIND_OBJECT, "AO_1002");
    ck_assert_int_eq(m->objects[p1].objects.items[0].idx, shared);
    ck_assert_int_eq(m->objects[p2].objects.items[0].idx, shared);
    /* topological order: both parents before the shared child */
    int pos[8] = {0};
    for (size_t i = 0; i < m->n_objects; i++)
        pos[m->object_order[i]] = (int)i;
    ck_assert_int_lt(pos[p1], pos[shared]);
    ck_assert_int_lt(pos[p2], pos[shared]);
    objr_adm_destroy(a);
    a = load("ebu-eps__nesting3-1ao_reffing_2ao.xml");
    m = objr__adm_get_model(a);
    ck_assert_uint_eq(m->objects[m->object_order[0]].objects.n, 2);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(itu_examples) {
    objr_adm *a = load("itu-example__example1_bs2094.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    /* AT_00010001_01 (common definitions only) -> AC_00010001 M+030 */
    int32_t u = find(m, OBJR__KIND_UID, "ATU_00000001");
    ck_assert_str_eq(m->channels[objr__adm_uid_channel(m, u)].id, "AC_00010001");
    objr_adm_destroy(a);
    a = load("itu-example__example1_custom_stereo.xml");
    m = objr__adm_get_model(a);
    ck_assert_str_eq(objr__adm_pack_layout_name(m, 0), "0+2+0"); /* 'M+30' short labels */
    objr_adm_destroy(a);
    a = load("itu-example__example5_22.2_two_languages.xml");
    m = objr__adm_get_model(a);
    ck_assert_str_eq(m->programmes[0].id, "APG_1001"); /* legacy IDs */
    int32_t p = -1;
    for (size_t i = 0; i < m->n_packs; i++)
        if (!m->packs[i].is_common)
            p = (int32_t)i;
    ck_assert_uint_eq(m->packs[p].n_flat_channels, 24);
    ck_assert_str_eq(objr__adm_pack_layout_name(m, p), "9+10+3");
    objr_adm_destroy(a);
}
END_TEST

START_TEST(kitchen_sink) {
    objr_adm *a = load("bbc-libadm__kitchen_sink.xml");
    if (!a)
        return;
    const objr__adm_model *m = objr__adm_get_model(a);
    int types[6] = {0};
    for (size_t i = 0; i < m->n_channels; i++)
        types[m->channels[i].type]++;
    for (int t = 1; t <= 5; t++)
        ck_assert_int_gt(types[t], 0);
    const objr__adm_channel *c = &m->channels[find(m, OBJR__KIND_CHANNEL, "AC_00031003")];
    ck_assert_int_eq(c->objects[0].channel_lock, 1);
    ck_assert_double_eq(c->objects[0].channel_lock_max_distance, 0.4);
    ck_assert_double_eq(c->objects[0].divergence, 0.4);
    ck_assert_double_eq(c->objects[0].divergence_azimuth_range_deg, 20.0);
    ck_assert_uint_eq(c->objects[0].n_zones, 2);
    ck_assert_int_eq(c->objects[0].zones[0].cartesian, 1);
    const objr__adm_channel *low = &m->channels[find(m, OBJR__KIND_CHANNEL, "AC_00011001")];
    ck_assert_double_eq(low->low_pass_hz, 150.0);
    /* BS.2127: low-pass at or below 200 Hz makes it an LFE; 2 kHz does not */
    ck_assert(objr__adm_channel_is_lfe(m, find(m, OBJR__KIND_CHANNEL, "AC_00011001")));
    ck_assert(!objr__adm_channel_is_lfe(m, find(m, OBJR__KIND_CHANNEL, "AC_00011002")));
    const objr__adm_channel *mx = &m->channels[find(m, OBJR__KIND_CHANNEL, "AC_00021001")];
    ck_assert_double_eq(mx->matrix[0].coefs[0].gain, 0.2);
    ck_assert_double_eq(mx->matrix[0].coefs[0].phase_deg, -90.0);
    ck_assert_str_eq(mx->matrix[0].coefs[1].gain_var, "gv1");
    ck_assert_str_eq(m->channels[mx->matrix[0].coefs[0].input_channel].id, "AC_00010001");
    const objr__adm_programme *p = &m->programmes[0];
    ck_assert_double_eq(p->max_ducking_depth_db, -8.0);
    ck_assert_double_eq(p->screen.centre_azimuth_deg, 20.0);
    ck_assert_double_eq(m->programmes[1].loudness.items[0].dialogue_lufs, -23.8);
    ck_assert_int_eq(m->programmes[1].screen.cartesian, 1);
    int32_t o = find(m, OBJR__KIND_OBJECT, "AO_1001");
    ck_assert_int_eq(m->objects[o].complementary.items[0].idx,
                     find(m, OBJR__KIND_OBJECT, "AO_1002"));
    ck_assert_double_eq(m->objects[o].interaction.gain_min, -20.0);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(libadm_parameters) {
    objr_adm *a = load("libadm-test__block_format_objects_all_params.xml");
    if (!a)
        return;
    const objr__adm_block_objects *b = objr__adm_get_model(a)->channels[0].objects;
    ck_assert_double_eq(b[0].width, 45.0);
    ck_assert_double_eq(b[0].height, 20.0);
    ck_assert_double_eq(b[0].depth, 0.2);
    ck_assert_double_eq(b[0].diffuse, 0.5);
    ck_assert_double_eq(b[0].divergence_position_range, 0.25);
    ck_assert_double_eq(b[0].interpolation_length_s, 0.2);
    ck_assert_double_eq_tol(b[1].c.gain, pow(10.0, -6.0 / 20.0), 1e-12);
    ck_assert(b[1].c.gain_was_db);
    objr_adm_destroy(a);
    a = load("libadm-test__direct_speakers_cartesian_bounds.xml");
    const objr__adm_block_direct_speakers *d = objr__adm_get_model(a)->channels[0].direct_speakers;
    ck_assert_int_eq(d->cartesian, 1); /* inferred: no <cartesian> element */
    ck_assert_int_eq(d->has_cartesian_flag, 0);
    ck_assert_double_eq(d->coord[2].value, 0.5);
    ck_assert_double_eq(d->coord[2].min, 0.4);
    ck_assert_double_eq(d->coord[2].max, 0.6);
    ck_assert_int_eq(d->coord[0].screen_edge_lock, 1);
    objr_adm_destroy(a);
    a = load("libadm-test__block_format_hoa.xml");
    const objr__adm_block_hoa *h = objr__adm_get_model(a)->channels[0].hoa;
    ck_assert_double_eq(h[0].nfc_ref_dist_m, 2.0);
    ck_assert_str_eq(h[0].equation, "cos(A)*sin(E)");
    ck_assert_int_eq(h[1].normalization, OBJR__HOA_N3D);
    ck_assert_double_eq(h[0].c.headphone_virtualise.drr_db, 60.0);
    objr_adm_destroy(a);
    a = load("libadm-test__time_format_fractional.xml");
    const objr__adm_model *m = objr__adm_get_model(a);
    ck_assert_int_eq(m->channels[0].direct_speakers[0].c.rtime.form, OBJR__TIME_FRACTIONAL);
    ck_assert_double_eq(objr__adm_time_seconds(m->channels[0].direct_speakers[0].c.duration), 1.25);
    objr_adm_destroy(a);
    a = load("libadm-gen__loudness_metadata.xml");
    m = objr__adm_get_model(a);
    ck_assert_uint_ge(m->programmes[0].loudness.n, 2);
    ck_assert_str_eq(m->programmes[0].loudness.items[1].method, "proprietary");
    objr_adm_destroy(a);
    a = load("libadm-gen__mixed_objects_and_structures.xml");
    m = objr__adm_get_model(a);
    for (size_t i = 0; i < m->n_uids; i++)
        ck_assert_msg(objr__adm_uid_channel(m, (int32_t)i) >= 0, "%s", m->uids[i].id);
    objr_adm_destroy(a);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* The ADM BWF files of the corpus: their axml parsed, their chna merged (a minimal RIFF
 * chunk walk here in the test; the real BWF reader lives in formats/bwf_*). */

typedef struct wav_adm {
    unsigned char *file;
    const char *axml;
    size_t axml_len;
    objr_bwf_chna_entry entries[64];
    size_t n_entries;
    unsigned n_channels;
} wav_adm;

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void copy_field(char *dst, const unsigned char *src, size_t n) {
    size_t l = 0;
    while (l < n && src[l] && src[l] != ' ')
        l++;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

static int load_wav(const char *name, wav_adm *w) {
    const char *path = objr_test_corpus_path(name);
    if (!path)
        return 0;
    size_t size = 0;
    memset(w, 0, sizeof *w);
    w->file = objr_test_read_file(path, &size);
    ck_assert_ptr_nonnull(w->file);
    ck_assert_uint_ge(size, 12);
    size_t pos = 12;
    while (pos + 8 <= size) {
        uint32_t n = le32(w->file + pos + 4);
        const unsigned char *body = w->file + pos + 8;
        if (pos + 8 + n > size)
            break;
        if (memcmp(w->file + pos, "fmt ", 4) == 0)
            w->n_channels = (unsigned)body[2] | (unsigned)body[3] << 8;
        else if (memcmp(w->file + pos, "axml", 4) == 0) {
            w->axml = (const char *)body;
            w->axml_len = n;
        } else if (memcmp(w->file + pos, "chna", 4) == 0) {
            unsigned n_uids = (unsigned)body[2] | (unsigned)body[3] << 8;
            for (unsigned i = 0; i < n_uids && i < 64 && 4 + 40 * (i + 1) <= n; i++) {
                const unsigned char *e = body + 4 + 40 * i;
                objr_bwf_chna_entry *c = &w->entries[w->n_entries];
                c->track_index = (uint16_t)(e[0] | e[1] << 8);
                copy_field(c->uid, e + 2, 12);
                copy_field(c->track_ref, e + 14, 14);
                copy_field(c->pack_ref, e + 28, 11);
                if (c->track_index)
                    w->n_entries++;
            }
        }
        pos += 8 + n + (n & 1);
    }
    ck_assert_ptr_nonnull(w->axml);
    return 1;
}

static const char *const wav_files[] = {"bbc-bmx__adm_1.wav",
                                        "bbc-eps__channels_mono_adm.wav",
                                        "ebu-ear__test_bwf.wav",
                                        "ebu-eps__hoa_4ch_1stOrderAmbix_commondef.wav",
                                        "ebu-eps__hoa_4ch_bwf_1stOrderAmbix.wav",
                                        "ebu-eps__three_ao-one_atu.wav",
                                        "ebu-eps__two_prog.wav"};

START_TEST(bwf_axml_and_chna) {
    wav_adm w;
    if (!load_wav(wav_files[_i], &w))
        return;
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_msg(objr_adm_parse_mem(w.axml, w.axml_len, NULL, &a, &d) == OBJR_OK, "%s: %s",
                  wav_files[_i], d.message);
    ck_assert_msg(objr_adm_apply_chna(a, w.entries, w.n_entries, &d) == OBJR_OK, "%s: %s",
                  wav_files[_i], d.message);
    const objr_adm_problem *p;
    size_t n;
    objr_status st = objr_adm_validate(a, w.n_channels, &p, &n);
    for (size_t i = 0; i < n; i++)
        if (p[i].severity == OBJR_ADM_ERROR)
            fprintf(stderr, "%s: %s %s\n", wav_files[_i], p[i].element_id, p[i].message);
    ck_assert_msg(st == OBJR_OK, "%s: %s", wav_files[_i], objr_strerror(st));
    /* every UID of every object now sits on a track of the file and carries a channel */
    const objr__adm_model *m = objr__adm_get_model(a);
    for (size_t o = 0; o < m->n_objects; o++)
        for (size_t k = 0; k < m->objects[o].track_uids.n; k++) {
            const objr__adm_uid *u = &m->uids[m->objects[o].track_uids.items[k].idx];
            ck_assert_msg(u->track_index >= 1 && u->track_index <= w.n_channels, "%s %s",
                          wav_files[_i], u->id);
            ck_assert_msg(objr__adm_uid_channel(m, m->objects[o].track_uids.items[k].idx) >= 0,
                          "%s %s", wav_files[_i], u->id);
        }
    objr_adm_destroy(a);
    free(w.file);
}
END_TEST

START_TEST(bwf_specific_links) {
    wav_adm w;
    if (!load_wav("bbc-bmx__adm_1.wav", &w))
        return;
    objr_adm *a = NULL;
    objr_diag d;
    ck_assert_int_eq(objr_adm_parse_mem(w.axml, w.axml_len, NULL, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_apply_chna(a, w.entries, w.n_entries, &d), OBJR_OK);
    /* bmx: two stereo objects via AP_00010002, tracks 1..4, channels L R L R */
    static const char *const ch[] = {"AC_00010001", "AC_00010002", "AC_00010001", "AC_00010002"};
    for (size_t i = 0; i < 4; i++) {
        objr_adm_track_uid_info u;
        ck_assert_int_eq(objr_adm_get_track_uid(a, i, &u), OBJR_OK);
        ck_assert_uint_eq(u.track_index, i + 1);
        ck_assert_str_eq(u.channel_id, ch[i]);
        ck_assert_str_eq(u.pack_id, "AP_00010002");
    }
    objr_adm_destroy(a);
    free(w.file);
    /* EAR test file: 5 UIDs on 4 tracks (two UIDs share a track) */
    if (!load_wav("ebu-ear__test_bwf.wav", &w))
        return;
    ck_assert_int_eq(objr_adm_parse_mem(w.axml, w.axml_len, NULL, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_apply_chna(a, w.entries, w.n_entries, &d), OBJR_OK);
    ck_assert_uint_eq(w.n_entries, 5);
    ck_assert_uint_eq(w.n_channels, 4);
    const objr__adm_model *m = objr__adm_get_model(a);
    unsigned per_track[5] = {0};
    for (size_t i = 0; i < m->n_uids; i++)
        per_track[m->uids[i].track_index]++;
    ck_assert_uint_eq(per_track[0], 0);
    ck_assert_uint_eq(per_track[1] + per_track[2] + per_track[3] + per_track[4], 5);
    /* the LFE channel carries its low-pass frequency */
    int lfe = 0;
    for (size_t i = 0; i < m->n_channels; i++)
        lfe |= m->channels[i].has_low_pass;
    ck_assert(lfe);
    objr_adm_destroy(a);
    free(w.file);
    /* HOA via common definitions only: AP_00040001 = 4 channels ACN 0..3 */
    if (!load_wav("ebu-eps__hoa_4ch_1stOrderAmbix_commondef.wav", &w))
        return;
    ck_assert_int_eq(objr_adm_parse_mem(w.axml, w.axml_len, NULL, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_apply_chna(a, w.entries, w.n_entries, &d), OBJR_OK);
    m = objr__adm_get_model(a);
    for (size_t i = 0; i < m->n_uids; i++) {
        const objr__adm_channel *c = &m->channels[objr__adm_uid_channel(m, (int32_t)i)];
        ck_assert_int_eq(c->type, OBJR__TYPE_HOA);
        int o = c->hoa[0].order, g = c->hoa[0].degree;
        ck_assert_int_eq(o * o + o + g + 1, (int)m->uids[i].track_index);
    }
    objr_adm_destroy(a);
    free(w.file);
    /* deliberately inconsistent: mono pack AP_00010001 but track format of U+030 */
    if (!load_wav("ebu-eps__ds-all-tfs-not-in-pf.wav", &w))
        return;
    ck_assert_int_eq(objr_adm_parse_mem(w.axml, w.axml_len, NULL, &a, &d), OBJR_OK);
    ck_assert_int_eq(objr_adm_apply_chna(a, w.entries, w.n_entries, &d), OBJR_OK);
    const objr_adm_problem *p;
    size_t n;
    /* the renderer refuses it, so validation has an error (one intake path) */
    ck_assert_int_ne(objr_adm_validate(a, w.n_channels, &p, &n), OBJR_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(p[i].element_id, "ATU_00000001") == 0 && p[i].severity == OBJR_ADM_ERROR &&
                 strstr(p[i].message, "AC_0001000d is not in its pack AP_00010001") != NULL;
    ck_assert(found);
    objr_adm_destroy(a);
    free(w.file);
}
END_TEST

static Suite *adm_corpus_suite(void) {
    Suite *s = suite_create("adm_corpus");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, counts_and_round_trip, 0, (int)N_CORPUS);
    tcase_add_test(tc, sadm_dolby_51);
    tcase_add_test(tc, malformed_dolby_tolerated);
    tcase_add_test(tc, panned_noise_positions);
    tcase_add_test(tc, jump_position_and_zero_length);
    tcase_add_test(tc, nesting);
    tcase_add_test(tc, itu_examples);
    tcase_add_test(tc, kitchen_sink);
    tcase_add_test(tc, libadm_parameters);
    tcase_add_loop_test(tc, bwf_axml_and_chna, 0, (int)(sizeof wav_files / sizeof wav_files[0]));
    tcase_add_test(tc, bwf_specific_links);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_corpus_suite)
