/* SPDX-License-Identifier: BSD-3-Clause */
/* BS.2094-1 common definitions: the built-in table against the public libadm copy (labels,
 * positions, LFE frequency, HOA order/degree/normalisation, channel order after flattening),
 * the corrected 7.1.2 pack, stream/track 1:1 resolution and layout recognition by labels. */
#include "common/test_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/adm_commondefs.h"
#include "formats/adm_model.h"
#include "formats/adm_resolve.h"
#include "objrender/objr.h"

static objr__adm_model *empty_model(void) {
    objr__adm_model *m = NULL;
    ck_assert_int_eq(objr__adm_model_create(0, 0, &m), OBJR_OK);
    return m;
}

static int32_t inst(objr__adm_model *m, objr__adm_kind k, const char *id) {
    objr_status st;
    int32_t i = objr__adm_commondefs_instantiate(m, k, id, &st);
    ck_assert_msg(i >= 0 && st == OBJR_OK, "%s not instantiated", id);
    return i;
}

static void compare_channel(const objr__adm_model *a, int32_t ca, const objr__adm_model *b,
                            int32_t cb) {
    const objr__adm_channel *x = &a->channels[ca], *y = &b->channels[cb];
    ck_assert_str_eq(x->id, y->id);
    ck_assert_int_eq(x->type, y->type);
    ck_assert_int_eq(x->has_low_pass, y->has_low_pass);
    if (x->has_low_pass)
        ck_assert_double_eq(x->low_pass_hz, y->low_pass_hz);
    ck_assert_uint_eq(x->n_blocks, 1);
    ck_assert_uint_eq(y->n_blocks, 1);
    if (x->type == OBJR__TYPE_DIRECT_SPEAKERS) {
        const objr__adm_block_direct_speakers *p = &x->direct_speakers[0],
                                              *q = &y->direct_speakers[0];
        char l1[32], l2[32];
        objr__adm_label_normalise(p->speaker_labels[0], l1, sizeof l1);
        objr__adm_label_normalise(q->speaker_labels[0], l2, sizeof l2);
        ck_assert_msg(strcmp(l1, l2) == 0, "%s: %s vs %s", x->id, l1, l2);
        for (int k = 0; k < 3; k++)
            ck_assert_double_eq(p->coord[k].value, q->coord[k].value);
    } else if (x->type == OBJR__TYPE_HOA) {
        ck_assert_int_eq(x->hoa[0].order, y->hoa[0].order);
        ck_assert_int_eq(x->hoa[0].degree, y->hoa[0].degree);
        ck_assert_int_eq(x->hoa[0].normalization, y->hoa[0].normalization);
    }
}

START_TEST(table_matches_libadm_copy) {
    const char *shared = objr_test_shared_dir();
    if (!shared)
        return; /* ../shared absent: skip */
    char path[1024];
    snprintf(path, sizeof path, "%s/adm/bs2094-1-fixed__ebu_libadm__common_definitions.xml",
             shared);
    objr_adm *doc = NULL;
    objr_diag d;
    if (objr_adm_load_file(path, NULL, &doc, &d) == OBJR_ERR_IO)
        return;
    ck_assert_ptr_nonnull(doc);
    const objr__adm_model *ref = objr__adm_get_model(doc);
    objr__adm_model *m = empty_model();
    size_t n = objr__adm_commondefs_pack_count();
    ck_assert_uint_ge(n, 22 + 15 + 5 + 1);
    for (size_t i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof id, "%s", objr__adm_commondefs_pack_id(i));
        inst(m, OBJR__KIND_PACK, id);
        int32_t q = objr__adm_find(ref, OBJR__KIND_PACK, id);
        ck_assert_msg(q >= 0, "%s missing from the libadm copy", id);
    }
    /* every common channel in the reference exists in ours with the same facts */
    ck_assert_int_eq(objr__adm_model_resolve(m, &d), OBJR_OK);
    for (size_t i = 0; i < n; i++) {
        const char *id = objr__adm_commondefs_pack_id(i);
        int32_t p = objr__adm_find(m, OBJR__KIND_PACK, id),
                q = objr__adm_find(ref, OBJR__KIND_PACK, id);
        ck_assert_int_eq(m->packs[p].type, ref->packs[q].type);
        ck_assert_msg(m->packs[p].n_flat_channels == ref->packs[q].n_flat_channels,
                      "%s: %zu vs %zu", id, m->packs[p].n_flat_channels,
                      ref->packs[q].n_flat_channels);
        for (size_t k = 0; k < m->packs[p].n_flat_channels; k++)
            compare_channel(m, m->packs[p].flat_channels[k], ref, ref->packs[q].flat_channels[k]);
    }
    for (size_t c = 0; c < ref->n_channels; c++) {
        int32_t mine = objr__adm_find(m, OBJR__KIND_CHANNEL, ref->channels[c].id);
        if (mine < 0)
            mine = inst(m, OBJR__KIND_CHANNEL, ref->channels[c].id);
        compare_channel(m, mine, ref, (int32_t)c);
    }
    /* streams and tracks 1:1 */
    for (size_t t = 0; t < ref->n_tracks; t++) {
        int32_t mt = inst(m, OBJR__KIND_TRACK, ref->tracks[t].id);
        int32_t ms = m->tracks[mt].stream.idx, rs = ref->tracks[t].stream.idx;
        ck_assert_str_eq(m->streams[ms].id, ref->streams[rs].id);
        ck_assert_str_eq(m->channels[m->streams[ms].channel.idx].id,
                         ref->channels[ref->streams[rs].channel.idx].id);
    }
    objr__adm_model_destroy(m);
    objr_adm_destroy(doc);
}
END_TEST

