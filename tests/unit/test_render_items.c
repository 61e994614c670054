/* SPDX-License-Identifier: BSD-3-Clause */
/* Render item selection (BS.2127-1 §6.1/§6.2) on small synthetic ADM documents: programme and
 * content selection, nested objects with gain and mute multiplied down the path, object start
 * and duration, importance filtering by object and pack, files without programmes or
 * objects, and clear errors for a missing track or an unknown programme. */
#include "common/test_common.h"
#include "common/xml_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "formats/adm_model.h"
#include "formats/adm_resolve.h"
#include "objrender/objr.h"
#include "renderers/render_items.h"

/* An Objects channel n (AC_0003100n, AP_0003100n) with one block at azimuth az, and its
 * track UID ATU_0000000n carrying it; `track` is the chna track index (0 = none). */
static void objects_channel(objr_test_xml *b, int n, double az, const char *pack_attrs) {
    objr_test_xml_ap(
        b,
        "<audioPackFormat audioPackFormatID=\"AP_0003100%d\" audioPackFormatName=\"p%d\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\" %s>"
        "<audioChannelFormatIDRef>AC_0003100%d</audioChannelFormatIDRef></audioPackFormat>\n"
        "<audioChannelFormat audioChannelFormatID=\"AC_0003100%d\" audioChannelFormatName=\"c%d\" "
        "typeLabel=\"0003\" typeDefinition=\"Objects\">"
        "<audioBlockFormat audioBlockFormatID=\"AB_0003100%d_00000001\">"
        "<position coordinate=\"azimuth\">%g</position>"
        "<position coordinate=\"elevation\">0</position></audioBlockFormat>"
        "</audioChannelFormat>\n"
        "<audioTrackUID UID=\"ATU_0000000%d\"><audioChannelFormatIDRef>AC_0003100%d"
        "</audioChannelFormatIDRef><audioPackFormatIDRef>AP_0003100%d</audioPackFormatIDRef>"
        "</audioTrackUID>\n",
        n, n, pack_attrs ? pack_attrs : "", n, n, n, n, az, n, n, n);
}

static objr__adm_model *load(objr_test_xml *b, int n_tracks) {
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    o.max_xml_bytes = b->cap;
    objr__adm_model *m = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr__adm_xml_read(b->s, b->n, &o, &m, &d);
    ck_assert_msg(st == OBJR_OK, "xml read: %s (%s)", d.message, objr_strerror(st));
    /* chna: UID n on track n. */
    objr__chna_entry e[9];
    memset(e, 0, sizeof e);
    for (int i = 0; i < n_tracks; i++) {
        e[i].track_index = (uint16_t)(i + 1);
        snprintf(e[i].uid, sizeof e[i].uid, "ATU_%08X", (unsigned)(i + 1) & 0xFu);
    }
    objr__chna c = {(uint16_t)n_tracks, e, (size_t)n_tracks};
    if (n_tracks) {
        st = objr__adm_merge_chna(m, &c, &d);
        ck_assert_msg(st == OBJR_OK, "chna: %s", d.message);
        ck_assert_int_eq(objr__adm_model_resolve(m, &d), OBJR_OK);
    }
    return m;
}

static const objr__render_item *find_item(const objr__render_items *r, const char *channel_id) {
    for (size_t i = 0; i < r->n_items; i++)
        if (r->items[i].channel_id && strcmp(r->items[i].channel_id, channel_id) == 0)
            return &r->items[i];
    return NULL;
}

/* Nested objects: the parent's gain multiplies the child's; the child's start/duration apply;
 * the item's source is the chna track. Without a programme, the root objects are used. */