START_TEST(erratum_copy_differs_only_in_712) {
    const char *shared = objr_test_shared_dir();
    if (!shared)
        return;
    char path[1024];
    snprintf(path, sizeof path, "%s/adm/bs2094-1__ebu_adm_renderer__2094_common_definitions.xml",
             shared);
    objr_adm *doc = NULL;
    objr_diag d;
    if (objr_adm_load_file(path, NULL, &doc, &d) == OBJR_ERR_IO)
        return;
    const objr__adm_model *ref = objr__adm_get_model(doc);
    int32_t q = objr__adm_find(ref, OBJR__KIND_PACK, "AP_00010016");
    ck_assert_int_ge(q, 0);
    /* the erratum lists AC_0001000b, AC_0001000c: our table must not */
    objr__adm_model *m = empty_model();
    int32_t p = inst(m, OBJR__KIND_PACK, "AP_00010016");
    ck_assert_int_eq(objr__adm_model_resolve(m, &d), OBJR_OK);
    ck_assert_uint_eq(m->packs[p].n_flat_channels, 10);
    ck_assert_str_eq(m->channels[m->packs[p].flat_channels[4]].id, "AC_0001000a");
    ck_assert_str_eq(m->channels[m->packs[p].flat_channels[5]].id, "AC_0001000b");
    ck_assert_str_eq(objr__adm_pack_layout_name(m, p), "7.1.2");
    ck_assert_ptr_null(objr__adm_pack_layout_name(ref, q)); /* erratum: not a known layout */
    objr__adm_model_destroy(m);
    objr_adm_destroy(doc);
}
END_TEST

START_TEST(builtin_facts) {
    objr__adm_model *m = empty_model();
    objr_diag d;
    /* AT_00010005_01 -> AS_00010005 -> AC_00010005 = M+110 */
    int32_t t = inst(m, OBJR__KIND_TRACK, "AT_00010005_01");
    int32_t s = m->tracks[t].stream.idx;
    int32_t c = m->streams[s].channel.idx;
    ck_assert_str_eq(m->channels[c].id, "AC_00010005");
    ck_assert_str_eq(m->channels[c].direct_speakers[0].speaker_labels[0],
                     "urn:itu:bs:2051:0:speaker:M+110");
    ck_assert_double_eq(m->channels[c].direct_speakers[0].coord[0].value, 110.0);
    /* LFE low-pass 120 Hz */
    c = inst(m, OBJR__KIND_CHANNEL, "AC_00010004");
    ck_assert(m->channels[c].has_low_pass);
    ck_assert_double_eq(m->channels[c].low_pass_hz, 120.0);
    ck_assert(objr__adm_channel_is_lfe(m, c));
    ck_assert(!objr__adm_channel_is_lfe(m, inst(m, OBJR__KIND_CHANNEL, "AC_00010003")));
    ck_assert(objr__adm_channel_is_lfe(m, inst(m, OBJR__KIND_CHANNEL, "AC_00010021")));
    /* HOA order 3 SN3D: 16 channels in ACN order after flattening the nested packs */
    int32_t p = inst(m, OBJR__KIND_PACK, "AP_00040003");
    ck_assert_int_eq(objr__adm_model_resolve(m, &d), OBJR_OK);
    ck_assert_uint_eq(m->packs[p].n_flat_channels, 16);
    for (int acn = 0; acn < 16; acn++) {
        const objr__adm_channel *h = &m->channels[m->packs[p].flat_channels[acn]];
        int o = h->hoa[0].order, g = h->hoa[0].degree;
        ck_assert_int_eq(o * o + o + g, acn);
        ck_assert_int_eq(h->hoa[0].normalization, OBJR__HOA_SN3D);
    }
    ck_assert_int_eq(objr__adm_hoa_normalization(m, p, m->packs[p].flat_channels[0], 0),
                     OBJR__HOA_SN3D);
    /* FuMa X is ACN 3 */
    c = inst(m, OBJR__KIND_CHANNEL, "AC_00040204");
    ck_assert_str_eq(m->channels[c].name, "FuMa_X");
    ck_assert_int_eq(m->channels[c].hoa[0].order, 1);
    ck_assert_int_eq(m->channels[c].hoa[0].degree, 1);
    /* binaural */
    p = inst(m, OBJR__KIND_PACK, "AP_00050001");
    ck_assert_uint_eq(m->packs[p].channels.n, 2);
    /* unknown common-range IDs and custom IDs are not common definitions */
    ck_assert(!objr__adm_commondefs_has(OBJR__KIND_PACK, "AP_00011001"));
    ck_assert(!objr__adm_commondefs_has(OBJR__KIND_PACK, "AP_00010099"));
    ck_assert(!objr__adm_commondefs_has(OBJR__KIND_CHANNEL, "AC_00030001"));
    ck_assert(!objr__adm_commondefs_has(OBJR__KIND_TRACK, "AT_00010001_02"));
    ck_assert(objr__adm_commondefs_has(OBJR__KIND_CHANNEL, "AC_0001000A"));
    objr__adm_model_destroy(m);
}
END_TEST