START_TEST(nested_gain_and_timing) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(
        &b, "<audioContent audioContentID=\"ACO_1001\"><audioObjectIDRef>AO_1001</audioObjectIDRef>"
            "</audioContent>\n"
            "<audioObject audioObjectID=\"AO_1001\"><gain>0.5</gain>"
            "<audioObjectIDRef>AO_1002</audioObjectIDRef></audioObject>\n"
            "<audioObject audioObjectID=\"AO_1002\" "
            "start=\"00:00:01.50000\" duration=\"00:00:02.00000\">"
            "<gain gainUnit=\"dB\">-6.0206</gain>"
            "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 30.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 1);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 1, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 1);
    const objr__render_item *it = &r.items[0];
    ck_assert_int_eq(it->type, OBJR__TYPE_OBJECTS);
    ck_assert_double_eq_tol(it->gain, 0.25, 1e-4);
    ck_assert_double_eq_tol(it->start_s, 1.5, 1e-12);
    ck_assert(it->has_duration);
    ck_assert_double_eq_tol(it->duration_s, 2.0, 1e-12);
    ck_assert_uint_eq(it->source.track_index, 1);
    ck_assert_uint_eq(it->n_blocks, 1);
    ck_assert_double_eq(it->obj_blocks[0].pos.azimuth_deg, 30.0);
    ck_assert_str_eq(it->object_id, "AO_1002");
    ck_assert_uint_eq(r.n_sources, 1);
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* A muted parent silences everything below it (gain 0, the item is kept so timing holds). */
START_TEST(mute_propagates) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b, "<audioObject audioObjectID=\"AO_1001\"><mute>1</mute>"
                         "<audioObjectIDRef>AO_1002</audioObjectIDRef></audioObject>\n"
                         "<audioObject audioObjectID=\"AO_1002\"><gain>2.0</gain>"
                         "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 1);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 1, &r, NULL), OBJR_OK);
    /* No programme and no content: top-level objects only, so AO_1002 is reached once. */
    ck_assert_uint_eq(r.n_items, 1);
    ck_assert_double_eq(r.items[0].gain, 0.0);
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* Importance: object importance and pack importance below the threshold drop the item. */
START_TEST(importance_filter) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b, "<audioObject audioObjectID=\"AO_1001\" importance=\"3\">"
                         "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
                         "<audioObject audioObjectID=\"AO_1002\" importance=\"8\">"
                         "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n"
                         "<audioObject audioObjectID=\"AO_1003\">"
                         "<audioPackFormatIDRef>AP_00031003</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000003</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objects_channel(&b, 2, 0.0, NULL);
    objects_channel(&b, 3, 0.0, "importance=\"4\"");
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 3);
    objr__render_items r;
    objr__select_options o = {NULL, 0};
    ck_assert_int_eq(objr__render_items_select(m, &o, 3, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 3);
    objr__render_items_free(&r);
    o.importance_threshold = 5;
    ck_assert_int_eq(objr__render_items_select(m, &o, 3, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 1);
    ck_assert_ptr_nonnull(find_item(&r, "AC_00031002"));
    ck_assert_uint_eq(r.n_dropped_importance, 2);
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* Programme selection: the first by default, another by ID, an unknown ID is an error. */
START_TEST(programme_selection) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(
        &b, "<audioProgramme audioProgrammeID=\"APR_1001\">"
            "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
            "<audioProgramme audioProgrammeID=\"APR_1002\">"
            "<audioContentIDRef>ACO_1002</audioContentIDRef></audioProgramme>\n"
            "<audioContent audioContentID=\"ACO_1001\"><audioObjectIDRef>AO_1001</audioObjectIDRef>"
            "</audioContent>\n"
            "<audioContent audioContentID=\"ACO_1002\"><audioObjectIDRef>AO_1002</audioObjectIDRef>"
            "</audioContent>\n"
            "<audioObject audioObjectID=\"AO_1001\">"
            "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
            "<audioObject audioObjectID=\"AO_1002\">"
            "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objects_channel(&b, 2, 0.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 2);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 2, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 1);
    ck_assert_str_eq(r.items[0].object_id, "AO_1001");
    objr__render_items_free(&r);
    objr__select_options o = {"APR_1002", 0};
    ck_assert_int_eq(objr__render_items_select(m, &o, 2, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 1);
    ck_assert_str_eq(r.items[0].object_id, "AO_1002");
    ck_assert_uint_eq(r.items[0].source.track_index, 2);
    objr__render_items_free(&r);
    objr_diag d;
    objr_diag_clear(&d);
    o.programme_id = "APR_1009";
    ck_assert_int_eq(objr__render_items_select(m, &o, 2, &r, &d), OBJR_ERR_REFERENCE);
    ck_assert(strstr(d.message, "APR_1009") != NULL);
    ck_assert_uint_eq(r.n_items, 0);
    objr__adm_model_destroy(m);
}
END_TEST

/* A track UID with no track in the file (no chna entry), or one beyond the file's tracks, is an
 * error naming the UID, never silently skipped. */
START_TEST(missing_track_is_error) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b, "<audioObject audioObjectID=\"AO_1001\">"
                         "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 0);
    objr__render_items r;
    objr_diag d;
    objr_diag_clear(&d);
    ck_assert_int_eq(objr__render_items_select(m, NULL, 0, &r, &d), OBJR_ERR_REFERENCE);
    ck_assert(strstr(d.message, "ATU_00000001") != NULL);
    ck_assert_str_eq(d.element_id, "ATU_00000001");
    objr__adm_model_destroy(m);

    /* A UID on track 2 of a file that has a single track. */
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b, "<audioObject audioObjectID=\"AO_1001\">"
                         "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 2, 0.0, NULL);
    objr_test_xml_tail(&b);
    m = load(&b, 2);
    objr_diag_clear(&d);
    ck_assert_int_eq(objr__render_items_select(m, NULL, 1, &r, &d), OBJR_ERR_REFERENCE);
    ck_assert(strstr(d.message, "track 2") != NULL);
    ck_assert_int_eq(objr__render_items_select(m, NULL, 2, &r, &d), OBJR_OK);
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* Without any objects, the chna links of every track UID make the items (chna-only files). */
START_TEST(no_objects_uses_tracks) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objects_channel(&b, 1, 10.0, NULL);
    objects_channel(&b, 2, 20.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 2);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 2, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 2);
    const objr__render_item *a = find_item(&r, "AC_00031001"), *c = find_item(&r, "AC_00031002");
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(a->source.track_index, 1);
    ck_assert_uint_eq(c->source.track_index, 2);
    ck_assert_double_eq(a->gain, 1.0);
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* Without --programme, the programme with the lowest ID is rendered (as EAR does), whatever
 * the document order. */
START_TEST(default_programme_lowest_id) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(
        &b, "<audioProgramme audioProgrammeID=\"APR_1002\">"
            "<audioContentIDRef>ACO_1002</audioContentIDRef></audioProgramme>\n"
            "<audioProgramme audioProgrammeID=\"APR_1001\">"
            "<audioContentIDRef>ACO_1001</audioContentIDRef></audioProgramme>\n"
            "<audioContent audioContentID=\"ACO_1001\"><audioObjectIDRef>AO_1001</audioObjectIDRef>"
            "</audioContent>\n"
            "<audioContent audioContentID=\"ACO_1002\"><audioObjectIDRef>AO_1002</audioObjectIDRef>"
            "</audioContent>\n"
            "<audioObject audioObjectID=\"AO_1001\">"
            "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef></audioObject>\n"
            "<audioObject audioObjectID=\"AO_1002\">"
            "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
            "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objects_channel(&b, 2, 0.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 2);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 2, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 1);
    ck_assert_str_eq(r.items[0].object_id, "AO_1001");
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

/* Complementary objects (e.g. dialogue languages): by default the root of the group plays
 * and the objects it lists as complementary do not. */
START_TEST(complementary_objects) {
    objr_test_xml b;
    objr_test_xml_head(&b);
    objr_test_xml_ap(&b, "<audioObject audioObjectID=\"AO_1001\">"
                         "<audioPackFormatIDRef>AP_00031001</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000001</audioTrackUIDRef>"
                         "<audioComplementaryObjectIDRef>AO_1002</audioComplementaryObjectIDRef>"
                         "</audioObject>\n"
                         "<audioObject audioObjectID=\"AO_1002\">"
                         "<audioPackFormatIDRef>AP_00031002</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000002</audioTrackUIDRef></audioObject>\n"
                         "<audioObject audioObjectID=\"AO_1003\">"
                         "<audioPackFormatIDRef>AP_00031003</audioPackFormatIDRef>"
                         "<audioTrackUIDRef>ATU_00000003</audioTrackUIDRef></audioObject>\n");
    objects_channel(&b, 1, 0.0, NULL);
    objects_channel(&b, 2, 0.0, NULL);
    objects_channel(&b, 3, 0.0, NULL);
    objr_test_xml_tail(&b);
    objr__adm_model *m = load(&b, 3);
    objr__render_items r;
    ck_assert_int_eq(objr__render_items_select(m, NULL, 3, &r, NULL), OBJR_OK);
    ck_assert_uint_eq(r.n_items, 2);
    ck_assert_ptr_nonnull(find_item(&r, "AC_00031001"));
    ck_assert_ptr_null(find_item(&r, "AC_00031002"));
    ck_assert_ptr_nonnull(find_item(&r, "AC_00031003"));
    objr__render_items_free(&r);
    objr__adm_model_destroy(m);
}
END_TEST

static Suite *render_items_suite(void) {
    Suite *s = suite_create("render_items");
    TCase *tc = tcase_create("select");
    tcase_add_test(tc, nested_gain_and_timing);
    tcase_add_test(tc, mute_propagates);
    tcase_add_test(tc, importance_filter);
    tcase_add_test(tc, programme_selection);
    tcase_add_test(tc, missing_track_is_error);
    tcase_add_test(tc, no_objects_uses_tracks);
    tcase_add_test(tc, default_programme_lowest_id);
    tcase_add_test(tc, complementary_objects);
    suite_add_tcase(s, tc);
    return s;
}

OBJR_TEST_MAIN(render_items_suite)