START_TEST(layouts_by_labels) {
    static const struct {
        const char *pack;
        const char *layout;
    } want[] = {{"AP_00010001", "mono"},   {"AP_00010002", "0+2+0"}, {"AP_00010003", "0+5+0"},
                {"AP_0001000c", "5.0"},    {"AP_00010004", "2+5+0"}, {"AP_00010005", "4+5+0"},
                {"AP_00010010", "4+5+1"},  {"AP_00010007", "3+7+0"}, {"AP_00010008", "4+9+0"},
                {"AP_00010009", "9+10+3"}, {"AP_0001000f", "0+7+0"}, {"AP_00010017", "4+7+0"},
                {"AP_00010013", "5.1.2"},  {"AP_00010016", "7.1.2"}};
    objr__adm_model *m = empty_model();
    objr_diag d;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        inst(m, OBJR__KIND_PACK, want[i].pack);
    ck_assert_int_eq(objr__adm_model_resolve(m, &d), OBJR_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const char *got =
            objr__adm_pack_layout_name(m, objr__adm_find(m, OBJR__KIND_PACK, want[i].pack));
        ck_assert_msg(got && strcmp(got, want[i].layout) == 0, "%s: %s", want[i].pack,
                      got ? got : "(null)");
    }
    objr__adm_model_destroy(m);
    /* a custom Dolby-style RoomCentric 7.1.2 bed in a different order: recognised by labels */
    static const char *const rc[] = {"RC_L",   "RC_R",   "RC_C",   "RC_LFE", "RC_Lss",
                                     "RC_Rss", "RC_Lrs", "RC_Rrs", "RC_Lts", "RC_Rts"};
    char xml[8192];
    size_t o = 0;
    o += (size_t)snprintf(xml + o, sizeof xml - o,
                          "<audioFormatExtended><audioPackFormat audioPackFormatID=\"AP_00011001\" "
                          "typeDefinition=\"DirectSpeakers\">");
    for (int i = 9; i >= 0; i--)
        o += (size_t)snprintf(xml + o, sizeof xml - o,
                              "<audioChannelFormatIDRef>AC_0001100%d</audioChannelFormatIDRef>", i);
    o += (size_t)snprintf(xml + o, sizeof xml - o, "</audioPackFormat>");
    for (int i = 0; i < 10; i++)
        o += (size_t)snprintf(xml + o, sizeof xml - o,
                              "<audioChannelFormat audioChannelFormatID=\"AC_0001100%d\" "
                              "typeDefinition=\"DirectSpeakers\"><audioBlockFormat "
                              "audioBlockFormatID=\"AB_0001100%d_00000001\"><speakerLabel>%s"
                              "</speakerLabel><position coordinate=\"X\">0</position>"
                              "<position coordinate=\"Y\">1</position></audioBlockFormat>"
                              "</audioChannelFormat>",
                              i, i, rc[i]);
    snprintf(xml + o, sizeof xml - o, "</audioFormatExtended>");
    objr_adm *a = NULL;
    ck_assert_int_eq(objr_adm_parse_mem(xml, strlen(xml), NULL, &a, &d), OBJR_OK);
    objr_adm_pack_info pi;
    ck_assert_int_eq(objr_adm_get_pack(a, 0, &pi), OBJR_OK);
    ck_assert_str_eq(pi.layout, "7.1.2");
    ck_assert_uint_eq(pi.n_channels, 10);
    objr_adm_destroy(a);
}
END_TEST

START_TEST(label_normalisation) {
    static const char *const in[][2] = {{"urn:itu:bs:2051:0:speaker:M+030", "M+030"},
                                        {"urn:itu:bs:2051:2:speaker:U-045", "U-045"},
                                        {"M+30", "M+030"},
                                        {"M-110", "M-110"},
                                        {"LFE", "LFE1"},
                                        {"LFEL", "LFE1"},
                                        {"LFER", "LFE2"},
                                        {"RC_Lrs", "M+135"},
                                        {"M+SC", "M+SC"},
                                        {"M+135_Diff", "M+135_Diff"}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char out[32];
        objr__adm_label_normalise(in[i][0], out, sizeof out);
        ck_assert_str_eq(out, in[i][1]);
    }
}
END_TEST

static Suite *adm_commondefs_suite(void) {
    Suite *s = suite_create("adm_commondefs");
    TCase *tc = tcase_create("commondefs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, table_matches_libadm_copy);
    tcase_add_test(tc, erratum_copy_differs_only_in_712);
    tcase_add_test(tc, builtin_facts);
    tcase_add_test(tc, layouts_by_labels);
    tcase_add_test(tc, label_normalisation);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(adm_commondefs_suite)
